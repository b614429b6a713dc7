"""A fake Anthropic Messages API on 127.0.0.1 for the chat tests and the chat benchmark.

Speaks HTTP/1.1 like the real service: ``POST /v1/messages`` streams server-sent events
(``message_start``, ``content_block_start``, ``ping``, ``content_block_delta`` with
``text_delta``, ``content_block_stop``, ``message_delta`` with ``stop_reason`` and ``usage``,
``message_stop``) in chunked transfer encoding, or answers one JSON message when not streaming;
``POST /v1/messages/count_tokens`` answers ``{"input_tokens": N}``; errors carry the real shape
``{"type": "error", "error": {"type", "message"}, "request_id"}`` with the real status codes
(401 authentication_error, 429 rate_limit_error + retry-after, 529 overloaded_error, 400
invalid_request_error). A reply may carry ``tool_uses``: ``tool_use`` blocks after its text, with
``stop_reason: tool_use``; streamed, each block's input arrives as ``input_json_delta`` pieces, as
from the real service. Every request's headers and JSON body are recorded; a slow mode delays
the first byte or each delta, and a closed client connection is recorded as a disconnect.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass
class Reply:
    """A successful answer: the text deltas, and how slowly to send them."""

    chunks: list[str] = field(default_factory=lambda: ["The architect ", "says: ", "see ADR-001."])
    first_delay: float = 0.0
    delay: float = 0.0
    error_after: int | None = None
    """Send an ``error`` event (overloaded) after this many deltas, as the API does mid-stream."""
    tool_uses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """``(tool name, input)`` blocks to ask for after the text (the stop reason becomes ``tool_use``)."""

    def blocks(self) -> list[dict[str, Any]]:
        """The reply's content blocks, with fresh ``tool_use`` ids."""
        text = [{"type": "text", "text": "".join(self.chunks)}] if self.chunks else []
        return text + [{"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:20]}", "name": name, "input": value}
                       for name, value in self.tool_uses]

    @property
    def stop_reason(self) -> str:
        return "tool_use" if self.tool_uses else "end_turn"


@dataclass
class Failure:
    """An error response with the real error body and headers."""

    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: str


@dataclass
class Disconnect:
    """The client closed the connection while an answer was streaming."""

    deltas_sent: int
    deltas_total: int
    at: float


