"""Code actions over the protocol: each quick fix applied to the text, suppression, the ADR and
architect commands, fix-all, and Record-a-decision creating a new ADR file. One server per profile
serves the module: a test that applies a fix edits its own unsaved scratch copy of the file."""

from __future__ import annotations

from pathlib import Path

from lsp_support import shared_session_fixture
from harness import edits_for
from lsprotocol import types


shared_client = shared_session_fixture("visual_studio_code", "neovim")


async def _fix(session, uri: str, code: str) -> tuple[types.CodeAction, str]:
    """The quick fix for the first diagnostic with ``code``, and the text after applying it."""
    diagnostic = next(d for d in await session.diagnostics(uri) if d.code == code)
    actions = await session.actions(uri, [diagnostic], only=[types.CodeActionKind.QuickFix])
    fixes = [a for a in actions if a.edit is not None and not a.title.startswith("Suppress")]
    assert len(fixes) == 1, [a.title for a in actions]
    return fixes[0], session.apply_text_edits(uri, edits_for(fixes[0].edit, uri))


async def test_timeout_fix_adds_a_timeout_and_clears_s113(shared_client):
    session = shared_client.session
    uri = session.scratch("src/shop/services/billing.py")
    action, fixed = await _fix(session, uri, "S113")
    assert 'requests.post("https://pay.example/charge", json={"id": order_id}, timeout=10)' in fixed
    assert action.diagnostics and action.diagnostics[0].code == "S113"
    session.set_text(uri, fixed)
    assert "S113" not in await session.codes(uri)


async def test_logger_error_in_except_becomes_logger_exception(shared_client):
    session = shared_client.session
    uri = session.scratch("src/shop/services/billing.py")
    _, fixed = await _fix(session, uri, "TRY400")
    assert 'logger.exception("charge failed: %s", exc)' in fixed
    assert "logger.error" not in fixed
    session.set_text(uri, fixed)
    assert "TRY400" not in await session.codes(uri)


async def test_requirement_is_pinned_to_the_installed_version(shared_client):
    from importlib.metadata import version

    session = shared_client.session
    uri = session.scratch("requirements.txt", language="pip-requirements")
    _, fixed = await _fix(session, uri, "ARC110")
    assert fixed == f"packaging=={version('packaging')}\n"
    session.set_text(uri, fixed)
    assert await session.codes(uri) == []


async def test_unused_forbidden_import_is_removed(shared_client):
    session = shared_client.session
    uri = session.scratch("src/shop/domain/orders.py")
    _, fixed = await _fix(session, uri, "ARC101")
    assert "import requests" not in fixed
    assert fixed.startswith('"""Orders. The domain follows ADR-001 and adr 7."""\n\nfrom shop.services import billing\n')
    session.set_text(uri, fixed)
    assert "ARC101" not in await session.codes(uri)


async def test_a_ruff_fix_is_offered_and_applies(shared_client):
    session = shared_client.session
    uri = session.scratch("src/shop/services/billing.py")
    _, fixed = await _fix(session, uri, "B006")
    assert "def report(total, seen=None):\n    if seen is None:\n        seen = []\n" in fixed
    session.set_text(uri, fixed)
    assert "B006" not in await session.codes(uri)


async def test_suppress_adds_an_architect_ignore_comment(shared_client):
    session = shared_client.session
    uri = session.scratch("src/shop/services/billing.py")
    diagnostic = next(d for d in await session.diagnostics(uri) if d.code == "ARC502")
    actions = await session.actions(uri, [diagnostic])
    suppress = next(a for a in actions if a.title == "Suppress ARC502 on this line")
    fixed = session.apply_text_edits(uri, edits_for(suppress.edit, uri))
    assert 'rows.append(await session.execute("select 1", order_id))  # architect: ignore[ARC502]\n' in fixed
    session.set_text(uri, fixed)
    codes = await session.codes(uri)
    assert "ARC502" not in codes and "S113" in codes


