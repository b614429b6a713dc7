"""A protocol that always answers (issue 24, items 7 and 8), over stdio with raw bytes against the
real server process, and once over TCP.

Each test sends bad frames and then good requests to one shared server, asserting the JSON-RPC
error each bad frame earns and that what comes after is still answered; the last test shuts the
server down, checks it exits by itself with code 0 and that stderr holds no traceback.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import pytest_asyncio
from raw_lsp import SERVE, TIMEOUT, RawServer, frame

SOURCE = "import os\n\n\ndef handler(request):\n    return os.getcwd()\n"


def build_workspace(root: Path) -> Path:
    (root / "src/app").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n', encoding="utf-8")
    (root / "src/app/__init__.py").write_text("", encoding="utf-8")
    (root / "src/app/views.py").write_text(SOURCE, encoding="utf-8")
    return root


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory):
    root = build_workspace(tmp_path_factory.mktemp("protocol") / "app")
    server = await RawServer.start()
    result = await server.initialize(root)
    assert result["result"]["capabilities"]["hoverProvider"]
    server.uri = (root / "src/app/views.py").resolve().as_uri()  # type: ignore[attr-defined]
    await server.notify("textDocument/didOpen", {"textDocument": {
        "uri": server.uri, "languageId": "python", "version": 1, "text": SOURCE}})  # type: ignore[attr-defined]
    yield server
    await server.kill()


def hover(server: RawServer, msg_id: int, line: object = 4) -> dict:
    return {"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": server.uri}, "position": {"line": line, "character": 15}}}


async def still_answering(server: RawServer) -> None:
    """A good hover gets its response (a result: hover may be null, never an error)."""
    answer = await server.request("textDocument/hover", hover(server, 0)["params"])
    assert "result" in answer and "error" not in answer, answer


async def next_unmatched(server: RawServer, count: int) -> list[dict]:
    """Waits until ``count`` responses to no known request id have arrived (id null ones)."""
    async def wait() -> list[dict]:
        while len(server.unmatched) < count:
            server.arrived.clear()
            await server.arrived.wait()
        return server.unmatched[:count]
    return await asyncio.wait_for(wait(), TIMEOUT)


async def test_ill_typed_request_params_get_invalid_params_naming_method_and_field(server: RawServer):
    answer = server.expect(1)
    await server.write(frame(hover(server, 1, line="four")))
    error = (await asyncio.wait_for(answer, TIMEOUT))["error"]
    assert error["code"] == -32602
    assert "textDocument/hover" in error["message"] and "params.position.line" in error["message"]

    missing = await server.request("textDocument/hover", {"textDocument": {"uri": server.uri}})
    assert missing["error"]["code"] == -32602 and "params.position" in missing["error"]["message"]
    wrong_shape = await server.request("textDocument/codeAction", "not an object")
    assert wrong_shape["error"]["code"] == -32602 and "textDocument/codeAction" in wrong_shape["error"]["message"]
    await still_answering(server)


async def test_a_body_that_is_not_json_gets_a_parse_error_with_id_null(server: RawServer):
    before = len(server.unmatched)
    truncated = b'{"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {'
    await server.write(b"Content-Length: %d\r\n\r\n%s" % (len(truncated), truncated))
    [parse_error] = (await next_unmatched(server, before + 1))[before:]
    assert parse_error["id"] is None and parse_error["error"]["code"] == -32700
    await still_answering(server)

    not_an_object = b"[1, 2, 3]"
    await server.write(b"Content-Length: %d\r\n\r\n%s" % (len(not_an_object), not_an_object))
    [invalid] = (await next_unmatched(server, before + 2))[before + 1:]
    assert invalid["id"] is None and invalid["error"]["code"] == -32600
    too_deep = b"[" * 100_000  # json.loads raises RecursionError, not ValueError
    await server.write(b"Content-Length: %d\r\n\r\n%s" % (len(too_deep), too_deep))
    [deep] = (await next_unmatched(server, before + 3))[before + 2:]
    assert deep["id"] is None and deep["error"]["code"] == -32700
    wrong_version = server.expect(3)
    await server.write(frame({"jsonrpc": "1.0", "id": 3, "method": "textDocument/hover", "params": {}}))
    assert (await asyncio.wait_for(wrong_version, TIMEOUT))["error"]["code"] == -32600
    await still_answering(server)


async def test_a_notification_with_bad_params_is_logged_once_and_not_answered(server: RawServer):
    before = len(server.unmatched)
    bad_change = {"textDocument": {"uri": server.uri, "version": "seven"}, "contentChanges": [{"text": 5}]}
    for _ in range(3):
        await server.notify("textDocument/didChange", bad_change)
    await still_answering(server)  # handled in order: the notifications were read before this answer
    assert len(server.unmatched) == before, "a notification was answered"
    warnings = [line for line in server.logged() if "textDocument/didChange" in line and "does not fit" in line]
    assert len(warnings) == 1 and "textDocument.version" in warnings[0]


async def test_a_frame_without_content_length_is_skipped_and_the_stream_resynchronises(server: RawServer):
    lost = json.dumps(hover(server, 10)).encode()
    await server.write(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + lost)
    await still_answering(server)
    not_a_number = json.dumps(hover(server, 11)).encode()
    await server.write(b"Content-Length: eleven\r\n\r\n" + not_a_number)
    await server.write(b"Content-Length: 999999999999\r\n\r\n")  # beyond any real message: not believed
    await still_answering(server)
    assert 10 not in server.responses and 11 not in server.responses
    assert sum("not a message" in line for line in server.logged()) >= 2


async def test_a_body_shorter_than_its_length_says_costs_one_parse_error_then_resynchronises(server: RawServer):
    before = len(server.unmatched)
    body = json.dumps(hover(server, 12)).encode()
    await server.write(b"Content-Length: %d\r\n\r\n%s" % (len(body) // 2, body))
    [parse_error] = (await next_unmatched(server, before + 1))[before:]
    assert parse_error["error"]["code"] == -32700
    await still_answering(server)  # the other half of the body was skipped, this frame found


async def test_invalid_utf8_is_decoded_with_replacement_and_answered(server: RawServer):
    answer = server.expect(13)
    body = json.dumps(hover(server, 13)).encode().replace(b'"textDocument": {', b'"textDocument": {"x": "\xff\xfe", ')
    await server.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    assert "result" in await asyncio.wait_for(answer, TIMEOUT)


async def test_after_shutdown_requests_are_refused_and_exit_ends_the_server_cleanly(server: RawServer):
    assert "error" not in await server.request("shutdown")
    late = await server.request("textDocument/hover", hover(server, 0)["params"])
    assert late["error"]["code"] == -32600 and "shutdown" in late["error"]["message"]
    await server.notify("exit", None)
    assert await server.ended() == 0
    stderr = server.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "ClassValidationError" not in stderr, stderr


async def test_over_tcp_bad_frames_get_their_errors_and_shutdown_is_answered():
    process = await asyncio.create_subprocess_exec(
        *SERVE, "--tcp", "127.0.0.1:0",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        line = b""
        while b"listening on" not in line:
            line = await asyncio.wait_for(process.stderr.readline(), TIMEOUT)
            assert line, "the server exited without listening"
        host, port = line.decode().rsplit(" ", 1)[1].strip().rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"X-Nothing: here\r\n\r\n{}")
        writer.write(b"Content-Length: 5\r\n\r\n{oops")
        writer.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": "me"}}))
        writer.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        await writer.drain()
        answers = []
        while len(answers) < 3:
            header = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            message = json.loads(await reader.readexactly(length))
            if "id" in message and "method" not in message:
                answers.append(message)
        assert [(a["id"], a.get("error", {}).get("code")) for a in answers] == [(None, -32700), (1, -32602), (2, None)]
        assert "params.processId" in answers[1]["error"]["message"]
        writer.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        await writer.drain()
        assert await asyncio.wait_for(process.wait(), TIMEOUT) == 0
        stderr = (await process.stderr.read()).decode("utf-8", "replace")
        assert "Traceback" not in stderr, stderr
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
