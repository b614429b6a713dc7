"""The normal path's half of the run record (``workspace.run_record`` owns the format, the key,
the trust rules and the fast path): a ``Recorder`` collects the identity of every input a full
``check`` reads, each stat taken before the run reads the path, and writes the record at the end
of the run unless there was a doubt (a warning logged, an input it could not identify, a cache
directory it cannot write).
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import cache_key
from .fingerprint import PACKAGE_DIR
from .run_record import (
    CACHE_DIR,
    MAX_RECORDS,
    RACY_NS,
    atomic_write,
    cache_dir_refusal,
    content_digest,
    identity,
    listing_of,
    log_at,
    record_path,
    stat_of,
    write_record,
)


class Recorder:
    """Collects one normal run's inputs (each stat before the run reads the path) and writes the
    record at its end. ``usable`` turns False at the first doubt; ``save`` then writes nothing."""

    def __init__(self, root: Path, key: str, *, started_ns: int | None = None) -> None:
        self.started_ns = time.time_ns() if started_ns is None else started_ns
        """What "racy" is measured from: the run's start (a test may say the run began later)."""
        self.racy_after_ns = self.started_ns - RACY_NS
        self.root = Path(root)
        self.key = key
        self.warnings = 0
        self._prefix = str(self.root) + os.sep
        # Path (relative to the root inside it, absolute outside) -> (identity, digest or listing
        # when racy); two maps because the record keeps the two kinds of path apart.
        self._inside: dict[str, tuple[int | None, Any]] = {}
        self._outside: dict[str, tuple[int | None, Any]] = {}
        # Made before the first stat: creating it later would change the root's listing.
        self.usable = _prepare(self.root / CACHE_DIR)

    def give_up(self, why: str) -> None:
        if self.usable:
            log_at(10, "no run record for this run: %s", why)
        self.usable = False

    # -- inputs
    def add(self, path: str, status: os.stat_result | None, names: Iterable[str] | None = None) -> None:
        """One input with the stat taken before it was read (``names``: a directory's listing as
        read, needed when the directory is racy). The first stat of a path wins: the oldest."""
        if path.startswith(self._prefix):
            # Slicing, not ``os.path.relpath``: this runs for every input (thousands on a large tree).
            key, inputs = path[len(self._prefix):], self._inside
            if key.startswith(CACHE_DIR) and key[len(CACHE_DIR):len(CACHE_DIR) + 1] in ("", os.sep):
                return  # the runs write there
        else:
            key, inputs = path, self._outside
        if key in inputs:
            return
        check: Any = None
        if self.racy(status):
            if stat.S_ISDIR(status.st_mode):
                if names is None:
                    return self.give_up(f"no listing of the racy directory {path}")
                check = sorted(names)
            elif stat.S_ISREG(status.st_mode):
                check = content_digest(path)
                if check is None:
                    return self.give_up(f"cannot read {path}")
        inputs[key] = (identity(status), check)

    def racy(self, status: os.stat_result | None) -> bool:
        return status is not None and (status.st_mtime_ns >= self.racy_after_ns or status.st_ctime_ns >= self.racy_after_ns)

    def add_file(self, path: Path | str) -> None:
        """A file (or directory) the run is about to read, stat now."""
        text = str(path)
        status = stat_of(text)
        self.add(text, status, listing_of(text) if self.racy(status) and stat.S_ISDIR(status.st_mode) else None)

    def add_tree(self, directory: Path | str, skip: tuple[str, ...] = ()) -> None:
        """A directory and everything under it but ``skip`` names, each stat before it is listed."""
        text = str(directory)
        status = stat_of(text)
        try:
            with os.scandir(text) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # absent (a state too), or not a directory
            entries = []
        self.add(text, status, [entry.name for entry in entries])
        for entry in entries:
            if entry.name in skip:
                continue
            if entry.is_dir():
                self.add_tree(entry.path, skip)
            else:
                self.add_file(entry.path)

    def add_environment(self, baselines: Iterable[Path | None]) -> None:
        """The inputs read before discovery: the tool's own code, ``pyproject.toml``, the
        contract files (``.importlinter``, ``setup.cfg``, ``tach.toml``), the knowledge and agents directories, baseline files, the ruff binary, ``sys.path``."""
        # The package's files by stat (the check cache hashes their bytes): the same trust as every
        # other input, a tenth of the cost on the fast path. Bytecode is not code.
        self.add_tree(PACKAGE_DIR, skip=("__pycache__", ".ruff_cache"))
        pyproject = self.root / "pyproject.toml"
        self.add_file(pyproject)
        # Contract files the graph checks read at the root (import-linter's, Tach's), present or
        # absent: editing one must not replay the previous run.
        for name in (".importlinter", "setup.cfg", "tach.toml"):
            self.add_file(self.root / name)
        knowledge, agents, configured = _configured_dirs(pyproject)
        self.add_tree(self.root / knowledge)
        self.add_tree(self.root / agents)
        for baseline in (*baselines, self.root / configured if configured else None):
            if baseline is not None:
                self.add_file(baseline)
        for entry in sys.path:
            self.add_file(os.path.abspath(entry or os.curdir))
        from ..analysis.ruff_bridge import find_ruff

        binary = find_ruff()
        if binary is not None:
            self.add_file(binary)
        else:  # where it was looked for: installing one there is a change
            self.add_file(os.path.dirname(sys.executable))
            for directory in os.environ.get("PATH", "").split(os.pathsep):
                if directory:
                    self.add_file(os.path.abspath(directory))

    def add_listing(self, listing: Any) -> None:
        """What discovery read (a ``workspace.ignore_rules.Listing``)."""
        for directory, status, names in listing.directories:
            if status is None:
                return self.give_up(f"cannot stat {directory}")
            self.add(directory, status, names)
        for path, status in listing.ignore_files:
            self.add(path, status)

    # -- the run's own messages
    @contextmanager
    def watching_warnings(self) -> Iterator[None]:
        """Counts WARNING+ log records of this package during the run; they are still shown as
        they would have been without the watch."""
        import logging

        logger = logging.getLogger("python_architect")
        # This handler's presence turns off Python's last-resort handler: it stands in for it.
        forward = not logger.hasHandlers()
        recorder = self

        class Counter(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                recorder.warnings += 1
                if forward and logging.lastResort is not None and record.levelno >= logging.lastResort.level:
                    logging.lastResort.handle(record)

        handler = Counter(logging.WARNING)
        logger.addHandler(handler)
        try:
            yield
        finally:
            logger.removeHandler(handler)

    def save(self, report: str, stderr: Iterable[str], code: int) -> None:
        """Writes the record, unless there was a doubt (nothing is printed either way)."""
        if self.warnings:
            self.give_up("warnings were logged")
        if not self.usable:
            return
        ordered = [*self._inside.values(), *self._outside.values()]
        target = record_path(self.root, self.key)
        if write_record(target, {
            "key": self.key, "code": code, "report": report, "stderr": list(stderr),
            "inside": list(self._inside), "outside": list(self._outside),
            "identities": [ident for ident, _ in ordered],
            "racy": [[position, check] for position, (_, check) in enumerate(ordered) if check is not None],
        }):
            _prune(target.parent, keep=target)


def _configured_dirs(pyproject: Path) -> tuple[str, str, str | None]:
    """``knowledge-dir``, ``agents-dir`` and ``baseline`` as ``pyproject.toml`` sets them (the
    defaults when it does not or cannot be read: the config loader reports that, exit 2)."""
    from ..config import ProjectConfig, tomllib

    defaults = ProjectConfig()
    try:
        with open(pyproject, "rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("python-architect", {})
    except (OSError, ValueError):
        table = {}
    if not isinstance(table, dict):
        table = {}

    def text(key: str) -> str | None:
        value = table.get(key)
        return value if isinstance(value, str) and value else None

    return (text("knowledge-dir") or defaults.knowledge_dir, text("agents-dir") or defaults.agents_dir,
            text("baseline"))


def _prepare(directory: Path) -> bool:
    """The cache directory exists with its ``.gitignore`` (as ``workspace.cache`` writes it), is
    not a symlink, and there is a key to sign a record with."""
    refusal = cache_dir_refusal(directory.parent)
    if refusal is not None:
        log_at(10, "no run record: %s is %s", directory, refusal)
        return False
    if cache_key.user_key() is None:
        return False
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not (directory / ".gitignore").exists():
            atomic_write(directory / ".gitignore", b"# written by python-architect\n*\n")
    except OSError as exc:
        log_at(10, "no run record: cannot write %s (%s)", directory, exc)
        return False
    return True




def _prune(directory: Path, keep: Path) -> None:
    """Deletes the oldest records beyond ``MAX_RECORDS`` (never ``keep``, just written)."""
    records = []
    for candidate in directory.glob("run-*.json"):
        status = stat_of(str(candidate))
        if status is not None and candidate != keep:
            records.append((status.st_mtime_ns, str(candidate)))
    records.sort()
    for _, old in records[:max(0, len(records) + 1 - MAX_RECORDS)]:
        try:
            os.unlink(old)
        except OSError as exc:
            log_at(10, "could not remove %s: %s", old, exc)
