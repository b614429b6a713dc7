"""Symlink loops in the workspace are skipped with a warning line; the exit code follows the
findings (a loop is not a finding, and never a traceback read by CI as "findings")."""

from __future__ import annotations

import os
from pathlib import Path

from cli_support import run_cli_process
from trees import write_tree


def _workspace(tmp_path: Path, *, broken: bool) -> Path:
    files = {"pyproject.toml": "[project]\nname = 'loops'\n", "src/app/__init__.py": "", "src/app/ok.py": "x = 1\n"}
    if broken:
        files["src/app/broken.py"] = "def f(:\n"
    root = write_tree(tmp_path, files)
    os.symlink("loop.py", root / "src/app/loop.py")  # a file that links to itself
    os.symlink("cycle", root / "src/app/cycle")  # a directory that links to itself
    os.symlink("..", root / "src/app/parent")  # a link back up the tree
    os.symlink("missing.py", root / "src/app/dangling.py")  # a link to nothing
    return root


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def test_plain_check_warns_and_exits_zero_when_clean(tmp_path: Path) -> None:
    root = _workspace(tmp_path, broken=False)
    result = run_cli_process("check", "--no-cache", cwd=root)
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "warning: src/app/loop.py: skipped (symlink loop)" in result.stderr
    assert "warning: src/app/dangling.py: skipped (symbolic link to nothing)" in result.stderr
    assert "3 files checked" in result.stdout  # __init__.py, ok.py, pyproject.toml


def test_plain_check_exits_one_for_findings_despite_the_loops(tmp_path: Path) -> None:
    root = _workspace(tmp_path, broken=True)
    result = run_cli_process("check", "--no-cache", "--format", "json", cwd=root)
    _no_traceback(result)
    assert result.returncode == 1
    assert [f["code"] for f in result.json()["findings"]] == ["ARC900"]
    assert "skipped (symlink loop)" in result.stderr


def test_a_loop_or_dangling_link_given_as_the_path_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    root = _workspace(tmp_path, broken=False)
    for target, why in (("src/app/cycle", "symlink loop"), ("src/app/loop.py", "symlink loop"),
                        ("src/app/dangling.py", "symbolic link to nothing")):
        result = run_cli_process("check", "--no-cache", target, cwd=root)
        _no_traceback(result)
        assert result.returncode == 0, result.stderr
        assert f"warning: {target}: skipped ({why})" in result.stderr
