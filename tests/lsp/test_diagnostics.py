"""Diagnostics over the protocol: on open, after incremental edits, through a syntax error, with
stale versions dropped; for VS Code (push), Neovim (pull, UTF-8 positions) and a pull client.

Cases that change nothing on disk or in settings share one server per profile (``shared_client``),
editing their own scratch copies; the rest start their own server."""

from __future__ import annotations

from doc_links import line_at_link
from lsp_support import shared_session_fixture, start
from lsprotocol import types
from workspaces import build_shop

shared_client = shared_session_fixture("visual_studio_code", "neovim", "pull_client")


async def test_open_reports_findings_with_adr_links(shared_client):
    session, shop = shared_client.session, shared_client.session.root
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
    assert s113.related_information is None  # issue 23: the ADR is linked above, not repeated as a row
    position = session.position(uri, "requests.post")
    assert s113.range.start == position


async def test_builtin_check_without_adr_links_to_rule_docs(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/services/billing.py")
    b006 = next(d for d in await session.diagnostics(uri) if d.code == "B006")
    assert line_at_link(b006.code_description.href) == "### B006"  # the installed reference, offline
    assert not b006.message.endswith("]")


async def test_incremental_edits_update_diagnostics(shared_client):
    session = shared_client.session
    uri = session.scratch("src/shop/services/billing.py")
    assert "S113" in await session.codes(uri)
    session.replace(uri, 'json={"id": order_id})', 'json={"id": order_id}, timeout=5)')
    codes = await session.codes(uri)
    assert "S113" not in codes and "TRY400" in codes
    session.replace(uri, "json={", "timeout=None, json={")  # a duplicate keyword is still valid-looking text
    session.replace(uri, "timeout=None, json={", "json={")
    assert "S113" not in await session.codes(uri)


async def test_syntax_error_keeps_last_good_diagnostics_without_a_duplicate(shared_client):
    session = shared_client.session
    uri = session.scratch("src/shop/services/billing.py")
    before = await session.codes(uri)
    assert "S113" in before
    session.replace(uri, "def report(total, seen=[]):", "def report(total, seen=[]:")
    during = await session.codes(uri)
    assert during == before
    assert "ARC900" not in during
    session.replace(uri, "def report(total, seen=[]:", "def report(total, seen=None):")
    after = await session.codes(uri)
    assert "B006" not in after and "S113" in after


async def test_a_file_opened_with_a_syntax_error_shows_no_parse_diagnostic(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/services/broken.py", "def broken(:\n    pass\n")
    assert await session.codes(uri) == []


async def test_stale_versions_are_never_published_over_newer_ones(push_or_pull, shop):
    session = await start(push_or_pull, [shop], debounceMs=0)
    uri = session.open("src/shop/services/billing.py")
    await session.diagnostics(uri)
    for attempt in range(6):
        session.replace(uri, "def report(total", f"def report{attempt}(total")
        session.replace(uri, f"def report{attempt}(total", "def report(total")
    session.replace(uri, 'json={"id": order_id})', 'json={"id": order_id}, timeout=5)')
    codes = await session.codes(uri)
    assert "S113" not in codes
    # One more version as a barrier: once its result is in, every analysis started for an older
    # version has finished or been dropped, so anything stale would already have arrived.
    barrier = session.replace(uri, "rows = []", "rows = list()")
    assert "S113" not in await session.codes(uri)
    if not session.pull:
        versions = [p.version for p in push_or_pull.published if p.uri == uri]
        assert versions == sorted(versions)
        assert versions[-1] == barrier


async def test_unchanged_findings_are_reported_as_unchanged(shared_client):
    """Pull clients get ``unchanged`` while the findings stay; push clients get the same
    diagnostics again for each new version; both see the change when a finding goes."""
    session = shared_client.session
    uri = session.scratch("src/shop/services/billing.py")
    first = await session.diagnostics(uri)
    assert "S113" in {d.code for d in first}

    async def report() -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
        return await shared_client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=session.result_ids[uri]
            )
        )

    if session.pull:
        assert (await report()).kind == "unchanged"
    session.replace(uri, "rows = []", "rows = list()")  # no finding moves
    if session.pull:
        assert (await report()).kind == "unchanged"
    else:
        again = await session.diagnostics(uri)  # the publish for version 2
        assert [(d.code, d.range, d.message) for d in again] == [(d.code, d.range, d.message) for d in first]
    session.replace(uri, 'json={"id": order_id})', 'json={"id": order_id}, timeout=5)')
    if session.pull:
        changed = await report()
        assert changed.kind == "full"
        items = changed.items
    else:
        items = await session.diagnostics(uri)
    assert "S113" not in {d.code for d in items} and "TRY400" in {d.code for d in items}


async def test_dependency_and_adr_files_are_diagnosed_as_edited(push_or_pull, shop):
    session = await start(push_or_pull, [shop])
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


async def test_ranges_count_the_negotiated_code_units(shared_client):
    session = shared_client.session
    text = 'import requests\n\n\ndef ping():\n    note = "héllo 😀"; return requests.get(note)\n'
    uri = session.open("src/shop/api/ping.py", text)
    s113 = next(d for d in await session.diagnostics(uri) if d.code == "S113")
    assert s113.range.start == session.position(uri, "requests.get")
    prefix = '    note = "héllo 😀"; return '
    expected = {"utf-8": len(prefix.encode("utf-8")), "utf-16": len(prefix.encode("utf-16-le")) // 2}[session.encoding]
    assert s113.range.start.character == expected


async def test_paths_with_spaces_and_percent_encoded_uris(vscode_client, tmp_path):
    root = build_shop(tmp_path / "my shop")
    session = await start(vscode_client, [root])
    uri = session.open("src/shop/services/billing.py")
    assert "%20" in uri
    assert "S113" in await session.codes(uri)
    assert "ADR-002" in await session.hover(uri, "requests.post", offset=3)
