"""Diagnostics over the protocol: on open, after incremental edits, through a syntax error, with
stale versions dropped; for VS Code (push), Neovim (pull, UTF-8 positions) and a pull client."""

from __future__ import annotations

import asyncio

from lsp_support import start
from lsprotocol import types


async def test_open_reports_findings_with_adr_links(client, shop):
    session = await start(client, [shop])
    uri = session.open("src/shop/services/billing.py")
    diagnostics = await session.diagnostics(uri)
    by_code = {str(d.code): d for d in diagnostics}
    assert {"S113", "TRY400", "ARC502"} <= set(by_code)
    s113 = by_code["S113"]
    assert s113.source == "python-architect"
    assert s113.message.endswith("[ADR-002]")
    assert s113.severity is not None
    adr_file = (shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md").resolve().as_uri()
    assert s113.code_description.href == adr_file
    assert s113.related_information[0].location.uri == adr_file
    decision_line = (shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md").read_text().split("\n").index("## Decision")
    assert s113.related_information[0].location.range.start.line == decision_line
    position = session.position(uri, "requests.post")
    assert s113.range.start == position


async def test_builtin_check_without_adr_links_to_rule_docs(client, shop):
    session = await start(client, [shop])
    uri = session.open("src/shop/services/billing.py")
    b006 = next(d for d in await session.diagnostics(uri) if d.code == "B006")
    assert b006.code_description.href.endswith("#b006")
    assert not b006.message.endswith("]")


async def test_incremental_edits_update_diagnostics(client, shop):
    session = await start(client, [shop])
    uri = session.open("src/shop/services/billing.py")
    assert "S113" in await session.codes(uri)
    session.replace(uri, 'json={"id": order_id})', 'json={"id": order_id}, timeout=5)')
    codes = await session.codes(uri)
    assert "S113" not in codes and "TRY400" in codes
    session.replace(uri, "json={", "timeout=None, json={")  # a duplicate keyword is still valid-looking text
    session.replace(uri, "timeout=None, json={", "json={")
    assert "S113" not in await session.codes(uri)


async def test_syntax_error_keeps_last_good_diagnostics_without_a_duplicate(client, shop):
    session = await start(client, [shop])
    uri = session.open("src/shop/services/billing.py")
    before = await session.codes(uri)
    assert "S113" in before
    session.replace(uri, "def report(total, seen=[]):", "def report(total, seen=[]:")
    during = await session.codes(uri)
    assert during == before
    assert "ARC900" not in during
    session.replace(uri, "def report(total, seen=[]:", "def report(total, seen=None):")
    after = await session.codes(uri)
    assert "B006" not in after and "S113" in after


async def test_a_file_opened_with_a_syntax_error_shows_no_parse_diagnostic(client, shop):
    session = await start(client, [shop])
    uri = session.open("src/shop/services/broken.py", "def broken(:\n    pass\n")
    assert await session.codes(uri) == []


async def test_stale_versions_are_never_published_over_newer_ones(client, shop):
    session = await start(client, [shop], debounceMs=0)
    uri = session.open("src/shop/services/billing.py")
    await session.diagnostics(uri)
    for attempt in range(6):
        session.replace(uri, "def report(total", f"def report{attempt}(total")
        session.replace(uri, f"def report{attempt}(total", "def report(total")
    session.replace(uri, 'json={"id": order_id})', 'json={"id": order_id}, timeout=5)')
    codes = await session.codes(uri)
    assert "S113" not in codes
    if not session.pull:
        await asyncio.sleep(0.3)
        versions = [p.version for p in client.published if p.uri == uri]
        assert versions == sorted(versions)
        assert versions[-1] == session.versions[uri]


async def test_pull_clients_get_unchanged_for_an_unchanged_document(client, shop):
    session = await start(client, [shop])
    uri = session.open("src/shop/services/billing.py")
    first = await session.diagnostics(uri)
    if not session.pull:
        assert client.published and all(p.uri != uri or p.diagnostics is not None for p in client.published)
        return
    assert first
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=session.result_ids[uri]
        )
    )
    assert report.kind == "unchanged"
    session.replace(uri, "rows = []", "rows = list()")  # no finding moves: still unchanged
    same = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=session.result_ids[uri]
        )
    )
    assert same.kind == "unchanged"
    session.replace(uri, 'json={"id": order_id})', 'json={"id": order_id}, timeout=5)')
    changed = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=session.result_ids[uri]
        )
    )
    assert changed.kind == "full"
    assert "S113" not in {d.code for d in changed.items}


async def test_dependency_and_adr_files_are_diagnosed_as_edited(client, shop):
    session = await start(client, [shop])
    requirements = session.open("requirements.txt", language="pip-requirements")
    assert await session.codes(requirements) == ["ARC110"]
    session.replace(requirements, "packaging>=20", "packaging==24.0")
    assert await session.codes(requirements) == []
    adr = session.open(".ai/adrs/0006-synchronous-orm.md", language="markdown")
    assert await session.codes(adr) == []
    session.replace(adr, "title: Synchronous ORM sessions", "title: [unclosed")
    assert "ARC001" in await session.codes(adr)
    session.replace(adr, "title: [unclosed", "title: Synchronous ORM sessions")
    assert await session.codes(adr) == []


async def test_ranges_count_the_negotiated_code_units(client, shop):
    session = await start(client, [shop])
    text = 'import requests\n\n\ndef ping():\n    note = "héllo 😀"; return requests.get(note)\n'
    uri = session.open("src/shop/api/ping.py", text)
    s113 = next(d for d in await session.diagnostics(uri) if d.code == "S113")
    assert s113.range.start == session.position(uri, "requests.get")
    prefix = '    note = "héllo 😀"; return '
    expected = {"utf-8": len(prefix.encode("utf-8")), "utf-16": len(prefix.encode("utf-16-le")) // 2}[session.encoding]
    assert s113.range.start.character == expected


async def test_paths_with_spaces_and_percent_encoded_uris(client, tmp_path):
    from workspaces import build_shop

    root = build_shop(tmp_path / "my shop")
    session = await start(client, [root])
    uri = session.open("src/shop/services/billing.py")
    assert "%20" in uri
    assert "S113" in await session.codes(uri)
    assert "ADR-002" in await session.hover(uri, "requests.post", offset=3)
