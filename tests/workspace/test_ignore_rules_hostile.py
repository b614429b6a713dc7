"""Ignore rules are repository input too (issue 24): a backtracking glob in ``.gitignore`` or the
``exclude`` setting is answered at once, an unusable pattern is said once and ignored, and an
ignore file linked to ``/dev/zero`` or out of the root is not read."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from python_architect.config import ProjectConfig
from python_architect.workspace.files import discover_files
from trees import write_tree

BACKTRACKING = "*a" * 25 + "*b"
LONG_NAME = "a" * 60 + ".py"

DISCOVER_IN_A_CHILD = """
import sys
from pathlib import Path
from python_architect.config import ProjectConfig
from python_architect.workspace.files import discover_files
root = Path(sys.argv[1])
found = discover_files(root, ProjectConfig(exclude=(sys.argv[2],)))
print("\\n".join(sorted(p.relative_to(root.resolve()).as_posix() for p in found.python)))
"""


def test_backtracking_globs_in_gitignore_and_exclude_finish(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            ".gitignore": f"{BACKTRACKING}\n**/a/**/a/**/a/**/a/**/a/**/a/**/b\n",
            LONG_NAME: "",
            "a/" * 30 + "kept.py": "",
            "ignored_b.py": "",
        },
    )
    # A child process so that a regression fails the test instead of hanging the run; the
    # timeout is a hang guard only (pathspec's regular expressions take hours here).
    done = subprocess.run(
        [sys.executable, "-c", DISCOVER_IN_A_CHILD, str(root), "**/x*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    # "*a…*b" matches names with 25 a's then a b: "ignored_b.py" has neither, so it is kept.
    assert done.stdout.split() == ["a/" * 30 + "kept.py", LONG_NAME, "ignored_b.py"]


def test_an_unusable_gitignore_pattern_is_said_once_and_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_tree(tmp_path, {".gitignore": "bad\\\n*.gen.py\n", "x.gen.py": "", "app.py": ""})
    with caplog.at_level(logging.WARNING, logger="python_architect"):
        first = discover_files(root, ProjectConfig())
        second = discover_files(root, ProjectConfig())
    assert [p.name for p in first.python] == [p.name for p in second.python] == ["app.py"]
    lines = [r.getMessage() for r in caplog.records if "ignored pattern" in r.getMessage()]
    assert len(lines) == 1 and "'bad\\\\'" in lines[0] and "backslash" in lines[0]


def test_an_ignore_file_linked_to_a_device_or_out_of_the_root_is_not_read(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"app.py": "", "sub/mod.py": "", "sub/other.py": ""})
    (root / ".gitignore").symlink_to("/dev/zero")
    outside = write_tree(tmp_path / "outside", {"ignore": "mod.py\n"})
    (root / "sub" / ".gitignore").symlink_to(outside / "ignore")
    found = discover_files(root, ProjectConfig())
    # Neither link was read: nothing is ignored, and the walk did not read /dev/zero forever.
    assert sorted(p.name for p in found.python) == ["app.py", "mod.py", "other.py"]
