"""The chat through the real language server over stdio: chunk notifications then the final
result, ``$/progress`` partial results, cancellation, "Ask the architect about this", offline
answers and errors — with the server still answering afterwards."""

from __future__ import annotations

import asyncio

import pytest
from chat_support import API_KEY, STRIPE_KEY
from fake_anthropic import Failure, Reply
from lsp_chat_client import CHUNK, ask, plain, start_chat_server
from lsprotocol import types
from python_architect.advisor import errors


@pytest.fixture
async def online_server(workspace, fake_api):
    client = await start_chat_server(workspace, {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url})
    yield client
    await asyncio.wait_for(client.shutdown_session(), 30)


@pytest.fixture
async def offline_server(workspace):
    client = await start_chat_server(workspace, {})
    yield client
    await asyncio.wait_for(client.shutdown_session(), 30)


async def test_chat_streams_chunks_then_final_result(online_server, workspace, fake_api):
    fake_api.default = Reply(chunks=["Move ", "the Stripe call ", "behind the gateway ", "(ADR-001)."])
    checkout = (workspace / "src" / "shop" / "services" / "checkout.py").resolve()
    result = await ask(online_server, {
        "conversationId": "conv-1", "requestId": 7, "question": "Review this",
        "uri": checkout.as_uri(), "range": {"start": {"line": 2, "character": 0}, "end": {"line": 11, "character": 0}},
    })
    texts = [c.text for c in online_server.chunks if c.conversation == "conv-1"]
    assert texts[:4] == ["Move ", "the Stripe call ", "behind the gateway ", "(ADR-001)."]
    assert "1 secret redacted" in texts[-1]
    assert all(c.request_id == 7 for c in online_server.chunks)
    assert result["text"].startswith("Move the Stripe call behind the gateway (ADR-001).")
    assert result["redacted"] == 1 and result["offline"] is False and result["error"] is None
    [citation] = result["citations"]
    adr_path = workspace / ".ai" / "adrs" / "0001-payments-through-the-gateway.md"
    assert citation["id"] == "ADR-001" and citation["uri"] == adr_path.resolve().as_uri()
    assert adr_path.read_text().splitlines()[citation["line"]] == "## Decision"  # 0-based
    [request] = fake_api.message_requests()
    assert STRIPE_KEY not in request.raw and "ADA-SHOP-ARCHITECT" in request.raw
    assert "lines 3-11" in request.body["messages"][-1]["content"]


async def test_unsaved_text_is_what_the_architect_sees(online_server, workspace, fake_api):
    money = (workspace / "src" / "shop" / "domain" / "money.py").resolve()
    unsaved = "import requests\n\n\ndef rate():\n    return requests.get('https://fx.example').json()\n"
    online_server.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=money.as_uri(), language_id="python", version=1, text=unsaved)))
    await ask(online_server, {"conversationId": "c", "question": "Is this fine?", "uri": money.as_uri()})
    sent = fake_api.message_requests()[0].body["messages"][-1]["content"]
    assert "requests.get('https://fx.example')" in sent and "class Money" not in sent


async def test_partial_results_over_progress(online_server, fake_api):
    fake_api.default = Reply(chunks=["one ", "two"])
    result = await ask(online_server, {"conversationId": "p", "question": "Hi", "partialResultToken": "tok-1"})
    received = online_server.progress
    assert [p["value"]["text"] for p in received if p["token"] == "tok-1"] == ["one ", "two"]
    assert online_server.chunks == []
    assert result["text"] == "one two"


async def test_cancel_request_stops_the_stream(online_server, fake_api):
    total = 400
    fake_api.default = Reply(chunks=[f"w{i} " for i in range(total)], delay=0.02)
    pending = asyncio.ensure_future(ask(online_server, {"conversationId": "long", "question": "Everything"}, msg_id="chat-cancel"))
    while len(online_server.chunks) < 2:  # the first online question imports the SDK: seconds on a busy machine
        await asyncio.wait_for(online_server.wait_for_notification(CHUNK), 30)
    online_server.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="chat-cancel"))
    with pytest.raises(Exception, match="(?i)cancel"):
        await asyncio.wait_for(pending, 10)
    disconnect = await asyncio.to_thread(fake_api.wait_for_disconnect, 5.0)
    assert disconnect is not None and disconnect.deltas_sent < total / 4
    settled = len([c for c in online_server.chunks if c.conversation == "long"])
    # The server keeps serving; its answer is also the barrier: a chunk of the cancelled stream
    # sent before it would have arrived before it.
    fake_api.default = Reply(chunks=["Still here."])
    result = await asyncio.wait_for(ask(online_server, {"conversationId": "after", "question": "Alive?"}), 30)
    assert result["text"] == "Still here."
    assert len([c for c in online_server.chunks if c.conversation == "long"]) == settled < total / 4


async def test_ask_about_finding_command(online_server, workspace, fake_api):
    fake_api.default = Reply(chunks=["ADR-001 forbids ", "importing stripe here."])
    checkout = (workspace / "src" / "shop" / "services" / "checkout.py").resolve()
    result = plain(await online_server.workspace_execute_command_async(types.ExecuteCommandParams(
        command="pythonArchitect.askAboutFinding",
        arguments=[{"uri": checkout.as_uri(), "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 13}},
                    "code": "ARC101", "adrs": ["ADR-001"], "message": "call the payment gateway adapter instead"}],
    )))
    assert result["text"] == "ADR-001 forbids importing stripe here.\n\n---\n🔒 1 secret redacted from the code before it was sent."
    assert [c["id"] for c in result["citations"]] == ["ADR-001"]
    sent = fake_api.message_requests()[0].body["messages"][-1]["content"]
    assert "ARC101" in sent and "call the payment gateway adapter instead" in sent
    assert sent.split("(ranked):\n", 1)[1].startswith("- ADR-001")
    assert online_server.chunks[0].conversation.startswith("finding:")


async def test_api_error_is_a_short_message_and_server_survives(online_server, fake_api):
    fake_api.script(Failure(401, "invalid x-api-key"))
    failed = await ask(online_server, {"conversationId": "e", "question": "Hi"})
    assert failed["error"] == errors.INVALID_KEY and failed["text"] == errors.INVALID_KEY
    ok = await ask(online_server, {"conversationId": "e", "question": "Hi again"})
    assert ok["error"] is None and ok["text"].startswith("The architect")


async def test_offline_without_key_over_lsp(offline_server):
    result = await ask(offline_server, {"conversationId": "o", "question": "Should we cache the catalogue in Redis?"})
    assert result["offline"] is True
    assert "ADR-004: Cache the catalogue in Redis" in result["text"]
    assert result["citations"][0]["id"] == "ADR-004"
    assert "".join(c.text for c in offline_server.chunks) == result["text"]


async def test_empty_question_is_answered_not_crashed(offline_server):
    result = await ask(offline_server, {"conversationId": "x", "question": "  "})
    assert result["error"] == "empty question"


async def test_malformed_requests_get_messages_not_crashes(offline_server):
    odd = await ask(offline_server, {"conversationId": 5, "question": "Where does Redis fit?", "adrs": "ADR-004",
                                     "range": {"start": "x"}, "uri": "untitled:Untitled-1"})
    assert odd["error"] is None and odd["citations"][0]["id"] == "ADR-004"
    command = plain(await offline_server.workspace_execute_command_async(
        types.ExecuteCommandParams(command="pythonArchitect.askAboutFinding", arguments=["not an object"])))
    assert command["error"] == "bad request" and command["text"] == "No finding was given to ask about."
    assert (await ask(offline_server, {"conversationId": "ok", "question": "Still there?"}))["offline"] is True
