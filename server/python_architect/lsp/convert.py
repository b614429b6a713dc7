"""Conversions between the core's values and lsprotocol types.

Findings become diagnostics (source ``python-architect``, code, a link to the governing ADR or the
rule's documentation in ``codeDescription``, related information only for the finding's other
places) and carry everything a
quick fix needs in ``Diagnostic.data``, so code actions never recompute a finding.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ..explain.positions import LineIndex, ZeroBasedRange
from ..findings import Finding, Fix, Severity, Span, TextEdit
from ..knowledge.model import Adr, KnowledgeBase

SOURCE = "python-architect"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}
_FROM_SEVERITY = {value: key for key, value in _SEVERITY.items()}


def path_of(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path) if path else None


@lru_cache(maxsize=4096)
def uri_of(path: Path) -> str:
    """Cached: every diagnostic links its ADR files, and quoting a path costs ~40 µs each time."""
    return from_fs_path(str(path)) or path.as_uri()


def lsp_range(editor_range: ZeroBasedRange) -> types.Range:
    return types.Range(
        start=types.Position(line=editor_range.start_line, character=editor_range.start_character),
        end=types.Position(line=editor_range.end_line, character=editor_range.end_character),
    )


def span_range(span: Span, lines: LineIndex) -> types.Range:
    return lsp_range(lines.to_editor(span))


def core_span(range_: types.Range, lines: LineIndex) -> Span:
    return lines.span_from_editor(
        range_.start.line, range_.start.character, range_.end.line, range_.end.character
    )


def adr_decision_range(adr: Adr) -> types.Range:
    section = adr.decision
    line = (section.line if section else adr.body_line) - 1
    return types.Range(start=types.Position(line=max(line, 0), character=0), end=types.Position(line=max(line, 0), character=0))


def governing_adrs(finding: Finding, kb: KnowledgeBase | None) -> list[Adr]:
    if kb is None:
        return []
    return [adr for adr in (kb.get(adr_id) for adr_id in finding.adrs) if adr is not None]


def to_diagnostic(finding: Finding, lines: LineIndex, kb: KnowledgeBase | None) -> types.Diagnostic:
    """The diagnostic for a finding in the document whose text ``lines`` indexes."""
    adrs = governing_adrs(finding, kb)
    href = uri_of(adrs[0].path) if adrs else _docs_url(finding.code)
    # Related rows only where they explain the finding (issue 23): the other places of it, such as
    # a cycle's other import lines. The ADR is linked by ``codeDescription`` and the hover, not by
    # a row per finding. Their files' texts are not at hand: columns are taken as characters,
    # exact for the ASCII import lines they point at.
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri_of(item.path), range=types.Range(
                start=types.Position(line=item.span.line - 1, character=item.span.column - 1),
                end=types.Position(line=item.span.end_line - 1, character=item.span.end_column - 1))),
            message=item.message,
        )
        for item in _explaining(finding)
        if not (item.path == finding.path and item.span == finding.span)
    ]
    return types.Diagnostic(
        range=span_range(finding.span, lines),
        message=finding.message_with_adrs(),
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        related_information=related or None,
        data=finding_data(finding),
    )


def _explaining(finding: Finding) -> tuple:
    """The related places that explain the finding: the first ``data["explains"]`` when the check
    says how many (a cycle: the lines of the cycle its message states), else all of them."""
    count = finding.data.get("explains") if isinstance(finding.data, dict) else None
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        return finding.related[:count]
    return finding.related


def _docs_url(code: str) -> str | None:
    """The code's section in the rules reference installed with the package (works offline)."""
    from ..codes.docs import section_uri

    return section_uri(code)


def finding_data(finding: Finding) -> dict[str, Any]:
    """What a code action needs later: the fix (core coordinates), the ADR ids, the bare message."""
    return {
        "code": finding.code,
        "message": finding.message,
        "adrs": list(finding.adrs),
        "span": _span_json(finding.span),
        "fix": _fix_json(finding.fix) if finding.fix else None,
        "ruleId": finding.rule_id,
    }


def _span_json(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _fix_json(fix: Fix) -> dict[str, Any]:
    return {
        "title": fix.title,
        "safe": fix.safe,
        "edits": [{"span": _span_json(edit.span), "text": edit.new_text} for edit in fix.edits],
    }


def finding_from_diagnostic(diagnostic: types.Diagnostic, path: Path, lines: LineIndex) -> Finding | None:
    """Rebuilds the finding a diagnostic of ours was made from (None for other sources' ones)."""
    if diagnostic.source != SOURCE:
        return None
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    try:
        span = Span(*data["span"]) if data.get("span") else core_span(diagnostic.range, lines)
        fix = _fix_from_json(data.get("fix"))
    except (TypeError, ValueError, KeyError):
        span, fix = core_span(diagnostic.range, lines), None
    return Finding(
        code=str(data.get("code") or diagnostic.code or ""),
        message=str(data.get("message") or diagnostic.message),
        severity=_FROM_SEVERITY.get(diagnostic.severity, Severity.WARNING),
        path=path,
        span=span,
        adrs=tuple(str(adr) for adr in data.get("adrs") or ()),
        fix=fix,
        rule_id=data.get("ruleId"),
    )


def _fix_from_json(raw: Any) -> Fix | None:
    if not isinstance(raw, dict):
        return None
    edits = tuple(TextEdit(Span(*edit["span"]), str(edit["text"])) for edit in raw.get("edits") or ())
    return Fix(title=str(raw.get("title") or "Fix"), edits=edits, safe=bool(raw.get("safe", True)))


def text_edit(edit: TextEdit, lines: LineIndex) -> types.TextEdit:
    return types.TextEdit(range=span_range(edit.span, lines), new_text=edit.new_text)
