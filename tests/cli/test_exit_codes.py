"""Exit codes that say crash (issue 24): 0 clean, 1 findings, 2 usage/configuration error or an
internal error, each from a real ``python -m python_architect`` process.

The internal errors are planted by a ``sitecustomize`` module on ``PYTHONPATH`` (imported by the
interpreter at start, before the CLI runs) that makes ``Project.load`` raise what the environment
variable ``PLANTED_ERROR`` names: the real entry point then meets the exception exactly where a
bug or an exhausted memory would surface.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from trees import write_tree

SITECUSTOMIZE = '''
import os

_planted = os.environ.get("PLANTED_ERROR")
if _planted:
    from python_architect import engine

    def _load(cls, *args, **kwargs):
        raise {"memory": MemoryError, "runtime": RuntimeError}[_planted]("planted by the exit-code test")

    engine.Project.load = classmethod(_load)
'''
PYPROJECT = '[project]\nname = "app"\nversion = "1.0"\n\n[tool.python-architect]\nsrc = ["src"]\n'
ADR = """---
id: ADR-001
title: No pickle in the app
status: accepted
applies-to:
  paths: ["src/app/**"]
rules:
  - id: no-pickle
    kind: forbidden-import
    modules: [pickle]
---

# No pickle in the app

## Decision

Data is stored as JSON.
"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    hook = tmp_path_factory.mktemp("hook")
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return hook


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("exit-codes")
    common = {"pyproject.toml": PYPROJECT, "src/app/__init__.py": "", ".ai/adrs/0001-no-print.md": ADR}
    return {
        "clean": write_tree(base / "clean", {**common, "src/app/service.py": "def total(x):\n    return x + 1\n"}),
        "findings": write_tree(base / "findings", {**common, "src/app/service.py": "import pickle\n"}),
        "bad-adr": write_tree(base / "bad-adr", {**common, "src/app/service.py": "x = 1\n",
                                                 ".ai/adrs/0002-broken.md": "---\nid: [unclosed\n---\n# Broken\n"}),
        "bad-config": write_tree(base / "bad-config", {
            "pyproject.toml": PYPROJECT + 'select = ["ARC9X"]\n', "src/app/__init__.py": ""}),
    }


def run(*args: str, cwd: Path, hook: Path | None = None, planted_error: str = "", debug: str = "") -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PLANTED_ERROR", "PYTHON_ARCHITECT_DEBUG")}
    if hook is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hook), env.get("PYTHONPATH", "")]))
        env["PLANTED_ERROR"] = planted_error
    if debug:
        env["PYTHON_ARCHITECT_DEBUG"] = debug
    return subprocess.run([sys.executable, "-m", "python_architect", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)


def test_clean_is_0_findings_are_1(workspaces):
    clean = run("check", "--no-cache", cwd=workspaces["clean"])
    assert (clean.returncode, clean.stderr) == (0, ""), clean.stderr
    findings = run("check", "--no-cache", cwd=workspaces["findings"])
    assert findings.returncode == 1 and "ADR-001" in findings.stdout, findings.stdout + findings.stderr
    assert run("adrs", cwd=workspaces["clean"]).returncode == 0
    broken = run("adrs", cwd=workspaces["bad-adr"])
    assert broken.returncode == 1 and "ARC001" in broken.stdout + broken.stderr


def test_usage_and_configuration_errors_are_2(workspaces):
    unknown_option = run("check", "--no-such-option", cwd=workspaces["clean"])
    assert unknown_option.returncode == 2 and "--no-such-option" in unknown_option.stderr
    no_command = run(cwd=workspaces["clean"])
    assert no_command.returncode == 2 and "exit codes:" in no_command.stderr
    bad_config = run("check", "--no-cache", cwd=workspaces["bad-config"])
    assert bad_config.returncode == 2 and "ARC9X" in bad_config.stderr


@pytest.mark.parametrize("command", ["check", "adrs", "graph"])
def test_a_memory_error_is_an_internal_error_2_in_one_line(workspaces, planted, command):
    result = run(command, cwd=workspaces["findings"], hook=planted, planted_error="memory")
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.splitlines() == [(
        "python-architect: internal error: MemoryError: out of memory (planted by the exit-code test) "
        "(please report it with the traceback that --verbose or PYTHON_ARCHITECT_DEBUG=1 prints)"
    )]
    assert result.stdout == ""


def test_the_traceback_only_when_asked_for(workspaces, planted):
    for args, debug in ((("--verbose", "check"), ""), (("check", "--verbose"), ""), (("check",), "1")):
        result = run(*args, cwd=workspaces["findings"], hook=planted, planted_error="runtime", debug=debug)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback (most recent call last)" in result.stderr and "in _load" in result.stderr, args
        assert result.stderr.rstrip().splitlines()[-1].startswith("python-architect: internal error: RuntimeError: planted")
    quiet = run("check", cwd=workspaces["findings"], hook=planted, planted_error="runtime", debug="0")
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr


def test_the_table_is_in_the_help_and_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    from python_architect.cli import EXIT_CODES, build_parser

    assert "## Exit codes" in readme
    for code in ("0", "1", "2", "130"):
        assert f"| `{code}` |" in readme and f"\n  {code} " in EXIT_CODES
    assert EXIT_CODES in build_parser().format_help()
    assert EXIT_CODES in build_parser("check").format_help()
