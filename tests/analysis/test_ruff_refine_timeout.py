"""S113 (HTTP request without a timeout): the classes ``analysis.ruff_refine_timeout`` drops, each
beside the twin that stays reported (issue 21)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from python_architect.analysis import ruff_bridge
from python_architect.analysis.ruff_refine import post_process


def _codes(text: str, code: str) -> tuple[list[str], list[str]]:
    """What ruff reports for ``code``, and what is left after the post-processing."""
    raw = ruff_bridge.run_ruff(text, Path("mod.py"), [code])
    kept = post_process(ast.parse(text), text.splitlines(), raw)
    return [f.code for f in raw], [f.code for f in kept]


S113_FORWARDING = [
    # A wrapper forwarding its caller's options: the timeout is the caller's to give.
    ("import requests\n\n\ndef get(url, **kwargs):\n    return requests.get(url, headers={}, **kwargs)\n", False),
    ("import requests\n\n\nclass Api:\n    def post(self, url, data, **options):\n"
     "        return requests.post(url, json=data, **options)\n", False),
    # through a helper that adds a header (twenty-fourth reading, roboflow's `util/http.py`)
    ("import requests\n\n\ndef get(url, **kwargs):\n    return requests.get(url, **with_agent(kwargs))\n", False),
    ("import requests\n\n\ndef get(url, **kwargs):\n    return requests.get(url, **{**kwargs, 'headers': {}})\n", False),
    # The twins: a helper given something else than the caller's options, a local dict we cannot see into, a forwarded name that is not the ** parameter,
    # a nested function whose own signature has no **, and no ** at all.
    ("import requests\n\n\ndef get(url):\n    params = {'url': url}\n    return requests.post(**params)\n", True),
    ("import requests\n\n\ndef get(url, kwargs):\n    return requests.get(url, **kwargs)\n", True),
    ("import requests\n\n\ndef outer(**kwargs):\n    def inner(url):\n        return requests.get(url, **extra)\n"
     "    return inner\n", True),
    ("import requests\n\n\ndef get(url, **kwargs):\n    return requests.get(url)\n", True),
    ("import requests\n\n\ndef get(url, **kwargs):\n    return requests.get(url, **with_agent(DEFAULTS))\n", True),
]


@pytest.mark.parametrize(("text", "stays"), S113_FORWARDING)
def test_s113_on_a_wrapper_forwarding_its_callers_kwargs(text: str, stays: bool) -> None:
    """Read on langchain-community's `Requests` wrapper (issue 21): `get/post/...(url, **kwargs)`
    pass the caller's options on; the missing timeout is at the call of the wrapper."""
    reported, kept = _codes(text, "S113")
    assert reported == ["S113"]
    assert kept == (["S113"] if stays else [])


S113_NONE_ON_PURPOSE = [
    # An explicit `timeout=None` is the author's decision (chromadb's client, bentoml's local proxy).
    ("import httpx\n\n\ndef client(limits):\n    return httpx.Client(timeout=None, limits=limits)\n", False),
    ("import httpx\n\n\nasync def proxy(url):\n    return httpx.AsyncClient(base_url=url, timeout=None)\n", False),
    ("import requests\n\n\ndef events(url):\n    return requests.get(\n        url,\n        timeout=None,\n    )\n", False),
    # The twins: nothing said about a timeout (httpx has a default, so only requests is reported
    # there), and a `None` for another keyword is no timeout decision.
    ("import requests\n\n\ndef send(url, body):\n    return requests.post(url, json=body)\n", True),
    ("import requests\n\n\ndef events(url):\n    return requests.get(url, stream=None)\n", True),
]


@pytest.mark.parametrize(("text", "stays"), S113_NONE_ON_PURPOSE)
def test_s113_an_explicit_none_is_a_decision_not_an_omission(text: str, stays: bool) -> None:
    """Issue 21, twelfth reading: every `timeout=None` read blind (5 of 5, three packages) was
    deliberate; the call that says nothing about a timeout stays reported."""
    reported, kept = _codes(text, "S113")
    assert reported == ["S113"]
    assert kept == (["S113"] if stays else [])


_PREDICT = ("import requests\n\n\nclass LocalEndpoint:\n    def predict(self, request):\n"
            "        url = f\"http://localhost:{self.port}{self.route}\"\n"
            "        return requests.post(url, data=request)\n")
S113_OWN_LOCAL_PROCESS = [
    # A one-shot call to the container/server the program started on this machine (aiplatform's
    # `LocalEndpoint.predict`, twenty-fifth reading): the URL is spelled local in the function.
    (_PREDICT, False),
    ("import requests\n\n\ndef forward(body):\n    return requests.post('http://127.0.0.1:4566/_invoke', json=body)\n", False),
    ("import requests\n\n\ndef shutdown(port):\n    requests.post(url='http://[::1]:' + str(port) + '/quit')\n", False),
    # The twins: a probe by its name (the same SDK's `run_health_check`, whose caller's deadline a
    # hung request defeats) or in a loop; a host from a variable; a local-looking name bound twice;
    # an address that only starts like a local one.
    (_PREDICT.replace("predict", "run_health_check"), True),
    ("import requests\n\n\ndef until_up(port):\n    for _ in range(60):\n"
     "        if requests.get(f'http://localhost:{port}/').ok:\n            return\n", True),
    (_PREDICT.replace("localhost", "{self.host}"), True),
    ("import requests\n\n\ndef send(remote, body):\n    url = 'http://localhost:8080/'\n    if remote:\n"
     "        url = remote\n    return requests.post(url, json=body)\n", True),
    ("import requests\n\n\ndef send(body):\n    return requests.post('http://localhost.example.com/x', json=body)\n", True),
]


@pytest.mark.parametrize(("text", "stays"), S113_OWN_LOCAL_PROCESS)
def test_s113_one_shot_call_to_the_programs_own_local_process(text: str, stays: bool) -> None:
    """Issue 21, twenty-fifth reading: a prediction posted to the SDK's own localhost container
    was read wrong, its health check (polled under a deadline) right."""
    reported, kept = _codes(text, "S113")
    assert reported == ["S113"]
    assert kept == (["S113"] if stays else [])


S113_TIMEOUT_IN_THE_OPTIONS = [
    # OctoPrint (twenty-seventh reading): the options dict handed on holds the timeout.
    ("import requests\n\n\ndef probe(data):\n    params = {'method': 'HEAD', 'url': data['url'], 'timeout': 3.0}\n"
     "    with requests.request(**params) as response:\n        return response.status_code\n", False),
    ("import requests\n\n\ndef snapshot(url, settings):\n    params = dict(stream=True, timeout=settings.timeout)\n"
     "    if settings.auth:\n        params['auth'] = settings.auth\n    return requests.get(url, **params)\n", False),
    # The twins: a dict without the key, one bound twice and once without it, one from elsewhere.
    ("import requests\n\n\ndef probe(url):\n    params = {'stream': True}\n    return requests.get(url, **params)\n", True),
    ("import requests\n\n\ndef probe(url, fast):\n    params = {'timeout': 1}\n    if not fast:\n        params = {}\n"
     "    return requests.get(url, **params)\n", True),
    ("import requests\n\n\ndef probe(url, options):\n    params = options.copy()\n    return requests.get(url, **params)\n", True),
]


@pytest.mark.parametrize(("text", "stays"), S113_TIMEOUT_IN_THE_OPTIONS)
def test_s113_the_timeout_is_in_the_options_dict_handed_on(text: str, stays: bool) -> None:
    reported, kept = _codes(text, "S113")
    assert reported == ["S113"]
    assert kept == (["S113"] if stays else [])
