"""Eviction of the server's per-workspace cache folders (``workspace.cache``): folders unused for
30 days go, then the least recently used until the total fits the cap; a folder written within a
day, the current workspace's and folders that are not ours are never touched. Real folders, ages
set with ``os.utime``."""

from __future__ import annotations

import os
import time
from pathlib import Path

from python_architect.workspace.cache import (
    CheckCache,
    evict_workspace_caches,
    user_cache_dir,
)

DAY = 86400.0
NOW = time.time()


def folder(base: Path, name: str, *, pack_age_days: float, size: int = 100, newer_file_age_days: float | None = None) -> Path:
    path = base / name
    path.mkdir(parents=True)
    pack = path / "123-abcdef.pack"
    pack.write_bytes(b"x" * size)
    os.utime(pack, (NOW - pack_age_days * DAY, NOW - pack_age_days * DAY))
    if newer_file_age_days is not None:  # e.g. a temporary file a server is writing right now
        temporary = path / ".123-abcdef.pack.1.aa.tmp"
        temporary.write_bytes(b"")
        os.utime(temporary, (NOW - newer_file_age_days * DAY, NOW - newer_file_age_days * DAY))
    return path


def test_folders_unused_for_thirty_days_go_and_busy_or_foreign_ones_stay(tmp_path: Path) -> None:
    current = folder(tmp_path, "0" * 16, pack_age_days=90)  # this workspace: old, but in use
    old = folder(tmp_path, "1" * 16, pack_age_days=31)
    recent = folder(tmp_path, "2" * 16, pack_age_days=29)
    being_written = folder(tmp_path, "3" * 16, pack_age_days=60, newer_file_age_days=0.1)
    foreign = folder(tmp_path, "not-a-workspace", pack_age_days=365)

    deleted = evict_workspace_caches(tmp_path, keep=current, now=NOW)

    assert deleted == [old]
    assert not old.exists()
    assert all(p.exists() for p in (current, recent, being_written, foreign))


def test_the_least_recently_used_go_until_the_total_fits_the_cap(tmp_path: Path) -> None:
    current = folder(tmp_path, "a" * 16, pack_age_days=0, size=300)  # written just now: untouchable
    oldest = folder(tmp_path, "b" * 16, pack_age_days=20, size=300)
    middle = folder(tmp_path, "c" * 16, pack_age_days=10, size=300)
    newest = folder(tmp_path, "d" * 16, pack_age_days=5, size=300)

    deleted = evict_workspace_caches(tmp_path, keep=current, now=NOW, cap_bytes=700)

    assert deleted == [oldest, middle]  # 1,200 bytes -> 900 -> 600, under the cap
    assert current.exists() and newest.exists()


def test_a_server_save_evicts_other_workspaces_stale_folders(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(tmp_path / "caches"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    stale = folder(tmp_path / "caches", "e" * 16, pack_age_days=45)
    cache = CheckCache.for_server(workspace)
    cache.load()
    cache.store(CheckCache.file_key("a.py", b"x = 1\n"), None)
    cache.save()

    assert user_cache_dir(workspace).is_dir() and any(user_cache_dir(workspace).glob("*.pack"))
    assert not stale.exists()


def test_the_command_line_cache_never_evicts(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    sibling = folder(workspace, "f" * 16, pack_age_days=45)  # a look-alike next to the CLI's cache
    cache = CheckCache.for_cli(workspace)
    cache.store(CheckCache.file_key("a.py", b"x = 1\n"), None)
    cache.save()
    assert sibling.exists()
