"""The read-only tools the chat's agent shares with MCP (``read_file``, ``search_code``,
``find_symbol``, ``read_adr``), and the input bounds of every tool (issue 24 item 9), through
the ``mcp`` SDK's own client."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from mcp_support import architect_session, copy_example, error_text, payload


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "service")


async def test_reading_tools_answer_from_the_workspace(workspace):
    async with architect_session(workspace) as session:
        read = payload(await session.call_tool(
            "read_file", {"path": "src/pricing_service/services/quote_service.py", "start_line": 19, "end_line": 20}))
        lines = (workspace / "src/pricing_service/services/quote_service.py").read_text().splitlines()
        assert read["text"].splitlines() == [f"{19:>5}  {lines[18]}", f"{20:>5}  {lines[19]}"]
        assert read["total_lines"] == len(lines) and "start_line=21" in read["more"]

        found = payload(await session.call_tool("search_code", {"pattern": r"class \w+Discount\(", "glob": "*.py"}))
        assert "src/pricing_service/domain/discounts.py:28: class GoldTierDiscount(TierDiscount):" in found["matches"]
        literal = payload(await session.call_tool("search_code", {"pattern": "(a+)+$"}))  # would backtrack
        assert literal["note"].startswith("searched as literal text") and literal["matches"] == []

        [symbol] = payload(await session.call_tool("find_symbol", {"name": "QuoteService"}))["symbols"]
        assert (symbol["path"], symbol["line"], symbol["kind"]) == (
            "src/pricing_service/services/quote_service.py", 19, "class")
        assert symbol["imported_by"] and all(m.startswith("pricing_service.") for m in symbol["imported_by"])

        rejected = payload(await session.call_tool("read_adr", {"id": "ADR-005"}))
        assert rejected["status"] == "rejected"
        assert rejected["text"] == (workspace / ".ai/adrs/0005-graphql-gateway-for-internal-calls.md").read_text()


async def test_paths_outside_the_root_are_refused(workspace, tmp_path):
    outside = tmp_path / "elsewhere.py"
    outside.write_text("OUTSIDE = 1\n")
    os.symlink(outside, workspace / "src" / "pricing_service" / "linked.py")
    async with architect_session(workspace) as session:
        for path in ("../elsewhere.py", "src/pricing_service/linked.py", str(outside)):
            result = await session.call_tool("read_file", {"path": path})
            assert "outside the workspace root" in error_text(result)
        searched = payload(await session.call_tool("search_code", {"pattern": "OUTSIDE = 1"}))
        assert searched["matches"] == []


async def test_oversized_inputs_are_refused_while_other_calls_are_answered(workspace):
    paths = [f"src/file_{i}.py" for i in range(100_000)]
    async with architect_session(workspace) as session:
        # The hang guard is generous: before the bound, this call held the lock for minutes.
        huge, listed = await asyncio.wait_for(asyncio.gather(
            session.call_tool("check", {"paths": paths}),
            session.call_tool("list_adrs", {}),
        ), 120)
        assert "has 100000 entries; at most 200" in error_text(huge)
        assert len(payload(listed)["adrs"]) == len(list((workspace / ".ai" / "adrs").glob("*.md")))
        too_long = await session.call_tool("relevant_adrs", {"question": "x" * 5000})
        assert "longer than 4000 characters" in error_text(too_long)
        pattern = await session.call_tool("search_code", {"pattern": "a" * 400})
        assert "longer than 300 characters" in error_text(pattern)
        huge_text = await session.call_tool("check", {"path": "src/x.py", "text": "x" * 2_000_001})
        assert "longer than 2000000 characters" in error_text(huge_text)
        # Within the bound a list still works.
        checked = payload(await session.call_tool("check", {"paths": ["src/pricing_service/domain"] * 3, "ruff": False}))
        assert checked["findings"]


async def test_a_long_check_does_not_hold_up_other_calls(workspace):
    generated = workspace / "src" / "pricing_service" / "generated"
    generated.mkdir()
    (generated / "__init__.py").write_text("")
    body = "".join(f"def rule_{i}(price: int) -> int:\n    return price * {i} // 100\n\n\n" for i in range(60))
    for number in range(300):
        (generated / f"table_{number}.py").write_text(f'"""Table {number}."""\n\nimport logging\n\n\n{body}')
    async with architect_session(workspace) as session:
        check = asyncio.ensure_future(session.call_tool("check", {"ruff": False}))
        listed = asyncio.ensure_future(session.call_tool("list_adrs", {}))
        done, _ = await asyncio.wait({check, listed}, timeout=300, return_when=asyncio.FIRST_COMPLETED)
        assert listed in done and check not in done  # answered while the whole-workspace check runs
        assert payload(listed.result())["adrs"]
        assert payload(await asyncio.wait_for(check, 300))["files"] > 300
