"""A long-lived ``ruff server`` for the editor's keystroke path.

Starting ``ruff check`` for every keystroke cost more than everything else a small file needs
(about 10 ms of process start against ~1 ms for ruff's answer); a language server keeps one
``ruff server`` per selection of codes and asks it over its own protocol (JSON-RPC on stdio):
``didOpen`` the text, pull ``textDocument/diagnostic``, ``didClose``. Settings mirror
``ruff check --isolated --select ...``: editor settings only (``configurationPreference:
editorOnly``), so a project's ruff configuration cannot change what the architect reports.

Each write wakes ruff, so a question is one write: the ``didClose`` of the previous document and
this one's ``didOpen`` and request go out together. The question is asked in two halves so ruff
works on the other core while our own checks run,
with no thread of ours in between: ``begin`` writes the text and the request, ``finish`` reads the
answer **in the caller's thread** (on POSIX the pipe is waited on with ``poll``; a helper thread
that parsed replies and handed them over fought the analysis thread for the GIL and cost a few
milliseconds a keystroke). Windows, whose pipes ``select`` cannot wait on, keeps a thread that
only moves bytes.

Owns the processes it starts and their rules: ``_write_lock`` orders what is written, ``_read_lock``
lets one thread at a time read (answers for other requests are parked in ``_answers``); they are
taken in that order or alone, never the other way round; a document
is in flight at most once (a second ``begin`` for it answers None). Anything unexpected (no ruff, a
crash, an answer later than the timeout, an encoding other than UTF-32 columns) returns ``None``
and the caller falls back to ``ruff check``; the broken process is killed and the next call starts
a fresh one, up to ``MAX_FAILURES`` times in a row. Processes end with this one (their stdin closes).
"""

from __future__ import annotations

import atexit
import itertools
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
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


class _Pipe:
    """The bytes of ruff's stdout as they come, waited for with a deadline.

    POSIX: ``poll`` on the descriptor (``select`` would refuse descriptors past 1024, which a
    long-lived server with many files open can reach). Windows, whose pipes neither can wait on:
    a thread that only moves bytes into a queue.
    """

    def __init__(self, stream: Any) -> None:
        self._fd = stream.fileno()
        self._chunks: queue.Queue[bytes] | None = None
        self._poller: Any = None
        if sys.platform == "win32":
            self._chunks = queue.Queue()
            threading.Thread(target=self._pump, name="ruff-server-pipe", daemon=True).start()
        else:
            import select

            self._poller = select.poll()
            self._poller.register(self._fd, select.POLLIN | select.POLLHUP | select.POLLERR)

    def _pump(self) -> None:
        assert self._chunks is not None
        try:
            while chunk := os.read(self._fd, 65536):
                self._chunks.put(chunk)
        except OSError:
            pass
        self._chunks.put(b"")

    def read(self, deadline: float) -> bytes:
        """What is there (waiting until ``deadline`` for something); b"" when the pipe closed."""
        remaining = max(deadline - time.monotonic(), 0.0)
        if self._chunks is not None:
            try:
                return self._chunks.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError from None
        if not self._poller.poll(remaining * 1000):
            raise TimeoutError
        return os.read(self._fd, 65536)


class RuffRequest:
    """One document's question to a ``RuffServer``, between ``begin`` and ``finish``."""

    def __init__(self, server: RuffServer, process: subprocess.Popen[bytes], uri: str, request_id: int,
                 deadline: float) -> None:
        self.server, self.process, self.uri, self.id, self.deadline = server, process, uri, request_id, deadline
        self.done = False

    def finish(self) -> list[RawFinding] | None:
        """Ruff's findings (None when the server could not answer); closes the document."""
        if self.done:
            return None
        self.done = True
        return self.server._finish(self)

    def cancel(self) -> None:
        """Gives the document back without waiting for the answer (it is read and dropped later)."""
        if not self.done:
            self.done = True
            self.server._abandon(self)


