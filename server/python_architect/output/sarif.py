"""``--format sarif``: a SARIF 2.1.0 log that GitHub code scanning accepts.

One run; ``tool.driver`` lists a rule (``reportingDescriptor``) for every code that has findings,
with the registry's title, rationale and "instead" as help text and markdown, the ADRs the
findings cite, the principle as a tag and the severity as the default level. Results point at
``%SRCROOT%``-relative URIs with a region and carry a ``partialFingerprints`` entry built from the
code, the path and the text of the flagged line, so a result keeps its identity when lines shift.
Codes without a registry entry (a newer ruff code) still render, with a minimal rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..codes import CheckInfo
from ..codes import metadata as lookup
from ..findings import Finding, Severity
from ..root_paths import contained
from . import relative_path

if TYPE_CHECKING:
    from ..knowledge.model import KnowledgeBase

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/python-architect/python-architect"
FINGERPRINT_KEY = "pythonArchitect/v1"

LEVEL_OF = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.HINT: "note",
}
# GitHub ranks security alerts by this property (CVSS-like, 0.0-10.0).
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "3.0", Severity.HINT: "1.0"}


def _adr_lines(adr_ids: Sequence[str], kb: KnowledgeBase | None, root: Path) -> list[tuple[str, str]]:
    """``(plain, markdown)`` lines naming each cited ADR with its title and file when known."""
    lines: list[tuple[str, str]] = []
    for adr_id in adr_ids:
        adr = kb.get(adr_id) if kb is not None else None
        if adr is None:
            lines.append((adr_id, f"**{adr_id}**"))
            continue
        where = relative_path(adr.path, root)
        plain = f"{adr.id}: {adr.title} ({adr.status}, {where})"
        lines.append((plain, f"**{adr.id}**: {adr.title} ({adr.status}, `{where}`)"))
    return lines


def build_rule(
    code: str, info: CheckInfo | None, adr_ids: Sequence[str], kb: KnowledgeBase | None, root: Path
) -> dict[str, Any]:
    """One ``reportingDescriptor`` for ``code``."""
    if info is None:
        return {
            "id": code,
            "name": code,
            "shortDescription": {"text": code},
            "help": {
                "text": f"{code} is reported by python-architect.",
                "markdown": f"`{code}` is reported by python-architect.",
            },
            "defaultConfiguration": {"level": "warning"},
        }
    text_parts = [info.rationale]
    markdown_parts = [f"**{info.title}** ({info.principle})", "", info.rationale]
    if info.instead:
        text_parts.append(f"Instead: {info.instead}")
        markdown_parts += ["", f"**Instead:** {info.instead}"]
    adr_lines = _adr_lines(adr_ids, kb, root)
    if adr_lines:
        text_parts.append("Decisions: " + "; ".join(plain for plain, _ in adr_lines))
        markdown_parts += ["", "**Decisions:**", *(f"- {markdown}" for _, markdown in adr_lines)]
    properties: dict[str, Any] = {"tags": [info.principle]}
    if info.principle == "security":
        properties["security-severity"] = SECURITY_SEVERITY[info.severity]
    return {
        "id": code,
        "name": _rule_name(info.title, code),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale},
        "help": {"text": "\n\n".join(text_parts), "markdown": "\n".join(markdown_parts)},
        "defaultConfiguration": {"level": LEVEL_OF[info.severity]},
        "properties": properties,
    }


def _rule_name(title: str, code: str) -> str:
    """A PascalCase identifier from the title (SARIF rule names are identifiers, not prose)."""
    words = "".join(ch if ch.isalnum() else " " for ch in title).split()
    return "".join(word[:1].upper() + word[1:] for word in words) or code


class _LineReader:
    """Reads each flagged file once to fingerprint results by the text of their line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lines: dict[str, list[str]] = {}

    def line(self, relative: str, number: int) -> str:
        if relative not in self._lines:
            try:
                path = self.root / relative
                # Findings name files inside the root; anything else is not read (``root_paths``).
                text = path.read_text(encoding="utf-8", errors="replace") if contained(path, self.root) else ""
            except (OSError, ValueError):
                text = ""
            self._lines[relative] = text.splitlines()
        lines = self._lines[relative]
        return lines[number - 1] if 0 < number <= len(lines) else ""


def fingerprint(code: str, relative: str, line_text: str, occurrence: int) -> str:
    basis = f"{code}\0{relative}\0{' '.join(line_text.split())}\0{occurrence}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def build_result(finding: Finding, rule_index: int, relative: str, print_: str) -> dict[str, Any]:
    span = finding.span
    region = {
        "startLine": max(span.line, 1),
        "startColumn": max(span.column, 1),
        "endLine": max(span.end_line, span.line, 1),
        "endColumn": max(span.end_column, 1),
    }
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVEL_OF[finding.severity],
        "message": {"text": finding.message_with_adrs()},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(relative), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: print_},
        "properties": {"adrs": list(finding.adrs)},
    }


def _uri(relative: str) -> str:
    from urllib.parse import quote

    return quote(relative, safe="/")


def sarif_log(findings: Sequence[Finding], *, root: Path, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    codes: list[str] = []
    adrs_of: dict[str, list[str]] = {}
    for finding in findings:
        if finding.code not in adrs_of:
            codes.append(finding.code)
            adrs_of[finding.code] = []
        for adr_id in finding.adrs:
            if adr_id not in adrs_of[finding.code]:
                adrs_of[finding.code].append(adr_id)
    codes.sort()
    index_of = {code: position for position, code in enumerate(codes)}
    rules = [build_rule(code, lookup(code), adrs_of[code], kb, root) for code in codes]

    reader = _LineReader(root)
    seen: dict[tuple[str, str, str], int] = {}
    results = []
    for finding in findings:
        relative = relative_path(finding.path, root)
        line_text = reader.line(relative, finding.span.line)
        key = (finding.code, relative, " ".join(line_text.split()))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        print_ = fingerprint(finding.code, relative, line_text, occurrence)
        result = build_result(finding, index_of[finding.code], relative, print_)
        if finding.related:  # every import line of a cycle (issue 8)
            result["relatedLocations"] = [
                {"id": number, "message": {"text": item.message},
                 "physicalLocation": {
                     "artifactLocation": {"uri": _uri(relative_path(item.path, root)), "uriBaseId": "%SRCROOT%"},
                     "region": {"startLine": max(item.span.line, 1), "startColumn": max(item.span.column, 1),
                                "endLine": max(item.span.end_line, item.span.line, 1),
                                "endColumn": max(item.span.end_column, 1)}}}
                for number, item in enumerate(finding.related)
            ]
        results.append(result)

    root_uri = root.resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "python-architect",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "invocations": [{"executionSuccessful": True}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(findings: Sequence[Finding], *, root: Path, kb: KnowledgeBase | None = None) -> str:
    return json.dumps(sarif_log(findings, root=root, kb=kb), indent=2, ensure_ascii=False) + "\n"
