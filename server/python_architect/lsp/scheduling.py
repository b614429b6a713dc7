"""Document analysis scheduling: debounce, thread pool, stale-version dropping, publishing.

On open and on every change a document is re-analysed after the debounce delay, in the analysis
thread pool, on its current (unsaved) text. A result for an older version than the document's
current one is dropped. While the text has a syntax error the last good diagnostics stay, and the
syntax-error finding itself is never shown (the Python extension already shows one). Push clients
get ``publishDiagnostics``; pull clients read the stored report (``textDocument/diagnostic``).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ..baseline import lines_reader
from ..codes import ARC900
from ..explain.positions import LineIndex
from ..findings import Finding, Severity
from ..root_paths import contained
from . import hints
from .convert import path_of, to_diagnostic, uri_of
from .startup import CLOCK, FIRST_DIAGNOSTICS
from .state import DocumentState, FolderState

if TYPE_CHECKING:
    from .server import ArchitectServer

log = logging.getLogger("python_architect")
PARSE_ERROR = ARC900
MAX_LIVE_CHARS = 1_000_000
"""Larger documents are not analysed as they are typed: CPython's parser holds the GIL for the
whole parse (seconds for a 5 MB file), which would stall every other request meanwhile."""


def open_document(ls: ArchitectServer, uri: str) -> DocumentState | None:
    path = path_of(uri)
    if path is None:
        return None
    state = ls.documents.get(uri)
    if state is None:
        state = DocumentState(uri=uri, path=path, folder=ls.folder_for_path(path))
        ls.documents[uri] = state
    return state


def schedule(ls: ArchitectServer, uri: str, *, immediate: bool = False) -> None:
    """(Re-)analyses a document after the debounce delay, replacing any pending run."""
    state = ls.documents.get(uri) or open_document(ls, uri)
    if state is None:
        return
    if state.pending is not None and not state.pending.done():
        state.pending.cancel()
    state.settled.clear()
    delay = 0.0 if immediate else max(state.folder.settings.debounce_ms, 0) / 1000
    state.pending = asyncio.ensure_future(_analyze_later(ls, state, delay))


def close_document(ls: ArchitectServer, uri: str) -> None:
    state = ls.documents.pop(uri, None)
    if state is not None and state.pending is not None:
        state.pending.cancel()
    if state is not None:
        state.settled.set()  # a request waiting for its results answers now (there are none)
    if state is not None and state.folder.project is not None and ls.loop is not None:
        # The project is the folder lock's (see ``state``): its open text is dropped in the pool.
        ls.loop.run_in_executor(ls.analysis_pool, _forget, state.folder, state.folder.project, state.path)
    if not ls.pull_diagnostics:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


async def _analyze_later(ls: ArchitectServer, state: DocumentState, delay: float) -> None:
    try:
        if delay:
            await asyncio.sleep(delay)
        document = ls.document(state.uri)
        if document is None:
            return
        version, text = document.version, document.source
        project = await ls.project_of(state.folder)
        if project is None or not state.folder.settings.enable:
            _show(ls, state, version, [], text)
            return
        if len(text) > MAX_LIVE_CHARS:
            _show_too_large(ls, state, version, text)
            return
        settings = state.folder.settings
        analysis = await asyncio.get_running_loop().run_in_executor(
            ls.analysis_pool, _analyze, ls, state, project, text, settings.ruff
        )
        current = ls.document(state.uri)
        if current is None or current.version != version:
            log.debug("dropping results for %s version %s (now %s)", state.uri, version, getattr(current, "version", None))
            return
        _accept(ls, state, version, text, analysis)
        from .background import after_analysis  # late: background imports this module

        after_analysis(ls, state, analysis)  # open dependants of an edited interface (H10)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.exception("analysis of %s failed", state.uri)
        ls.report_once(f"Python Architect could not analyse {state.path.name}: {exc}")
        state.settled.set()


def _show_too_large(ls: ArchitectServer, state: DocumentState, version: int | None, text: str) -> None:
    state.analysis, state.analysis_text, state.shown = None, "", []
    message = (
        f"{state.path.name} is {len(text) / 1e6:.1f} million characters: Python Architect checks files "
        f"under {MAX_LIVE_CHARS / 1e6:.0f} million as you type; run `python-architect check` on this one."
    )
    log.info("%s", message)
    state.diagnostics = [
        types.Diagnostic(
            range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
            message=message,
            severity=types.DiagnosticSeverity.Information,
            source="python-architect",
        )
    ]
    state.result_id = _result_id(ls, state.diagnostics)
    state.version = version
    state.settled.set()
    if not ls.pull_diagnostics:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, version=version, diagnostics=state.diagnostics)
        )


def _analyze(ls: ArchitectServer, state: DocumentState, project, text: str, ruff: bool):
    with state.folder.lock:
        # A document closed meanwhile must not leave its text behind (``close_document`` has
        # already queued its ``forget``, which may run before this).
        if ls.documents.get(state.uri) is state:
            project.track_open(state.path, text)
        return project.analyze(state.path, text, ruff=ruff)


def _forget(folder: FolderState, project, path: Path) -> None:
    with folder.lock:
        project.forget(path)


def _accept(ls: ArchitectServer, state: DocumentState, version: int | None, text: str, analysis) -> None:
    if analysis.syntax_error is not None and state.analysis is not None:
        log.debug("%s has a syntax error: keeping the last good diagnostics", state.uri)
        own = [f for f in state.analysis.findings if f.code != PARSE_ERROR]
        findings_text = state.analysis_text
    else:
        own = [f for f in analysis.findings if f.code != PARSE_ERROR and f is not analysis.syntax_error]
        findings_text = text
        if analysis.syntax_error is None:
            # Hover reads this analysis's constructs too: a syntax error keeps the last good ones.
            state.analysis, state.analysis_text = analysis, text
    _show(ls, state, version, own, findings_text)


def refresh_document(ls: ArchitectServer, state: DocumentState) -> None:
    """Re-shows a document's findings after workspace-wide findings or settings changed."""
    if state.analysis is None:
        return
    _show(ls, state, state.version, [f for f in state.analysis.findings if f.code != PARSE_ERROR], state.analysis_text)


