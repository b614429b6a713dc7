"""The ruff bridge: the generic families ruff already implements well, run as a subprocess.

Ruff gets the file's decoded text on stdin (it refuses non-UTF-8 bytes), ``--isolated`` so the
project's own ruff config cannot change what the architect reports, and an explicit curated
``--select``. Each curated code's metadata (its principle, severity, title) is declared in
``python_architect.codes.ruff``. Ruff's own fixes ride along from its JSON; S113 gets our own fix
(``timeout=10``, made in ``ruff_refine``). A missing or failing ruff never breaks a check: it yields no
ruff findings and one logged warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codes import ruff as ruff_codes
from ..findings import Fix, Span, TextEdit
from .registry import RawFinding

log = logging.getLogger(__name__)

CURATED = ruff_codes.CURATED
"""code -> (principle, severity, title, rationale); declared in ``codes.ruff``."""

# What ruff is asked for: families where every member belongs to the principle, else codes.
CURATED_SELECT = ("ASYNC", "RUF006", "S113", "BLE001", "S110", "S608", "T201", "G004", "TRY400",
                  "S301", "S506", "S602", "S604", "S307", "S501", "S311", "B006", "B019")


def curated_selection(setting: bool | tuple[str, ...] | list[str]) -> list[str]:
    """The curated ``--select`` under ``[tool.python-architect] ruff``: all, none, or trimmed."""
    if setting is True:
        return list(CURATED_SELECT)
    if not setting:
        return []
    trim = [str(code).upper() for code in setting]
    kept = [code for code in CURATED_SELECT if any(code.startswith(t) for t in trim)]
    narrower = [t for t in trim if t not in kept and any(t.startswith(code) for code in CURATED_SELECT)]
    return kept + narrower


# --- running ruff ------------------------------------------------------------------------

_RUFF_BIN: str | None = None
_WARNED = False


_FIND_LOCK = threading.Lock()


def find_ruff() -> str | None:
    """The ruff executable of this interpreter's environment, else one on PATH (cached).

    Locked: ``sysconfig``'s lazy initialisation is not thread-safe, and two folders' first
    analyses used to race here and lose their ruff findings.
    """
    global _RUFF_BIN
    if _RUFF_BIN is not None:
        return _RUFF_BIN or None
    with _FIND_LOCK:
        if _RUFF_BIN is None:
            _RUFF_BIN = _locate_ruff()
    return _RUFF_BIN or None


def _locate_ruff() -> str:
    # The VS Code extension's bootstrap names its bundled ruff here: ruff's own finder would
    # prefer a different ruff in the interpreter's scripts folder.
    named = os.environ.get("PYTHON_ARCHITECT_RUFF")
    if named and os.path.isfile(named):
        return named
    try:
        from ruff.__main__ import find_ruff_bin

        return str(find_ruff_bin())
    except Exception:  # noqa: BLE001 - ruff's own finder raising anything means "look elsewhere"
        import shutil

        beside = Path(sys.executable).with_name("ruff.exe" if os.name == "nt" else "ruff")
        return str(beside) if beside.exists() else (shutil.which("ruff") or "")


_RULE_NAMES: dict[str, str] | None = None
"""code -> ruff's name for it (``TRY400`` -> ``error-instead-of-exception``), from one
``ruff rule --all`` per process; written once under ``_FIND_LOCK``, read-only after."""


def known_codes() -> frozenset[str]:
    """Every rule code this ruff knows (one ``ruff rule --all`` per process; empty when unknown)."""
    return frozenset(rule_names())


def rule_names() -> dict[str, str]:
    """Every rule code this ruff knows -> its name (the names ``# ruff: ignore[...]`` may use;
    empty when ruff is missing or its listing unreadable)."""
    global _RULE_NAMES
    if _RULE_NAMES is not None:
        return _RULE_NAMES
    binary = find_ruff()
    with _FIND_LOCK:
        if _RULE_NAMES is None:
            names: dict[str, str] = {}
            if binary is not None:
                try:
                    listing = subprocess.run([binary, "rule", "--all", "--output-format", "json"],
                                             capture_output=True, timeout=10, check=False)
                    names = {r["code"]: str(r.get("name") or "") for r in json.loads(listing.stdout or b"[]")
                             if r.get("code")}
                except (OSError, subprocess.SubprocessError, ValueError, TypeError, KeyError, AttributeError):
                    pass
            _RULE_NAMES = names
    return _RULE_NAMES


def usable_codes(codes: Iterable[str]) -> list[str]:
    """Drops codes ruff would reject (one unknown ``--select`` value fails the whole run)."""
    known = known_codes()
    if not known:
        return list(codes)
    usable = []
    for code in codes:
        if any(k.startswith(code) for k in known):
            usable.append(code)
        else:
            log.warning("ruff does not know the rule code %s: it is not checked", code)
    return usable


def _warn_once(message: str, *args: Any) -> None:
    global _WARNED
    if not _WARNED:
        _WARNED = True
        log.warning(message, *args)


def _command(codes: Iterable[str]) -> list[str] | None:
    binary = find_ruff()
    if binary is None:
        _warn_once("ruff is not installed: the ruff-based checks are skipped")
        return None
    return [binary, "check", "--isolated", "--no-cache", "--output-format", "json",
            "--exit-zero", "--select", ",".join(codes)]


def run_ruff(text: str, path: Path, codes: Iterable[str], *, timeout: float = 10.0) -> list[RawFinding]:
    """Runs ruff on one file's text via stdin; never raises."""
    codes = list(codes)
    command = _command(codes) if codes else None
    if command is None:
        return []
    command += ["--stdin-filename", str(path), "-"]
    try:
        completed = subprocess.run(command, input=text.encode("utf-8", errors="surrogatepass"),
                                   capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        _warn_once("ruff could not run (%s): the ruff-based checks are skipped", exc)
        return []
    grouped = _parse_output(completed.stdout, completed.stderr)
    return [finding for findings in grouped.values() for finding in findings]


def parses(text: str, path: Path, *, timeout: float = 10.0) -> bool | None:
    """Whether ruff's parser, which reads the newest Python grammar whatever interpreter runs us,
    finds no syntax error in ``text``; None when ruff cannot run. Asked only for text the running
    interpreter cannot parse (``workspace.parse``: PEP 695 classes on a 3.11 server)."""
    command = _command(["E902"])  # syntax errors are reported whatever is selected
    if command is None:
        return None
    try:
        completed = subprocess.run([*command, "--stdin-filename", str(path), "-"],
                                   input=text.encode("utf-8", errors="surrogatepass"),
                                   capture_output=True, timeout=timeout, check=False)
        items = json.loads(completed.stdout.decode("utf-8", errors="replace") or "[]")
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError):
        return None
    return not any(item.get("code") in (None, "invalid-syntax") for item in items)


