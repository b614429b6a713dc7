"""The persistent check cache: each file's facts and per-file findings, keyed by its content.

Owns the on-disk format and its rules; nothing else reads or writes the cache directory.

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
  if this user wrote it. Its bytes are a magic line, a MAC (``cache_key``: keyed with a per-user
  secret no repository has) over everything else, then the tool version, the code fingerprint and
  the payload: ``marshal`` of plain values (``cache_schema`` owns that layout, validates every
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
import marshal
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..analysis.facts import ModuleFacts
from ..findings import Finding
from ..root_paths import NotReadable, read_bounded
from . import cache_key
from .cache_eviction import CONVERSATIONS_FOLDER, evict_workspace_caches  # noqa: F401 (re-exported)
from .cache_schema import (
    facts_from_plain,
    facts_to_plain,
    finding_from_plain,
    finding_to_plain,
)

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
MAGIC = b"python-architect-cache 3\n"
TOOL_VERSION = f"{__version__} py{sys.version_info[0]}.{sys.version_info[1]}"
"""Facts come from this package's extractor and this interpreter's parser: both are in the key."""
MAX_PACKS = 8
"""More packs than this are merged into one on the next save (loading many small files costs)."""
MAX_PACK_BYTES = 256 * 1024 * 1024
"""A larger pack is skipped unread (Django's whole cache is ~2 MB): a bound on what a planted or
runaway file can make a run read."""
MAX_SETTINGS_FILE_BYTES = 16 * 1024 * 1024
"""Settings and knowledge files larger than this are identified by their stat, not read."""
_MARSHAL_VERSION = 4


Dep = tuple[str, str | None, str | None]
"""A module another file's checks looked up: (module, its file relative to the root, that file's
key), the last two None when no such module existed."""
Deps = tuple[Dep, ...]


def user_cache_dir(root: Path) -> Path:
    """The server's cache folder for one workspace, under the user's cache base
    (``$PYTHON_ARCHITECT_CACHE_DIR`` replaces that base, e.g. for tests)."""
    return cache_key.user_cache_base() / digest(str(Path(root).resolve()).encode())[:16]


@dataclass
class _Contents:
    facts: dict[str, ModuleFacts | None] = field(default_factory=dict)
    """File key -> facts (None: the text does not parse)."""
    findings: dict[tuple[str, str], tuple[Deps, list[Finding]]] = field(default_factory=dict)
    """(file key, settings fingerprint) -> (modules looked up with their keys, findings)."""

    def merge(self, other: _Contents) -> None:
        self.facts.update(other.facts)
        self.findings.update(other.findings)

    def __len__(self) -> int:
        return len(self.facts) + len(self.findings)


def _encode(contents: _Contents) -> bytes | None:
    """A pack's bytes (see "Trust"); None without a usable key."""
    facts = {key: facts_to_plain(value) for key, value in contents.facts.items()}
    findings = {key: (tuple(deps), tuple(finding_to_plain(f) for f in found))
                for key, (deps, found) in contents.findings.items()}
    body = header() + marshal.dumps((facts, findings), _MARSHAL_VERSION)
    return cache_key.sign(MAGIC, body)


def header() -> bytes:
    """What a pack's body starts with, after its MAC: tool version, code fingerprint."""
    return TOOL_VERSION.encode() + b"\n" + code_fingerprint().encode() + b"\n"


def _decode(data: bytes) -> _Contents:
    """The pack's contents; raises ValueError (with the reason) for anything not to be trusted.
    The MAC is verified first: nothing else is parsed, ``marshal`` never runs, on bytes this
    user's runs did not write."""
    body = cache_key.verified_body(MAGIC, data)
    version, _, rest = body.partition(b"\n")
    if version.decode(errors="replace") != TOOL_VERSION:
        raise ValueError(f"written by version {version.decode(errors='replace')!r}, this is {TOOL_VERSION!r}")
    code, _, payload = rest.partition(b"\n")
    if code.decode(errors="replace") != code_fingerprint():
        raise ValueError("written by other code of this version (its checks may have changed)")
    try:
        plain = marshal.loads(payload)
    except (ValueError, EOFError, TypeError) as exc:
        raise ValueError(f"unreadable payload: {exc}") from None
    if type(plain) is not tuple or len(plain) != 2 or type(plain[0]) is not dict or type(plain[1]) is not dict:
        raise ValueError("unexpected payload shape")
    try:
        return _contents_from_plain(plain)
    except TypeError as exc:  # a constructor refusing what the shape checks let through
        raise ValueError(f"unexpected payload shape: {exc}") from None


def _contents_from_plain(plain: tuple) -> _Contents:
    contents = _Contents()
    for key, value in plain[0].items():
        if type(key) is not str:
            raise ValueError("unexpected facts key")
        contents.facts[key] = facts_from_plain(value)
    for key, value in plain[1].items():
        if type(key) is not tuple or len(key) != 2 or type(key[0]) is not str or type(key[1]) is not str \
                or type(value) is not tuple or len(value) != 2 or type(value[1]) is not tuple:
            raise ValueError("unexpected findings entry")
        contents.findings[key] = (_deps(value[0]), [finding_from_plain(item) for item in value[1]])
    return contents


_DEP_TYPES = frozenset({(str, str, str), (str, type(None), type(None))})


def _deps(value: object) -> Deps:
    if type(value) is not tuple or not all(type(dep) is tuple for dep in value):
        raise ValueError("unexpected dependencies")
    # Each dep's item types, collected in C (thousands of deps in a pack): (str, str, str) or absent.
    if not set(map(tuple, map(map, repeat(type), value))) <= _DEP_TYPES:
        raise ValueError("unexpected dependencies")
    return value


class CheckCache:
    """One workspace's cache: read once at the start of a run, written once at its end."""

    def __init__(self, directory: Path, root: Path, *, gitignore: bool = False) -> None:
        self.directory = Path(directory)
        self.root = Path(root).resolve()
        self.gitignore = gitignore
        self._stored = _Contents()
        self._new = _Contents()
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
                contents = _decode(read_bounded(pack, MAX_PACK_BYTES, follow_symlinks=False))
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
                merged = _Contents()
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
        self._new = _Contents()
        if self.evicts_siblings:
            evict_workspace_caches(self.directory.parent, keep=self.directory)

    def _pack_name(self) -> Path:
        return self.directory / f"{os.getpid()}-{secrets.token_hex(6)}.pack"

    def clear(self) -> None:
        if not self.usable:
            return
        for pack in self.directory.glob("*.pack"):
            _unlink(pack)
        self._stored, self._new, self._packs = _Contents(), _Contents(), []


def _write_pack(path: Path, contents: _Contents) -> bool:
    """Writes one pack; False (nothing written) without a usable key."""
    data = _encode(contents)
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
    parts: list[bytes] = [TOOL_VERSION.encode(), code_fingerprint().encode(), str(root).encode()]
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
