"""``ask_architect`` through the ``mcp`` SDK's own client: the same agent as the chat (tool calls
against the workspace, answered by a local stand-in of the Messages API), its proposal returned
as an edit and a unified diff and never written, the conversation kept across calls, and its
inputs bounded."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from mcp_support import architect_session, copy_example, error_text, payload

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "advisor"))

from fake_anthropic import FakeAnthropic, Reply  # noqa: E402

QUOTE = "src/pricing_service/services/quote_service.py"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "service")


@pytest.fixture
def fake_api():
    fake = FakeAnthropic()
    fake.start()
    yield fake
    fake.stop()


async def test_the_agent_reads_through_tools_and_proposes_an_edit(workspace, fake_api, tmp_path):
    original = (workspace / QUOTE).read_text()
    first_line = original.splitlines()[0]
    fake_api.script(
        Reply(chunks=["Let me look."], tool_uses=[("read_file", {"path": QUOTE, "start_line": 1, "end_line": 3})]),
        Reply(chunks=[f"Per ADR-014, change the first line:\n\n```python path={QUOTE} lines=1-1\n"
                      f"{first_line}  # reviewed\n```\n"]),
        Reply(chunks=["Ten minutes, per ADR-014."]),
    )
    env = {"ANTHROPIC_API_KEY": "sk-ant-test-key-for-the-fake", "ANTHROPIC_BASE_URL": fake_api.base_url,
           "PYTHON_ARCHITECT_CACHE_DIR": str(tmp_path / "cache")}
    async with architect_session(workspace, extra_env=env) as session:
        answer = payload(await session.call_tool(
            "ask_architect", {"question": "Should QuoteService cache prices?", "path": QUOTE, "conversation": "c1"}))
        follow_up = payload(await session.call_tool(
            "ask_architect", {"question": "For how long?", "conversation": "c1"}))

    assert answer["offline"] is False and answer["error"] is None
    assert [(s["tool"], s["path"]) for s in answer["steps"]] == [("read_file", QUOTE)]
    requests = fake_api.message_requests()
    tool_results = [block for m in requests[1].body["messages"] if isinstance(m["content"], list)
                    for block in m["content"] if block.get("type") == "tool_result"]
    assert tool_results and first_line in json.loads(tool_results[0]["content"])["text"]
    [proposal] = answer["proposals"]["proposals"]
    assert (proposal["path"], proposal["startLine"], proposal["endLine"]) == (QUOTE, 1, 1)
    assert f"-{first_line}\n+{first_line}  # reviewed" in answer["proposals"]["diff"]
    assert (workspace / QUOTE).read_text() == original, "a proposal is never written by the server"
    # The follow-up carries the first turn (kept in the store, across calls).
    assert follow_up["answer"].startswith("Ten minutes")
    assert "Should QuoteService cache prices?" in requests[-1].raw


async def test_offline_without_a_key_and_bounded_inputs(workspace, tmp_path):
    outside = tmp_path / "elsewhere.py"
    outside.write_text("SECRET_MARKER = 1\n")
    async with architect_session(workspace, extra_env={"PYTHON_ARCHITECT_CACHE_DIR": str(tmp_path / "cache")}) as session:
        offline = payload(await session.call_tool("ask_architect", {"question": "Should the pricing service cache quotes in Redis?"}))
        assert offline["offline"] is True and offline["citations"][0]["id"] == "ADR-014"
        too_long = await session.call_tool("ask_architect", {"question": "x" * 5000})
        assert "longer than 4000" in error_text(too_long)
        refused = await session.call_tool("ask_architect", {"question": "Review this", "path": str(outside)})
        assert "outside the workspace root" in error_text(refused)
