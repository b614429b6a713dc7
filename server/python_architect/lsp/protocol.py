"""Every message body the editor sends gets its answer: a result, or the JSON-RPC error saying why not.

pygls decodes bodies with ``json.loads(body, object_hook=structure_message)`` inside its read
loop, and any failure there (a body that is not JSON, params that do not structure into the
lsprotocol type) ends in ``logger.exception`` with no response at all: the client waits forever
and a cattrs traceback lands on stderr (issue 24, item 7). ``ArchitectProtocol.receive`` takes one
body from ``framing.FrameReader`` and answers as JSON-RPC 2.0 says:

- not UTF-8: decoded with U+FFFD for the bad bytes and handled (a lost ``didOpen`` would leave a
  document unknown to the server), with one log line;
- not JSON: -32700 (ParseError) with ``id: null``;
- not a JSON-RPC object: -32600 (InvalidRequest), with its id when it has a usable one;
- a request whose params do not structure: -32602 (InvalidParams) naming the method and the
  fields (``params.position.line: invalid value for type, expected int``);
- a notification that does not structure: no answer (JSON-RPC forbids one), a warning the first
  time per method and a debug line after, so a client that repeats it cannot flood the log;
- a response that does not structure: the request waiting for it fails instead of hanging;
- a request after ``shutdown``: -32600, as LSP asks (pygls drops it unanswered).

No traceback reaches stderr for any of these: they are the editor's faults, logged as one line.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from lsprotocol.types import ErrorCodes, ResponseErrorMessage
from pygls.exceptions import JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
)

log = logging.getLogger("python_architect")


class UnstructurableMessage(Exception):
    """A JSON-RPC object that does not fit the lsprotocol type of its method."""

    def __init__(self, data: dict[str, Any], problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.data = data
        self.problems = problems

    @property
    def only_params(self) -> bool:
        """Whether every problem is inside ``params`` (else the envelope itself is wrong)."""
        return all(problem.startswith("params") for problem in self.problems)


def _camel(path: str) -> str:
    """cattrs names Python attributes (``text_document``); the editor wrote ``textDocument``."""
    return re.sub(r"_([a-z])", lambda match: match.group(1).upper(), path)


def describe(error: Exception) -> list[str]:
    """``path: what is wrong`` for each field cattrs could not structure."""
    from cattrs import transform_error
    from cattrs.errors import ClassValidationError

    if not isinstance(error, ClassValidationError):
        return [f"message: {error}"]
    problems = []
    for line in transform_error(error, path="$"):
        what, _, where = line.rpartition(" @ ")
        where = where.removeprefix("$").removeprefix(".") or "message"
        problems.append(f"{_camel(where)}: {what or line}")
    return problems


def usable_id(data: Any) -> int | str | None:
    """The message's id when a response can carry it (JSON-RPC: a string or a number)."""
    msg_id = data.get("id") if isinstance(data, dict) else None
    return msg_id if isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool) else None


class ArchitectProtocol(LanguageServerProtocol):
    """pygls' LSP protocol with a ``receive`` that answers every body (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refused_notifications: set[str] = set()

    def send_error(self, msg_id: int | str | None, code: ErrorCodes, message: str) -> None:
        """A JSON-RPC error response; ``id`` is null when the request's id could not be read."""
        self._send_data({"jsonrpc": self.VERSION, "id": msg_id, "error": {"code": int(code), "message": message}})

    def receive(self, body: bytes) -> None:
        """Handles one message body, or answers (or logs) what is wrong with it."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
            log.warning("a message from the editor was not valid UTF-8: undecodable bytes were replaced with U+FFFD")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            log.warning("a message from the editor is not JSON (%s): answered with a parse error", exc)
            self.send_error(None, ErrorCodes.ParseError, f"Parse error: the message body is not JSON ({exc})")
            return
        if not isinstance(data, dict) or data.get("jsonrpc") != self.VERSION:
            self._refuse_envelope(data)
            return
        try:
            message = self.structure_message(data)
        except UnstructurableMessage as exc:
            self._refuse(exc)
            return
        if self._shutdown and "id" in data and "method" in data:  # pygls would drop it unanswered
            self.send_error(usable_id(data), ErrorCodes.InvalidRequest,
                            f"Invalid request: {data['method']} after shutdown (only exit is accepted)")
            return
        self.handle_message(message)

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The lsprotocol message for a JSON-RPC object; ``UnstructurableMessage`` when it does not
        fit (pygls' own version logs a traceback and leaves the caller to drop the message)."""
        if "jsonrpc" not in data:
            return data
        try:
            return self._converter.structure(data, self._message_type(data))
        except Exception as exc:  # whatever cattrs raises, the message does not fit
            raise UnstructurableMessage(data, describe(exc)) from exc

    def _message_type(self, data: dict[str, Any]) -> Any:
        """The type pygls would structure ``data`` into (its ``structure_message`` branches)."""
        if "id" in data:
            if "error" in data:
                return ResponseErrorMessage
            if "method" in data:
                return self.get_message_type(data["method"]) or JsonRPCRequestMessage
            return self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
        return self.get_message_type(data.get("method", "")) or JsonRPCNotification

    def _refuse_envelope(self, data: Any) -> None:
        msg_id = usable_id(data)
        if isinstance(data, dict) and "method" in data and "id" not in data:
            self._refuse_notification(str(data["method"]), 'it is not a JSON-RPC 2.0 object ("jsonrpc": "2.0")')
            return
        log.warning("a message from the editor is not a JSON-RPC 2.0 object: answered with an invalid-request error")
        self.send_error(msg_id, ErrorCodes.InvalidRequest,
                        'Invalid request: a message is a JSON object with "jsonrpc": "2.0"')

    def _refuse(self, exc: UnstructurableMessage) -> None:
        data, problems = exc.data, "; ".join(exc.problems)
        method = data.get("method")
        if not isinstance(method, str):  # a response to one of our requests
            future = self._request_futures.pop(data.get("id"), None) if usable_id(data) is not None else None
            log.warning("a response from the editor does not fit its type (%s)", problems)
            if future is not None and not future.done():
                future.set_exception(JsonRpcInternalError(f"the editor's response does not fit: {problems}"))
            return
        if "id" not in data:
            self._refuse_notification(method, problems)
            return
        code = ErrorCodes.InvalidParams if exc.only_params else ErrorCodes.InvalidRequest
        kind = "Invalid params" if exc.only_params else "Invalid request"
        log.warning("%s for %s: %s", kind.lower(), method, problems)
        self.send_error(usable_id(data), code, f"{kind} for {method}: {problems}")

    def _refuse_notification(self, method: str, problems: str) -> None:
        level = logging.DEBUG if method in self._refused_notifications else logging.WARNING
        self._refused_notifications.add(method)
        log.log(level, "ignored a %s notification that does not fit (%s); later ones are logged at debug level",
                method, problems)
