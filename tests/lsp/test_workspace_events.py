"""Watched files, reloads, workspace-wide findings and multi-root workspaces over the protocol.

Each case changes files on disk, so each starts its own server, push (VS Code) and pull. Waits are
on what the server sends after a change (a publish for push clients, ``workspace/diagnostic/refresh``
for pull clients), never on a timer."""

from __future__ import annotations

from pathlib import Path

from harness import wait_published, wait_until
from lsp_support import start
from lsprotocol import types
from workspaces import TIMEOUT_DECISION, build_shop

OLD_TITLE, NEW_TITLE = "Timeouts on every outbound call", "Timeouts through the shared client"


async def _after_change(session, uri: str, before: tuple[int, int], expected) -> list[types.Diagnostic]:
    """The document's diagnostics once the server, reacting to a change made after ``before``
    (``_mark``), shows what ``expected(diagnostics)`` accepts. Push clients: the first publish
    after the mark that shows it. Pull clients: a pull after each ``workspace/diagnostic/refresh``
    the server sends, until one shows it. A server that never gets there fails on the timeout."""
    client = session.client
    published, refreshes = before
    if not session.pull:

        def found(all_published):
            for params in all_published[published:]:
                if params.uri == uri and expected(params.diagnostics):
                    return [list(params.diagnostics)]
            return None

        [diagnostics] = await wait_published(client, found, what=f"the expected diagnostics for {uri}")
        return diagnostics
    while True:
        await wait_until(client, lambda seen=refreshes: client.diagnostic_refresh_count > seen, what="a diagnostics refresh")
        refreshes = client.diagnostic_refresh_count
        diagnostics = await session.diagnostics(uri)
        if expected(diagnostics):
            return diagnostics


def _mark(session) -> tuple[int, int]:
    return session.publish_count(), session.client.diagnostic_refresh_count


async def test_watchers_are_registered_dynamically(push_or_pull, shop):
    await start(push_or_pull, [shop])
    registrations = await wait_until(push_or_pull, lambda: push_or_pull.registrations, what="a registration")
    watch = next(r for r in registrations if r.method == "workspace/didChangeWatchedFiles")
    patterns = {w["globPattern"] for w in watch.register_options["watchers"]}
    assert {"**/.ai/**/*.md", "**/pyproject.toml", "**/requirements*.txt", "**/*.py", "**/.claude/agents/*.md"} <= patterns


async def test_editing_an_adr_reloads_the_knowledge_base(push_or_pull, shop):
    session = await start(push_or_pull, [shop])
    uri = session.open("src/shop/services/billing.py")
    s113 = next(d for d in await session.diagnostics(uri) if d.code == "S113")
    assert s113.message.endswith("[ADR-002]")
    assert TIMEOUT_DECISION.split(". ")[0] in await session.hover(uri, "requests.post", offset=3)
    adr = shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md"
    new_decision = "Outbound calls use the shared client, whose default timeout is three seconds."
    adr.write_text(adr.read_text().replace(TIMEOUT_DECISION, new_decision).replace(OLD_TITLE, NEW_TITLE)
                   .replace("    kind: ruff\n", "    kind: ruff\n    severity: error\n", 1), encoding="utf-8")
    before = _mark(session)
    push_or_pull.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=adr.resolve().as_uri(), type=types.FileChangeType.Changed)])
    )
    # The rule's new severity shows once the reload is through (issue 23: the diagnostic carries
    # no ADR row whose title would show it; the hover and codeDescription link the ADR).
    await _after_change(session, uri, before, lambda ds: any(
        d.code == "S113" and d.severity == types.DiagnosticSeverity.Error for d in ds))
    text = await session.hover(uri, "requests.post", offset=3)
    assert text is not None and new_decision in text and NEW_TITLE in text


async def test_rejecting_an_adr_stops_its_citations(push_or_pull, shop):
    session = await start(push_or_pull, [shop])
    uri = session.open("src/shop/services/billing.py")
    assert any(d.message.endswith("[ADR-002]") for d in await session.diagnostics(uri))
    adr = shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md"
    adr.write_text(adr.read_text().replace("status: accepted", "status: rejected"), encoding="utf-8")
    before = _mark(session)
    push_or_pull.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=adr.resolve().as_uri(), type=types.FileChangeType.Changed)])
    )
    diagnostics = await _after_change(session, uri, before, lambda ds: ds and not any("ADR-002" in d.message for d in ds))
    assert "S113" in {d.code for d in diagnostics}  # the check stays; only the citation goes


async def test_import_cycles_appear_and_refresh_on_save(push_or_pull, shop):
    session = await start(push_or_pull, [shop])
    uri = session.open("src/shop/services/billing.py")
    orders = session.open("src/shop/domain/orders.py")
    assert "ARC103" not in await session.codes(uri) and "ARC103" not in await session.codes(orders)
    text = session.texts[uri]
    session.set_text(uri, text.replace("import logging\n", "import logging\n\nfrom shop.domain.orders import Order\n", 1))
    (shop / "src/shop/services/billing.py").write_text(session.texts[uri], encoding="utf-8")
    await session.diagnostics(uri)  # the edited version is analysed before the save
    before = _mark(session)
    push_or_pull.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    # One finding per cycle (issue 8), on an import of its alphabetically first module, with the
    # line just added to billing among its related locations.
    diagnostics = await _after_change(session, orders, before, lambda ds: "ARC103" in {d.code for d in ds})
    cycle = next(d for d in diagnostics if d.code == "ARC103")
    assert uri in {r.location.uri for r in cycle.related_information or ()}


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


async def test_a_closed_file_changed_on_disk_updates_workspace_findings(push_or_pull, shop):
    session = await start(push_or_pull, [shop])
    uri = session.open("src/shop/domain/orders.py")
    assert "ARC103" not in await session.codes(uri)
    billing = shop / "src/shop/services/billing.py"
    billing.write_text(billing.read_text().replace("import logging\n", "import logging\n\nfrom shop.domain.orders import Order\n", 1))
    before = _mark(session)
    push_or_pull.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=billing.resolve().as_uri(), type=types.FileChangeType.Changed)])
    )
    await _after_change(session, uri, before, lambda ds: "ARC103" in {d.code for d in ds})
