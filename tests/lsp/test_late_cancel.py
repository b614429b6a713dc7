"""A ``$/cancelRequest`` that arrives after its response (VS Code sends them routinely: a hover
the cursor left, the chat's Stop racing the answer's end) is ignored quietly: no warning on the
server's stderr. Real server process over stdio, raw JSON-RPC frames."""

from __future__ import annotations

import json
import subprocess

from harness import SERVER_COMMAND

TIMEOUT = 60


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(stream) -> dict:
    length = 0
    while (line := stream.readline().strip()) != b"":
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length))


def _response(stream, msg_id: int) -> dict:
    while True:
        message = _read(stream)
        if message.get("id") == msg_id and "method" not in message:
            return message


def test_a_cancel_after_the_response_leaves_no_warning(tmp_path):
    process = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        send = process.stdin.write
        send(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}))
        process.stdin.flush()
        assert "result" in _response(process.stdout, 1)
        send(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        send(_frame({"jsonrpc": "2.0", "id": 2, "method": "pythonArchitect/listAdrs", "params": {}}))
        process.stdin.flush()
        assert _response(process.stdout, 2)["result"] == []
        # Cancelled after the answer arrived, twice (a second cancel is just as late).
        send(_frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}}))
        send(_frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}}))
        send(_frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None}))
        process.stdin.flush()
        assert "result" in _response(process.stdout, 3)  # the cancels were handled before this
        send(_frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
        process.stdin.close()
        stderr = process.stderr.read().decode(errors="replace")
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Cancel notification" not in stderr, stderr
    assert "Traceback" not in stderr, stderr
