"""``--format json``: exactly ``{"findings": [...], "files": N, "adrs": N}``.

A finding is ``{"code", "message", "severity", "path", "line", "column", "end_line", "end_column",
"adrs", "fix", "related"}`` with 1-based positions (end column exclusive) and the path relative to
the workspace root; ``fix`` is null or ``{"title", "safe", "edits": [{"line", "column", "end_line",
"end_column", "new_text"}]}``; ``related`` is a list (often empty) of ``{"message", "path", "line",
"column", "end_line", "end_column"}``: the other places that explain the finding, e.g. every import
line of an ARC103 cycle. Scripts depend on this shape: add nothing casually.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from ..findings import Finding, Fix, Related
from . import relative_path


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
    }


def render_json(findings: Sequence[Finding], *, root: Path, files: int, adrs: int) -> str:
    document = {
        "findings": [finding_to_dict(finding, root) for finding in findings],
        "files": files,
        "adrs": adrs,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
