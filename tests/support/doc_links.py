"""Follows a rules-reference link the way an editor would: a ``file:`` URI with ``#L<line>``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse


def line_at_link(uri: str) -> str:
    """The text of the line a ``file:///…/rules.md#L42`` link opens at (raises if it points at
    nothing: a missing file or a line past its end)."""
    parsed = urlparse(uri)
    assert parsed.scheme == "file", uri
    assert parsed.fragment.startswith("L"), uri
    lines = Path(unquote(parsed.path)).read_text(encoding="utf-8").splitlines()
    return lines[int(parsed.fragment[1:]) - 1]
