"""Whether this user wrote a cache file: the per-user secret and the keyed digest (MAC) that
``workspace.cache`` puts on every pack and ``workspace.run_record`` on every run record.

A repository can ship a ``.python-architect-cache/`` folder, and everything in it is computable
from the public code except a secret only this user can read. So every file the caches write
carries a MAC over all its other bytes, keyed with 32 random bytes kept in the user's cache base
(``user_cache_base()``: ``$PYTHON_ARCHITECT_CACHE_DIR``, else ``<platform cache dir>/python-architect``)
as ``cache-key``, created once with ``O_EXCL`` and mode 0600 and read bounded, from a regular file
owned by this user that nobody else may read. A file whose MAC does not verify (planted, another
user's, an older format) is never parsed.

The MAC is keyed BLAKE2b-256 (RFC 7693's keyed mode, a MAC by design, what the standard library's
``_blake2`` offers without loading OpenSSL: ``hmac``/``hashlib`` would add ~4 ms to a ``check``
answered from its run record, ~90 ms in all on Django).

Without a usable key (it cannot be created or read, or has the wrong owner or mode) the caches are
neither read nor written: the tool runs cold, with one log line per process.

Imports only the standard library and ``root_paths`` (which loads ``logging`` only to log):
the run record's fast path uses it.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath

try:  # the same module as ``hashlib.blake2b``, without OpenSSL's ~4 ms import
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b
try:  # constant time; ``hmac.compare_digest`` is this function, behind OpenSSL's import
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover
    from hmac import compare_digest

from ..root_paths import NotReadable, read_bounded

KEY_NAME = "cache-key"
KEY_BYTES = 32
MAC_HEX_LENGTH = 64
"""A MAC as written in a file: 32 bytes in hex."""

_KEYS: dict[str, bytes | None] = {}
"""Key file path -> its key (None: unusable, already logged). Owned by this module; written once
per path and process (a race writes the same value twice), so it needs no lock."""


def user_cache_base() -> Path:
    """Where this user's caches live: ``$PYTHON_ARCHITECT_CACHE_DIR`` (tests), else the platform's
    user cache directory (``$XDG_CACHE_HOME`` or ``~/.cache``, ``%LOCALAPPDATA%``, ``~/Library/Caches``)
    joined with ``python-architect``."""
    return Path(platform_cache_base(sys.platform, os.environ, Path.home()))


def platform_cache_base(platform: str, environ: Mapping[str, str], home: PurePath) -> PurePath:
    """``user_cache_base`` for a given platform, environment and home folder (``home``'s path
    flavour is kept, so Windows answers are testable as ``PureWindowsPath`` anywhere)."""
    override = environ.get("PYTHON_ARCHITECT_CACHE_DIR")
    if override:
        return type(home)(override)
    if platform == "win32":
        base = type(home)(environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = type(home)(environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "python-architect"


def key_path() -> Path:
    return user_cache_base() / KEY_NAME


def user_key() -> bytes | None:
    """This user's secret, created on first use; None (logged once per process) when it cannot be
    created or read, or is not this user's private regular file."""
    path = key_path()
    where = str(path)
    if where not in _KEYS:
        _KEYS[where] = _load_or_create(path)
    return _KEYS[where]


def mac(key: bytes, data: bytes) -> bytes:
    """The MAC of ``data`` under ``key``, in hex (as written in a file)."""
    return blake2b(data, key=key, digest_size=32).hexdigest().encode()


def sign(magic: bytes, body: bytes) -> bytes | None:
    """A file's bytes: ``magic``, the MAC over ``magic + body``, a newline, ``body``; None when
    there is no usable key (nothing is written then)."""
    key = user_key()
    if key is None:
        return None
    return magic + mac(key, magic + body) + b"\n" + body


def verified_body(magic: bytes, data: bytes) -> bytes:
    """The body of a file ``sign`` wrote, checked before any of it is parsed; ``ValueError`` (with
    the reason) for another format, a MAC that does not verify, or no usable key."""
    if not data.startswith(magic):
        raise ValueError("not a file of this format (or an older one)")
    start = len(magic)
    tag, body = data[start:start + MAC_HEX_LENGTH], data[start + MAC_HEX_LENGTH + 1:]
    if data[start + MAC_HEX_LENGTH:start + MAC_HEX_LENGTH + 1] != b"\n":
        raise ValueError("no MAC: not written by this user")
    key = user_key()
    if key is None:
        raise ValueError("no cache key to verify it with")
    if not compare_digest(tag, mac(key, magic + body)):
        raise ValueError("MAC mismatch: not written by this user, or damaged")
    return body


def _load_or_create(path: Path) -> bytes | None:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        return _unusable(path, exc)
    try:
        _create_key(path)
        return _read_key(path)  # ours, or the one a concurrent process linked first
    except (OSError, ValueError) as exc:
        return _unusable(path, exc)


def _read_key(path: Path) -> bytes:
    data = read_bounded(path, KEY_BYTES, follow_symlinks=False)
    if len(data) != KEY_BYTES:
        raise ValueError(f"{len(data)} bytes, not {KEY_BYTES}")
    if os.name == "posix":
        status = os.stat(path, follow_symlinks=False)
        if status.st_uid != os.getuid():
            raise ValueError("owned by another user")
        if status.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ValueError(f"mode {stat.S_IMODE(status.st_mode):o}: others may read or change it")
    return data


def _create_key(path: Path) -> None:
    """Writes a fresh key to a temporary name (``O_EXCL``, 0600) and links it into place, so a
    reader never sees a partly written key and of two processes creating it one wins."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use that one
        except OSError:  # a file system without hard links: create it in place, exclusively
            with os.fdopen(os.open(path, flags, 0o600), "wb") as handle:
                handle.write(os.urandom(KEY_BYTES))
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


def _unusable(path: Path, exc: BaseException) -> None:
    import logging

    reason = exc if isinstance(exc, (NotReadable, ValueError)) else f"{type(exc).__name__}: {exc}"
    logging.getLogger(__name__).warning(
        "cache key %s unusable (%s): running without the cache", path, reason)
