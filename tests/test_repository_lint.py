"""The repository's own lint gate: ``ruff check`` with the ``[tool.ruff]`` settings of
``pyproject.toml`` reports nothing in ``server/`` and ``benchmarks/``.

Runs the ruff the project's environment installs (``python -m ruff``, the version
``constraints.txt`` pins), as a real subprocess from the repository root, so the settings found are
exactly the ones a developer's ``ruff check`` finds. ``tests/`` is not gated (yet).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
GATED = ("server", "benchmarks")
HANG_GUARD_S = 300


def _ruff(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *args],
        cwd=REPOSITORY, input=stdin, capture_output=True, text=True, timeout=HANG_GUARD_S, check=False,
    )


def test_server_and_benchmarks_are_lint_clean() -> None:
    result = _ruff(*GATED)
    assert result.returncode == 0, (
        f"ruff check {' '.join(GATED)} reports findings (fix them, or say in pyproject.toml why a rule "
        f"stays off):\n{result.stdout}{result.stderr}"
    )


def test_the_gate_uses_the_repository_settings_and_catches_a_finding() -> None:
    # A file under server/ with what the selection (I, B, UP) forbids but ruff's bare defaults
    # would not all report: proves the gate reads [tool.ruff] and can fail.
    source = (
        "import sys\nimport os\nfrom typing import Callable\n\n\n"
        "def pairs(a: Callable, b):\n    return list(zip(a, b)), os, sys\n"
    )
    result = _ruff("--stdin-filename", "server/python_architect/lint_probe.py", "-", stdin=source)
    assert result.returncode == 1, result.stdout + result.stderr
    reported = {line.split(" ")[1] for line in result.stdout.splitlines() if line.startswith("server/")}
    assert {"I001", "UP035", "B905"} <= reported, result.stdout + result.stderr
