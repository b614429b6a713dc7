"""Issue 8 in the editor: an un-adopted judgment check is a hint (not silence, not a warning),
and a cycle's import lines ride along as related information."""

from __future__ import annotations

from pathlib import Path

from hint_shape import HINT_CODE, HINT_LINE, HINT_MODULE
from lsp_support import start
from lsprotocol import types
from trees import write_tree
from python_architect.explain.positions import LineIndex
from python_architect.findings import Finding, Related, Severity, Span
from python_architect.lsp.convert import to_diagnostic



async def test_unadopted_judgment_finding_is_a_hint_in_the_editor(vscode_client, tmp_path):
    root = write_tree(tmp_path / "ws", {"pyproject.toml": '[project]\nname = "app"\n',
                                       "app/__init__.py": "", "app/models.py": HINT_MODULE})
    session = await start(vscode_client, [root], hints="all")  # shown without an edit (tests/lsp/test_hints_setting.py)
    uri = session.open("app/models.py")
    (hint,) = await session.diagnostics(uri)
    assert (hint.code, hint.severity) == (HINT_CODE, types.DiagnosticSeverity.Hint)
    assert hint.range.start.line == HINT_LINE


def test_related_places_become_related_information(tmp_path: Path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    finding = Finding(code="ARC103", message="cycle", severity=Severity.WARNING, path=a, span=Span(1, 1, 1, 18),
                      related=(Related(a, Span(1, 1, 1, 18), "`app.a` imports `app.b`"),
                               Related(b, Span(3, 1, 3, 18), "`app.b` imports `app.a`")))
    diagnostic = to_diagnostic(finding, LineIndex("from app import b\n"), None)
    places = [(r.location.uri, r.location.range.start.line, r.message) for r in diagnostic.related_information]
    # The row at the finding's own place is not repeated (issue 23): only the other import line.
    assert places == [(b.as_uri(), 2, "`app.b` imports `app.a`")]
    # A cycle that says which rows explain it shows only those: the rest of a large group stays out.
    c = tmp_path / "c.py"
    group = finding.with_changes(data={"explains": 2}, related=(*finding.related, Related(c, Span(1, 1, 1, 18), "`app.c` imports `app.a`")))
    shown = to_diagnostic(group, LineIndex("from app import b\n"), None).related_information
    assert [r.location.uri for r in shown] == [b.as_uri()]
