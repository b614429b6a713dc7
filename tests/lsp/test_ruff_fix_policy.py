"""Issue 8: ruff fixes the architect never offers, whichever way ruff ran. The editor asks the
long-lived ``ruff server`` (``analysis.ruff_server``), whose diagnostics carry ruff's "Remove
`print`" edit; deleting a ``print`` deletes a command-line tool's output, so T201 gets no quick fix
and no part in "fix all", while a ruff fix we do offer (B006) still arrives the same way."""

from __future__ import annotations

from lsp_support import start
from lsprotocol import types
from trees import write_tree

CLI = ('def report(total, seen=[]):\n'
       '    seen.append(total)\n'
       '    print("total:", total)\n'
       '    return seen\n')


async def test_print_gets_no_quick_fix_in_the_editor(vscode_client, tmp_path):
    # ``select`` adopts T201 (and names B006, opt-in since issue 21) so the finding is
    # shown at its own severity, not as a hint: the strongest case for offering a fix.
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n\n[tool.python-architect]\nselect = ["T201", "B006"]\n',
        "app/__init__.py": "", "app/report.py": CLI})
    session = await start(vscode_client, [root])
    uri = session.open("app/report.py")
    diagnostics = await session.diagnostics(uri)
    by_code = {d.code: d for d in diagnostics}
    assert {"T201", "B006"} <= set(by_code), [d.code for d in diagnostics]
    assert by_code["T201"].severity != types.DiagnosticSeverity.Hint  # adopted: shown at its own severity

    actions = await session.actions(uri, [by_code["T201"]])
    titles = [a.title for a in actions]
    assert any(t.startswith("Suppress T201") for t in titles), titles  # the request was served
    edits = [a for a in actions if a.edit is not None and not a.title.startswith("Suppress")]
    assert edits == [], titles
    assert not any("print" in t.lower() and "suppress" not in t.lower() for t in titles), titles

    # The twin: B006's ruff fix on the same document is offered (the policy is per code).
    b006 = await session.actions(uri, [by_code["B006"]], only=[types.CodeActionKind.QuickFix])
    assert [a for a in b006 if a.edit is not None and not a.title.startswith("Suppress")], [a.title for a in b006]

    # "Fix all" never removes the print either.
    fix_all = await session.actions(uri, diagnostics, only=["source.fixAll.pythonArchitect"])
    for action in fix_all:
        resolved = await session.resolved(action)
        if resolved.edit is not None:
            text = session.apply_text_edits(uri, _edits(resolved.edit, uri))
            assert 'print("total:", total)' in text


def _edits(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    from harness import edits_for

    return edits_for(edit, uri)
