"""The per-user cache key (``workspace.cache_key``): created once, private, read bounded, the same
for concurrent first users, moved by ``$PYTHON_ARCHITECT_CACHE_DIR``, refused when it is a link,
the wrong size or readable by others; and the MAC that packs and run records carry."""

from __future__ import annotations

import logging
import multiprocessing
import os
import stat
from pathlib import Path

import pytest
from python_architect.workspace import cache_key


@pytest.fixture()
def base(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(tmp_path / "base"))
    return tmp_path / "base"


def test_the_key_is_created_once_private_and_reused(base: Path) -> None:
    key = cache_key.user_key()
    path = base / "cache-key"
    assert key is not None and len(key) == 32 and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cache_key._KEYS.clear()  # as a new process would
    assert cache_key.user_key() == key
    assert [p.name for p in base.iterdir()] == ["cache-key"], "no temporary file left behind"


def test_the_environment_moves_the_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(tmp_path / "one"))
    first = cache_key.user_key()
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(tmp_path / "two"))
    assert cache_key.user_key() != first and (tmp_path / "two" / "cache-key").exists()
    monkeypatch.delenv("PYTHON_ARCHITECT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert cache_key.key_path() == tmp_path / "xdg" / "python-architect" / "cache-key"


def _first_use(base: str, queue) -> None:
    os.environ["PYTHON_ARCHITECT_CACHE_DIR"] = base
    queue.put(cache_key.user_key())


def test_processes_creating_the_key_at_once_agree_on_one(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_first_use, args=(str(tmp_path / "base"), queue)) for _ in range(4)]
    for worker in workers:
        worker.start()
    keys = [queue.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(60)
    assert len(set(keys)) == 1 and keys[0] == (tmp_path / "base" / "cache-key").read_bytes()


@pytest.mark.parametrize("kind", ["symlink", "short", "readable-by-others", "fifo", "directory"])
def test_an_unusable_key_is_refused_with_one_log_line(base: Path, tmp_path: Path, caplog, kind: str) -> None:
    base.mkdir()
    path = base / "cache-key"
    if kind == "symlink":
        real = tmp_path / "real-key"
        real.write_bytes(b"k" * 32)
        real.chmod(0o600)
        path.symlink_to(real)
    elif kind == "short":
        path.write_bytes(b"k" * 5)
        path.chmod(0o600)
    elif kind == "readable-by-others":
        path.write_bytes(b"k" * 32)
        path.chmod(0o644)
    elif kind == "fifo":
        os.mkfifo(path, 0o600)
    else:
        path.mkdir()
    with caplog.at_level(logging.WARNING, logger=cache_key.__name__):
        assert cache_key.user_key() is None
        assert cache_key.user_key() is None
        assert cache_key.sign(b"magic\n", b"body") is None
    [line] = [r.getMessage() for r in caplog.records]
    assert "running without the cache" in line and str(path) in line


def test_sign_and_verify(base: Path) -> None:
    data = cache_key.sign(b"magic 1\n", b"the body\nwith lines")
    assert cache_key.verified_body(b"magic 1\n", data) == b"the body\nwith lines"
    with pytest.raises(ValueError, match="format"):
        cache_key.verified_body(b"magic 2\n", data)
    with pytest.raises(ValueError, match="MAC mismatch"):
        cache_key.verified_body(b"magic 1\n", data[:-1] + b"X")
    with pytest.raises(ValueError, match="no MAC"):
        cache_key.verified_body(b"magic 1\n", b"magic 1\nshort")
