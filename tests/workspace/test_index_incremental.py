"""The index under an editor: a scan never overwrites an entry made from unsaved text, and
``interface_version`` moves when what other modules see changes, not when lines merely move."""

from __future__ import annotations

from pathlib import Path

from python_architect.config import ProjectConfig
from python_architect.workspace.files import discover_files
from python_architect.workspace.index import WorkspaceIndex
from python_architect.workspace.roots import SourceRoots
from trees import write_tree


def index_of(root: Path) -> tuple[WorkspaceIndex, list[Path]]:
    files = discover_files(root, ProjectConfig())
    return WorkspaceIndex(SourceRoots.from_config(root, ProjectConfig(), files.python)), files.python


def test_scan_keeps_the_unsaved_text_of_an_open_document(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/a.py": "import os\n", "app/b.py": "X = 1\n"})
    index, files = index_of(root)
    index.update(root / "app/a.py", "from app import b\n")  # the editor's unsaved text
    index.scan(files)
    assert [imp.module for imp in index.lookup_module("app.a").imports] == ["app"]
    assert index.lookup_module("app.b").defines == ("X",)


def test_interface_version_ignores_moved_lines_and_counts_real_changes(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/base.py": "class Base:\n    pass\n"})
    index, files = index_of(root)
    index.scan(files)
    path = root / "app/base.py"
    before = index.interface_version("app.base")
    index.update(path, "\n\n# a comment\nclass Base:\n    pass\n")
    assert index.interface_version("app.base") == before
    index.update(path, "from abc import ABC\n\n\nclass Base(ABC):\n    pass\n")
    assert index.interface_version("app.base") == before + 1
    index.remove(path)
    assert index.interface_version("app.base") == before + 2
