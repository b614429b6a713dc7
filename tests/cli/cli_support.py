"""Helpers for the CLI tests: run the real ``python-architect`` entry point and build small
workspaces on disk.

``run_cli`` calls ``python_architect.cli.main`` in this process (stdout/stderr captured, cwd and
stdin swapped for the call): a Python start costs ~1 s on the test machine and most CLI tests test
arguments, output and files, not the process. ``run_cli_process`` starts ``python -m
python_architect`` for the tests where the process boundary is what is under test (exit status
of the real interpreter, symlink loops, the dogfood run, import laziness)."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import traceback
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
    """``python-architect ARGS`` in ``cwd``, in this process, with what a subprocess would see.

    Like the real process: stdin is empty and not a terminal, stdout/stderr are UTF-8 pipes (not
    terminals, with ``.buffer`` and ``reconfigure``), ``SystemExit`` becomes the exit status, an
    escaping exception is a traceback on stderr and status 1, and WARNING+ log records reach
    stderr as Python's last-resort handler would print them. ``timeout`` is ignored here.
    """
    del timeout
    from python_architect.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)
    last_resort = logging.StreamHandler(err)
    last_resort.setLevel(logging.WARNING)
    root_logger = logging.getLogger()
    previous_cwd = os.getcwd()
    root_logger.addHandler(last_resort)
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            saved_stdin, sys.stdin = sys.stdin, io.StringIO("")
            try:
                returncode = main([str(arg) for arg in args])
            except SystemExit as stop:
                code = stop.code
                if isinstance(code, str):
                    print(code, file=sys.stderr)
                returncode = code if isinstance(code, int) else (0 if code is None else 1)
            except Exception:  # noqa: BLE001 - the interpreter would print it and exit 1
                traceback.print_exc(file=sys.stderr)
                returncode = 1
            finally:
                sys.stdin = saved_stdin
    finally:
        os.chdir(previous_cwd)
        root_logger.removeHandler(last_resort)
    return CliRun(returncode, _text(out), _text(err))


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer.getvalue()  # type: ignore[attr-defined]
    return raw.decode("utf-8").replace("\r\n", "\n")


def run_cli_process(*args: str | Path, cwd: Path, timeout: float = 120) -> CliRun:
    """``python -m python_architect ARGS`` in ``cwd``, a real process, as a user would run it."""
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
    """The example workspace checked once per session, as JSON (a real process)."""
    result = run_cli_process("check", "--format", "json", cwd=EXAMPLE)
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
