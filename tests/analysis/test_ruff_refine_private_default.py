"""B006 on a private parameter (issue 21, third reading: falcon's ``get_header(..., _name_cache={})``):
a parameter named with a leading underscore is not for callers, so its mutable default is a memo
kept across calls on purpose. The same body with a public parameter name stays reported."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

MEMO = ("class Request:\n"
        "    def get_header(self, name, default=None, {param}={{}}):\n"
        "        try:\n"
        "            key = {param}[name]\n"
        "        except KeyError:\n"
        "            key = name.lower().encode()\n"
        "            if len({param}) < 64:\n"
        "                {param}[name] = key\n"
        "        return self.headers.get(key, default)\n")


@pytest.mark.parametrize("param", ["_name_cache", "__seen"])
def test_a_private_memo_is_not_reported(param: str) -> None:
    reported, kept = reported_and_kept(MEMO.format(param=param), "B006")
    assert reported == ["B006"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


def test_the_same_memo_under_a_public_name_is_reported() -> None:
    reported, kept = reported_and_kept(MEMO.format(param="name_cache"), "B006")
    assert reported == kept == ["B006"]


def test_a_private_name_only_exempts_its_own_default() -> None:
    """A public mutable default beside a private one is still judged (and here mutated)."""
    text = "def f(items=[], _memo={}):\n    items.append(1)\n    _memo[1] = items\n"
    reported, kept = reported_and_kept(text, "B006")
    assert reported == ["B006", "B006"]
    assert kept == ["B006"]
