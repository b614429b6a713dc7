"""Watched files, reloads, workspace-wide findings and multi-root workspaces over the protocol."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import CONFIG, start
from lsprotocol import types
from pytest_lsp import LanguageClient
from workspaces import TIMEOUT_DECISION, build_shop


@pytest_lsp.fixture(config=CONFIG, params=["visual_studio_code", "pull_client"])
async def watching_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param
    yield
    await lsp_client.shutdown_session()


async def _eventually(check, timeout: float = 15.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result or loop.time() > deadline:
            return result
        await asyncio.sleep(0.1)


async def test_watchers_are_registered_dynamically(watching_client, shop):
    await start(watching_client, [shop])
    registrations = await _eventually(lambda: asyncio.sleep(0, watching_client.registrations))
    watch = next(r for r in registrations if r.method == "workspace/didChangeWatchedFiles")
    patterns = {w["globPattern"] for w in watch.register_options["watchers"]}
    assert {"**/.ai/**/*.md", "**/pyproject.toml", "**/requirements*.txt", "**/*.py", "**/.claude/agents/*.md"} <= patterns


async def test_editing_an_adr_reloads_the_knowledge_base(watching_client, shop):
    session = await start(watching_client, [shop])
    uri = session.open("src/shop/services/billing.py")
    s113 = next(d for d in await session.diagnostics(uri) if d.code == "S113")
    assert s113.message.endswith("[ADR-002]")
    assert TIMEOUT_DECISION.split(". ")[0] in await session.hover(uri, "requests.post", offset=3)
    adr = shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md"
    new_decision = "Outbound calls use the shared client, whose default timeout is three seconds."
    adr.write_text(adr.read_text().replace(TIMEOUT_DECISION, new_decision), encoding="utf-8")
    refreshes = watching_client.diagnostic_refresh_count
    watching_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=adr.resolve().as_uri(), type=types.FileChangeType.Changed)])
    )

    async def reloaded():
        text = await session.hover(uri, "requests.post", offset=3)
        return text is not None and new_decision in text

    assert await _eventually(reloaded)
    if session.pull:
        assert await _eventually(lambda: asyncio.sleep(0, watching_client.diagnostic_refresh_count > refreshes))


async def test_rejecting_an_adr_stops_its_citations(watching_client, shop):
    session = await start(watching_client, [shop])
    uri = session.open("src/shop/services/billing.py")
    assert any(d.message.endswith("[ADR-002]") for d in await session.diagnostics(uri))
    adr = shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md"
    adr.write_text(adr.read_text().replace("status: accepted", "status: rejected"), encoding="utf-8")
    watching_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=adr.resolve().as_uri(), type=types.FileChangeType.Changed)])
    )

    async def uncited():
        if not session.pull:
            await asyncio.sleep(0.1)
            latest = [p for p in watching_client.published if p.uri == uri][-1]
            diagnostics = latest.diagnostics
        else:
            diagnostics = await session.diagnostics(uri)
        return diagnostics and not any("ADR-002" in d.message for d in diagnostics)

    assert await _eventually(uncited)


async def test_import_cycles_appear_and_refresh_on_save(watching_client, shop):
    session = await start(watching_client, [shop])
    uri = session.open("src/shop/services/billing.py")
    assert "ARC103" not in await session.codes(uri)
    text = session.texts[uri]
    session.set_text(uri, text.replace("import logging\n", "import logging\n\nfrom shop.domain import orders\n", 1))
    (shop / "src/shop/services/billing.py").write_text(session.texts[uri], encoding="utf-8")
    watching_client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

    async def cycle_shown():
        return "ARC103" in await session.codes(uri)

    assert await _eventually(cycle_shown)


async def test_multi_root_folders_keep_their_own_knowledge_and_settings(vscode_client, tmp_path: Path):
    first = build_shop(tmp_path / "first")
    second = build_shop(tmp_path / "second")
    adr = second / ".ai/adrs/0002-timeouts-on-every-outbound-call.md"
    adr.write_text(adr.read_text().replace("Timeouts on every outbound call", "Deadlines for partner calls"), encoding="utf-8")
    vscode_client.set_configuration({"severityOverrides": {"TRY400": "off"}}, section="pythonArchitect", scope_uri=second.resolve().as_uri())
    session = await start(vscode_client, [first, second])
    one = session.open("src/shop/services/billing.py")
    two_path = "src/shop/services/billing.py"
    two = second.joinpath(two_path).resolve().as_uri()
    session.texts[two], session.versions[two] = second.joinpath(two_path).read_text(), 1
    vscode_client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=two, language_id="python", version=1, text=session.texts[two]))
    )
    codes_one, codes_two = await session.codes(one), await session.codes(two)
    assert "TRY400" in codes_one and "TRY400" not in codes_two
    assert "S113" in codes_two
    assert "Timeouts on every outbound call" in await session.hover(one, "requests.post", offset=3)
    assert "Deadlines for partner calls" in await session.hover(two, "requests.post", offset=3)


async def test_a_closed_file_changed_on_disk_updates_workspace_findings(watching_client, shop):
    session = await start(watching_client, [shop])
    uri = session.open("src/shop/domain/orders.py")
    assert "ARC103" not in await session.codes(uri)
    billing = shop / "src/shop/services/billing.py"
    billing.write_text(billing.read_text().replace("import logging\n", "import logging\n\nfrom shop.domain import orders\n", 1))
    watching_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=billing.resolve().as_uri(), type=types.FileChangeType.Changed)])
    )

    async def cycle_shown():
        if session.pull:
            return "ARC103" in await session.codes(uri)
        await asyncio.sleep(0.1)
        latest = [p for p in watching_client.published if p.uri == uri][-1]
        return "ARC103" in {d.code for d in latest.diagnostics}

    assert await _eventually(cycle_shown)
