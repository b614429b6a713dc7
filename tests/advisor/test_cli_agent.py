"""``python-architect ask`` with the agent: tool steps on stderr as they happen, and
``--format json`` with the answer, citations and steps, against the fake API."""

from __future__ import annotations

import json

from chat_support import API_KEY, STRIPE_KEY
from fake_anthropic import Reply
from test_cli_ask import run_ask


def test_json_answer_with_steps_and_progress_on_stderr(workspace, fake_api, tmp_path):
    fake_api.script(
        Reply(chunks=["Checking. "], tool_uses=[("read_file", {"path": "src/shop/services/checkout.py"}),
                                                ("search_code", {"pattern": "Charge"})]),
        Reply(chunks=["Charge through the gateway (ADR-001)."]),
    )
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url, "XDG_CACHE_HOME": str(tmp_path)}
    result = run_ask("Where do charges go?", "--root", str(workspace), "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answer"].startswith("Checking. Charge through the gateway (ADR-001).")
    assert [c["id"] for c in data["citations"]] == ["ADR-001"]
    assert data["citations"][0]["path"] == ".ai/adrs/0001-payments-through-the-gateway.md"
    assert [(s["index"], s["tool"], s["path"], s["line"], s["error"]) for s in data["steps"]] == [
        (1, "read_file", "src/shop/services/checkout.py", 1, None), (2, "search_code", None, None, None)]
    assert data["stopped"] is None and data["redacted"] >= 1 and data["offline"] is False
    assert result.stderr.splitlines() == ["  Reading `checkout.py`…", "  Searching `Charge`…"]
    assert STRIPE_KEY not in "".join(r.raw for r in fake_api.message_requests()) + result.stdout


def test_tool_budget_from_the_command_line(workspace, fake_api, tmp_path):
    fake_api.script(Reply(chunks=[], tool_uses=[("list_adrs", {})]), Reply(chunks=["Short answer."]))
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url, "XDG_CACHE_HOME": str(tmp_path)}
    result = run_ask("Which ADRs?", "--root", str(workspace), "--max-tool-calls", "0", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["steps"] == [] and data["stopped"] == "it used its budget of 0 tool calls"
    second = fake_api.message_requests()[1].body
    assert second["tool_choice"] == {"type": "none"} and second["messages"][-1]["content"][0]["is_error"] is True
