"""The editor's file watcher classifies a changed file the way the CLI and the engine do."""

from __future__ import annotations

from pathlib import Path

from python_architect.config import ProjectConfig
from python_architect.lsp.background import classify
from python_architect.lsp.state import FolderState
from python_architect.workspace.files import file_kind


def test_the_watcher_sees_every_dependency_file_the_cli_checks(tmp_path: Path) -> None:
    folder = FolderState(root=tmp_path)
    for relative in ("requirements.txt", "requirements-dev.txt", "requirements/base.txt", "sub/requirements/ci.txt"):
        path = tmp_path / relative
        assert file_kind(path, tmp_path, ProjectConfig()) == "dependencies", relative
        assert classify(folder, path) == "dependencies", relative
    assert classify(folder, tmp_path / "notes.txt") == "other"
