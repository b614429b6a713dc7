"""Stored conversations over the real language server: a conversation created through the chat
request (the fake Anthropic API) is listed, read and deleted by the panel's requests, survives a
server restart (a second process, the same cache directory) and its follow-up request carries the
earlier turn; a proposed change comes back as a WorkspaceEdit and a diff; and a finding's code
actions offer "Fix with the architect" after the real fixes and before the suppression."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "advisor"))

from chat_support import API_KEY, render_workspace
from fake_anthropic import FakeAnthropic, Reply
from lsp_chat_client import ask, plain, start_chat_server
from lsp_support import start
from lsprotocol import types

LIST = "pythonArchitect/listConversations"
GET = "pythonArchitect/getConversation"
DELETE = "pythonArchitect/deleteConversation"
FIX = "pythonArchitect.fixWithArchitect"


@pytest.fixture
def fake():
    api = FakeAnthropic()
    api.start()
    yield api
    api.stop()


@pytest.fixture
def chat_workspace(tmp_path: Path) -> Path:
    return render_workspace(tmp_path / "shop")


async def request(client, method: str, params: dict) -> object:
    return plain(await asyncio.wait_for(client.protocol.send_request_async(method, params), 30))


async def test_a_conversation_survives_a_restart_and_its_follow_up_carries_the_earlier_turn(
    chat_workspace: Path, fake: FakeAnthropic, tmp_path: Path
) -> None:
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake.base_url,
           "PYTHON_ARCHITECT_CACHE_DIR": str(tmp_path / "cache")}
    checkout = (chat_workspace / "src" / "shop" / "services" / "checkout.py").resolve()
    question = "Should checkout call Stripe directly?\nDB_PASSWORD=hunter2"
    fake.default = Reply(chunks=["No: go through ", "the payment gateway (ADR-001)."])
    first = await start_chat_server(chat_workspace, env)
    try:
        answered = await ask(first, {"conversationId": "conv-r", "question": question, "uri": checkout.as_uri(),
                                     "range": {"start": {"line": 2, "character": 0}, "end": {"line": 5, "character": 0}}})
        assert answered["error"] is None and answered["proposals"] is None
        [listed] = await request(first, LIST, {})
        assert (listed["id"], listed["turns"]) == ("conv-r", 1)
        assert listed["title"] == "Should checkout call Stripe directly? DB_PASSWORD=[REDACTED secret assignment]"
    finally:
        await asyncio.wait_for(first.shutdown_session(), 30)
    stored = list((tmp_path / "cache").rglob("conversations/*.json"))
    assert len(stored) == 1 and "hunter2" not in stored[0].read_text()
    assert not list(chat_workspace.rglob("*.json"))  # never in the workspace

    second = await start_chat_server(chat_workspace, env)  # a server restart: only the disk remains
    try:
        [listed] = await request(second, LIST, {})
        assert listed["id"] == "conv-r" and listed["folderUri"] == chat_workspace.resolve().as_uri()
        conversation = await request(second, GET, {"conversationId": "conv-r"})
        [turn] = conversation["turns"]
        assert turn["answer"] == "No: go through the payment gateway (ADR-001)."
        assert (turn["path"], turn["uri"], turn["selection"], turn["adrs"]) == (
            "src/shop/services/checkout.py", checkout.as_uri(), [3, 5], ["ADR-001"])

        fake.default = Reply(chunks=[
            "Like this:\n\n```python path=src/shop/services/checkout.py lines=3-3\n",
            "from shop.gateway import payments\n```\n",
            "```python path=../outside.py\nx = 1\n```\n",
        ])
        follow_up = await ask(second, {"conversationId": "conv-r", "question": "Show me how that would look in code"})
        messages = fake.message_requests()[-1].body["messages"]
        assert [m["role"] for m in messages] == ["user", "assistant", "user"]
        assert messages[0]["content"].startswith("Should checkout call Stripe directly?")
        assert "hunter2" not in fake.message_requests()[-1].raw
        assert messages[1]["content"].startswith("No: go through the payment gateway (ADR-001).")
        assert "Looked at: src/shop/services/checkout.py (lines 3-5). ADRs cited: ADR-001." in messages[1]["content"]
        assert "Show me how that would look in code" in messages[2]["content"]

        proposals = follow_up["proposals"]
        [change] = proposals["edit"]["documentChanges"]
        assert change["textDocument"]["uri"] == checkout.as_uri()
        assert change["edits"] == [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}},
                                    "newText": "from shop.gateway import payments\n"}]
        assert "-import stripe\n+from shop.gateway import payments\n" in proposals["diff"]
        assert [r["path"] for r in proposals["refused"]] == ["../outside.py"]
        assert "import stripe" in checkout.read_text()  # the server never writes the file

        assert (await request(second, GET, {"conversationId": "conv-r"}))["turns"][1]["question"] == (
            "Show me how that would look in code")
        assert await request(second, DELETE, {"conversationId": "conv-r"}) == {"deleted": True}
        assert await request(second, LIST, {}) == []
        assert await request(second, GET, {"conversationId": "conv-r"}) is None
        assert await request(second, DELETE, {"conversationId": "conv-r"}) == {"deleted": False}
        assert await request(second, GET, {"conversationId": 7}) is None  # malformed: an answer, not a crash
    finally:
        await asyncio.wait_for(second.shutdown_session(), 30)


async def test_fix_with_the_architect_asks_for_a_fix(chat_workspace: Path, fake: FakeAnthropic, tmp_path: Path) -> None:
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake.base_url,
           "PYTHON_ARCHITECT_CACHE_DIR": str(tmp_path / "cache")}
    checkout = (chat_workspace / "src" / "shop" / "services" / "checkout.py").resolve()
    client = await start_chat_server(chat_workspace, env)
    try:
        result = plain(await client.workspace_execute_command_async(types.ExecuteCommandParams(command=FIX, arguments=[{
            "uri": checkout.as_uri(), "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 13}},
            "code": "ARC101", "adrs": ["ADR-001"], "message": "import of stripe outside the gateway",
            "question": "Fix finding ARC101 in src/shop/services/checkout.py at line 3: import of stripe outside the gateway.",
        }])))
        assert result["error"] is None
        sent = fake.message_requests()[-1].body["messages"][-1]["content"]
        assert "Fix finding ARC101 in src/shop/services/checkout.py at line 3" in sent
        bad = plain(await client.workspace_execute_command_async(types.ExecuteCommandParams(command=FIX, arguments=["x"])))
        assert bad["error"] == "bad request"
    finally:
        await asyncio.wait_for(client.shutdown_session(), 30)


async def test_fix_with_the_architect_comes_after_the_fixes_and_before_suppress(vscode_client, shop: Path) -> None:
    session = await start(vscode_client, [shop])
    uri = session.open("src/shop/services/billing.py")
    diagnostic = next(d for d in await session.diagnostics(uri) if d.code == "S113")
    actions = await session.actions(uri, [diagnostic])
    titles = [a.title for a in actions]
    fixes = [i for i, a in enumerate(actions) if a.edit is not None and not a.title.startswith("Suppress")]
    architect = titles.index("Fix with the architect")
    suppress = titles.index("Suppress S113 on this line")
    assert fixes and max(fixes) < architect < suppress, titles
    action = actions[architect]
    assert action.kind == types.CodeActionKind.QuickFix and action.edit is None
    assert action.command.command == FIX
    [argument] = action.command.arguments
    line = diagnostic.range.start.line + 1
    assert argument["uri"] == uri and argument["code"] == "S113" and argument["adrs"] == ["ADR-002"]
    assert argument["message"] and diagnostic.message.startswith(argument["message"])  # the message without its ADR tag
    assert argument["range"]["start"] == {"line": diagnostic.range.start.line, "character": diagnostic.range.start.character}
    assert argument["question"].startswith(f"Fix finding S113 in src/shop/services/billing.py at line {line} (governed by ADR-002)")
