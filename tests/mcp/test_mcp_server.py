"""``python-architect mcp`` over stdio, driven by the SDK's client on a copy of the example."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp_support import architect_session, copy_example, error_text, payload

TOOLS = {"check", "relevant_adrs", "explain_rule", "list_adrs", "graph", "record_decision",
         "read_file", "search_code", "find_symbol", "read_adr", "ask_architect"}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "service")


async def test_lists_tools_resources_and_the_persona_prompt(workspace):
    async with architect_session(workspace) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(tools) == TOOLS
        assert tools["record_decision"].input_schema["required"] == ["title", "context", "decision", "consequences"]
        assert "question" in tools["relevant_adrs"].input_schema["properties"]
        resources = {str(r.uri): r for r in (await session.list_resources()).resources}
        adr_files = sorted((workspace / ".ai" / "adrs").glob("*.md"))
        assert len([u for u in resources if u.startswith("architect://adrs/")]) == len(adr_files)
        assert resources["architect://adrs/ADR-009"].title == "Composition over inheritance for discount rules"
        assert {"architect://docs/project-context.md", "architect://docs/coding-standards.md",
                "architect://docs/architecture-decisions.md"} <= set(resources)
        read = await session.read_resource("architect://adrs/ADR-003")
        assert read.contents[0].text == (workspace / ".ai/adrs/0003-pin-runtime-dependencies.md").read_text()
        prompts = (await session.list_prompts()).prompts
        assert [p.name for p in prompts] == ["architect"]
        prompt = await session.get_prompt("architect", {"task": "add a price cache"})
        text = prompt.messages[0].content.text
        persona = (workspace / ".claude" / "agents").glob("*.md")
        assert any(line.strip() and line.strip() in text for p in persona for line in p.read_text().splitlines()[-3:])
        assert "`relevant_adrs`" in text and text.rstrip().endswith("add a price cache")


async def test_each_tool_answers_on_the_example(workspace):
    async with architect_session(workspace) as session:
        checked = payload(await session.call_tool("check", {"paths": ["src/pricing_service/domain"], "ruff": False}))
        codes = {f["code"] for f in checked["findings"]}
        assert {"ARC101", "ARC202"} <= codes
        deep = next(f for f in checked["findings"] if f["code"] == "ARC202")
        assert deep["path"] == "src/pricing_service/domain/discounts.py" and deep["adrs"] == ["ADR-009"]
        assert checked["adrs"]["ADR-009"] == "Composition over inheritance for discount rules"

        unsaved = "import fastapi\n\n\ndef price() -> int:\n    return 1\n"
        on_text = payload(await session.call_tool(
            "check", {"path": "src/pricing_service/domain/new_rules.py", "text": unsaved, "ruff": False}))
        assert [(f["code"], f["line"], f["adrs"]) for f in on_text["findings"]] == [("ARC101", 1, ["ADR-011"])]
        assert not (workspace / "src/pricing_service/domain/new_rules.py").exists()

        asked = payload(await session.call_tool(
            "relevant_adrs", {"question": "Should `QuoteService` extend a `BaseService` to reuse its helpers?"}))
        assert asked["adrs"][0]["id"] == "ADR-009"
        assert "combined by composition" in asked["adrs"][0]["decision"]
        assert any("`QuoteService` is a class" in fact for fact in asked["code"])

        pinned = payload(await session.call_tool("relevant_adrs", {"question": "Can I declare `pydantic>=2`?"}))
        assert pinned["adrs"][0]["id"] == "ADR-003"
        assert "ARC110 would report it" in pinned["code"][0]

        placed = payload(await session.call_tool(
            "relevant_adrs", {"path": "src/pricing_service/domain/pricing_rules.py", "line": 8}))
        assert placed["adrs"][0]["id"] == "ADR-011"
        assert any(f["code"] == "ARC101" for f in placed["findings"])

        rule = payload(await session.call_tool("explain_rule", {"code": "arc202"}))
        assert rule["principle"] == "composition" and rule["instead"]
        assert [a["id"] for a in rule["adrs"]][:1] == ["ADR-009"]

        listed = payload(await session.call_tool("list_adrs", {"status": "superseded"}))
        assert [(a["id"], a["superseded_by"]) for a in listed["adrs"]] == [("ADR-004", ["ADR-014"])]

        drawn = payload(await session.call_tool("graph", {"depth": 2, "format": "mermaid"}))
        assert drawn.startswith("flowchart") and "pricing_service.domain" in drawn

        upward = payload(await session.call_tool(
            "check", {"path": "src/pricing_service/domain/ghost.py", "text": "from pricing_service.api import routes\n",
                      "ruff": False}))
        assert [f["code"] for f in upward["findings"]] == ["ARC102"]
        modules = payload(await session.call_tool("graph", {"depth": 4, "format": "json"}))
        assert "pricing_service.domain.discounts" in modules and "ghost" not in modules  # the text did not stay


async def test_record_decision_writes_the_next_number_and_never_overwrites(workspace):
    adrs = workspace / ".ai" / "adrs"
    before = {p.name: p.read_bytes() for p in adrs.glob("*.md")}
    async with architect_session(workspace) as session:
        first = payload(await session.call_tool("record_decision", {
            "title": 'Quotes expire after 15 minutes: "hard" limit #1',
            "context": "Prices move during the day.",
            "decision": "A quote is valid for 15 minutes.",
            "consequences": "Clients must re-quote after expiry.",
            "tags": ["quotes"],
        }))
        second = payload(await session.call_tool("record_decision", {
            "title": "Quotes expire after 15 minutes: \"hard\" limit #1", "context": "c", "decision": "d",
            "consequences": "e", "status": "accepted"}))
        assert (first["id"], first["path"]) == ("ADR-019", ".ai/adrs/0019-quotes-expire-after-15-minutes-hard-limit-1.md")
        assert second["id"] == "ADR-020" and second["status"] == "accepted"
        listed = payload(await session.call_tool("list_adrs", {}))
        recorded = next(a for a in listed["adrs"] if a["id"] == "ADR-019")
        assert recorded["title"] == 'Quotes expire after 15 minutes: "hard" limit #1'
        assert recorded["status"] == "proposed" and recorded["tags"] == ["quotes"]
        uris = {str(r.uri) for r in (await session.list_resources()).resources}
        assert "architect://adrs/ADR-020" in uris
        found = payload(await session.call_tool("relevant_adrs", {"question": "how long is a quote valid before expiry?"}))
        assert "ADR-019" in [a["id"] for a in found["adrs"]]
    assert {p.name: p.read_bytes() for p in adrs.glob("*.md") if p.name in before} == before


async def test_paths_outside_the_root_are_refused_and_the_server_keeps_answering(workspace, tmp_path):
    secret = tmp_path / "outside.py"
    secret.write_text("API_KEY = 'sk_live_" + "x" * 24 + "'\n")
    (workspace / "src" / "escape.py").symlink_to(secret)
    async with architect_session(workspace) as session:
        for arguments in (
            {"paths": ["../outside.py"]},
            {"paths": [str(secret)]},
            {"paths": ["src/escape.py"]},
            {"path": "/etc/passwd", "text": "x = 1\n"},
        ):
            message = error_text(await session.call_tool("check", arguments))
            assert "outside the workspace root" in message, arguments
        refused = error_text(await session.call_tool("relevant_adrs", {"path": "../outside.py", "line": 1}))
        assert "outside the workspace root" in refused
        assert "sk_live" not in refused
        listed = payload(await session.call_tool("list_adrs", {}))
        assert len(listed["adrs"]) == 17


MALFORMED = [
    ("check", {"paths": 7}, "valid list"),
    ("check", {"text": "x = 1\n"}, "`text` needs `path`"),
    ("check", {"paths": ["no/such/dir"]}, "no such file"),
    ("relevant_adrs", {}, "give a `question`"),
    ("relevant_adrs", {"question": "x", "line": 0}, "1-based"),
    ("explain_rule", {"code": "ARC9999"}, "unknown rule code ARC9999"),
    ("explain_rule", {"code": "rm -rf /"}, "not a rule code"),
    ("explain_rule", {}, "code"),
    ("graph", {"format": "png"}, "format"),
    ("record_decision", {"title": "", "context": "c", "decision": "d", "consequences": "e"}, "`title`"),
    ("record_decision", {"title": "t", "context": " ", "decision": "d", "consequences": "e"}, "`context`"),
    ("record_decision", {"title": "t", "context": "c", "decision": "d", "consequences": "e", "tags": ["a b"]},
     "`tags`"),
    ("no_such_tool", {}, "no_such_tool"),
]


async def test_malformed_arguments_get_an_error_and_the_server_survives(workspace):
    async with architect_session(workspace) as session:
        for tool, arguments, expected in MALFORMED:
            message = error_text(await session.call_tool(tool, arguments))
            assert expected in message, (tool, arguments, message)
            assert payload(await session.call_tool("explain_rule", {"code": "ARC101"}))["code"] == "ARC101"
    assert max(p.name for p in (workspace / ".ai" / "adrs").glob("*.md")).startswith("0018")


def test_without_the_sdk_the_command_says_how_to_install_it(tmp_path):
    code = "import sys; sys.modules['mcp'] = None\nfrom python_architect.cli import main\nsys.exit(main(['mcp']))"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 2
    assert "pip install 'python-architect[mcp]'" in done.stderr
    assert done.stdout == ""


async def test_an_adr_written_by_hand_is_listed_and_readable_at_once(workspace):
    """A teammate's ADR that arrives while the server runs (an editor, a git pull) is a resource at
    the next list, with its text; no restart, no ``record_decision``."""
    async with architect_session(workspace) as session:
        before = {str(r.uri) for r in (await session.list_resources()).resources}
        assert "architect://adrs/ADR-042" not in before
        (workspace / ".ai" / "adrs" / "0042-events-carry-ids-only.md").write_text(
            "---\nid: ADR-042\ntitle: Events carry ids only\nstatus: accepted\ndate: 2026-11-30\n---\n"
            "# ADR-042: Events carry ids only\n\n## Decision\n\nDomain events carry entity ids, never whole entities.\n",
            encoding="utf-8")
        listed = {str(r.uri): r for r in (await session.list_resources()).resources}
        assert "architect://adrs/ADR-042" in listed and listed["architect://adrs/ADR-042"].title == "Events carry ids only"
        assert before <= set(listed)
        text = (await session.read_resource("architect://adrs/ADR-042")).contents[0].text
        assert "never whole entities" in text
