"""A repository shipped with its own ``.git/config`` (an archive, not a clone) cannot make
``check --changed-since`` run a program: git's hooks into programs are overridden."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "python_architect"]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args], cwd=root,
                   check=True, capture_output=True)


def test_a_planted_fsmonitor_and_external_diff_never_run(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "a.py").write_text("import os\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "init")
    (root / "pkg" / "a.py").write_text("import os\nimport sys\n")
    marker = tmp_path / "PWNED"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\necho\n")
    hook.chmod(0o755)
    for key in ("core.fsmonitor", "diff.external", "core.pager"):
        _git(root, "config", key, str(hook))
    # The planted hook fires for a plain git command in that repository: the test's premise.
    subprocess.run(["git", "diff", "--name-only", "HEAD"], cwd=root, check=True, capture_output=True)
    assert marker.exists()
    marker.unlink()

    result = subprocess.run([*CLI, "check", "--changed-since", "HEAD", "--no-cache", "."], cwd=root,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists(), "git ran a program the repository's own config named"