class RuffServer:
    """One ``ruff server`` process for one selection of codes."""

    def __init__(self, binary: str, codes: tuple[str, ...]) -> None:
        self.binary = binary
        self.codes = codes
        self._write_lock = threading.Lock()
        """Guards the process, the ids, the open documents and what is written to ruff."""
        self._read_lock = threading.Lock()
        """One reader at a time; guards ``_buffer``, ``_pipe``, ``_answers`` and ``_abandoned``."""
        self._process: subprocess.Popen[bytes] | None = None
        self._pipe: _Pipe | None = None
        self._buffer = bytearray()
        self._answers: dict[int, dict[str, Any]] = {}
        self._declined: list[Any] = []
        """Ids of ruff's own requests read so far, answered (with null) by the next writer."""
        self._abandoned: set[int] = set()
        """Requests cancelled before their answer was read: the answer is dropped when it comes."""
        self._open: set[str] = set()
        self._closing: list[str] = []
        """Documents given back whose ``didClose`` goes out with the next write: closing one
        as its answer is read would cost a write (and a wake-up of ruff) on every keystroke."""
        self._ids = itertools.count(1)
        self._versions = itertools.count(1)
        self._failures = 0
        """Consecutive failures; past ``MAX_FAILURES`` this selection stays with ``ruff check``."""

    # --- process and protocol (callers hold ``_write_lock``) -----------------------------------
    def _start(self) -> bool:
        try:
            process = subprocess.Popen([self.binary, "server"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            log.info("ruff server could not start (%s); using ruff check", exc)
            return False
        with self._read_lock:
            self._process, self._pipe = process, _Pipe(process.stdout)
            self._buffer, self._answers, self._declined, self._abandoned = bytearray(), {}, [], set()
        self._open, self._closing = set(), []
        settings = {"configurationPreference": "editorOnly", "lint": {"select": list(self.codes)},
                    "fixAll": False, "organizeImports": False, "showSyntaxErrors": False}
        try:
            request_id = self._send_request("initialize", {
                "processId": None, "rootUri": None,
                "capabilities": {"general": {"positionEncodings": ["utf-32"]}, "textDocument": {"diagnostic": {}}},
                "initializationOptions": {"settings": settings},
            })
            result = self._answer(process, request_id, time.monotonic() + START_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            log.warning("ruff server did not start (%s); using ruff check", exc)
            self._stop()
            return False
        if not isinstance(result, dict) or result.get("capabilities", {}).get("positionEncoding") != "utf-32":
            log.info("ruff server did not agree to character columns; using ruff check")
            self._stop()
            return False
        self._send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        return True

    def _send(self, *messages: dict[str, Any]) -> None:
        """Writes ``messages`` in one piece (each write wakes ruff), after the replies and the
        ``didClose``s that were waiting for the next write."""
        assert self._process is not None and self._process.stdin is not None
        pending: list[dict[str, Any]] = []
        while self._declined:  # list.pop is atomic: a reader may append meanwhile
            pending.append({"jsonrpc": "2.0", "id": self._declined.pop(0), "result": None})
        for uri in self._closing:
            pending.append({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
        self._closing = []
        data = bytearray()
        for message in (*pending, *messages):
            body = json.dumps(message).encode("utf-8")
            data += b"Content-Length: %d\r\n\r\n" % len(body)
            data += body
        self._process.stdin.write(data)
        self._process.stdin.flush()

    def _send_request(self, method: str, params: dict[str, Any]) -> int:
        request_id = next(self._ids)
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return request_id

    def _stop(self) -> None:
        process, self._process = self._process, None
        self._open, self._closing = set(), []
        if process is not None:
            try:
                process.kill()
                process.wait(timeout=5)
            except (OSError, subprocess.SubprocessError):
                pass

    # --- reading (any thread, one at a time) ---------------------------------------------------
    def _answer(self, process: subprocess.Popen[bytes], request_id: int, deadline: float) -> Any:
        """The result of one request; raises ``TimeoutError``/``OSError`` when there is none."""
        with self._read_lock:
            while request_id not in self._answers:
                if self._process is not process:
                    raise OSError("ruff server was restarted")
                message = self._next_message(deadline)
                if "method" in message:
                    if "id" in message:  # a request of the server's own (registrations): declined
                        self._declined.append(message["id"])  # with the next write, in order
                    continue
                if isinstance(message.get("id"), int):
                    if message["id"] in self._abandoned:
                        self._abandoned.discard(message["id"])
                    else:
                        self._answers[message["id"]] = message
            message = self._answers.pop(request_id)
        if "error" in message:
            raise OSError(f"ruff server: {message['error'].get('message', message['error'])}")
        return message.get("result")

    def _next_message(self, deadline: float) -> dict[str, Any]:
        assert self._pipe is not None
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end >= 0:
                length = None
                for line in bytes(self._buffer[:end]).split(b"\r\n"):
                    name, _, value = line.decode("ascii", errors="replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    raise ValueError("ruff server sent a message without Content-Length")
                if len(self._buffer) >= end + 4 + length:
                    body = bytes(self._buffer[end + 4:end + 4 + length])
                    del self._buffer[:end + 4 + length]
                    message = json.loads(body)
                    if not isinstance(message, dict):
                        raise ValueError("ruff server sent a message that is not an object")
                    return message
            chunk = self._pipe.read(deadline)
            if not chunk:
                raise OSError("ruff server exited")
            self._buffer += chunk

    # --- the one question ---------------------------------------------------------------------
    def begin(self, text: str, path: Path, timeout: float) -> RuffRequest | None:
        """Hands ruff ``text`` as the file at ``path`` and asks for its diagnostics; None when the
        server cannot take it (the caller falls back to ``ruff check``)."""
        uri = Path(path).absolute().as_uri()
        with self._write_lock:
            if self._failures >= MAX_FAILURES or uri in self._open:
                return None
            if self._process is None or self._process.poll() is not None:
                self._process = None
                if not self._start():
                    self._failures += 1
                    return None
            try:
                request_id = next(self._ids)
                self._send(
                    {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                        "uri": uri, "languageId": "python", "version": next(self._versions), "text": text}}},
                    {"jsonrpc": "2.0", "id": request_id, "method": "textDocument/diagnostic",
                     "params": {"textDocument": {"uri": uri}}},
                )
            except (OSError, ValueError) as exc:
                self._fail(path, exc)
                return None
            self._open.add(uri)
            assert self._process is not None
            return RuffRequest(self, self._process, uri, request_id, time.monotonic() + timeout)

    def _finish(self, request: RuffRequest) -> list[RawFinding] | None:
        try:
            report = self._answer(request.process, request.id, request.deadline)
        except (OSError, TimeoutError, ValueError) as exc:
            with self._write_lock:
                if self._process is request.process:
                    self._fail(request.uri, str(exc) or type(exc).__name__)
            return None
        finally:
            self._close(request)
        with self._write_lock:
            self._failures = 0
        items = report.get("items") if isinstance(report, dict) else None
        if not isinstance(items, list):
            return None
        return [finding for finding in (_raw_finding(item) for item in items) if finding is not None]

    def _abandon(self, request: RuffRequest) -> None:
        with self._read_lock:
            if self._answers.pop(request.id, None) is None:
                self._abandoned.add(request.id)
        self._close(request)

    def _close(self, request: RuffRequest) -> None:
        with self._write_lock:
            if self._process is request.process and request.uri in self._open:
                self._open.discard(request.uri)
                self._closing.append(request.uri)

    def _fail(self, what: object, exc: object) -> None:
        """Under ``_write_lock``: the process is no longer to be trusted."""
        log.warning("ruff server failed on %s (%s); restarting it", what, exc)
        self._stop()
        self._failures += 1

    def diagnostics(self, text: str, path: Path, timeout: float) -> list[RawFinding] | None:
        """Ruff's findings for ``text`` as the file at ``path``; None when the server cannot answer."""
        request = self.begin(text, path, timeout)
        return request.finish() if request is not None else None


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
