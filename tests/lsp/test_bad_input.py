"""The server survives bad input and keeps answering: broken ADR YAML, a 5 MB file, non-UTF-8
bytes (on disk and on the wire), and requests about documents it was never sent. Each bad input
must produce its clear result (a diagnostic, a log line, an analysed document), not just silence.

The in-memory cases share one server per diagnostics mode; those that write to disk before the
server starts get their own."""

from __future__ import annotations

import json

from harness import wait_published
from lsp_support import shared_session_fixture, start
from lsprotocol import types

BROKEN_ADR = "---\nid: ADR-010\ntitle: [unclosed\nstatus: accepted\n---\n\n# Broken\n\n## Decision\n\nNothing.\n"

shared_client = shared_session_fixture("visual_studio_code", "pull_client")


async def _still_answering(session) -> None:
    uri = session.open("src/shop/services/billing.py")
    assert "S113" in await session.codes(uri)
    text = await session.hover(uri, "requests.post", offset=3)
    assert text is not None and "ADR-002" in text


async def test_broken_adr_yaml_is_reported_and_the_others_still_apply(push_or_pull, shop):
    broken = shop / ".ai/adrs/0010-broken.md"
    broken.write_text(BROKEN_ADR, encoding="utf-8")
    session = await start(push_or_pull, [shop])
    await _still_answering(session)
    uri = broken.resolve().as_uri()
    if session.pull:
        session.open(".ai/adrs/0010-broken.md", language="markdown")
        diagnostics = await session.diagnostics(uri)
    else:  # pushed for the closed file once the workspace is loaded
        [diagnostics] = await wait_published(
            push_or_pull, lambda published: [[p.diagnostics for p in published if p.uri == uri][-1]] if any(p.uri == uri for p in published) else None
        )
    assert [d.code for d in diagnostics] == ["ARC001"]
    assert diagnostics[0].range.start.line in (1, 2, 3)


async def test_a_five_megabyte_file_neither_crashes_nor_blocks_hover(shared_client):
    """The huge document is not parsed as it is typed (it would hold the GIL for seconds): it gets
    one information diagnostic, and the other documents keep their answers. How fast hover
    answers meanwhile is a benchmark figure (benchmarks/bench_lsp.py), not asserted here."""
    session = shared_client.session
    billing = session.open("src/shop/services/billing.py")
    await session.diagnostics(billing)
    block = "def handler_{0}(request):\n    total = request.count + {0}\n    return total\n\n\n"
    text = "".join(block.format(i) for i in range(64_000))
    assert len(text.encode()) > 5_000_000
    huge = session.scratch("src/shop/api/huge.py", text)
    hover = await session.hover(billing, "requests.post", offset=3)
    assert hover is not None and "ADR-002" in hover
    diagnostics = await session.diagnostics(huge, timeout=60)
    assert len(diagnostics) == 1 and "python-architect check" in diagnostics[0].message
    assert diagnostics[0].severity == types.DiagnosticSeverity.Information
    # Typing in another document is still analysed while the huge one is open.
    edited = session.scratch("src/shop/services/billing.py")
    session.replace(edited, 'json={"id": order_id})', 'json={"id": order_id}, timeout=5)')
    assert "S113" not in await session.codes(edited)
    session.close(huge)
    await _still_answering(session)


async def test_a_latin1_file_on_disk_is_indexed_and_analysed(vscode_client, shop):
    legacy = shop / "src/shop/api/legacy.py"
    legacy.write_bytes(b'# -*- coding: latin-1 -*-\nimport requests\n\nname = "caf\xe9"\nrequests.get(name)\n')
    session = await start(vscode_client, [shop])
    uri = session.open("src/shop/api/legacy.py", legacy.read_bytes().decode("latin-1"))
    assert "S113" in await session.codes(uri)
    await _still_answering(session)


async def test_invalid_utf8_on_the_wire_is_survived(shared_client):
    """A didOpen whose body is not valid UTF-8 is neither dropped nor fatal: the document opens
    with U+FFFD for the bad bytes, is analysed like any other, and the log says what happened."""
    session = shared_client.session
    uri = session.uri("src/shop/api/bad_wire.py")
    body = json.dumps(
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": "PLACEHOLDER"}}}
    ).encode("utf-8").replace(b"PLACEHOLDER", b"import requests\\nname = '\xff\xfe'\\nrequests.get(name)\\n")
    shared_client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    session.texts[uri], session.versions[uri] = "import requests\nname = '\ufffd\ufffd'\nrequests.get(name)\n", 1
    diagnostics = await session.diagnostics(uri)  # pulled, or awaited as pushed: the open was not lost
    assert [d.code for d in diagnostics if d.code == "S113"] == ["S113"]
    s113 = next(d for d in diagnostics if d.code == "S113")
    assert s113.range.start == session.position(uri, "requests.get(name)")
    assert any("not valid UTF-8" in m.message for m in shared_client.log_messages)
    await _still_answering(session)


async def test_requests_for_unknown_documents_get_empty_answers(shared_client):
    session = shared_client.session
    ghost = session.uri("src/shop/api/ghost.py")
    ident = types.TextDocumentIdentifier(uri=ghost)
    zero = types.Position(0, 0)
    assert await shared_client.text_document_hover_async(types.HoverParams(text_document=ident, position=zero)) is None
    actions = await shared_client.text_document_code_action_async(
        types.CodeActionParams(text_document=ident, range=types.Range(start=zero, end=zero), context=types.CodeActionContext(diagnostics=[]))
    )
    assert not actions
    if session.pull:
        report = await shared_client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident))
        assert list(report.items) == []
    before = session.publish_count()
    shared_client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=ghost, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
        )
    )
    shared_client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=ident))
    await _still_answering(session)
    if not session.pull:  # nothing but billing's own publishes: no diagnostics for a ghost
        assert all(p.uri != ghost or not p.diagnostics for p in shared_client.published[before:])
