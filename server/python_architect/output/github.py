"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=src/a.py,line=3,col=1,endLine=3,endColumn=9,title=ARC101::message [ADR-011]``;
warnings stay warnings, info and hints become notices. Values are escaped as the Actions
runner expects: ``%``, CR and LF everywhere, plus ``:`` and ``,`` inside properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..findings import Finding, Severity
from . import relative_path

COMMAND_OF = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.HINT: "notice",
}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_annotation(finding: Finding, root: Path) -> str:
    span = finding.span
    properties = {
        "file": relative_path(finding.path, root),
        "line": str(span.line),
        "col": str(span.column),
        "endLine": str(span.end_line),
        "endColumn": str(span.end_column),
        "title": finding.code,
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMAND_OF[finding.severity]} {joined}::{escape_data(finding.message_with_adrs())}"


def render_github(findings: Sequence[Finding], *, root: Path) -> str:
    return "".join(format_annotation(finding, root) + "\n" for finding in findings)
