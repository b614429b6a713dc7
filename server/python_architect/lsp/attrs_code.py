"""The methods attrs compiles for lsprotocol's classes, kept between server starts.

Why: ``import lsprotocol.types`` defines ~550 attrs classes, and for each attrs writes the source
of ``__init__``, ``__eq__``, ``__repr__``... and compiles it: about half of that import, the
largest single part of the server's start (0.5-1 s on two busy cores). Python's bytecode cache
does not cover code compiled at run time, so this module does the same for it: the code objects
are kept in one file per CPython and attrs version, and the next start evaluates them instead of
compiling the same text again.

How: ``install()`` (the bootstrap and ``serve`` call it before importing the server) replaces
attrs' private ``_make._compile_and_eval(script, globs, locs, filename)`` (attrs 24-26; absent
or different: nothing is installed and attrs compiles as before). Each code object is found by a
digest of its file name and exact script, so any change in what attrs generates is compiled
afresh; attrs still registers the script with ``linecache``, so tracebacks read as before.
``save()`` writes the code objects this process used (a later attrs or lsprotocol does not make
the file grow), once, when the start is over (``startup``).

Trust: ``marshal`` must never read a stranger's bytes. The file lives in the user's cache folder
(``workspace.cache_key.user_cache_base()``), never in a workspace, and is signed with the user's
key like every other cache file: a file whose MAC does not verify is not unmarshalled. Without a
usable key nothing is read or written.

State: one ``CodeCache`` per process (``INSTALLED``). attrs may define classes on any thread;
each lookup and insertion is one dict operation (atomic under the GIL) and ``save`` copies the
dict before it marshals it.
"""

from __future__ import annotations

import logging
import marshal
import sys
import threading
from pathlib import Path
from types import CodeType
from typing import Any

from ..root_paths import NotReadable, read_bounded
from ..workspace import cache_key
from ..workspace.fingerprint import atomic_write

MAGIC = b"python-architect attrs code 1\n"
MAX_BYTES = 16 * 1024 * 1024
"""A larger file is not read (lsprotocol's methods are ~1.2 MB)."""

log = logging.getLogger("python_architect")


def _digest(filename: str, script: str) -> bytes:
    return cache_key.blake2b((filename + "\0" + script).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class CodeCache:
    """Code objects by digest: loaded from ``path``, used and extended by attrs, saved once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[bytes, CodeType] = {}
        self.used: dict[bytes, CodeType] = {}
        self.compiled = 0
        self._saved = False

    def load(self) -> None:
        """Reads the signed file; a missing, foreign, tampered or unreadable one is ignored."""
        try:
            data = read_bounded(self.path, MAX_BYTES, follow_symlinks=False)
            codes = marshal.loads(cache_key.verified_body(MAGIC, data))
        except (NotReadable, OSError, ValueError, EOFError, TypeError) as exc:
            if self.path.exists():
                log.debug("compiled attrs methods not reused from %s: %s", self.path, exc)
            return
        if isinstance(codes, dict):
            self.known = {k: v for k, v in codes.items() if isinstance(k, bytes) and isinstance(v, CodeType)}

    def compile_and_eval(self, script: str, globs: dict[str, Any] | None, locs: Any = None, filename: str = "") -> None:
        """attrs' ``_compile_and_eval``, compiling only text it has not seen."""
        key = _digest(filename, script)
        code = self.known.get(key)
        if code is None:
            code = compile(script, filename, "exec")
            self.known[key] = code
            self.compiled += 1
        self.used[key] = code
        eval(code, globs, locs)

    def save(self) -> None:
        """Writes the used code objects once, when anything was compiled (signed; atomic)."""
        if self._saved or not self.compiled:
            return
        self._saved = True
        body = marshal.dumps(dict(self.used))
        signed = cache_key.sign(MAGIC, body)
        if signed is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, signed, mode=0o600)
        except OSError as exc:
            log.debug("compiled attrs methods not saved to %s: %s", self.path, exc)


INSTALLED: CodeCache | None = None


def cache_path(attrs_version: str) -> Path:
    return cache_key.user_cache_base() / "attrs-code" / f"attrs-{attrs_version}.{sys.implementation.cache_tag}.marshal"


def install() -> CodeCache | None:
    """Routes attrs' compilation through the cache; None when attrs is not the expected shape."""
    global INSTALLED
    if INSTALLED is not None:
        return INSTALLED
    try:
        import attr
        from attr import _make
    except ImportError:
        return None
    original = getattr(_make, "_compile_and_eval", None)
    if not callable(original) or original.__code__.co_varnames[:4] != ("script", "globs", "locs", "filename"):
        return None  # another attrs: leave it alone
    try:
        cache = CodeCache(cache_path(str(getattr(attr, "__version__", "unknown"))))
        cache.load()
    except Exception as exc:  # noqa: BLE001 - a speed-up must never stop the server
        log.debug("attrs methods compiled as usual: %s", exc)
        return None
    _make._compile_and_eval = cache.compile_and_eval
    INSTALLED = cache
    return cache


def save_in_background() -> None:
    """Saves the installed cache off the caller's thread (the event loop's)."""
    if INSTALLED is not None and INSTALLED.compiled:
        threading.Thread(target=INSTALLED.save, name="attrs-code", daemon=True).start()
