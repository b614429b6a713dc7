"""The code attrs and cattrs generate at run time for lsprotocol's classes, kept between starts.

Why: ``import lsprotocol.types`` defines ~550 attrs classes, and for each attrs writes the source
of ``__init__``, ``__eq__``, ``__repr__``... and compiles it: about half of that import, the
largest single part of the server's start (0.5-1 s on two busy cores). cattrs does the same for
each message type the first time one is read or written (``initialize``'s parameters alone: ~70
functions, ~0.2 s). Python's bytecode cache does not cover code compiled at run time, so this
module does: the code objects are kept in one file per CPython and installation of attrs and cattrs, and the
next start evaluates them instead of compiling the same text again.

How: ``install()`` (the bootstrap and ``serve`` call it before importing the server) gives the
modules that generate code (``GENERATORS``) their own ``compile``, which shadows the builtin in
their globals: each calls ``compile(script, filename, "exec")``. A code object is found by a
digest of the file name and the exact script, so any change in what they generate is compiled
afresh; any other kind of call goes to the builtin. attrs still registers its scripts with
``linecache``, so tracebacks read as before. ``save()`` writes the code objects this process used,
once, when the first diagnostics are shown (``startup``): the file holds what a start needs, and
a later library version does not make it grow.

Shipped: a VSIX carries the code a start generates for the CPython it ships bytecode for
(``bundled/libs-cp3XX/generated-code.cpython-3XX.marshal``, written at packaging by
``client/scripts/bytecode.py`` through ``write_shipped``), so the first start of an install
compiles (almost) none of it either. The bootstrap passes that folder to ``install``; it is the
extension's own folder, trusted as its ``.pyc`` files are, and never a workspace's.

Trust: ``marshal`` must never read a stranger's bytes. The file lives in the user's cache folder
(``workspace.cache_key.user_cache_base()``), never in a workspace, and is signed with the user's
key like every other cache file: a file whose MAC does not verify is not unmarshalled. Without a
usable key nothing is read or written.

State: one ``CodeCache`` per process (``INSTALLED``). Code may be generated on any thread; each
lookup and insertion is one dict operation (atomic under the GIL) and ``save`` copies the dict
before it marshals it.
"""

from __future__ import annotations

import builtins
import importlib
import logging
import marshal
import sys
import threading
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from ..root_paths import NotReadable, read_bounded
from ..workspace import cache_key
from ..workspace.fingerprint import atomic_write

MAGIC = b"python-architect generated code 1\n"
SHIPPED_MAGIC = b"python-architect shipped generated code 1\n"
MAX_BYTES = 16 * 1024 * 1024
"""A larger file is not read (a start's code objects are ~1.5 MB)."""
GENERATORS = ("attr._make", "cattrs.gen", "cattrs.gen.typeddicts")
"""Modules whose ``compile(script, filename, "exec")`` calls go through the cache."""

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
                log.debug("generated code not reused from %s: %s", self.path, exc)
            return
        if isinstance(codes, dict):
            self.known = {k: v for k, v in codes.items() if isinstance(k, bytes) and isinstance(v, CodeType)}

    def load_shipped(self, path: Path) -> int:
        """Adds the code objects the extension ships (unsigned: its own folder); how many."""
        try:
            data = read_bounded(path, MAX_BYTES, follow_symlinks=False)
            if not data.startswith(SHIPPED_MAGIC):
                return 0
            codes = marshal.loads(data[len(SHIPPED_MAGIC):])
        except (NotReadable, OSError, ValueError, EOFError, TypeError) as exc:
            log.debug("shipped generated code not used from %s: %s", path, exc)
            return 0
        if not isinstance(codes, dict):
            return 0
        added = {k: v for k, v in codes.items() if isinstance(k, bytes) and isinstance(v, CodeType)}
        self.known = {**added, **self.known}
        return len(added)

    def write_shipped(self, path: Path) -> int:
        """Packaging: writes the code objects used so far as the file a VSIX ships; how many."""
        atomic_write(path, SHIPPED_MAGIC + marshal.dumps(dict(self.used)), mode=0o644)
        return len(self.used)

    def compile(self, source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
        """The builtin ``compile`` for a script seen before, from the cache; any other call as is."""
        if args or kwargs or mode != "exec" or type(source) is not str or type(filename) is not str:
            return builtins.compile(source, filename, mode, *args, **kwargs)
        key = _digest(filename, source)
        code = self.known.get(key)
        if code is None:
            code = builtins.compile(source, filename, "exec")
            self.known[key] = code
            self.compiled += 1
        self.used[key] = code
        return code

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
            log.debug("generated code not saved to %s: %s", self.path, exc)


INSTALLED: CodeCache | None = None


def cache_path(generators: list[ModuleType]) -> Path:
    """One file per CPython and per installation of the generators (the bundled ones and an
    environment's do not take turns overwriting one file)."""
    where = "\0".join(str(getattr(module, "__file__", "")) for module in generators)
    return cache_key.user_cache_base() / "generated-code" / f"{_digest(where, '').hex()}.{sys.implementation.cache_tag}.marshal"


def shipped_path(folder: str | Path) -> Path:
    """The shipped file for this CPython in a bundle's ``libs-cp3XX`` ``folder``."""
    return Path(folder) / f"generated-code.{sys.implementation.cache_tag}.marshal"


def install(shipped: str | Path | None = None) -> CodeCache | None:
    """Routes the generators' compilation through the cache (the user's file, plus the code the
    extension ships in the folder ``shipped``); None when they cannot be imported."""
    global INSTALLED
    if INSTALLED is not None:
        return INSTALLED
    try:
        modules = [importlib.import_module(name) for name in GENERATORS]
        cache = CodeCache(cache_path(modules))
        cache.load()
        if shipped is not None:
            cache.load_shipped(shipped_path(shipped))
    except Exception as exc:  # noqa: BLE001 - a speed-up must never stop the server
        log.debug("generated code compiled as usual: %s", exc)
        return None
    for module in modules:
        module.compile = cache.compile  # type: ignore[attr-defined] - shadows the builtin there only
    INSTALLED = cache
    return cache


def save_in_background() -> None:
    """Saves the installed cache off the caller's thread (the event loop's)."""
    if INSTALLED is not None:
        log.info("generated code: %d compiled by this start, %d reused", INSTALLED.compiled,
                 len(INSTALLED.used) - INSTALLED.compiled)
    if INSTALLED is not None and INSTALLED.compiled:
        threading.Thread(target=INSTALLED.save, name="generated-code", daemon=True).start()
