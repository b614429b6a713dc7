"""``write_tree``: small on-disk workspaces written from ``{relative path: text or bytes}`` dicts.

Shared by every test folder (``tests/support`` is on pytest's ``pythonpath``).
"""

from __future__ import annotations

from pathlib import Path


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Creates ``files`` under ``root`` (parents included) and returns ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
