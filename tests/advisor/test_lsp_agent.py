"""The agent through the real language server over stdio: tool steps streamed as chat-chunk
notifications in order (with the place they read, unsaved editor text included), and
``$/cancelRequest`` during a tool call ending the answer with nothing more sent to the API."""

from __future__ import annotations

import asyncio
import json

import pytest
from chat_support import API_KEY
from fake_anthropic import Reply
from lsp_chat_client import CHUNK, ask, start_chat_server
from lsprotocol import types


@pytest.fixture
async def online_server(workspace, fake_api):
    client = await start_chat_server(workspace, {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url})
    yield client
    await asyncio.wait_for(client.shutdown_session(), 30)


async def test_steps_arrive_in_order_with_links_and_unsaved_text(online_server, workspace, fake_api):
    money = (workspace / "src" / "shop" / "domain" / "money.py").resolve()
    unsaved = '"""Money."""\n\n\nclass Money:\n    """Cents and a currency."""\n\n    cents: int\n'
    online_server.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=money.as_uri(), language_id="python", version=1, text=unsaved)))
    fake_api.script(
        Reply(chunks=["Looking. "], tool_uses=[("read_file", {"path": "src/shop/domain/money.py", "start_line": 4}),
                                               ("find_symbol", {"name": "Money"})]),
        Reply(chunks=[], tool_uses=[("list_adrs", {})]),
        Reply(chunks=["Money is ", "fine."]),
    )
    result = await ask(online_server, {"conversationId": "steps", "requestId": 3, "question": "Is Money right?"})
    steps = online_server.steps
    assert [(s["index"], s["tool"], s["label"]) for s in steps] == [
        (1, "read_file", "Reading `money.py`…"), (2, "find_symbol", "Looking up `Money`…"),
        (3, "list_adrs", "Listing the ADRs…")]
    assert steps[0]["uri"] == (workspace / "src/shop/domain/money.py").as_uri() and steps[0]["line"] == 3
    # Order against the text: after "Looking. ", before the answer's text.
    texts = [c.text for c in online_server.chunks if c.conversation == "steps"]
    assert [s["at"] for s in steps] == [1, 1, 1] and texts[:3] == ["Looking. ", "Money is ", "fine."]
    assert result["text"].startswith("Looking. Money is fine.")
    assert [s["tool"] for s in result["steps"]] == ["read_file", "find_symbol", "list_adrs"]
    second = fake_api.message_requests()[1]
    blocks = second.body["messages"][-1]["content"]
    read = json.loads(blocks[0]["content"])
    assert read["text"].splitlines()[0] == "    4  class Money:"  # the editor's text, not the disk's
    [symbol] = json.loads(blocks[1]["content"])["symbols"]
    assert (symbol["line"], symbol["docstring"]) == (4, "Cents and a currency.")


async def test_cancel_during_a_tool_call_sends_nothing_more(online_server, workspace, fake_api):
    # A tree whose search takes seconds: long lines where an unanchored pattern scans far.
    slow = workspace / "src" / "shop" / "generated"
    slow.mkdir()
    line = "x = '" + "q" * 230 + "'\n"
    for number in range(25):
        (slow / f"table_{number}.py").write_text(line * 1000)
    fake_api.script(Reply(chunks=["Searching. "], tool_uses=[("search_code", {"pattern": "[a-z]+Z[0-9]+"})]))
    fake_api.default = Reply(chunks=["Still here."])
    pending = asyncio.ensure_future(ask(online_server, {"conversationId": "cancel", "question": "Find Z"}, msg_id="agent-cancel"))
    while not online_server.steps:  # the step is sent just before the tool runs
        await asyncio.wait_for(online_server.wait_for_notification(CHUNK), 60)
    online_server.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="agent-cancel"))
    with pytest.raises(Exception, match="(?i)cancel"):
        await asyncio.wait_for(pending, 30)
    # The next answer is the barrier: a continuation of the cancelled one would come before it.
    result = await asyncio.wait_for(ask(online_server, {"conversationId": "after", "question": "Alive?"}), 60)
    assert result["text"] == "Still here."
    requests = fake_api.message_requests()
    assert len(requests) == 2 and "tool_result" not in requests[1].raw
