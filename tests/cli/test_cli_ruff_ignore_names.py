"""``check`` honours ``# ruff: ignore[<rule name>]`` on a default-tier ruff finding end to end
(issue 21, fifth reading: tox names rules, the bundled ruff honours only codes there)."""

from __future__ import annotations

from pathlib import Path

from cli_support import run_cli
from trees import write_tree

_NAMED = ("def f(x=[]):  # ruff: ignore[mutable-argument-default]  # a memo on purpose\n"
          "    x.append(1)\n    return x\n\n\n"
          "def g(y=[]):  # ruff: ignore[unused-import]\n"
          "    y.append(1)\n    return y\n")


def test_a_rule_named_on_its_line_is_not_reported_and_its_twin_is(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pyproject.toml": "[project]\nname = 'tool'\n",
        "tool/__init__.py": "",
        "tool/lists.py": _NAMED,
    })
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    found = [(f["code"], f["line"]) for f in result.json()["findings"]]
    assert found == [("B006", 6)]  # ``g``'s default: its comment names another rule
