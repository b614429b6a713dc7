"""The default, human format: one ``path:line:col: CODE message [ADR-011]`` line per finding, as
ruff prints them, then a summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..findings import Finding, Severity
from . import relative_path


def format_finding(finding: Finding, root: Path) -> str:
    path = relative_path(finding.path, root)
    message = " ".join(finding.message_with_adrs().split())
    return f"{path}:{finding.span.line}:{finding.span.column}: {finding.code} {message}"


def _plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(findings: Sequence[Finding], *, files: int, adrs: int) -> str:
    """``Found 3 problems (1 error, 2 warnings) in 12 files; ADRs: 14`` (info and hints are
    listed only when present)."""
    if not findings:
        return f"All checks passed: {_plural(files, 'file')} checked; ADRs: {adrs}"
    counts = Counter(finding.severity for finding in findings)
    parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning")]
    if counts[Severity.INFO]:
        parts.append(_plural(counts[Severity.INFO], "info"))
    if counts[Severity.HINT]:
        parts.append(_plural(counts[Severity.HINT], "hint"))
    problems = _plural(len(findings), "problem")
    return f"Found {problems} ({', '.join(parts)}) in {_plural(files, 'file')}; ADRs: {adrs}"


def render_text(findings: Sequence[Finding], *, root: Path, files: int, adrs: int) -> str:
    lines = [format_finding(finding, root) for finding in findings]
    lines.append(summary_line(findings, files=files, adrs=adrs))
    return "\n".join(lines) + "\n"
