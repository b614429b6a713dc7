"""The agent loop against the fake Messages API answering with scripted ``tool_use`` blocks
(streamed as ``input_json_delta``): each tool's result as the API receives it in the next
request's ``tool_result``, refused paths, redaction in tool results, the budget, progress steps
in order, and cancellation during a tool call."""

from __future__ import annotations

import asyncio
import json
import os
import threading

import pytest
from chat_support import STRIPE_KEY, collect, make_advisor
from fake_anthropic import Reply
from python_architect.advisor.service import ChatChunk, ChatFinal, ChatStep


def tool_results(request) -> dict[str, dict]:
    """The ``tool_result`` blocks of a request's last user turn, by the tool name they answer."""
    messages = request.body["messages"]
    names = {block["id"]: block["name"] for block in messages[-2]["content"] if block["type"] == "tool_use"}
    return {names[block["tool_use_id"]]: block for block in messages[-1]["content"] if block["type"] == "tool_result"}


async def events_of(advisor, question, **kwargs):
    events = []
    async for event in advisor.ask("agent", question, **kwargs):
        events.append(event)
    return events


async def test_each_tool_result_reaches_the_next_request(project, fake_api):
    fake_api.script(
        Reply(chunks=["Let me look. "], tool_uses=[
            ("read_file", {"path": "src/shop/domain/money.py", "start_line": 1, "end_line": 9}),
            ("search_code", {"pattern": r"stripe\.\w+\.create", "glob": "*.py"}),
            ("find_symbol", {"name": "Money"}),
            ("check", {"paths": ["src/shop/services"]}),
            ("relevant_adrs", {"question": "Where should the catalogue cache live?"}),
            ("list_adrs", {}),
            ("read_adr", {"id": "ADR-003"}),
            ("explain_rule", {"code": "ARC101"}),
            ("graph", {"depth": 2, "format": "json"}),
        ]),
        Reply(chunks=["Use the gateway (ADR-001)."]),
    )
    advisor = make_advisor(project, fake_api)
    events = await events_of(advisor, "Where do charges go?")

    first, second = fake_api.message_requests()
    assert [tool["name"] for tool in first.body["tools"]] == [
        "read_file", "search_code", "find_symbol", "check", "relevant_adrs", "list_adrs", "read_adr",
        "explain_rule", "graph"]
    results = tool_results(second)
    assert not any(block.get("is_error") for block in results.values()), results
    read = json.loads(results["read_file"]["content"])
    assert read["path"] == "src/shop/domain/money.py" and "    7  class Money:" in read["text"].splitlines()
    search = json.loads(results["search_code"]["content"])
    assert any(m.startswith("src/shop/services/checkout.py:10: ") and "stripe.Charge.create" in m
               for m in search["matches"])
    [symbol] = json.loads(results["find_symbol"]["content"])["symbols"]
    assert symbol == {"name": "Money", "kind": "class", "line": 7, "signature": "class Money",
                      "bases": [], "docstring": "", "path": "src/shop/domain/money.py",
                      "module": "shop.domain.money", "imported_by": []}
    check = json.loads(results["check"]["content"])
    assert {f["code"] for f in check["findings"]} >= {"ARC101", "ARC701"} and "ADR-001" in check["adrs"]
    relevant = json.loads(results["relevant_adrs"]["content"])
    assert relevant["adrs"][0]["id"] == "ADR-004"
    listed = json.loads(results["list_adrs"]["content"])
    assert [a["id"] for a in listed["adrs"]] == ["ADR-001", "ADR-002", "ADR-003", "ADR-004", "ADR-005"]
    adr = json.loads(results["read_adr"]["content"])  # a superseded ADR in full, reasons included
    assert adr["status"] == "superseded" and adr["superseded_by"] == ["ADR-004"] and "## Decision" in adr["text"]
    assert json.loads(results["explain_rule"]["content"])["code"] == "ARC101"
    graph = json.loads(results["graph"]["content"])
    assert "shop.services" in json.dumps(graph)
    # The assistant turn went back whole, with the tool input the SDK assembled from the deltas.
    uses = [b for b in second.body["messages"][-2]["content"] if b["type"] == "tool_use"]
    assert uses[1]["input"] == {"pattern": r"stripe\.\w+\.create", "glob": "*.py"}

    steps = [e for e in events if isinstance(e, ChatStep)]
    assert [s.label for s in steps] == [
        "Reading `money.py`…", r"Searching `stripe\.\w+\.create` in `*.py`…", "Looking up `Money`…",
        "Checking `src/shop/services`…", "Finding the ADRs that govern the question…", "Listing the ADRs…",
        "Reading ADR-003…", "Explaining ARC101…", "Drawing the module graph…"]
    assert (steps[0].path, steps[0].line) == ("src/shop/domain/money.py", 1)
    # Steps arrive after the text before them and before the answer that follows them.
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("ChatStep") > kinds.index("ChatChunk")
    final = events[-1]
    assert isinstance(final, ChatFinal) and final.text.startswith("Let me look. Use the gateway (ADR-001).")
    assert [s.tool for s in final.steps] == [s.tool for s in steps] and final.stopped is None
    assert [c.id for c in final.citations] == ["ADR-001"]