def _show(ls: ArchitectServer, state: DocumentState, version: int | None, own: list[Finding], text: str) -> None:
    settings = state.folder.settings
    findings = list(own)
    if state.analysis is not None and state.analysis.kind == "python":
        findings.extend(state.folder.workspace_findings.get(_resolved(state.path), ()))
    project = state.folder.project
    if project is not None and project.baseline.entries:  # recorded findings are not news
        findings = project.baseline.filter(findings, project.root, lines_reader({state.path: text})).new
    findings = hints.visible(findings, settings.hints, state.edited_lines, settings.severity_overrides)
    findings = apply_overrides(findings, settings.severity_overrides) if settings.enable else []
    kb = state.folder.project.kb if state.folder.project is not None else None
    lines = LineIndex(text, ls.position_encoding)
    state.shown = findings
    state.diagnostics = _convert(state, unique_findings(findings), lines, kb)
    state.result_id = _result_id(ls, state.diagnostics)
    state.version = version
    state.settled.set()
    if not ls.pull_diagnostics:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, version=version, diagnostics=state.diagnostics)
        )
    CLOCK.mark(FIRST_DIAGNOSTICS)


@functools.lru_cache(maxsize=1024)
def _resolved(path: Path) -> Path:
    """``path.resolve()``, remembered: it stats every folder on the way (~0.2 ms on a deep path
    under load), and an open document's path does not move while it is open."""
    return path.resolve()


def _convert(state: DocumentState, findings: list[Finding], lines: LineIndex, kb) -> list[types.Diagnostic]:
    """The findings' diagnostics, reusing the previous run's for findings that did not change.

    A keystroke leaves almost every finding as it was, and building ~350 lsprotocol diagnostics
    took ~15 ms of each round trip. A diagnostic depends only on the finding (its hash and
    equality cover every field ``to_diagnostic`` reads), the knowledge base (a reload makes a new
    one) and the text of the lines its span lands on after clamping, exactly as
    ``LineIndex.to_editor`` clamps them; all of that is the key. Only this run's entries are kept.
    """
    previous = state.converted if state.converted_kb is kb else {}
    last = max(len(lines.lines) - 1, 0)
    current: dict[tuple, types.Diagnostic] = {}
    diagnostics = []
    for finding in findings:
        span = finding.span
        start = min(max(span.line - 1, 0), last)
        end = min(max(span.end_line - 1, start), last)
        key = (finding, lines.encoding, start, end, lines.line_text(start), lines.line_text(end))
        try:
            diagnostic = current.get(key) or previous.get(key)
        except TypeError:  # a finding built with an unhashable field: convert it every time
            diagnostics.append(to_diagnostic(finding, lines, kb))
            continue
        if diagnostic is None:
            diagnostic = to_diagnostic(finding, lines, kb)
        current[key] = diagnostic
        diagnostics.append(diagnostic)
    state.converted, state.converted_kb = current, kb
    return diagnostics


