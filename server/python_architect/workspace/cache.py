"""The persistent check cache: each file's facts and per-file findings, keyed by its content.

Owns the on-disk layout and its rules; nothing else reads or writes the cache directory (a
pack's bytes are ``cache_pack``'s).

* **Keys.** A file's key hashes its path relative to the root, the source roots (which decide
  its module name) and its bytes: the facts stored under it depend on nothing else. Findings
  also depend on the settings (tool, Python and ruff versions, ``pyproject.toml``, the knowledge
  files, ``--select``/``--ignore``, the first-party names): those hash into a *fingerprint*, and
  findings are stored per (key, fingerprint). Cross-module checks (ARC102 targets, ARC201/202
  bases) read other modules' facts: every module a file's checks looked up is recorded with its
  file and that file's key at the time (or as absent), and the findings are reused only while
  all of those still hold.
* **Where.** The CLI keeps it in ``.python-architect-cache/`` at the workspace root, with a
  ``.gitignore`` holding ``*`` so it is never committed; when that name is a symlink or not a
  directory the CLI neither reads nor writes it (a planted link would send writes out of the
  root) and runs uncached, with one log line. The server keeps it in the user's cache base
  (``cache_key.user_cache_base()``: ``$XDG_CACHE_HOME`` or ``~/.cache``, ``%LOCALAPPDATA%`` on
  Windows, then ``python-architect``), one folder per workspace.
* **Eviction.** The server's folders (one per workspace ever opened) would pile up: each server
  save deletes sibling folders unused for ``EVICT_AFTER_DAYS`` (by their newest pack), then the
  least recently used until all of them fit in ``EVICT_CAP_BYTES``. A folder with a file newer
  than ``EVICT_MIN_IDLE_S`` is never touched (a server may be writing it), nor one whose name is
  not a workspace digest (``$PYTHON_ARCHITECT_CACHE_DIR`` may hold other things; the key lives
  there too). Owned by ``cache_eviction``.
* **Code.** The tool version alone would keep findings made by older checks alive through a
  development edit or an upgrade that forgot to bump it: every pack also names the fingerprint of
  the installed ``python_architect`` package (a hash of its files' bytes, ~5 ms once per process,
  see ``code_fingerprint``), and a pack made by other code is discarded like a foreign version.
* **Trust.** A repository can ship this folder, so a pack is data, never code, and trusted only
  if this user wrote it. Its bytes (``cache_pack``) are a magic line, a MAC (``cache_key``: keyed
  with a per-user secret no repository has) over everything else, then the tool version, the code
  fingerprint and the payload: ``marshal`` of plain values (``cache_schema`` owns that layout, validates every
  field's type and rebuilds only this package's value types from them). The MAC is checked before any
  other byte is parsed, so ``marshal`` only ever sees bytes this user's runs wrote. A pack that is
  planted, another user's, of an older format, damaged, of another version or code, or of the
  wrong shape is discarded (deleted) with one log line. Packs are read as regular files of at
  most ``MAX_PACK_BYTES``, without following symlinks (``root_paths.read_bounded``): a link, a
  device, a FIFO or an oversized file is skipped with one log line, never read. Without a usable
  key (``cache_key.user_key``) nothing is read or written: the run is cold.
* **Concurrency.** A run writes only what it computed, as a new pack named by process and a random
  token, through a temporary file and ``os.replace``: two processes writing at once each add a
  complete pack and lose nothing. When packs pile up, a run merges the ones it read into one
  (after a run over most of the workspace, only the entries of the files it saw, so old versions
  do not accumulate) and then deletes
  exactly those, so a pack written meanwhile by another process survives.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.facts import ModuleFacts
from ..findings import Finding
from ..root_paths import NotReadable, read_bounded
from . import cache_key, cache_pack
from .cache_eviction import CONVERSATIONS_FOLDER, evict_workspace_caches  # noqa: F401 (re-exported)
from .cache_pack import Dep, Deps, PackContents, decode_pack, encode_pack

# Re-exported: the code key moved to ``fingerprint`` (light to import); callers still find it here.
from .fingerprint import (  # noqa: F401
    _CODE_FINGERPRINTS,
    PACKAGE_DIR,
    atomic_write,
    code_fingerprint,
    digest,
)
from .run_record import cache_dir_refusal

if TYPE_CHECKING:
    from .roots import SourceRoots

log = logging.getLogger(__name__)

CLI_CACHE_DIR = ".python-architect-cache"
MAX_PACKS = 8
"""More packs than this are merged into one on the next save (loading many small files costs)."""
MAX_PACK_BYTES = 256 * 1024 * 1024
"""A larger pack is skipped unread (Django's whole cache is ~2 MB): a bound on what a planted or
runaway file can make a run read."""
MAX_SETTINGS_FILE_BYTES = 16 * 1024 * 1024
"""Settings and knowledge files larger than this are identified by their stat, not read."""


def user_cache_dir(root: Path) -> Path:
    """The server's cache folder for one workspace, under the user's cache base
    (``$PYTHON_ARCHITECT_CACHE_DIR`` replaces that base, e.g. for tests)."""
    return cache_key.user_cache_base() / digest(str(Path(root).resolve()).encode())[:16]


class CheckCache:
    """One workspace's cache: read once at the start of a run, written once at its end."""

    def __init__(self, directory: Path, root: Path, *, gitignore: bool = False) -> None:
        self.directory = Path(directory)
        self.root = Path(root).resolve()
        self.gitignore = gitignore
        self._stored = PackContents()
        self._new = PackContents()
        self._packs: list[Path] = []
        self._used: set[str] = set()
        """Keys this run found: a merge keeps these (and what it wrote), so the cache holds the
        current files, not every version they ever had."""
        self._loaded = False
        self.evicts_siblings = False
        """The server's caches: a save also evicts other workspaces' stale folders."""
        self.hits = 0
        self.misses = 0
        self.usable = True
        """False when the folder must not be touched (the CLI's is a symlink or not a directory):
        the run is then uncached, neither reading nor writing it."""

    @classmethod
    def for_cli(cls, root: Path) -> CheckCache:
        cache = cls(Path(root) / CLI_CACHE_DIR, root, gitignore=True)
        cache.usable = cli_cache_dir_usable(root)
        return cache

    @classmethod
    def for_server(cls, root: Path) -> CheckCache:
        cache = cls(user_cache_dir(root), root)
        cache.evicts_siblings = True
        return cache

    # --- reading ----------------------------------------------------------------------------
    def load(self) -> None:
        """Reads every pack this user wrote; an untrustworthy one is deleted, one that is not a
        regular file within ``MAX_PACK_BYTES`` skipped, each with one log line (idempotent)."""
        if self._loaded:
            return
        self._loaded = True
        if not self.usable or cache_key.user_key() is None:  # logged where it was found out
            return
        try:
            packs = sorted(self.directory.glob("*.pack"), key=lambda p: p.name)
        except OSError:
            return
        for pack in packs:
            try:
                contents = decode_pack(read_bounded(pack, MAX_PACK_BYTES, follow_symlinks=False))
            except NotReadable as exc:
                log.warning("skipped cache pack: %s", exc)
                continue
            except OSError as exc:
                log.info("cache pack %s unreadable (%s); ignored", pack, exc)
                continue
            except ValueError as exc:
                log.warning("discarding cache pack %s: %s", pack, exc)
                _unlink(pack)
                continue
            self._stored.merge(contents)
            self._packs.append(pack)

    @staticmethod
    def file_key(relative: str, data: bytes, context: str = "") -> str:
        """The key of a file's facts: its path relative to the root, its bytes, and ``context``
        (the source roots, which decide its module name)."""
        return digest(context.encode(), relative.encode(errors="surrogateescape"), data)

    def facts(self, key: str) -> tuple[bool, ModuleFacts | None]:
        """``(found, facts)`` for a file key."""
        self.load()
        for contents in (self._new, self._stored):
            if key in contents.facts:
                self._used.add(key)
                return True, contents.facts[key]
        return False, None

    def findings(self, key: str, fingerprint: str, still_valid: Callable[[Dep], bool]) -> list[Finding] | None:
        """The stored findings when every dependency their checks had is unchanged, else None."""
        self.load()
        entry = self._new.findings.get((key, fingerprint)) or self._stored.findings.get((key, fingerprint))
        if entry is None:
            self.misses += 1
            return None
        deps, findings = entry
        if not all(still_valid(dep) for dep in deps):
            self.misses += 1
            return None
        self.hits += 1
        return findings

    # --- writing ----------------------------------------------------------------------------
    def store(self, key: str, facts: ModuleFacts | None, fingerprint: str | None = None,
              findings: list[Finding] | None = None, deps: Deps = ()) -> None:
        self._new.facts[key] = facts
        if fingerprint is not None and findings is not None:
            self._new.findings[(key, fingerprint)] = (tuple(deps), list(findings))

    def save(self) -> None:
        """Writes what this run computed (nothing when everything was a hit)."""
        if not self.usable or (not self._new and len(self._packs) <= MAX_PACKS):
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if self.gitignore and not (self.directory / ".gitignore").exists():
                atomic_write(self.directory / ".gitignore", b"# written by python-architect\n*\n")
            if len(self._packs) + 1 > MAX_PACKS:
                merged = PackContents()
                if len(self._used) * 2 >= len(self._stored.facts):
                    # A run over (most of) the workspace: what it did not see is an old version.
                    merged.facts = {k: v for k, v in self._stored.facts.items() if k in self._used}
                    merged.findings = {k: v for k, v in self._stored.findings.items() if k[0] in self._used}
                else:  # a run over a few files knows too little to judge the rest
                    merged.merge(self._stored)
                merged.merge(self._new)
                if not _write_pack(self._pack_name(), merged):
                    return
                for pack in self._packs:  # only packs this run read: a concurrent writer's survive
                    _unlink(pack)
                self._packs = []
            elif not _write_pack(self._pack_name(), self._new):
                return
        except OSError as exc:
            log.warning("could not write the cache in %s: %s", self.directory, exc)
            return
        self._stored.merge(self._new)
        self._new = PackContents()
        if self.evicts_siblings:
            evict_workspace_caches(self.directory.parent, keep=self.directory)

    def _pack_name(self) -> Path:
        return self.directory / f"{os.getpid()}-{secrets.token_hex(6)}.pack"

    def clear(self) -> None:
        if not self.usable:
            return
        for pack in self.directory.glob("*.pack"):
            _unlink(pack)
        self._stored, self._new, self._packs = PackContents(), PackContents(), []


def _write_pack(path: Path, contents: PackContents) -> bool:
    """Writes one pack; False (nothing written) without a usable key."""
    data = encode_pack(contents)
    if data is None:
        return False
    atomic_write(path, data, mode=0o600)
    return True


_REFUSED_CLI_DIRS: set[str] = set()
"""CLI cache folders already refused in this process (one log line each)."""


def cli_cache_dir_usable(root: Path) -> bool:
    """Whether ``<root>/.python-architect-cache`` may be read and written: absent (it will be made)
    or a real directory (``run_record.cache_dir_refusal``). A symlink (a repository could point it
    anywhere, and writes would follow) or anything else is refused, one log line per process."""
    refusal = cache_dir_refusal(root)
    if refusal is None:
        return True
    directory = str(Path(root) / CLI_CACHE_DIR)
    if directory not in _REFUSED_CLI_DIRS:
        _REFUSED_CLI_DIRS.add(directory)
        log.warning("cache folder %s is %s: running without the cache (it is neither read nor written)",
                    directory, refusal)
    return False


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.info("could not remove %s: %s", path, exc)


def settings_fingerprint(root: Path, *, knowledge_dir: str, roots: SourceRoots, extra: Iterable[str] = ()) -> str:
    """Everything besides a file's own text that its findings depend on, hashed."""
    root = Path(root).resolve()
    # The pack's own version line (read through the module: one value for packs and findings).
    parts: list[bytes] = [cache_pack.TOOL_VERSION.encode(), code_fingerprint().encode(), str(root).encode()]
    parts.extend(str(item).encode() for item in extra)
    parts.append(",".join(sorted(roots.first_party)).encode())
    parts.append(",".join(str(r) for r in roots.roots).encode())
    pyproject = root / "pyproject.toml"
    parts.append(_identity_of(pyproject))
    knowledge = root / knowledge_dir
    try:
        documents = sorted(p for p in knowledge.rglob("*") if p.is_file())
    except OSError:
        documents = []
    for document in documents:
        parts.append(document.relative_to(root).as_posix().encode() if document.is_relative_to(root) else str(document).encode())
        parts.append(_identity_of(document))
    return digest(*parts)


def _identity_of(path: Path) -> bytes:
    """A settings file's bytes, read bounded (a repository's ``.ai/`` may hold a link to anything);
    past ``MAX_SETTINGS_FILE_BYTES``, its size and times stand in (a change still shows)."""
    try:
        return read_bounded(path, MAX_SETTINGS_FILE_BYTES)
    except NotReadable:
        try:
            status = path.stat()
        except OSError:
            return b"unreadable"
        return f"large {status.st_size} {status.st_mtime_ns} {status.st_ctime_ns} {status.st_ino}".encode()
    except OSError:
        return b""
