"""Hashes that identify the tool's own code: ``digest`` (length-prefixed blake2b of byte strings)
and ``code_fingerprint`` (a hash of every file of the installed ``python_architect`` package);
and ``atomic_write``, the one way the cache and the run record write a file.

Kept apart from ``workspace.cache`` so that the CLI's run record (``workspace.run_record``) can
key a run on the code without importing the cache's value types (``analysis.facts``,
``findings``): this module imports only the standard library.
"""

from __future__ import annotations

import os
from pathlib import Path

try:  # what ``hashlib.blake2b`` is; ``import hashlib`` also loads OpenSSL (~5 ms of a replayed run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The installed ``python_architect`` package, whose code decides every fact and finding."""
_CODE_FINGERPRINTS: dict[str, str] = {}


def code_fingerprint(package: Path | None = None) -> str:
    """A hash of every file of ``package`` (default: this package), names and bytes, computed once
    per process. Bytes rather than mtimes: an edit that keeps the size within one timestamp tick
    must still count, and reading ~0.8 MB costs a few milliseconds."""
    directory = str(package or PACKAGE_DIR)
    if directory not in _CODE_FINGERPRINTS:
        parts: list[bytes] = []
        for current, dirnames, filenames in os.walk(directory):
            # Not code: bytecode, and hidden folders such as the ``.ruff_cache`` a lint run
            # leaves inside the package (it changes whenever ruff runs there).
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                    continue
                path = os.path.join(current, name)
                parts.append(os.path.relpath(path, directory).replace(os.sep, "/").encode())
                try:
                    with open(path, "rb") as handle:
                        parts.append(handle.read())
                except OSError:
                    parts.append(b"")
        _CODE_FINGERPRINTS[directory] = digest(*parts)
    return _CODE_FINGERPRINTS[directory]


def digest(*parts: bytes) -> str:
    hasher = blake2b(digest_size=16)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def atomic_write(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Writes ``data`` through a temporary file in the same folder and ``os.replace``: a reader sees
    the old file or the new one, never a part; two writers each leave a complete file. The
    temporary file is created exclusively (``O_EXCL``, no symlink followed): a name planted in the
    folder makes the write fail instead of writing through it. ``mode`` before the umask."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY
    try:
        with os.fdopen(os.open(temporary, flags, mode), "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
