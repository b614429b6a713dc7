"""Reading the knowledge files a repository ships (ADRs, documents, agent definitions): only
regular files inside the workspace root, and no more than ``MAX_KNOWLEDGE_BYTES`` of each.

A symlinked ADR pointing at ``/etc/passwd`` or another checkout must never reach titles, MCP or
the chat, and a link to ``/dev/zero`` must not be read until memory runs out: the containment
and the bounded read are ``root_paths``' (the one resolver every reader uses).
"""

from __future__ import annotations

from pathlib import Path

from ..root_paths import read_bounded, skip_outside

MAX_KNOWLEDGE_BYTES = 512 * 1024
"""An ADR is a few KiB; the largest real ones are under 100 KiB."""


def read_inside(path: Path, root: Path, what: str, limit: int = MAX_KNOWLEDGE_BYTES) -> bytes | None:
    """The bytes of ``path``, or None (with one log line) when it resolves outside ``root``.

    Raises ``root_paths.NotReadable`` for a file over ``limit`` or one that is not a regular file,
    and ``OSError`` when it cannot be read; the caller decides whether that is a problem to report.
    """
    resolved = skip_outside(path, root, what)
    if resolved is None:
        return None
    # The resolved path has no link left in it: one appearing now is a swap under us, refused.
    return read_bounded(resolved, limit, follow_symlinks=False)
