"""Issue 23: the API key reaches the running server without a restart
(``pythonArchitect/setApiKey``), so diagnostics never blank; and the key appears in no log: not in
the server's ``window/logMessage`` output, not on its stderr, even at log level debug."""

from __future__ import annotations

import asyncio

from chat_support import API_KEY
from fake_anthropic import Reply
from lsp_chat_client import ask, start_chat_server
from lsprotocol import types

SET_API_KEY = "pythonArchitect/setApiKey"


async def test_key_set_and_cleared_on_the_running_server_and_never_logged(workspace, fake_api, capfd):
    client = await start_chat_server(workspace, {"ANTHROPIC_BASE_URL": fake_api.base_url}, {"logLevel": "debug"})
    try:
        money = (workspace / "src" / "shop" / "domain" / "money.py").resolve()
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=money.as_uri(), language_id="python", version=1, text=money.read_text())))
        before = await ask(client, {"conversationId": "a", "question": "Is this fine?", "uri": money.as_uri()})
        assert before["offline"] is True and fake_api.message_requests() == []

        fake_api.default = Reply(chunks=["Online now."])
        client.protocol.notify(SET_API_KEY, {"apiKey": API_KEY})
        online = await ask(client, {"conversationId": "b", "question": "Is this fine?", "uri": money.as_uri()})
        assert online["offline"] is False and online["text"].startswith("Online now.")
        [request] = fake_api.message_requests()
        assert API_KEY in request.headers.get("x-api-key", "") + request.headers.get("authorization", "")

        # The same process answers the document pull throughout: nothing restarted, nothing blanked.
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=money.as_uri())))
        assert report is not None

        client.protocol.notify(SET_API_KEY, {"apiKey": None})
        cleared = await ask(client, {"conversationId": "c", "question": "Is this fine?", "uri": money.as_uri()})
        assert cleared["offline"] is True and len(fake_api.message_requests()) == 1
        logged = [message.message for message in client.log_messages]
        assert any("API key received" in line for line in logged)  # the log was there to look at
        assert not any(API_KEY in line or API_KEY[-12:] in line for line in logged)
    finally:
        await asyncio.wait_for(client.shutdown_session(), 30)
    # The server logs to the client; its stderr carries only what escapes that (warnings, tracebacks).
    assert API_KEY[-12:] not in capfd.readouterr().err