async def test_open_adr_and_ask_the_architect_carry_the_finding(shared_client):
    session, shop, vscode_client = shared_client.session, shared_client.session.root, shared_client
    uri = session.open("src/shop/services/billing.py")
    diagnostic = next(d for d in await session.diagnostics(uri) if d.code == "S113")
    actions = await session.actions(uri, [diagnostic])
    titles = [a.title for a in actions]
    [open_adr] = [a for a in actions if a.title.startswith("Open ADR-002")] or [None]
    [ask] = [a for a in actions if a.title == "Ask the architect about this"] or [None]
    assert open_adr is not None and ask is not None, titles
    assert titles.index(open_adr.title) > 0
    assert ask.command.command == "pythonArchitect.askAboutFinding"
    argument = ask.command.arguments[0]
    assert argument["uri"] == uri and argument["code"] == "S113" and argument["adrs"] == ["ADR-002"]
    assert argument["range"]["start"] == {"line": diagnostic.range.start.line, "character": diagnostic.range.start.character}
    shown = await vscode_client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=open_adr.command.command, arguments=open_adr.command.arguments)
    )
    assert shown is True
    document = vscode_client.shown_documents[-1]
    adr_path = shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md"
    assert document.uri == adr_path.resolve().as_uri()
    assert document.selection.start.line == adr_path.read_text().split("\n").index("## Decision")


async def test_fix_all_applies_every_safe_fix(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/domain/orders.py")
    await session.diagnostics(uri)
    actions = await session.actions(uri, [], only=["source.fixAll"])
    assert [a.kind for a in actions] == ["source.fixAll.pythonArchitect"]
    resolved = await session.resolved(actions[0])
    fixed = session.apply_text_edits(uri, edits_for(resolved.edit, uri))
    assert "import requests" not in fixed and "class SpecialOrder(Order)" in fixed
    assert not [a for a in await session.actions(uri, []) if a.kind.startswith("source")]


async def test_record_a_decision_creates_the_next_adr_file(shared_client):
    session, shop = shared_client.session, shared_client.session.root
    uri = session.open("src/shop/services/billing.py")
    await session.diagnostics(uri)
    start_pos = session.position(uri, "async def fetch_all")
    end_pos = session.position(uri, "return rows", len("return rows"))
    actions = await session.actions(uri, [], range_=types.Range(start=start_pos, end=end_pos))
    record = next(a for a in actions if a.kind.startswith("refactor"))
    resolved = await session.resolved(record)
    changes = resolved.edit.document_changes
    create = changes[0]
    assert isinstance(create, types.CreateFile)
    path = Path(create.uri.removeprefix("file://"))
    assert path == (shop / ".ai/adrs/0009-fetch-all.md").resolve()
    assert not path.exists()
    text = "".join(edit.new_text for edit in changes[1].edits)  # not written: the workspace is shared
    assert "id: ADR-009" in text and "status: proposed" in text
    for heading in ("## Context and Problem Statement", "## Considered Options", "## Decision", "## Consequences"):
        assert heading in text
    assert "async def fetch_all(session, ids):" in text and "return rows" in text
    assert "`src/shop/services/billing.py`" in text


async def test_no_record_action_without_a_selection(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/services/billing.py")
    await session.diagnostics(uri)
    here = session.position(uri, "async def fetch_all")
    actions = await session.actions(uri, [], range_=types.Range(start=here, end=here))
    assert not [a for a in actions if a.kind.startswith("refactor")]


async def test_record_decision_command_applies_the_edit_through_the_client(shared_client):
    session, shop, vscode_client = shared_client.session, shared_client.session.root, shared_client
    uri = session.open("src/shop/api/routes.py")
    await session.diagnostics(uri)
    selection = types.Range(start=session.position(uri, "class PaymentError"), end=session.position(uri, "    pass", 8))
    applied = await vscode_client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="pythonArchitect.recordDecision",
            arguments=[{"uri": uri, "range": {"start": {"line": selection.start.line, "character": selection.start.character},
                                              "end": {"line": selection.end.line, "character": selection.end.character}}}],
        )
    )
    assert applied is True
    edit = vscode_client.applied_edits[-1]
    create = edit.document_changes[0]
    assert isinstance(create, types.CreateFile)
    assert create.uri == (shop / ".ai/adrs/0009-payment-error.md").resolve().as_uri()
    assert "class PaymentError(Exception):" in edit.document_changes[1].edits[0].new_text
