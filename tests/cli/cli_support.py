"""Helpers for the CLI tests: run the real ``python-architect`` entry point in a subprocess and
build small workspaces on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from trees import write_tree

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "service"
SARIF_SCHEMA = REPO / "tests" / "fixtures" / "sarif-schema-2.1.0.json"


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str | Path, cwd: Path, timeout: float = 120) -> CliRun:
    """``python -m python_architect ARGS`` in ``cwd``, as a user would run it."""
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return CliRun(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def cli() -> Callable[..., CliRun]:
    return run_cli


@pytest.fixture(scope="session")
def example_json() -> dict[str, Any]:
    """The example workspace checked once per session, as JSON."""
    result = run_cli("check", "--format", "json", cwd=EXAMPLE)
    assert result.returncode == 1, result.stderr
    return result.json()


@pytest.fixture
def workspace(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Builds a workspace with a pyproject.toml (src layout) plus the given files."""

    def build(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "ws"
        base = {"pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\n\n[tool.python-architect]\nsrc = ["src"]\n'}
        return write_tree(root, {**base, **files})

    return build


def line_of(path: Path, marker: str) -> int:
    """1-based number of the first line of ``path`` containing ``marker``."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in text:
            return number
    raise AssertionError(f"{marker!r} not found in {path}")