def unique_findings(findings: list[Finding]) -> list[Finding]:
    """Each (code, span, message) once, first occurrence kept (a finding can reach a file twice:
    from its own analysis and from the workspace-wide pass)."""
    seen: set[tuple] = set()
    unique = []
    for finding in findings:
        key = (finding.code, finding.span, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def apply_overrides(findings: list[Finding], overrides: dict[str, str]) -> list[Finding]:
    """Severity overrides per code (the longest matching code prefix wins); ``off`` hides."""
    if not overrides:
        return findings
    result = []
    for finding in findings:
        matches = [code for code in overrides if finding.code.startswith(code)]
        if not matches:
            result.append(finding)
            continue
        wanted = overrides[max(matches, key=len)]
        if wanted != "off":
            result.append(finding.with_changes(severity=Severity.parse(wanted)))
    return result


def _result_id(ls: ArchitectServer, diagnostics: list) -> str:
    """A content hash of what the client would see (pull clients compare it for ``unchanged``)."""
    if not ls.pull_diagnostics:
        return ""
    digest = hashlib.sha1()
    for d in diagnostics:
        r = d.range
        key = (d.code, d.message, d.severity, r.start.line, r.start.character, r.end.line, r.end.character)
        digest.update(repr(key).encode("utf-8", errors="replace"))
    return digest.hexdigest()[:16]


SETTLE_TIMEOUT_S = 30.0
"""How long a request waits for a document's results before answering with what it has."""


async def settled_within(ls: ArchitectServer, state: DocumentState, seconds: float = SETTLE_TIMEOUT_S) -> bool:
    """``wait_settled`` under a deadline (the caller's cancel scope); False when it ran out, and
    the caller answers with the last results."""
    try:
        await asyncio.wait_for(wait_settled(ls, state), seconds)
    except asyncio.TimeoutError:
        log.debug("%s not settled after %.0f s; answering with the last results", state.uri, seconds)
        return False
    return True


async def wait_settled(ls: ArchitectServer, state: DocumentState) -> None:
    """Waits until the document's current version has results (pull requests), or the document
    is closed. Wakes on ``settled`` only: every run either sets it or was replaced by a newer
    scheduled run (``schedule`` clears it), and closing sets it."""
    while True:
        document = ls.document(state.uri)
        if document is None or ls.documents.get(state.uri) is not state:
            return
        if state.settled.is_set() and state.version == document.version:
            return
        if state.settled.is_set() or state.pending is None or state.pending.done():
            # Nothing on its way for this version (its run was dropped as stale, or never
            # scheduled): ask for one now.
            schedule(ls, state.uri, immediate=True)
        await state.settled.wait()


def read_inside(path: Path, root: Path) -> str:
    """A closed file's text for placing its diagnostics: "" when it is unreadable or resolves
    outside the folder's root (``root_paths``: nothing outside the root is read)."""
    if contained(path, root) is None:
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def publish_closed_files(ls: ArchitectServer, folder: FolderState, previous: set[Path]) -> set[Path]:
    """Push clients also see workspace findings and ADR-file problems in files that are not open."""
    if ls.pull_diagnostics or folder.project is None:
        return set()
    by_path: dict[Path, list[Finding]] = {}
    for path, findings in folder.workspace_findings.items():
        by_path.setdefault(path, []).extend(findings)
    for finding in folder.project.kb.problems:
        by_path.setdefault(Path(finding.path).resolve(), []).append(finding)
    open_paths = {state.path.resolve() for state in ls.documents.values()}
    for path in previous - set(by_path):
        if path not in open_paths:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri_of(path), diagnostics=[]))
    for path, findings in by_path.items():
        if path in open_paths:
            continue
        text = read_inside(path, folder.root)
        lines = LineIndex(text, ls.position_encoding)
        if folder.project.baseline.entries:
            findings = folder.project.baseline.filter(findings, folder.project.root, lines_reader({path: text})).new
        shown = apply_overrides(findings, folder.settings.severity_overrides)
        diagnostics = [to_diagnostic(finding, lines, folder.project.kb) for finding in unique_findings(shown)]
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri_of(path), diagnostics=diagnostics))
    return set(by_path)
