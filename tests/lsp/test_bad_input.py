"""The server survives bad input and keeps answering: broken ADR YAML, a 5 MB file, non-UTF-8
bytes (on disk and on the wire), and requests about documents it was never sent."""

from __future__ import annotations

import asyncio
import json

from lsp_support import start
from lsprotocol import types

BROKEN_ADR = "---\nid: ADR-010\ntitle: [unclosed\nstatus: accepted\n---\n\n# Broken\n\n## Decision\n\nNothing.\n"


async def _still_answering(session) -> None:
    uri = session.open("src/shop/services/billing.py") if session.uri("src/shop/services/billing.py") not in session.texts else session.uri("src/shop/services/billing.py")
    assert "S113" in await session.codes(uri)
    text = await asyncio.wait_for(session.hover(uri, "requests.post", offset=3), 10)
    assert text is not None and "ADR-002" in text


async def test_broken_adr_yaml_is_reported_and_the_others_still_apply(client, shop):
    broken = shop / ".ai/adrs/0010-broken.md"
    broken.write_text(BROKEN_ADR, encoding="utf-8")
    session = await start(client, [shop])
    await _still_answering(session)
    uri = broken.resolve().as_uri()
    if session.pull:
        session.open(".ai/adrs/0010-broken.md", language="markdown")
        diagnostics = await session.diagnostics(uri)
    else:
        async def published():
            for _ in range(100):
                found = [p for p in client.published if p.uri == uri]
                if found:
                    return found[-1].diagnostics
                await asyncio.sleep(0.1)
            return []

        diagnostics = await published()
    assert [d.code for d in diagnostics] == ["ARC001"]
    assert diagnostics[0].range.start.line in (1, 2, 3)


async def test_a_five_megabyte_file_neither_crashes_nor_blocks_hover(client, shop):
    session = await start(client, [shop])
    billing = session.open("src/shop/services/billing.py")
    await session.diagnostics(billing)
    block = "def handler_{0}(request):\n    total = request.count + {0}\n    return total\n\n\n"
    text = "".join(block.format(i) for i in range(64_000))
    assert len(text.encode()) > 5_000_000
    huge = session.open("src/shop/api/huge.py", text)
    loop = asyncio.get_running_loop()
    started = loop.time()
    hover = await session.hover(billing, "requests.post", offset=3)
    assert hover is not None and "ADR-002" in hover
    assert loop.time() - started < 5.0, "hover waited behind the big file"
    diagnostics = await session.diagnostics(huge, timeout=60)
    assert len(diagnostics) == 1 and "python-architect check" in diagnostics[0].message
    assert diagnostics[0].severity == types.DiagnosticSeverity.Information
    await _still_answering(session)


async def test_a_latin1_file_on_disk_is_indexed_and_analysed(client, shop):
    legacy = shop / "src/shop/api/legacy.py"
    legacy.write_bytes(b'# -*- coding: latin-1 -*-\nimport requests\n\nname = "caf\xe9"\nrequests.get(name)\n')
    session = await start(client, [shop])
    uri = session.open("src/shop/api/legacy.py", legacy.read_bytes().decode("latin-1"))
    assert "S113" in await session.codes(uri)
    await _still_answering(session)


async def test_invalid_utf8_on_the_wire_is_survived(client, shop):
    session = await start(client, [shop])
    body = json.dumps(
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": session.uri("src/shop/api/bad.py"), "languageId": "python", "version": 1, "text": "PLACEHOLDER"}}}
    ).encode("utf-8").replace(b"PLACEHOLDER", b"x = '\xff\xfe\xc3('\n")
    client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    await asyncio.sleep(0.5)
    await _still_answering(session)


async def test_requests_for_unknown_documents_get_empty_answers(client, shop):
    session = await start(client, [shop])
    ghost = session.uri("src/shop/api/ghost.py")
    ident = types.TextDocumentIdentifier(uri=ghost)
    zero = types.Position(0, 0)
    assert await client.text_document_hover_async(types.HoverParams(text_document=ident, position=zero)) is None
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(text_document=ident, range=types.Range(start=zero, end=zero), context=types.CodeActionContext(diagnostics=[]))
    )
    assert not actions
    if session.pull:
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident))
        assert list(report.items) == []
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=ghost, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
        )
    )
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=ident))
    await _still_answering(session)
