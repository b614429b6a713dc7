"""The install path the README describes: the pre-commit hook definition points at the real
console script and the subcommands it documents exist."""

from __future__ import annotations

import yaml

from cli_support import REPO
from python_architect.cli import build_parser
from python_architect.config import tomllib


def test_pre_commit_hook_runs_the_installed_console_script():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    script, verb = hook["entry"].split()
    assert script in project["scripts"] and verb == "check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["id"] in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_documented_subcommands_exist():
    commands = build_parser()._subparsers._group_actions[0].choices  # argparse keeps them here
    assert {"check", "baseline"} <= set(commands)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for line in ("python-architect baseline --prune", "pipx install", "python-architect check --format github"):
        assert line in readme
