"""Issue 23: hints of un-adopted judgment checks covered Django. ``pythonArchitect.hints`` decides
where they show: ``editedLine`` (the default) only on the lines of the latest edit, ``off``
nowhere, ``all`` everywhere; a code the user gave a severity always shows."""

from __future__ import annotations

from pathlib import Path

from lsp_support import start
from lsprotocol import types
from python_architect.findings import Finding, Severity, Span
from python_architect.lsp.hints import edited_lines, visible
from python_architect.settings import EditorSettings
from hint_shape import HINT_CODE, HINT_LINE, HINT_MODULE, HINT_TEXT
from trees import write_tree

# HINT_CODE is a judgment check nobody adopted here: a hint on HINT_LINE. ``requests.get`` without a
# timeout is S113, a problem.
MODELS = HINT_MODULE + "\n\nimport requests\n\n\ndef fetch():\n    return requests.get('https://example.invalid')\n"
FILES = {"pyproject.toml": '[project]\nname = "app"\n', "app/__init__.py": "", "app/models.py": MODELS}


def _hints(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int]]:
    return [(str(d.code), d.range.start.line) for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint]


def _problems(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics if d.severity != types.DiagnosticSeverity.Hint}


async def test_by_default_a_hint_shows_only_on_the_line_being_edited(vscode_client, tmp_path):
    session = await start(vscode_client, [write_tree(tmp_path / "ws", FILES)])
    uri = session.open("app/models.py")
    opened = await session.diagnostics(uri)
    assert "S113" in _problems(opened)  # problems show as always
    assert _hints(opened) == []  # a file just opened: no hint anywhere

    session.replace(uri, HINT_TEXT, HINT_TEXT.replace("random.random()", "random.random() * 2"))  # typing on the hint's line
    assert _hints(await session.diagnostics(uri)) == [(HINT_CODE, HINT_LINE)]

    session.replace(uri, "    return requests", "    return  requests")  # now typing elsewhere
    elsewhere = await session.diagnostics(uri)
    assert _hints(elsewhere) == [] and "S113" in _problems(elsewhere)


async def test_all_shows_every_hint_and_off_none(vscode_client, tmp_path):
    session = await start(vscode_client, [write_tree(tmp_path / "ws", FILES)], hints="all")
    uri = session.open("app/models.py")
    assert _hints(await session.diagnostics(uri)) == [(HINT_CODE, HINT_LINE)]  # no edit needed

    vscode_client.set_configuration({"hints": "off"}, section="pythonArchitect")
    vscode_client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"pythonArchitect": {"hints": "off"}}))
    session.replace(uri, HINT_TEXT, HINT_TEXT.replace("random.random()", "random.random() * 2"))  # even on the edited line
    off = await session.diagnostics(uri)
    assert _hints(off) == [] and "S113" in _problems(off)


async def test_a_code_the_user_gave_a_severity_shows_whatever_the_setting(vscode_client, tmp_path):
    session = await start(vscode_client, [write_tree(tmp_path / "ws", FILES)], hints="off",
                          severityOverrides={HINT_CODE: "hint"})
    uri = session.open("app/models.py")
    assert _hints(await session.diagnostics(uri)) == [(HINT_CODE, HINT_LINE)]


def test_the_lines_an_edit_wrote_and_the_policy():
    change = types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(4, 2), end=types.Position(9, 0)), text="a\nb\n")
    assert edited_lines([change]) == {4, 5, 6}  # the new text spans lines 4..6, whatever it replaced
    assert edited_lines([types.TextDocumentContentChangeWholeDocument(text="x\n")]) == frozenset()
    hint = Finding(code="T201", message="m", severity=Severity.HINT, path=Path("app/models.py"), span=Span(6, 1, 7, 5))
    warning = hint.with_changes(code="S113", severity=Severity.WARNING)
    assert visible([hint, warning], "editedLine", frozenset({6})) == [hint, warning]  # 0-based 6 = line 7
    assert visible([hint, warning], "editedLine", frozenset({7})) == [warning]
    assert visible([hint, warning], "off", frozenset({5})) == [warning]
    assert visible([hint, warning], "off", frozenset(), ["T201"]) == [hint, warning]
    assert visible([hint, warning], "all", frozenset()) == [hint, warning]


def test_the_setting_defaults_to_the_edited_line_and_refuses_other_values():
    assert EditorSettings().hints == "editedLine"
    settings, problems = EditorSettings.from_client({"hints": "everywhere"})
    assert settings.hints == "editedLine" and problems == [
        "setting 'hints' must be one of off, editedLine, all, got 'everywhere'"]
    assert EditorSettings.from_client({"pythonArchitect": {"hints": "all"}})[0].hints == "all"
