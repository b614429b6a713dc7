"""Eviction of the server's per-workspace cache folders (see ``workspace.cache``, "Eviction"): the
server keeps one folder per workspace ever opened under the user's cache base, and each save
deletes the stale ones. Only folders named like a workspace digest are candidates: the base also
holds the cache key and whatever else ``$PYTHON_ARCHITECT_CACHE_DIR`` points at.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

EVICT_AFTER_DAYS = 30
EVICT_CAP_BYTES = 500 * 1024 * 1024
EVICT_MIN_IDLE_S = 24 * 3600
_WORKSPACE_FOLDER_NAME_LENGTH = 16
CONVERSATIONS_FOLDER = "conversations"
"""The chat's stored conversations inside a workspace's folder (``advisor.conversations``); its
modification time counts as use, so an idle check cache does not take the conversations with it."""


def evict_workspace_caches(base: Path, *, keep: Path, now: float | None = None,
                           max_age_s: float = EVICT_AFTER_DAYS * 86400, cap_bytes: int = EVICT_CAP_BYTES,
                           min_idle_s: float = EVICT_MIN_IDLE_S) -> list[Path]:
    """Deletes workspace cache folders under ``base`` other than ``keep``: those whose newest pack
    is older than ``max_age_s``, then the least recently used until all folders together take at
    most ``cap_bytes``. Folders with any file newer than ``min_idle_s`` are left alone. Returns
    the folders deleted; a folder that cannot be read or deleted is skipped with a log line."""
    now = time.time() if now is None else now
    keep = Path(keep).resolve()
    candidates: list[tuple[float, int, Path]] = []  # (last used, bytes, folder)
    total = 0
    try:
        entries = [Path(entry.path) for entry in os.scandir(base) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    for folder in entries:
        try:
            files = [(entry.name, entry.stat(follow_symlinks=False)) for entry in os.scandir(folder)
                     if entry.is_file(follow_symlinks=False)]
        except OSError as exc:
            log.info("cache eviction: cannot read %s (%s)", folder, exc)
            continue
        size = sum(stat.st_size for _, stat in files)
        total += size
        ours = len(folder.name) == _WORKSPACE_FOLDER_NAME_LENGTH and all(c in "0123456789abcdef" for c in folder.name)
        if not ours or folder.resolve() == keep:
            continue
        newest = max((stat.st_mtime for _, stat in files), default=0.0)
        used = max((stat.st_mtime for name, stat in files if name.endswith(".pack")), default=newest)
        talked = _mtime(folder / CONVERSATIONS_FOLDER)  # stored chats keep their workspace's folder in use
        used, newest = max(used, talked), max(newest, talked)
        if now - newest >= min_idle_s:
            candidates.append((used, size, folder))
    deleted: list[Path] = []
    for used, size, folder in sorted(candidates):  # least recently used first
        if now - used < max_age_s and total <= cap_bytes:
            break
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            log.info("cache eviction: cannot remove %s (%s)", folder, exc)
            continue
        log.info("cache eviction: removed %s (%d bytes, last used %.0f days ago)", folder, size, (now - used) / 86400)
        total -= size
        deleted.append(folder)
    return deleted


def _mtime(path: Path) -> float:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return 0.0