_RECENT_RUNS: OrderedDict[tuple[bytes, str, tuple[str, ...]], list[RawFinding]] = OrderedDict()
_RECENT_LOCK = threading.Lock()
RECENT_RUNS_KEPT = 64
"""Ruff's answer depends only on the text, the path and the codes: the editor re-analyses files
whose text did not change (dependants of an edited module, saves, undo) without a subprocess."""


USE_RUFF_SERVER = True
"""One file at a time (the editor) asks a long-lived ``ruff server`` (``analysis.ruff_server``)
instead of starting ``ruff check``; whole runs keep one ``ruff check`` over all files."""


def _begin_ruff_server(text: str, path: Path, codes: list[str], timeout: float) -> Any:
    """The long-lived server's ``RuffRequest`` for this text, or None (no server: use ``ruff check``)."""
    if not USE_RUFF_SERVER or not codes:
        return None
    binary = find_ruff()
    if binary is None:
        return None
    from .ruff_server import server_for

    return server_for(binary, codes).begin(text, path, timeout)


class RuffRun:
    """Ruff's answer for one text, computed while our own parse and checks run.

    Through the long-lived ``ruff server`` the text goes out now and the answer is read in
    ``result`` by the same thread (ruff works on another core meanwhile); without one, ``ruff
    check`` runs in a thread. The remembered answer for the same text, path and codes needs
    neither. ``close`` must follow (``result`` or not): it gives the server's document back.
    """

    def __init__(self, text: str, path: Path, codes: Iterable[str], timeout: float = 10.0) -> None:
        self._findings: list[RawFinding] = []
        self._args = (text, path, list(codes), timeout)
        self._key = (hashlib.blake2b(text.encode("utf-8", errors="surrogatepass"), digest_size=16).digest(),
                     str(path), tuple(self._args[2]))
        with _RECENT_LOCK:
            remembered = _RECENT_RUNS.get(self._key)
            if remembered is not None:
                _RECENT_RUNS.move_to_end(self._key)
        self._thread: threading.Thread | None = None
        self._request: Any = None
        if remembered is not None:
            self._findings = list(remembered)
            return
        find_ruff()  # resolve the binary on the caller's thread, once
        try:
            self._request = _begin_ruff_server(text, path, self._args[2], timeout)
        except Exception:  # the server is an optimisation: anything odd means ``ruff check``
            log.exception("ruff server request failed on %s", path)
        if self._request is None:
            self._thread = threading.Thread(target=self._run_check, name="ruff", daemon=True)
            self._thread.start()

    def _run_check(self) -> None:
        text, path, codes, timeout = self._args
        try:
            self._findings = run_ruff(text, path, codes, timeout=timeout)
        except Exception:  # a thread's exception would vanish into stderr; keep it in the log
            log.exception("ruff run failed on %s", path)
            return
        self._remember()

    def _remember(self) -> None:
        with _RECENT_LOCK:
            _RECENT_RUNS[self._key] = list(self._findings)
            while len(_RECENT_RUNS) > RECENT_RUNS_KEPT:
                _RECENT_RUNS.popitem(last=False)

    def result(self) -> list[RawFinding]:
        if self._request is not None:
            request, self._request = self._request, None
            found = request.finish()
            if found is None:  # the server could not answer: ask ``ruff check`` (in this thread)
                self._run_check()
            else:
                self._findings = found
                self._remember()
        if self._thread is not None:
            self._thread.join()
        return self._findings

    def close(self) -> None:
        """Gives a server document back if ``result`` was never asked for (an exception)."""
        request, self._request = self._request, None
        if request is not None:
            request.cancel()


