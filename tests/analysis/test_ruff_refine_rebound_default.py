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
    # ``body or {}`` may hand back the object it was given: not a fresh one by construction
    "def call(url, body={}):\n    body = body or {}\n    body['url'] = url\n",
    # rebound only on one branch: the other branch mutates the default
    "def call(url, body={}):\n    if url:\n        body = {}\n    body['url'] = url\n",
    # the rebinding's own value mutates it
    "def call(url, body={}):\n    body = body.setdefault('k', {})\n    body['url'] = url\n",
])
def test_the_default_reaching_a_mutation_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "B006")
    assert reported == kept == ["B006"]