async def test_paths_outside_the_root_are_refused(project, workspace, fake_api, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("TOKEN_FROM_OUTSIDE = 1\n")
    os.symlink(outside / "secret.py", workspace / "src" / "shop" / "linked.py")
    fake_api.script(
        Reply(chunks=[], tool_uses=[
            ("read_file", {"path": "../outside/secret.py"}),
            ("read_file", {"path": "src/shop/linked.py"}),
            ("read_file", {"path": str(outside / "secret.py")}),
            ("search_code", {"pattern": "TOKEN_FROM_OUTSIDE"}),
            ("check", {"paths": ["src/../../outside"]}),
        ]),
        Reply(chunks=["Nothing there."]),
    )
    final = (await events_of(make_advisor(project, fake_api), "What is in the secret module?"))[-1]
    second = fake_api.message_requests()[1]
    assert "TOKEN_FROM_OUTSIDE = 1" not in second.raw
    blocks = [b for b in second.body["messages"][-1]["content"]]
    assert [b.get("is_error", False) for b in blocks] == [True, True, True, False, True]
    for block in (blocks[0], blocks[1], blocks[2], blocks[4]):
        assert "outside the workspace root" in block["content"]
    assert json.loads(blocks[3]["content"])["matches"] == []
    assert [s.error is not None for s in final.steps] == [True, True, True, False, True]


async def test_a_key_in_a_file_read_never_reaches_the_api(project, workspace, fake_api):
    (workspace / "config.env").write_text("DB_PASSWORD=hunter2-prod\nDEBUG=false\n")
    fake_api.script(
        Reply(chunks=[], tool_uses=[
            ("read_file", {"path": "src/shop/services/checkout.py"}),
            ("search_code", {"pattern": "STRIPE_KEY"}),
            ("read_file", {"path": "config.env"}),
        ]),
        Reply(chunks=["Rotate it."]),
    )
    final = (await events_of(make_advisor(project, fake_api), "Is anything secret in the code?"))[-1]
    raw = "".join(r.raw for r in fake_api.message_requests())
    assert STRIPE_KEY not in raw and "hunter2-prod" not in raw
    results = tool_results(fake_api.message_requests()[1])
    assert "[REDACTED" in results["search_code"]["content"]
    assert "DEBUG=false" in raw and "DB_PASSWORD=[REDACTED" in raw
    assert final.redacted >= 2 and "redacted" in final.text


async def test_the_tool_budget_stops_the_loop_and_says_so(project, fake_api):
    look = Reply(chunks=[], tool_uses=[("list_adrs", {})])
    fake_api.script(look, Reply(chunks=[], tool_uses=[("list_adrs", {}), ("find_symbol", {"name": "Money"})]),
                    Reply(chunks=["With what I have: ADR-004."]))
    advisor = make_advisor(project, fake_api, chat_max_tool_calls=2)
    events = await events_of(advisor, "Which cache?")
    requests = fake_api.message_requests()
    assert len(requests) == 3
    assert "tool_choice" not in requests[0].body and "tool_choice" not in requests[1].body
    assert requests[2].body["tool_choice"] == {"type": "none"}  # the last request may not ask for more
    results = requests[2].body["messages"][-1]["content"]
    assert results[0].get("is_error") is None and results[1]["is_error"] is True
    assert "tool budget" in results[1]["content"]
    final = events[-1]
    assert len(final.steps) == 2 and [e.index for e in events if isinstance(e, ChatStep)] == [1, 2]
    assert final.stopped == "it used its budget of 2 tool calls"
    assert "stopped looking further: it used its budget of 2 tool calls" in final.text


async def test_the_token_budget_forbids_more_tools(project, fake_api):
    fake_api.script(Reply(chunks=[], tool_uses=[("list_adrs", {})]), Reply(chunks=["Done."]))
    final = (await events_of(make_advisor(project, fake_api, chat_max_answer_tokens=10), "Which cache?"))[-1]
    second = fake_api.message_requests()[1]
    assert second.body["tool_choice"] == {"type": "none"} and "budget of 10 tokens" in final.text


async def test_cancelled_during_a_tool_sends_nothing_more(project, fake_api, monkeypatch):
    entered, finished = threading.Event(), threading.Event()
    seen_cancel: list[bool] = []

    advisor = make_advisor(project, fake_api)

    def slow_search(pattern, glob, *, redactor, cancelled):
        entered.set()
        seen_cancel.append(cancelled.wait(30))  # a long search that checks for cancellation
        finished.set()
        return {"matches": []}

    monkeypatch.setattr(advisor.tools, "_tool_search_code", slow_search)
    fake_api.script(Reply(chunks=["Searching. "], tool_uses=[("search_code", {"pattern": "Quote"})]))
    fake_api.default = Reply(chunks=["Fresh answer."])
    task = asyncio.ensure_future(collect(advisor.ask("c", "Where are quotes cached?")))
    assert await asyncio.to_thread(entered.wait, 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(finished.wait, 30) and seen_cancel == [True]
    # A later answer on the same advisor is the barrier: a request of the cancelled answer sent
    # after the tool returned would come before it.
    _, final = await collect(advisor.ask("d", "Anything else?"))
    assert final.text == "Fresh answer."
    requests = fake_api.message_requests()
    assert len(requests) == 2
    assert "tool_result" not in requests[1].raw


async def test_offline_answers_use_no_tools(project, fake_api):
    events = await events_of(make_advisor(project, fake_api), "Which cache?", offline=True)
    assert fake_api.message_requests() == [] and not any(isinstance(e, ChatStep) for e in events)
    assert isinstance(events[0], ChatChunk)


async def test_the_fake_answers_tool_use_without_streaming_as_the_sdk_expects(fake_api):
    """The stand-in's non-streaming ``tool_use`` reply parses in the real SDK like the service's."""
    import anthropic

    fake_api.script(Reply(chunks=["Let me read it."], tool_uses=[("read_file", {"path": "a.py", "start_line": 2})]))
    client = anthropic.AsyncAnthropic(api_key="test-key", base_url=fake_api.base_url, max_retries=0)
    try:
        message = await client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "hi"}],
                                               tools=[{"name": "read_file", "input_schema": {"type": "object"}}])
    finally:
        await client.close()
    assert message.stop_reason == "tool_use"
    text, use = message.content
    assert text.text == "Let me read it." and (use.name, use.input) == ("read_file", {"path": "a.py", "start_line": 2})
    assert fake_api.message_requests()[0].body["tools"][0]["name"] == "read_file"
