"""The server's first index scan follows the folder-locking rule (``lsp/state.py``): it parses
without the lock, and a config reload that changes the source roots meanwhile does not leave the
project with an index built for the old roots. Steps are ordered with events, not sleeps."""

from __future__ import annotations

import threading
from pathlib import Path

from owned_lock import OwnedLock
from trees import write_tree
from python_architect.engine import Project
from python_architect.lsp import background
from python_architect.lsp.state import FolderState

FILES = {"pyproject.toml": "[project]\nname = 'x'\n", "lib/pkg/__init__.py": "", "lib/pkg/a.py": "from pkg import b\n",
         "lib/pkg/b.py": "from pkg import a\n"}


def test_a_reload_during_the_first_scan_leaves_an_index_for_the_new_roots(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(tmp_path / "cache"))
    root = write_tree(tmp_path / "ws", FILES)
    project = Project.load(root)
    folder = FolderState(root=root, project=project, lock=OwnedLock())  # type: ignore[arg-type]
    paused, resume = threading.Event(), threading.Event()
    reported_under_lock: list[bool] = []

    def report(done: int, total: int) -> None:  # called while files are parsed
        reported_under_lock.append(folder.lock.held_here())
        if not paused.is_set():
            paused.set()
            resume.wait()

    scanner = threading.Thread(target=background._scan, args=(folder, project, report))
    scanner.start()
    paused.wait()
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.python-architect]\nsrc = ['lib']\n")
    with folder.lock:
        project.reload_config()
    resume.set()
    scanner.join()

    assert reported_under_lock and not any(reported_under_lock)
    assert project.index.scanned and sorted(project.index.modules()) == ["pkg", "pkg.a", "pkg.b"]
