"""B006 on a default rebound before use (issue 21, fifth reading: slack-sdk's
``_urllib_api_call(..., body_params={})`` whose first use is ``body_params = convert(body_params)``):
the parameter holds a fresh object before anything could change the shared default, so later
mutations change the new object. The twins: a mutation before the rebinding, a rebinding that may
hand back the default itself, and a rebinding only on one branch stay reported."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

REBOUND_BY_CALL = ("def call(url, body={}):\n"
                   "    try:\n"
                   "        body = dict(body)\n"
                   "        body['url'] = url\n"
                   "    finally:\n"
                   "        pass\n"
                   "    return send(body)\n")
REBOUND_BY_LITERAL = ("def call(url, body: dict = {}):\n"
                      "    log(url)\n"
                      "    body: dict = {'k': 1}\n"
                      "    body.update(url=url)\n"
                      "    return body\n")


@pytest.mark.parametrize("text", [REBOUND_BY_CALL, REBOUND_BY_LITERAL])
def test_a_default_rebound_before_any_use_is_not_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == ["B006"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("text", [
    # mutated before the rebinding: the default itself changes
    "def call(url, body={}):\n    body['url'] = url\n    body = dict(body)\n    body['x'] = 1\n",
    # ``body or {}`` hands back a non-empty default itself: it is truthy
    "def call(url, body={'k': 1}):\n    body = body or {}\n    body['url'] = url\n",
    # rebound only on one branch: the other branch mutates the default
    "def call(url, body={}):\n    if url:\n        body = {}\n    body['url'] = url\n",
    # the rebinding's own value mutates it
    "def call(url, body={}):\n    body = body.setdefault('k', {})\n    body['url'] = url\n",
])
def test_the_default_reaching_a_mutation_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]


COPIED_ON_ITS_BRANCH = ("def start(self, wait=60, *, server_settings={}, **opts):\n"
                        "    if self.version >= (12, 0):\n"
                        "        server_settings = server_settings.copy()\n"
                        "        server_settings['primary_conninfo'] = self.conninfo\n"
                        "    super().start(wait=wait, server_settings=server_settings, **opts)\n")


def test_a_mutation_after_a_copy_on_its_own_branch_changes_the_copy() -> None:
    # Sixth reading (asyncpg `cluster.py:685`): the write is to the copy made just above it; the
    # other path only passes the default on.
    reported, kept = reported_and_kept(COPIED_ON_ITS_BRANCH, "B006")
    assert reported == ["B006"] and kept == []


@pytest.mark.parametrize("text", [
    # the copy on one branch, the write after the `if`: on the other path it writes the default
    "def start(settings={}):\n    if new:\n        settings = settings.copy()\n    settings['k'] = 1\n",
    # the write on the branch without the copy
    "def start(settings={}):\n    if new:\n        settings = settings.copy()\n    else:\n        settings['k'] = 1\n",
    # the write before the copy on the same branch
    "def start(settings={}):\n    if new:\n        settings['k'] = 1\n        settings = settings.copy()\n",
])
def test_a_write_the_copy_does_not_precede_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]


REPLACED_ON_BOTH_BRANCHES = ("def request(self, url, http_headers={}, **headers):\n"
                             "    if not http_headers:\n"
                             "        http_headers = {'Accept': 'x'}\n"
                             "    else:\n"
                             "        http_headers = {k.replace('-', '_'): v for k, v in http_headers.items()}\n"
                             "    http_headers.update(headers)\n"
                             "    return send(url, **http_headers)\n")
REPLACED_WHEN_EMPTY = ("def request(url, http_headers={}):\n"
                       "    if not http_headers:\n"
                       "        http_headers = {'Accept': 'x'}\n"
                       "    http_headers['Host'] = url\n"
                       "    return send(url, http_headers)\n")


@pytest.mark.parametrize("text", [REPLACED_ON_BOTH_BRANCHES, REPLACED_WHEN_EMPTY])
def test_a_default_replaced_on_every_path_that_keeps_it_is_not_reported(text: str) -> None:
    # A tuning package outside the held-out sets (scapy's HTTP client `request`): both branches
    # bind a new dict, or the empty default always takes the `if not` branch, before `.update`.
    reported, kept = reported_and_kept(text, "B006")
    assert reported == ["B006"] and kept == []


@pytest.mark.parametrize("text", [
    # the default is not empty: `if not` is false for it and the default itself is updated
    "def request(url, http_headers={'Accept': 'x'}):\n    if not http_headers:\n        http_headers = {}\n"
    "    http_headers['Host'] = url\n",
    # only one branch replaces it; `else` passes the default through
    "def request(url, http_headers={}):\n    if url:\n        http_headers = {}\n    else:\n        pass\n"
    "    http_headers['Host'] = url\n",
    # `if http_headers:` (not `if not`): the empty default skips the replacement
    "def request(url, http_headers={}):\n    if http_headers:\n        http_headers = dict(http_headers)\n"
    "    http_headers['Host'] = url\n",
    # scapy's rpcclient `connect(..., smb_kwargs={})`: `smb_kwargs.setdefault('HOST', host)` keeps the first host
    "def connect(self, host, smb_kwargs={}):\n    smb_kwargs.setdefault('HOST', host)\n    return open_smb(**smb_kwargs)\n",
])
def test_a_default_that_survives_some_path_to_the_mutation_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]


RAISES_OR_REPLACES = ("def autoload(url, headers={}, with_credentials=False):\n"
                      "    if headers and with_credentials:\n"
                      "        raise ValueError('exclusive')\n"
                      "    elif not headers:\n"
                      "        headers = {}\n"
                      "    else:\n"
                      "        headers = dict(headers)\n"
                      "    headers['Session'] = url\n"
                      "    return headers\n")
SHADOWED_IN_A_CLOSURE = ("def grid(children=[], ncols=None):\n"
                         "    def traverse(children, level=0):\n"
                         "        if isinstance(children, list):\n"
                         "            return [traverse(c, level + 1) for c in children]\n"
                         "        return children\n"
                         "    return traverse(list(children))\n")


@pytest.mark.parametrize("text", [RAISES_OR_REPLACES, SHADOWED_IN_A_CLOSURE])
def test_a_branch_that_leaves_or_a_closure_own_name_does_not_reach_the_default(text: str) -> None:
    # A tuning package (bokeh's `autoload_server` and `grid`): one branch raises and the others
    # replace the default; an inner function's own parameter of the same name is another object.
    reported, kept = reported_and_kept(text, "B006")
    assert reported == ["B006"] and kept == []


@pytest.mark.parametrize("text", [
    # the raising branch is not taken for the default; the `else` keeps it and mutates it
    "def autoload(url, headers={}, creds=False):\n    if creds:\n        raise ValueError('x')\n"
    "    else:\n        pass\n    headers['Session'] = url\n",
    # the closure reads the default itself (no parameter or local of that name) and returns it
    "def grid(children=[]):\n    def traverse(level=0):\n        return children\n    return traverse\n",
    # a closure that declares it nonlocal and appends
    "def grid(children=[]):\n    def add(c):\n        nonlocal children\n        children.append(c)\n        children = children\n"
    "    return add\n",
])
def test_the_default_reaching_a_mutation_or_the_caller_through_a_closure_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]


GUARDED_BY_TRUTH = ("def build(ssl_ca=None, tls_versions=[]):\n"
                    "    if tls_versions:\n"
                    "        tls_versions.sort(reverse=True)\n"
                    "        return tls_versions[0]\n"
                    "    return None\n")


def test_a_mutation_only_an_empty_default_never_reaches_is_not_reported() -> None:
    # mysql-connector's `build_ssl_context(..., tls_versions=[])` (issue 21, eighth reading).
    reported, kept = reported_and_kept(GUARDED_BY_TRUTH, "B006")
    assert reported == ["B006"] and kept == []


@pytest.mark.parametrize("text", [
    # a non-empty default is truthy: the guarded sort changes it
    GUARDED_BY_TRUTH.replace("tls_versions=[]", "tls_versions=['TLSv1.2', 'TLSv1.3']"),
    # `if not tls_versions:` is entered by the empty default
    "def build(tls_versions=[]):\n    if not tls_versions:\n        tls_versions.append('TLSv1.2')\n    return tls_versions\n",
    # `or` does not keep the empty default out
    "def build(strict, tls_versions=[]):\n    if tls_versions or strict:\n        tls_versions.append('TLSv1.3')\n",
])
def test_a_mutation_the_default_can_reach_under_a_test_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]


EMPTY_OR_NEW = ("def create_job(model, hyperparameters: dict | None = {}, **kwargs):\n"
                "    hyperparameters = hyperparameters or {}\n"
                "    if 'weight' in hyperparameters:\n"
                "        kwargs['weight'] = hyperparameters.pop('weight')\n"
                "    return submit(model, hyperparameters, **kwargs)\n")
ONLY_ITERATED = ("def log_event(kwargs, extra={}):\n"
                 "    params = kwargs.get('params', {})\n"
                 "    if params:\n"
                 "        extra = {**extra, **params}\n"
                 "    if extra:\n"
                 "        extra.pop('user', None)\n"
                 "    for key, value in extra.items():\n"
                 "        extra[key] = str(value)\n"
                 "    send(extra)\n")
GUARD_AFTER_MAYBE_REBIND = ("def from_config(cls, config={}, *, auto_fill=True):\n"
                            "    \"\"\"Build from a config.\"\"\"\n"
                            "    if auto_fill:\n"
                            "        config = Config(cls.default_config).merge(config)\n"
                            "    if 'nlp' not in config:\n"
                            "        raise ValueError(config)\n"
                            "    config['nlp']['lang'] = cls.lang\n"
                            "    return cls(config)\n")


@pytest.mark.parametrize("text", [EMPTY_OR_NEW, ONLY_ITERATED, GUARD_AFTER_MAYBE_REBIND])
def test_an_empty_default_every_path_replaces_skips_or_leaves_on_is_not_reported(text: str) -> None:
    # Issue 21's eleventh reading: litellm's `hyperparameters or {}` and lunary's `extra` written
    # only while iterating it; spaCy's `from_config(config={})`, which raises on an empty config.
    reported, kept = reported_and_kept(text, "B006")
    assert reported == ["B006"] and kept == []


@pytest.mark.parametrize("text", [
    # a non-empty default survives `or {}` and reaches the pop
    EMPTY_OR_NEW.replace("= {}, **kwargs", "= {'weight': 1}, **kwargs"),
    # the empty default is the last operand: `fallback or hyperparameters` hands it back
    EMPTY_OR_NEW.replace("hyperparameters = hyperparameters or {}", "hyperparameters = fallback or hyperparameters")
    .replace("    if 'weight' in hyperparameters:\n        kwargs['weight'] = hyperparameters.pop('weight')\n",
             "    hyperparameters.setdefault('weight', 1)\n"),
    # a non-empty default is iterated, and written
    ONLY_ITERATED.replace("extra={}", "extra={'user': 'x'}"),
    # the write iterates something else
    ONLY_ITERATED.replace("for key, value in extra.items():", "for key, value in kwargs.items():"),
    # a test an empty default passes does not stop it: without auto_fill the write changes it
    GUARD_AFTER_MAYBE_REBIND.replace("if 'nlp' not in config:", "if 'nlp' in config:").replace(
        "config['nlp']['lang']", "config['lang']"),
    # the maybe-rebinding's value changes the default itself
    GUARD_AFTER_MAYBE_REBIND.replace("Config(cls.default_config).merge(config)", "config.setdefault('nlp', {})"),
])
def test_an_empty_default_a_path_still_changes_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]


KEYED_TEST = ("def __init__(self, freq, params: dict = dict()):\n"
              "    if 'quantiles' in params:\n"
              "        params['quantiles'] = sorted(params['quantiles'])\n"
              "    self.params = {'freq': freq}\n"
              "    self.params.update(params)\n")
LOCAL_OPTIONS_FN = ("def backtest(data, model, forecaster_options={}):\n"
                    "    if callable(forecaster_options):\n"
                    "        forecaster_options_fn = forecaster_options\n"
                    "    else:\n"
                    "        def forecaster_options_fn(*args, **kwargs):\n"
                    "            return forecaster_options\n"
                    "    if forecaster_options_fn().get('warm_start'):\n"
                    "        pass\n"
                    "    options = forecaster_options_fn(t0=1)\n"
                    "    return model(data, **options)\n")


@pytest.mark.parametrize("text", [KEYED_TEST, LOCAL_OPTIONS_FN])
def test_a_key_test_an_empty_default_fails_or_a_return_to_a_local_caller_is_not_reported(text: str) -> None:
    # Issue 21's thirteenth reading: gluonts' `if "quantiles" in params:` (an empty default holds
    # no key) and pyro's local `forecaster_options_fn` that hands the default back to `backtest`.
    reported, kept = reported_and_kept(text, "B006")
    assert reported == ["B006"] and kept == []


@pytest.mark.parametrize("text", [
    # a default with the key passes the test and is sorted in place
    KEYED_TEST.replace("params: dict = dict()", "params: dict = {'quantiles': [0.9, 0.1]}"),
    # `not in` is entered by the empty default
    KEYED_TEST.replace("if 'quantiles' in params:", "if 'quantiles' not in params:"),
    # the nested function escapes: every caller of `backtest` gets the shared default
    LOCAL_OPTIONS_FN.replace("    return model(data, **options)\n", "    return forecaster_options_fn\n"),
])
def test_a_default_that_can_reach_a_write_or_a_caller_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]


def test_an_empty_default_only_removed_from_is_not_reported() -> None:
    # Issue 21, fourteenth reading: geopandas' `legend_kwds={}` is only ever popped from.
    text = ("def explore(df, legend_kwds={}):\n    caption = legend_kwds.pop('caption', None)\n"
            "    legend_kwds.clear()\n    return draw(df, caption)\n")
    reported, kept = reported_and_kept(text, "B006")
    assert reported == ["B006"] and kept == []
    # The twins: a non-empty default loses its key; an empty one gains one.
    for twin in (text.replace("legend_kwds={}", "legend_kwds={'caption': 'x'}"),
                 text.replace("    legend_kwds.clear()\n", "    legend_kwds['caption'] = caption\n")):
        reported, kept = reported_and_kept(twin, "B006")
        assert kept == ["B006"], twin


ASSERTED_NON_EMPTY = ("def __init__(self, name=None, base_features=[]):\n"
                      "    assert len(base_features) > 0, 'no base features'\n"
                      "    base_features.sort()\n    self.base_features = base_features\n")


def test_an_empty_default_an_assert_stops_is_not_reported() -> None:
    # Issue 21, fifteenth reading: featuretools' `LiteFeature(base_features=[])` asserts it is
    # not empty before sorting it.
    nested = ASSERTED_NON_EMPTY.replace("    assert len(base_features) > 0, 'no base features'\n    base_features.sort()\n",
                                        "    if name:\n        assert len(base_features) > 0\n        base_features.sort()\n")
    for text in (ASSERTED_NON_EMPTY, nested):
        reported, kept = reported_and_kept(text, "B006")
        assert reported == ["B006"] and kept == [], text
    # The twins: an assert an empty default passes, and a non-empty default, stay reported.
    for twin in (ASSERTED_NON_EMPTY.replace("len(base_features) > 0", "len(base_features) >= 0"),
                 ASSERTED_NON_EMPTY.replace("base_features=[]", "base_features=[1]")):
        reported, kept = reported_and_kept(twin, "B006")
        assert kept == ["B006"], twin