def _parse_output(stdout: bytes, stderr: bytes) -> dict[str, list[RawFinding]]:
    try:
        items = json.loads(stdout.decode("utf-8", errors="replace") or "[]")
    except json.JSONDecodeError:
        _warn_once("ruff gave unreadable output: %s", stderr.decode("utf-8", errors="replace")[:300])
        return {}
    grouped: dict[str, list[RawFinding]] = {}
    for item in items:
        finding = _raw_finding(item)
        if finding is not None:
            grouped.setdefault(str(item.get("filename", "-")), []).append(finding)
    return grouped


NO_FIX = frozenset({"T201"})
"""Ruff fixes we never offer (dropped by the finalizer, whichever way ruff ran): deleting a
``print`` deletes a command-line tool's output."""


def _raw_finding(item: dict[str, Any]) -> RawFinding | None:
    code = item.get("code")
    if not code:  # ruff reports syntax errors without a code; the engine reports those itself
        return None
    start, end = item.get("location") or {}, item.get("end_location") or {}
    span = Span(start.get("row", 1), start.get("column", 1), end.get("row", start.get("row", 1)),
                end.get("column", start.get("column", 1)))
    return RawFinding(code=code, message=item.get("message", code), span=span,
                      fix=convert_fix(item.get("fix")),
                      data={"ruff_rule": item.get("name", ""), "url": item.get("url") or ""})


def convert_fix(raw: dict[str, Any] | None) -> Fix | None:
    """Ruff's JSON fix (1-based rows and character columns) as our ``Fix``."""
    if not raw or not raw.get("edits"):
        return None
    edits = tuple(
        TextEdit(Span(e["location"]["row"], e["location"]["column"],
                      e["end_location"]["row"], e["end_location"]["column"]), e.get("content") or "")
        for e in raw["edits"]
    )
    title = raw.get("message") or "Apply ruff's fix"
    return Fix(title=title, edits=edits, safe=raw.get("applicability") == "safe")


_IO_ERROR = "E902"
"""Ruff's code for a file it could not read, a file that is not UTF-8 among them."""


@dataclass
class RuffBatch:
    """One ruff run over many files (much faster than one process per file), started early so it
    overlaps with our own parsing; ``result()`` waits for it."""

    codes: list[str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    timeout: float = 300.0

    def result(self) -> dict[Path, list[RawFinding]]:
        found: dict[Path, list[RawFinding]] = {}
        unread: dict[Path, list[RawFinding]] = {}
        for process in self.processes:
            try:
                stdout, stderr = process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                _warn_once("ruff timed out after %.0f s: its findings are missing", self.timeout)
                continue
            for filename, findings in _parse_output(stdout, stderr).items():
                path = Path(filename).resolve()
                if any(f.code == _IO_ERROR for f in findings):
                    unread[path] = findings
                    continue
                found.setdefault(path, []).extend(findings)
        for path, findings in unread.items():
            # Ruff reads UTF-8 only; a file declaring another encoding (PEP 263) goes through stdin.
            from .decoding import decode_source

            try:
                found[path] = run_ruff(decode_source(path.read_bytes()), path, self.codes)
            except OSError:  # unreadable for us too: ruff's E902 only when it was asked for
                found[path] = [f for f in findings if f.code in self.codes]
        return found


def start_ruff_many(paths: Iterable[Path], codes: Iterable[str], *, chunk: int = 1000) -> RuffBatch:
    """Starts ruff over ``paths`` at once; the files it cannot read as UTF-8 (it reports them as
    E902) are run again through stdin, decoded per PEP 263, when the result is asked for."""
    batch = RuffBatch(codes=list(codes))
    command = _command([*batch.codes, _IO_ERROR]) if batch.codes else None
    if command is None:
        return batch
    files = [str(path) for path in paths]
    for start in range(0, len(files), chunk):
        try:
            batch.processes.append(subprocess.Popen(
                command + files[start:start + chunk],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL))
        except OSError as exc:
            _warn_once("ruff could not run (%s): the ruff-based checks are skipped", exc)
            break
    return batch


def run_ruff_many(paths: Iterable[Path], codes: Iterable[str]) -> dict[Path, list[RawFinding]]:
    """Ruff findings per resolved path for many files in one invocation."""
    return start_ruff_many(paths, codes).result()
