"""``textDocument/codeAction`` and ``codeAction/resolve``: the explain core's plans as actions.

Quick fixes read what they need from ``Diagnostic.data`` (never recomputing findings), in ruff's
order: fixes, "Fix all CODE in this file", the architect, suppressions, "Open ADR". "Fix all"
and "Record a decision" are resolved lazily when the client supports resolving ``edit``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from lsprotocol import types

from ..explain import actions
from ..explain.positions import LineIndex
from .convert import core_span, finding_from_diagnostic, path_of, span_range, uri_of
from .server import ArchitectServer

log = logging.getLogger("python_architect")


def register(server: ArchitectServer) -> None:
    options = types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, actions.FIX_ALL,
                           types.CodeActionKind.RefactorRewrite],
        resolve_provider=True,
    )
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, options)(code_action)
    server.feature(types.CODE_ACTION_RESOLVE)(resolve_code_action)


def _wanted(kind: str, only: Any) -> bool:
    if not only:
        return not kind.startswith("source")  # source actions are only listed when asked for
    return any(kind == str(prefix) or kind.startswith(f"{prefix}.") for prefix in only)


def code_action(ls: ArchitectServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    document = ls.document(uri)
    state = ls.documents.get(uri)
    path = path_of(uri)
    if document is None or state is None or path is None or state.folder.project is None:
        return None
    only = params.context.only
    lines = LineIndex(document.source, ls.position_encoding)
    fix_lines = LineIndex(state.analysis_text, ls.position_encoding) if state.analysis is not None else lines
    result: list[types.CodeAction | None] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        result = _quick_fixes(ls, params, state, path, lines, fix_lines)
    lazy = ls.client_supports("text_document.code_action.resolve_support")
    lazy = lazy and "edit" in (ls.client_capabilities.text_document.code_action.resolve_support.properties or ())
    if _wanted(actions.FIX_ALL, only) and any(f.fix is not None and f.fix.safe for f in state.shown):
        result.append(_lazy_or_now(ls, uri, params.range, actions.FIX_ALL, "Python Architect: fix all", lazy))
    selection_empty = params.range.start == params.range.end
    if not selection_empty and _wanted(actions.RECORD_DECISION, only) and _can_create_files(ls):
        result.append(_lazy_or_now(ls, uri, params.range, actions.RECORD_DECISION, "Record a decision (new ADR)", lazy))
    return [action for action in result if action is not None]


def _quick_fixes(ls: ArchitectServer, params: types.CodeActionParams, state: Any, path: Path,
                 lines: LineIndex, fix_lines: LineIndex) -> list[types.CodeAction | None]:
    """ruff's order: the fixes, "Fix all CODE in this file", the architect, the suppressions
    (line, then file), the ADRs. "Fix all CODE" reads the shown findings, placed in the analysed
    text (``fix_lines``); everything else reads the diagnostics it was given."""
    uri, diagnostics = params.text_document.uri, params.context.diagnostics
    fixes, architect, suppressions, adrs = [], [], [], []
    fix_all_codes: list[types.CodeAction] = []
    codes_done: set[str] = set()
    suppressed_in_file: set[str] = set()
    for diagnostic in diagnostics:
        finding = finding_from_diagnostic(diagnostic, path, lines)
        if finding is None:
            continue
        fix = actions.quick_fix(finding)
        fixes.extend([fix] if fix else [])
        if fix is not None and finding.code not in codes_done:
            codes_done.add(finding.code)
            every = actions.fix_all_of_code(state.shown, finding.code, state.path)
            if every is not None:
                fix_all_codes.append(_to_action(ls, every, fix_lines, diagnostics))
        editor_range = ls.protocol._converter.unstructure(diagnostic.range)
        question = _fix_question()(finding.code, finding.message, finding.adrs,
                                _relative(path, state.folder.root), finding.span.line)
        architect.append(actions.fix_with_architect(finding, uri, editor_range, question))
        architect.append(actions.ask_architect(finding, uri, editor_range))
        suppressions.append(actions.suppress(finding, lines.line_text(finding.span.line - 1)))
        if finding.code not in suppressed_in_file:
            suppressed_in_file.add(finding.code)
            suppressions.append(actions.suppress_in_file(finding, [row.rstrip("\r") for row in lines.lines]))
        adrs.extend(actions.open_adrs(finding, state.folder.project.kb))
    convert = [_to_action(ls, plan, lines, diagnostics) for plan in fixes]
    return [*convert, *fix_all_codes, *(_to_action(ls, plan, lines, diagnostics) for plan in [*architect, *suppressions, *adrs])]


def _fix_question() -> Any:
    """``advisor.proposals.fix_question``, imported by the first code action request (~10 ms
    the server's start does without). Who loads it: the event loop, which runs ``code_action``
    (a plain function: pygls calls it on the loop) and the chat (``chat_routes``)."""
    from ..advisor.proposals import fix_question

    return fix_question


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _can_create_files(ls: ArchitectServer) -> bool:
    caps = ls.client_capabilities.workspace
    edit = caps.workspace_edit if caps else None
    return bool(edit and edit.resource_operations and types.ResourceOperationKind.Create in edit.resource_operations)


def _lazy_or_now(ls: ArchitectServer, uri: str, range_: types.Range, kind: str, title: str, lazy: bool) -> types.CodeAction | None:
    data = {"uri": uri, "range": ls.protocol._converter.unstructure(range_), "kind": kind}
    if lazy:
        return types.CodeAction(title=title, kind=kind, data=data)
    return resolve_code_action(ls, types.CodeAction(title=title, kind=kind, data=data))


def resolve_code_action(ls: ArchitectServer, action: types.CodeAction) -> types.CodeAction | None:
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    document = ls.document(uri) if uri else None
    state = ls.documents.get(uri) if uri else None
    if document is None or state is None or state.folder.project is None:
        return action
    lines = LineIndex(document.source, ls.position_encoding)
    if data.get("kind") == actions.FIX_ALL:
        plan = actions.fix_all(state.shown, state.path)
        fix_lines = LineIndex(state.analysis_text, ls.position_encoding) if state.analysis is not None else lines
        if plan is not None:
            return _to_action(ls, plan, fix_lines, [])
    elif data.get("kind") == actions.RECORD_DECISION:
        range_ = ls.protocol._converter.structure(data["range"], types.Range)
        selection = lines.text_in(core_span(range_, lines))
        plan = actions.record_decision(state.folder.project, state.path, selection)
        converted = _to_action(ls, plan, lines, [])
        return converted
    return action


def _to_action(ls: ArchitectServer, plan: actions.ActionPlan, lines: LineIndex, diagnostics: list[types.Diagnostic]) -> types.CodeAction:
    matching = [
        diagnostic
        for diagnostic in diagnostics
        if any(diagnostic.code == f.code and diagnostic.range == span_range(f.span, lines) for f in plan.findings)
    ]
    command = None
    if plan.command:
        command = types.Command(title=plan.title, command=plan.command, arguments=list(plan.arguments))
    edit = workspace_edit(ls, plan, lines) if plan.changes else None
    return types.CodeAction(
        title=plan.title,
        kind=plan.kind,
        diagnostics=matching or None,
        edit=edit,
        command=command,
        is_preferred=plan.preferred or None,
    )


def workspace_edit(ls: ArchitectServer, plan: actions.ActionPlan, lines: LineIndex) -> types.WorkspaceEdit:
    """``documentChanges`` (with ``CreateFile``) when the client supports it, else ``changes``."""
    caps = ls.client_capabilities.workspace
    document_changes = bool(caps and caps.workspace_edit and caps.workspace_edit.document_changes)
    if any(change.create for change in plan.changes):
        document_changes = True  # CreateFile only exists in documentChanges
    changes: dict[str, list[types.TextEdit]] = {}
    entries: list[Any] = []
    for change in plan.changes:
        uri = uri_of(change.path)
        change_lines = LineIndex("", ls.position_encoding) if change.create else lines
        edits = [types.TextEdit(range=span_range(e.span, change_lines), new_text=e.new_text) for e in change.edits]
        if change.create:
            entries.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False)))
        document = ls.document(uri)
        version = document.version if document is not None and not change.create else None
        entries.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits
            )
        )
        changes.setdefault(uri, []).extend(edits)
    if document_changes:
        return types.WorkspaceEdit(document_changes=entries)
    return types.WorkspaceEdit(changes=changes)
