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
  ``.gitignore`` holding ``*`` so it is never committed; the server in the user's cache directory
  (``$XDG_CACHE_HOME`` or ``~/.cache``, ``%LOCALAPPDATA%`` on Windows), one folder per workspace.
* **Eviction.** The server's folders (one per workspace ever opened) would pile up: each server
  save deletes sibling folders unused for ``EVICT_AFTER_DAYS`` (by their newest pack), then the
  least recently used until all of them fit in ``EVICT_CAP_BYTES``. A folder with a file newer
  than ``EVICT_MIN_IDLE_S`` is never touched (a server may be writing it), nor one whose name is
  not a workspace digest (``$PYTHON_ARCHITECT_CACHE_DIR`` may hold other things).
* **Code.** The tool version alone would keep findings made by older checks alive through a
  development edit or an upgrade that forgot to bump it: every pack also names the fingerprint of
  the installed ``python_architect`` package (a hash of its files' bytes, ~5 ms once per process,
  see ``code_fingerprint``), and a pack made by other code is discarded like a foreign version.
* **Trust.** Each pack starts with a magic line, the tool version, the code fingerprint and a
  checksum of the payload. A corrupt, truncated or foreign-version pack is discarded with a log
  line, never trusted; unpickling
  only builds this package's value types (see ``_SafeUnpickler``), so a planted file cannot run code.
* **Concurrency.** A run writes only what it computed, as a new pack named by process and a random
  token, through a temporary file and ``os.replace``: two processes writing at once each add a
  complete pack and lose nothing. When packs pile up, a run merges the ones it read into one
  (after a run over most of the workspace, only the entries of the files it saw, so old versions
  do not accumulate) and then deletes
  exactly those, so a pack written meanwhile by another process survives.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..analysis.facts import ModuleFacts
from ..findings import Finding

# Re-exported: the code key moved to ``fingerprint`` (light to import); callers still find it here.
from .fingerprint import _CODE_FINGERPRINTS, PACKAGE_DIR, atomic_write, code_fingerprint, digest  # noqa: F401

if TYPE_CHECKING:
    from .roots import SourceRoots

log = logging.getLogger(__name__)

CLI_CACHE_DIR = ".python-architect-cache"
MAGIC = b"python-architect-cache 2\n"
TOOL_VERSION = f"{__version__} py{sys.version_info[0]}.{sys.version_info[1]}"
"""Facts come from this package's extractor and this interpreter's parser: both are in the key."""
MAX_PACKS = 8
"""More packs than this are merged into one on the next save (loading many small files costs)."""

EVICT_AFTER_DAYS = 30
EVICT_CAP_BYTES = 500 * 1024 * 1024
EVICT_MIN_IDLE_S = 24 * 3600
_WORKSPACE_FOLDER_NAME_LENGTH = 16
CONVERSATIONS_FOLDER = "conversations"
"""The chat's stored conversations inside a workspace's folder (``advisor.conversations``); its
modification time counts as use, so an idle check cache does not take the conversations with it."""

Dep = tuple[str, str | None, str | None]
"""A module another file's checks looked up: (module, its file relative to the root, that file's
key), the last two None when no such module existed."""
Deps = tuple[Dep, ...]


def user_cache_dir(root: Path) -> Path:
    """The server's cache folder for one workspace, under the platform's user cache directory
    (``$PYTHON_ARCHITECT_CACHE_DIR`` replaces that directory, e.g. for tests)."""
    override = os.environ.get("PYTHON_ARCHITECT_CACHE_DIR")
    if override:
        return Path(override) / digest(str(Path(root).resolve()).encode())[:16]
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    name = digest(str(Path(root).resolve()).encode())[:16]
    return base / "python-architect" / name


class _SafeUnpickler(pickle.Unpickler):
    """Builds only the value types a cache holds; anything else is a corrupt (or planted) file."""

    _ALLOWED_MODULES = ("python_architect.",)
    _ALLOWED = frozenset({
        ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"),
        ("pathlib", "PureWindowsPath"), ("pathlib", "Path"), ("copyreg", "_reconstructor"),
        ("builtins", "object"), ("builtins", "frozenset"), ("builtins", "set"),
    })

    def find_class(self, module: str, name: str):
        if (module, name) in self._ALLOWED or (module.startswith(self._ALLOWED_MODULES) and not name.startswith("_")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected type {module}.{name} in cache")


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


def _encode(contents: _Contents) -> bytes:
    payload = pickle.dumps((contents.facts, contents.findings), protocol=pickle.HIGHEST_PROTOCOL)
    return header() + digest(payload).encode() + b"\n" + payload


def header() -> bytes:
    """What a pack starts with, before its checksum: magic, tool version, code fingerprint."""
    return MAGIC + TOOL_VERSION.encode() + b"\n" + code_fingerprint().encode() + b"\n"


def _decode(data: bytes) -> _Contents:
    """The pack's contents; raises ValueError (with the reason) for anything not to be trusted."""
    if not data.startswith(MAGIC):
        raise ValueError("not a cache file")
    rest = data[len(MAGIC):]
    version, _, rest = rest.partition(b"\n")
    if version.decode(errors="replace") != TOOL_VERSION:
        raise ValueError(f"written by version {version.decode(errors='replace')!r}, this is {TOOL_VERSION!r}")
    code, _, rest = rest.partition(b"\n")
    if code.decode(errors="replace") != code_fingerprint():
        raise ValueError("written by other code of this version (its checks may have changed)")
    checksum, _, payload = rest.partition(b"\n")
    if checksum.decode(errors="replace") != digest(payload):
        raise ValueError("checksum mismatch (truncated or corrupt)")
    try:
        facts, findings = _SafeUnpickler(io.BytesIO(payload)).load()
    except Exception as exc:
        raise ValueError(f"unreadable payload: {exc}") from exc
    if not isinstance(facts, dict) or not isinstance(findings, dict):
        raise ValueError("unexpected payload shape")
    return _Contents(facts, findings)


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

    @classmethod
    def for_cli(cls, root: Path) -> CheckCache:
        return cls(Path(root) / CLI_CACHE_DIR, root, gitignore=True)

    @classmethod
    def for_server(cls, root: Path) -> CheckCache:
        cache = cls(user_cache_dir(root), root)
        cache.evicts_siblings = True
        return cache

    # --- reading ----------------------------------------------------------------------------
    def load(self) -> None:
        """Reads every pack; an untrustworthy one is deleted with a log line (idempotent)."""
        if self._loaded:
            return
        self._loaded = True
        try:
            packs = sorted(self.directory.glob("*.pack"), key=lambda p: p.name)
        except OSError:
            return
        for pack in packs:
            try:
                contents = _decode(pack.read_bytes())
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
        if not self._new and len(self._packs) <= MAX_PACKS:
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
                atomic_write(self._pack_name(), _encode(merged))
                for pack in self._packs:  # only packs this run read: a concurrent writer's survive
                    _unlink(pack)
                self._packs = []
            else:
                atomic_write(self._pack_name(), _encode(self._new))
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
        for pack in self.directory.glob("*.pack"):
            _unlink(pack)
        self._stored, self._new, self._packs = _Contents(), _Contents(), []


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
    parts.append(_read_or_empty(pyproject))
    knowledge = root / knowledge_dir
    try:
        documents = sorted(p for p in knowledge.rglob("*") if p.is_file())
    except OSError:
        documents = []
    for document in documents:
        parts.append(document.relative_to(root).as_posix().encode() if document.is_relative_to(root) else str(document).encode())
        parts.append(_read_or_empty(document))
    return digest(*parts)


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
