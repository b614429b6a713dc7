"""``check`` honours ``# ruff: ignore[<rule name>]`` on a default-tier ruff finding end to end
(issue 21, fifth reading: tox names rules, the bundled ruff honours only codes there)."""

from __future__ import annotations

from pathlib import Path

from cli_support import run_cli
from trees import write_tree

_NAMED = ("import requests\n\n\n"
          "def f(url):\n    return requests.get(url)  # ruff: ignore[request-without-timeout]  # a probe on purpose\n\n\n"
          "def g(url):\n    return requests.get(url)  # ruff: ignore[unused-import]\n")


def test_a_rule_named_on_its_line_is_not_reported_and_its_twin_is(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pyproject.toml": "[project]\nname = 'tool'\n",
        "tool/__init__.py": "",
        "tool/lists.py": _NAMED,
    })
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    found = [(f["code"], f["line"]) for f in result.json()["findings"]]
    assert found == [("S113", 9)]  # ``g``'s call: its comment names another rule


_SLEEPS = ("import time\n\n\n"
           "async def poll():\n"
           "    time.sleep(1)  # ruff: ignore[blocking-sleep-in-async-function]  # a test double\n"
           "    time.sleep(2)  # ruff: ignore[mutable-argument-default]\n")


def test_a_finding_no_judge_parses_for_is_dropped_by_name_too(tmp_path: Path) -> None:
    """ASYNC251 has no false-positive judge, so nothing parses the file for it: the name is
    honoured on the lines alone."""
    root = write_tree(tmp_path, {
        "pyproject.toml": "[project]\nname = 'tool'\n",
        "tool/__init__.py": "",
        "tool/poll.py": _SLEEPS,
    })
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert [(f["code"], f["line"]) for f in result.json()["findings"]] == [("ASYNC251", 6)]
