"""``check --changed-since REV`` in a real git repository: only changed and untracked files,
plus the workspace-wide findings (cycles) that pass through a changed module."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli_support import run_cli
from trees import write_tree

TREE = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    ".gitignore": "ignored.py\n",
    "app/__init__.py": "",
    "app/old.py": "def committed_and_untouched(:\n",
    "app/orders.py": "import os\n",
    "app/billing.py": "from app import orders\n",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   cwd=root, check=True, capture_output=True)


def repository(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "repo", TREE)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def findings(root: Path, *args: str) -> set[tuple[str, str]]:
    result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return {(f["path"], f["code"]) for f in result.json()["findings"]}


def test_only_changed_and_untracked_files_and_the_cycles_through_them(tmp_path: Path) -> None:
    root = repository(tmp_path)
    everything = findings(root)
    assert ("app/old.py", "ARC900") in everything
    # Committed after REV: closes a cycle that is reported on billing.py (an unchanged file). It
    # imports a name billing never binds before it imports orders: `import app.billing` fails.
    (root / "app/orders.py").write_text("import os\n\nfrom app.billing import charge\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "orders imports billing")
    (root / "app/new.py").write_text("def untracked(:\n", encoding="utf-8")  # untracked
    (root / "app/ignored.py").write_text("def ignored_by_git(:\n", encoding="utf-8")
    changed = findings(root, "--changed-since", "HEAD~1")
    assert ("app/new.py", "ARC900") in changed
    # ARC103 reports the cycle once, on billing.py (unchanged): it runs through the changed module.
    assert ("app/billing.py", "ARC103") in changed
    assert not any(path in ("app/old.py", "app/ignored.py") for path, _ in changed)
    assert findings(root, "--changed-since", "HEAD") == {("app/new.py", "ARC900")}


def test_changed_config_checks_everything(tmp_path: Path) -> None:
    root = repository(tmp_path)
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n\n[tool.python-architect]\n", encoding="utf-8")
    assert ("app/old.py", "ARC900") in findings(root, "--changed-since", "HEAD")


def test_nothing_changed_is_clean(tmp_path: Path) -> None:
    root = repository(tmp_path)
    result = run_cli("check", "--changed-since", "HEAD", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bad_revision_or_no_repository_is_a_usage_error(tmp_path: Path) -> None:
    root = repository(tmp_path)
    bad = run_cli("check", "--changed-since", "no-such-rev", cwd=root)
    assert bad.returncode == 2 and "--changed-since no-such-rev:" in bad.stderr
    assert "Traceback" not in bad.stderr
    plain = write_tree(tmp_path / "plain", TREE)
    outside = run_cli("check", "--changed-since", "HEAD", cwd=plain)
    assert outside.returncode == 2 and "not a git repository" in outside.stderr.lower()
