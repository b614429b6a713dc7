"""The finding: the one plain value every check produces and every front end reads.

Hover, code actions, the CLI formats and the chat context all read findings; none recomputes
them. Positions are 1-based lines and 1-based columns counted in characters (not bytes), with
an exclusive end column, exactly like ruff's JSON output. The LSP layer subtracts one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .root_paths import relative_path


class Severity(str, enum.Enum):
    """How loudly a finding is reported; ordered from most to least severe."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Accepts the names used in ADR frontmatter and settings (case-insensitive)."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r} (expected error, warning, info or hint)"
            ) from None

    def at_most(self, ceiling: Severity) -> Severity:
        """This severity, lowered to ``ceiling`` when it is louder (proposed ADRs cap at info)."""
        return self if self.rank >= ceiling.rank else ceiling


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2, Severity.HINT: 3}


@dataclass(frozen=True, order=True)
class Span:
    """A range in a text file: 1-based line and column, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def whole_line(cls, line: int, text_of_line: str) -> Span:
        return cls(line, 1, line, len(text_of_line.rstrip("\r\n")) + 1)

    def contains(self, line: int, column: int) -> bool:
        """Whether the 1-based position lies inside (end inclusive, so a cursor at the end hits)."""
        if (line, column) < (self.line, self.column):
            return False
        return (line, column) <= (self.end_line, self.end_column)


@dataclass(frozen=True)
class TextEdit:
    """Replace ``span`` with ``new_text`` (an empty span inserts)."""

    span: Span
    new_text: str


@dataclass(frozen=True)
class Fix:
    """A mechanical change that resolves a finding.

    ``safe`` fixes are applied by "fix all"; unsafe ones are offered one at a time only.
    """

    title: str
    edits: tuple[TextEdit, ...]
    safe: bool = True


@dataclass(frozen=True)
class Related:
    """Another place that explains a finding (LSP ``relatedInformation``): each import line of a
    cycle, for example. The path is absolute; the span uses the same convention as findings."""

    path: Path
    span: Span
    message: str


@dataclass(frozen=True)
class Finding:
    """One problem at one place, citing the ADRs that govern it.

    ``adrs`` holds ADR ids (``"ADR-011"``); ``rule_id`` names the ADR rule entry that produced or
    tuned the finding, when there is one. ``data`` carries what a quick fix or hover needs later
    (kept JSON-serialisable so it can ride in ``Diagnostic.data``).
    """

    code: str
    message: str
    severity: Severity
    path: Path
    span: Span
    adrs: tuple[str, ...] = ()
    fix: Fix | None = None
    principle: str = ""
    source: str = "python-architect"
    rule_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    related: tuple[Related, ...] = field(default=(), compare=False, hash=False)

    @property
    def line(self) -> int:
        return self.span.line

    def with_changes(self, **changes: Any) -> Finding:
        from dataclasses import replace

        return replace(self, **changes)

    def message_with_adrs(self) -> str:
        """The message as shown to people: ADR ids in brackets at the end."""
        if not self.adrs:
            return self.message
        return f"{self.message} [{', '.join(self.adrs)}]"


def sort_key(finding: Finding) -> tuple:
    return (str(finding.path), finding.span.line, finding.span.column, finding.code)


# -- the JSON shape of a finding (``check --format json``, MCP, the agent's tools) -----------

def fix_to_dict(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "title": fix.title,
        "safe": fix.safe,
        "edits": [
            {
                "line": edit.span.line,
                "column": edit.span.column,
                "end_line": edit.span.end_line,
                "end_column": edit.span.end_column,
                "new_text": edit.new_text,
            }
            for edit in fix.edits
        ],
    }


def related_to_dict(item: Related, root: Path) -> dict[str, Any]:
    return {
        "message": item.message,
        "path": relative_path(item.path, root),
        "line": item.span.line,
        "column": item.span.column,
        "end_line": item.span.end_line,
        "end_column": item.span.end_column,
    }


def finding_to_dict(finding: Finding, root: Path) -> dict[str, Any]:
    return {
        "code": finding.code,
        "message": finding.message,
        "severity": finding.severity.value,
        "path": relative_path(finding.path, root),
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
        "adrs": list(finding.adrs),
        "fix": fix_to_dict(finding.fix),
        "related": [related_to_dict(item, root) for item in finding.related],
        "rule": finding.rule_id or finding.data.get("contract"),
        "chain": _chain(finding),
    }


def _chain(finding: Finding) -> list[str] | None:
    """The modules from importer to imported, for an import finding; None otherwise."""
    chain = finding.data.get("chain")
    if isinstance(chain, list) and chain:
        return [str(module) for module in chain]
    return None
