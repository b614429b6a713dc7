"""The CLI's run record: what a complete ``check`` printed, kept with the identity of every input
it read, so the same invocation over an unchanged workspace is answered without importing the
engine (as git's index and ruff's cache trust stat data). Owns the record's format, key and
validation; ``cli.check_command`` asks ``replay`` and, on a miss, feeds a
``run_recorder.Recorder`` through the normal run. Imports only the standard library,
``__version__``, ``root_paths``, ``workspace.fingerprint`` and ``workspace.cache_key``.

Trust rules:

* **Key.** A record answers only the invocation that made it: tool version and package path,
  Python version and executable, resolved root and PATH arguments, ``--select/--ignore/--format/
  --exit-zero/--no-ruff``, the resolved ``--baseline``, and the environment that changes
  behaviour (``PYTHON_ARCHITECT_*``, ``PATH`` for the ruff lookup, ``VIRTUAL_ENV``). Not
  ``--jobs`` (findings are sorted: the report does not depend on it) nor ``--output`` (the
  report is stored, the file written each time); nothing printed depends on a terminal but the
  progress bar, which is never recorded.
* **Inputs**, by a hash of ``(mode, mtime_ns, ctime_ns, size, inode)`` or as absent: the tool's
  own package files (its code, by stat where the check cache hashes bytes: ~1 ms, not ~10), the
  checked files, every directory discovery listed (a file created, deleted or renamed inside
  changes its times) and each ignore file it read or found absent, ``pyproject.toml``, the
  knowledge and agents directories (recursively), the baseline file, the ruff binary, and each
  ``sys.path`` entry (installing or removing a package changes site-packages; dependency checks
  read installed metadata). Each stat is taken *before* the run reads the path (discovery's own,
  or just before the engine reads it): a later change shows as another stat next time. ctime is
  in the identity because it cannot be set back: a copy keeping size and mtime still changes it.
* **Racy entries.** An input whose mtime or ctime is within ``RACY_NS`` of the run's start (or
  later) could change again within one timestamp tick without changing its stat: the record
  keeps such a file's digest (of its bytes, read before the run read them) and such a
  directory's entry names as listed, and the fast path compares those too. Everything else
  compares stat only. A racy entry that matched and has since become old is settled (its check
  dropped, the record rewritten): a later change will show in its stat.
* **Doubt means the normal path.** No record for runs with ``--changed-since`` or
  ``--no-cache``, runs that exit 2 or log a warning (it may or may not happen again: it is never
  replayed), runs whose cache directory cannot be written, or an input that cannot be
  identified. An unreadable, truncated, other-format or unverified record is ignored with one log
  line (info: not on stderr by default) and replaced by the next normal run.
* **Trust.** A repository can ship ``.python-architect-cache/`` with a record claiming "all
  passed": a record is replayed only if this user wrote it. Its second line is a MAC
  (``workspace.cache_key``, keyed with a per-user secret) over the rest, checked before the JSON
  is parsed; a record whose MAC fails (planted, another user's, an older format) is ignored. It is
  read as a regular file of at most ``MAX_RECORD_BYTES``, not through a symlink
  (``root_paths.read_bounded``), and not at all when the cache directory is itself a symlink or
  not a directory (``cache_dir_refusal``); nor is one written then, or without a usable key.
* **Storage.** ``.python-architect-cache/run-<key[:16]>.json`` (git-ignored by the directory's
  own ``.gitignore``), written through an exclusively created temporary file and ``os.replace``
  so concurrent runs each leave a complete record; the oldest beyond ``MAX_RECORDS`` are deleted.
  The cache directory is not an input: runs write into it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from ..root_paths import read_bounded
from . import cache_key
from .fingerprint import PACKAGE_DIR, atomic_write, digest

CACHE_DIR = ".python-architect-cache"
"""The CLI's cache directory (``workspace.cache.CLI_CACHE_DIR``; that module is too heavy to import
on the fast path)."""
MAGIC = b"python-architect-run-record 4\n"
MAX_RECORDS = 16
MAX_RECORD_BYTES = 64 * 1024 * 1024
"""A larger record is not read (Django's is ~0.2 MB)."""
RACY_NS = 2_000_000_000
"""Two seconds: covers the coarsest common timestamp granularity (FAT's)."""
ENV_PREFIX = "PYTHON_ARCHITECT_"
ENV_NAMES = ("PATH", "VIRTUAL_ENV")


def log_at(level: int, message: str, *args: Any) -> None:
    """Logs through ``logging``, imported only here: the fast path does without it. Below INFO,
    nothing is logged unless ``logging`` is loaded already (no handler can exist otherwise)."""
    if level < 20 and "logging" not in sys.modules:
        return
    import logging

    logging.getLogger(__name__).log(level, message, *args)


def identity(status: os.stat_result | None) -> int | None:
    """The hash of ``(mode, mtime_ns, ctime_ns, size, inode)``, None when absent. A tuple of ints
    hashes alike in every process of one interpreter (only str and bytes are salted; the key names
    the interpreter); a fifth of the cost of formatting the numbers, for thousands per run."""
    if status is None:
        return None
    return hash((status.st_mode, status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino))


def stat_of(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def invocation_key(*, root: Path, paths: Iterable[Path], select: Iterable[str], ignore: Iterable[str],
                   output_format: str, exit_zero: bool, ruff: bool, baseline: Path | None) -> str:
    """What, besides the inputs, decides a run's output (see the module docstring)."""
    environment = sorted((name, value) for name, value in os.environ.items()
                         if name.startswith(ENV_PREFIX) or name in ENV_NAMES)
    description = {
        "version": __version__, "package": str(PACKAGE_DIR), "python": sys.version,
        "executable": sys.executable, "root": str(root), "paths": [str(p) for p in paths],
        "select": list(select), "ignore": list(ignore), "format": output_format,
        "exit_zero": bool(exit_zero), "ruff": bool(ruff),
        "baseline": None if baseline is None else str(baseline), "environment": environment,
    }
    return digest(json.dumps(description, sort_keys=True).encode("utf-8", errors="surrogateescape"))


def record_path(root: Path, key: str) -> Path:
    return Path(root) / CACHE_DIR / f"run-{key[:16]}.json"


def cache_dir_refusal(root: Path | str) -> str | None:
    """Why ``<root>/.python-architect-cache`` must be neither read nor written (a symbolic link: a
    repository could point it anywhere; not a directory), or None when it is a real directory or
    absent (it will be made). ``workspace.cache`` asks the same for the check cache."""
    try:
        mode = os.lstat(os.path.join(root, CACHE_DIR)).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be examined ({exc})"
    if stat.S_ISDIR(mode):
        return None
    return "a symbolic link" if stat.S_ISLNK(mode) else "not a directory"


# --- the fast path ------------------------------------------------------------------------------

class Replay:
    """What the recorded run printed: report, stderr lines (each ending in a newline), exit code."""

    def __init__(self, report: str, stderr: tuple[str, ...], code: int) -> None:
        self.report, self.stderr, self.code = report, stderr, code


def replay(root: Path, key: str, *, now_ns: int | None = None) -> Replay | None:
    """The recorded output when the record for ``key`` exists, can be trusted and every input it
    names is unchanged; None otherwise (the caller runs the normal path). ``now_ns``: when this
    check starts (a test may say later)."""
    path = record_path(root, key)
    refusal = cache_dir_refusal(root)
    if refusal is not None:  # the normal path says so (``workspace.cache``)
        log_at(10, "no run record: the cache folder is %s", refusal)
        return None
    try:
        data = read_bounded(path, MAX_RECORD_BYTES, follow_symlinks=False)
    except FileNotFoundError:
        log_at(10, "no run record %s", path)
        return None
    except OSError as exc:  # NotReadable too: a link, a FIFO, a device, too large
        log_at(20, "run record %s not read (%s); running the check", path, exc)
        return None
    settled: list[int] = []
    try:
        record = _decode(data, key)
        changed = first_change(str(root), record, settled, now_ns=now_ns)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        log_at(20, "ignoring run record %s: %s", path, exc or type(exc).__name__)
        return None
    if changed is not None:
        log_at(10, "run record %s is out of date: %s changed", path, changed)
        return None
    log_at(10, "answered from run record %s", path)
    if settled:
        # Verified by content and now old: later changes will show in their stat. Without this, a
        # record made just after a checkout would re-read every file on every run.
        done = set(settled)
        record["racy"] = [entry for entry in record["racy"] if entry[0] not in done]
        write_record(path, record)
    return Replay(record["report"], tuple(record["stderr"]), record["code"])


def _decode(data: bytes, key: str) -> dict[str, Any]:
    """The record's fields; raises ValueError (with the reason) for anything not to be trusted."""
    payload = cache_key.verified_body(MAGIC, data)  # before anything is parsed
    try:
        record = json.loads(payload)
    except ValueError as exc:
        raise ValueError(f"unreadable payload: {exc}") from None
    if not isinstance(record, dict) or record.get("key") != key:
        raise ValueError("made by another invocation")
    shapes = {"report": str, "code": int, "stderr": list, "inside": list, "outside": list,
              "identities": list, "racy": list}
    if not all(isinstance(record.get(name), kind) for name, kind in shapes.items()) \
            or not all(isinstance(line, str) for line in record["stderr"]):
        raise ValueError("unexpected shape")
    return record


def first_change(root: str, record: dict[str, Any], settled: list[int] | None = None, *,
                 now_ns: int | None = None) -> str | None:
    """The first input whose identity (or, for a racy one, content or listing) differs now, or
    None when all are as recorded. The positions of racy inputs that matched and are no longer
    racy (their times are ``RACY_NS`` older than this check's start) are added to ``settled``."""
    old_before = (time.time_ns() if now_ns is None else now_ns) - RACY_NS
    prefix = root + os.sep
    paths = [prefix + relative for relative in record["inside"]] + record["outside"]
    current = [identity(stat_of(path)) for path in paths]
    recorded = record["identities"]
    if current != recorded:
        for path, now, then in zip(paths, current, recorded, strict=False):
            if now != then:
                return path
        return f"the number of inputs ({len(recorded)} recorded)"
    for position, check in record["racy"]:
        path = paths[position]
        status = stat_of(path)  # again: it must precede the read that follows
        if identity(status) != recorded[position]:
            return path
        if isinstance(check, str):
            if content_digest(path) != check:
                return path
        elif sorted(listing_of(path)) != check:
            return path
        if settled is not None and status is not None and max(status.st_mtime_ns, status.st_ctime_ns) < old_before:
            settled.append(position)
    return None


def content_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return None


def listing_of(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def write_record(path: Path, record: dict[str, Any]) -> bool:
    """Writes a record (magic, MAC, JSON); False, with a log line, when it cannot."""
    data = cache_key.sign(MAGIC, json.dumps(record, separators=(",", ":")).encode())
    if data is None:
        log_at(10, "no run record %s: no cache key", path)
        return False
    try:
        atomic_write(path, data, mode=0o600)
    except OSError as exc:
        log_at(20, "could not write the run record %s: %s", path, exc)
        return False
    return True