class FakeAnthropic:
    """Start with ``start()``; queue behaviours with ``script(...)``; read ``requests``."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.disconnects: list[Disconnect] = []
        self.completed_streams = 0
        self.default: Reply | Failure = Reply()
        self.queue: deque[Reply | Failure] = deque()
        self.input_tokens_per_char = 0.25
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------
    def start(self) -> str:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-anthropic", daemon=True
        )
        self._thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def script(self, *behaviours: Reply | Failure) -> None:
        """Behaviours for the next message requests, in order; then ``default`` again."""
        with self.lock:
            self.queue.extend(behaviours)

    def message_requests(self) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path == "/v1/messages"]

    def count_requests(self) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path == "/v1/messages/count_tokens"]

    def wait_for_disconnect(self, timeout: float = 5.0) -> Disconnect | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.disconnects:
                    return self.disconnects[-1]
            time.sleep(0.01)
        return None

    def _next(self) -> Reply | Failure:
        with self.lock:
            return self.queue.popleft() if self.queue else self.default


class _Handler(BaseHTTPRequestHandler):
    owner: FakeAnthropic
    protocol_version = "HTTP/1.1"
    # Small SSE writes must leave at once, as from the real service; with Nagle's algorithm on,
    # each would wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        try:
            self._post()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (timeout test): nothing to answer

    def _post(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        path = self.path.split("?", 1)[0]
        record = Recorded(path, {k.lower(): v for k, v in self.headers.items()}, body, raw)
        with self.owner.lock:
            self.owner.requests.append(record)
        if path == "/v1/messages/count_tokens":
            self._json(200, {"input_tokens": max(1, int(len(raw) * self.owner.input_tokens_per_char))})
        elif path == "/v1/messages":
            behaviour = self.owner._next()
            if isinstance(behaviour, Failure):
                self._error(behaviour)
            elif body.get("stream"):
                self._stream(body, behaviour, len(raw))
            else:
                self._message(body, behaviour, len(raw))
        else:
            self._error(Failure(404, f"Not found: {path}"))

    # -- responses -------------------------------------------------------------------------
    def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", _request_id())
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, failure: Failure) -> None:
        payload = {
            "type": "error",
            "error": {"type": ERROR_TYPES.get(failure.status, "api_error"), "message": failure.message},
            "request_id": _request_id(),
        }
        self._json(failure.status, payload, failure.headers)

    def _message(self, body: dict[str, Any], reply: Reply, request_chars: int) -> None:
        if not self._sleep(reply.first_delay):
            return
        text = "".join(reply.chunks)
        self._json(200, {
            "id": f"msg_{uuid.uuid4().hex[:24]}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude"),
            "content": reply.blocks() if reply.tool_uses else [{"type": "text", "text": text}],
            "stop_reason": reply.stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": request_chars // 4, "output_tokens": max(1, len(text) // 4)},
        })

    def _stream(self, body: dict[str, Any], reply: Reply, request_chars: int) -> None:
        if not self._sleep(reply.first_delay):
            return
        model = body.get("model", "claude")
        cached = sum(1 for block in body.get("system") or () if isinstance(block, dict) and block.get("cache_control"))
        events: list[tuple[str, dict[str, Any]]] = [
            ("message_start", {"type": "message_start", "message": {
                "id": f"msg_{uuid.uuid4().hex[:24]}", "type": "message", "role": "assistant", "content": [],
                "model": model, "stop_reason": None, "stop_sequence": None,
                "usage": {"input_tokens": request_chars // 4, "cache_creation_input_tokens": 0,
                          "cache_read_input_tokens": 100 * cached, "output_tokens": 1},
            }}),
            ("content_block_start", {"type": "content_block_start", "index": 0,
                                     "content_block": {"type": "text", "text": ""}}),
            ("ping", {"type": "ping"}),
        ]
        try:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream; charset=utf-8")
            self.send_header("cache-control", "no-cache")
            self.send_header("transfer-encoding", "chunked")
            self.send_header("request-id", _request_id())
            self.end_headers()
            for name, data in events:
                self._event(name, data)
            for sent, chunk in enumerate(reply.chunks):
                if sent == reply.error_after:
                    self._event("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                    return
                if sent and not self._sleep(reply.delay):
                    raise BrokenPipeError
                self._event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                                    "delta": {"type": "text_delta", "text": chunk}})
                self._sent = sent + 1
            self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
            for index, block in enumerate(reply.blocks()[1 if reply.chunks else 0:], start=1):
                self._tool_use_events(index, block)
            self._event("message_delta", {"type": "message_delta",
                                          "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
                                          "usage": {"output_tokens": max(1, len("".join(reply.chunks)) // 4)}})
            self._event("message_stop", {"type": "message_stop"})
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            with self.owner.lock:
                self.owner.completed_streams += 1
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            with self.owner.lock:
                self.owner.disconnects.append(Disconnect(getattr(self, "_sent", 0), len(reply.chunks), time.monotonic()))
            self.close_connection = True

    def _tool_use_events(self, index: int, block: dict[str, Any]) -> None:
        """A ``tool_use`` block as the API streams it: empty input, then its JSON in pieces."""
        start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
        self._event("content_block_start", {"type": "content_block_start", "index": index, "content_block": start})
        encoded = json.dumps(block["input"])
        for at in range(0, len(encoded), 7):
            self._event("content_block_delta", {"type": "content_block_delta", "index": index,
                                                "delta": {"type": "input_json_delta", "partial_json": encoded[at:at + 7]}})
        self._event("content_block_stop", {"type": "content_block_stop", "index": index})

    def _event(self, name: str, data: dict[str, Any]) -> None:
        payload = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
        self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
        self.wfile.flush()

    def _sleep(self, seconds: float) -> bool:
        """Sleeps in small steps; False when the server is stopping."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.owner.stopping.is_set():
                return False
            time.sleep(min(0.01, max(0.0, deadline - time.monotonic())))
        return not self.owner.stopping.is_set()


def _request_id() -> str:
    return f"req_{uuid.uuid4().hex[:24]}"
