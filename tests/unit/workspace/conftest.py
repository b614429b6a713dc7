"""Fixtures for the workspace layer: small on-disk workspaces written from dicts."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    return lambda files: write_tree(tmp_path, files)
