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


def test_is_module_answers_from_the_disk_without_parsing_and_is_recorded(tmp_path: Path, monkeypatch) -> None:
    from python_architect.workspace import index as index_module

    root = write_tree(tmp_path, {"app/__init__.py": "", "app/api/__init__.py": "", "app/models.py": "X = 1\n"})
    index, _ = index_of(root)
    parsed: list[Path] = []
    real = index_module.facts_from_text
    monkeypatch.setattr(index_module, "facts_from_text", lambda text, path, *a, **k: parsed.append(path) or real(text, path, *a, **k))
    index.looked_up = set()
    assert index.is_module("app.models") and index.is_module("app.api")
    assert not index.is_module("app.models.X") and not index.is_module("requests")
    assert parsed == []  # existence only: nothing was read
    assert index.looked_up == {"app.models", "app.api", "app.models.X", "requests"}
    (root / "app/models.py").unlink()
    index.remove(root / "app/models.py")
    assert not index.is_module("app.models")  # a deleted module is gone at once
    assert not index.is_module("app.late")
    index.update(root / "app/late.py", "Y = 2\n")  # a module the editor created since
    assert index.is_module("app.late")
