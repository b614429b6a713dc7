"""A long-lived ``ruff server`` for the editor's keystroke path.

Starting ``ruff check`` for every keystroke cost more than everything else a small file needs
(about 10 ms of process start against ~1 ms for ruff's answer); a language server keeps one
``ruff server`` per selection of codes and asks it over its own protocol (JSON-RPC on stdio):
``didOpen`` the text, pull ``textDocument/diagnostic``, ``didClose``. Settings mirror
``ruff check --isolated --select ...``: editor settings only (``configurationPreference:
editorOnly``), so a project's ruff configuration cannot change what the architect reports.

Owns the processes it starts and their one rule: a lock per server, one document at a time.
Anything unexpected (no ruff, a crash, an answer later than the timeout, an encoding other than
UTF-32 columns) returns ``None`` and the caller falls back to ``ruff check``; the broken process
is killed and the next call starts a fresh one, up to ``MAX_FAILURES`` times in a row. Processes end with this one (their stdin closes).
"""

from __future__ import annotations

import atexit
import itertools
import json
import logging
import queue
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..findings import Fix, Span, TextEdit
from .registry import RawFinding

log = logging.getLogger(__name__)

MAX_SERVERS = 4
"""Selections differ only when ADR ``ruff`` rules add codes for some paths: a few at most."""
START_TIMEOUT_S = 10.0
MAX_FAILURES = 3
"""A ruff that fails this often in a row (too old for pull diagnostics, say) is not asked again."""


class RuffServer:
    """One ``ruff server`` process for one selection of codes."""

    def __init__(self, binary: str, codes: tuple[str, ...]) -> None:
        self.binary = binary
        self.codes = codes
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._ids = itertools.count(1)
        self._versions = itertools.count(1)
        self._failures = 0
        """Consecutive failures; past ``MAX_FAILURES`` this selection stays with ``ruff check``."""

    # --- process and protocol ---------------------------------------------------------------
    def _start(self) -> bool:
        try:
            self._process = subprocess.Popen([self.binary, "server"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            log.info("ruff server could not start (%s); using ruff check", exc)
            return False
        self._messages = queue.Queue()
        threading.Thread(target=self._read, args=(self._process, self._messages), name="ruff-server-reader",
                         daemon=True).start()
        settings = {"configurationPreference": "editorOnly", "lint": {"select": list(self.codes)},
                    "fixAll": False, "organizeImports": False, "showSyntaxErrors": False}
        try:
            result = self._request("initialize", {
                "processId": None, "rootUri": None,
                "capabilities": {"general": {"positionEncodings": ["utf-32"]}, "textDocument": {"diagnostic": {}}},
                "initializationOptions": {"settings": settings},
            }, START_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            log.warning("ruff server did not start (%s); using ruff check", exc)
            self._stop()
            return False
        if not isinstance(result, dict) or result.get("capabilities", {}).get("positionEncoding") != "utf-32":
            log.info("ruff server did not agree to character columns; using ruff check")
            self._stop()
            return False
        self._notify("initialized", {})
        return True

    @staticmethod
    def _read(process: subprocess.Popen[bytes], messages: queue.Queue[dict[str, Any] | None]) -> None:
        stream = process.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii", errors="replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                messages.put(json.loads(stream.read(length)))
        except (OSError, ValueError):
            return
        finally:
            messages.put(None)  # the process is gone: wake whoever waits

    def _send(self, message: dict[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        data = json.dumps(message).encode("utf-8")
        self._process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self._process.stdin.flush()

    def _notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _request(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        """The result of one request; raises ``TimeoutError``/``OSError`` when there is none."""
        request_id = next(self._ids)
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            try:
                message = self._messages.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(f"ruff server gave no answer to {method} within {timeout} s") from None
            if message is None:
                raise OSError("ruff server exited")
            if "method" in message:
                if "id" in message:  # a request of the server's own (registrations): decline politely
                    self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            if message.get("id") == request_id:
                if "error" in message:
                    raise OSError(f"ruff server: {message['error'].get('message', message['error'])}")
                return message.get("result")

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            try:
                process.kill()
                process.wait(timeout=5)
            except (OSError, subprocess.SubprocessError):
                pass

    # --- the one question ---------------------------------------------------------------------
    def diagnostics(self, text: str, path: Path, timeout: float) -> list[RawFinding] | None:
        """Ruff's findings for ``text`` as the file at ``path``; None when the server cannot answer."""
        with self._lock:
            if self._failures >= MAX_FAILURES:
                return None
            if self._process is None or self._process.poll() is not None:
                self._process = None
                if not self._start():
                    self._failures += 1
                    return None
            uri = Path(path).absolute().as_uri()
            try:
                self._notify("textDocument/didOpen", {"textDocument": {
                    "uri": uri, "languageId": "python", "version": next(self._versions), "text": text}})
                try:
                    report = self._request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout)
                finally:
                    self._notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            except (OSError, TimeoutError, ValueError) as exc:
                log.warning("ruff server failed on %s (%s); restarting it", path, exc)
                self._stop()
                self._failures += 1
                return None
            self._failures = 0
        items = report.get("items") if isinstance(report, dict) else None
        if not isinstance(items, list):
            return None
        return [finding for finding in (_raw_finding(item) for item in items) if finding is not None]


def _span(range_: dict[str, Any]) -> Span:
    start, end = range_["start"], range_["end"]
    return Span(start["line"] + 1, start["character"] + 1, end["line"] + 1, end["character"] + 1)


def _raw_finding(item: dict[str, Any]) -> RawFinding | None:
    code = item.get("code")
    if not code or "range" not in item:
        return None  # ruff reports syntax errors without a code; the engine reports those itself
    data = item.get("data") if isinstance(item.get("data"), dict) else {}
    fix = None
    edits = data.get("edits") or []
    if edits:
        fix = Fix(title=data.get("title") or "Apply ruff's fix",
                  edits=tuple(TextEdit(_span(edit["range"]), edit.get("newText") or "") for edit in edits),
                  safe=bool(data.get("is_preferred")))
    href = (item.get("codeDescription") or {}).get("href") or ""
    # The server appends the fix title as "\n\nhelp: ..."; ``ruff check``'s JSON message has none.
    message = str(item.get("message") or code).split("\n\nhelp:", 1)[0]
    return RawFinding(code=str(code), message=message, span=_span(item["range"]), fix=fix,
                      data={"ruff_rule": href.rstrip("/").rsplit("/", 1)[-1] if href else "", "url": href})


_SERVERS: dict[tuple[str, tuple[str, ...]], RuffServer] = {}
_SERVERS_LOCK = threading.Lock()


def server_for(binary: str, codes: Iterable[str]) -> RuffServer:
    """The shared server for this selection (the least recently made one goes past ``MAX_SERVERS``)."""
    key = (binary, tuple(codes))
    with _SERVERS_LOCK:
        server = _SERVERS.get(key)
        if server is None:
            if len(_SERVERS) >= MAX_SERVERS:
                _SERVERS.pop(next(iter(_SERVERS)))._stop()
            server = _SERVERS[key] = RuffServer(binary, key[1])
        return server


@atexit.register
def stop_all() -> None:
    with _SERVERS_LOCK:
        for server in _SERVERS.values():
            server._stop()
        _SERVERS.clear()
