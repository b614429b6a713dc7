"""``write_tree``: small on-disk workspaces written from dicts, for the tests in this folder.

A plain helper module with a unique name (not a conftest), so it never shadows another test
folder's ``from conftest import ...``.
"""

from __future__ import annotations

from pathlib import Path


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
