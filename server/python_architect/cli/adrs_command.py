"""``python-architect adrs [PATH]``: the ADRs a workspace has, as the checks see them.

For each record: id, status, title, file, what it supersedes or is superseded by, its rules
(id, kind and the options that matter) and the problems found in its file (ARC001-ARC005).
``--format json`` prints ``{"root", "adrs": [...], "problems": [...]}``. Exit codes: 0 no
problems, 1 problems in the ADR files, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ..findings import Finding, sort_key
from ..output import relative_path
from ..output.json_format import finding_to_dict
from ..output.text import format_finding
from .check_command import find_root, report_config_errors

_RULE_SUMMARY_KEYS = ("module", "modules", "expose", "use", "allow", "layers", "policy", "check", "codes", "options",
                      "ignore", "paths", "exclude")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "adrs",
        help="list the ADRs found, with their status, rules and problems",
        description="List the architecture decision records of a workspace with their status, "
        "enforceable rules and the problems found in the ADR files.",
    )
    parser.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH",
                        help="the workspace or a directory inside it (default: the current directory)")
    parser.add_argument("--format", dest="output_format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def _rule_to_dict(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "kind": rule.kind,
        "severity": rule.severity.value if rule.severity is not None else None,
        "message": rule.message,
        "options": rule.options,
        "line": rule.line,
    }


def _rule_line(rule: Any) -> str:
    details = []
    for key in _RULE_SUMMARY_KEYS:
        value = rule.options.get(key)
        if value in (None, [], {}, ()):
            continue
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        details.append(f"{key}: {value}")
    if rule.severity is not None:
        details.append(f"severity: {rule.severity.value}")
    suffix = f" ({'; '.join(details)})" if details else ""
    return f"rule {rule.id}: {rule.kind}{suffix}"


def _problems_by_file(problems: list[Finding]) -> dict[Path, list[Finding]]:
    grouped: dict[Path, list[Finding]] = {}
    for problem in sorted(problems, key=sort_key):
        grouped.setdefault(Path(problem.path).resolve(), []).append(problem)
    return grouped


def render_adrs_text(project: Any) -> str:
    root, kb = project.root, project.kb
    grouped = _problems_by_file(kb.problems)
    lines: list[str] = []
    id_width = max((len(adr.id) for adr in kb.adrs), default=7)
    for adr in kb.adrs:
        lines.append(f"{adr.id:<{id_width}}  {adr.status:<10}  {adr.title}")
        lines.append(f"{'':<{id_width}}  {relative_path(adr.path, root)}")
        if adr.supersedes:
            lines.append(f"{'':<{id_width}}  supersedes {', '.join(adr.supersedes)}")
        successors = [a.id for a in kb.superseding(adr)]
        if successors:
            lines.append(f"{'':<{id_width}}  superseded by {', '.join(successors)}")
        for rule in adr.rules:
            lines.append(f"{'':<{id_width}}  {_rule_line(rule)}")
        for problem in grouped.get(Path(adr.path).resolve(), []):
            lines.append(f"{'':<{id_width}}  problem: {format_finding(problem, root)}")
    adr_files = {Path(adr.path).resolve() for adr in kb.adrs}
    orphans = [p for path, found in grouped.items() if path not in adr_files for p in found]
    if orphans:
        lines += ["", "Problems in files that did not yield an ADR:"]
        lines += [f"  {format_finding(problem, root)}" for problem in orphans]
    statuses = Counter(adr.status for adr in kb.adrs)
    by_status = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    rules = sum(len(adr.rules) for adr in kb.adrs)
    problems = len(kb.problems)
    summary = f"{len(kb.adrs)} ADRs" + (f" ({by_status})" if by_status else "")
    lines += ["", f"{summary}, {rules} rules, {problems} problem{'s' if problems != 1 else ''}"]
    if not kb.adrs:
        lines.insert(0, f"No ADRs found under {relative_path(root / project.config.knowledge_dir / 'adrs', root)}/")
    return "\n".join(lines) + "\n"


def adrs_document(project: Any) -> dict[str, Any]:
    root, kb = project.root, project.kb
    grouped = _problems_by_file(kb.problems)
    return {
        "root": str(root),
        "adrs": [
            {
                "id": adr.id,
                "title": adr.title,
                "status": adr.status,
                "date": adr.date,
                "path": relative_path(adr.path, root),
                "tags": list(adr.tags),
                "supersedes": list(adr.supersedes),
                "superseded_by": [a.id for a in kb.superseding(adr)],
                "has_frontmatter": adr.has_frontmatter,
                "rules": [_rule_to_dict(rule) for rule in adr.rules],
                "problems": [finding_to_dict(p, root) for p in grouped.get(Path(adr.path).resolve(), [])],
            }
            for adr in kb.adrs
        ],
        "problems": [finding_to_dict(p, root) for p in sorted(kb.problems, key=sort_key)],
    }


def run(args: argparse.Namespace) -> int:
    from ..engine import Project

    start = (args.path or Path.cwd()).resolve()
    if not start.exists():
        print(f"python-architect adrs: error: {args.path}: no such file or directory", file=sys.stderr)
        return 2
    root = find_root(start if start.is_dir() else start.parent)
    project = Project.load(root)
    if report_config_errors(project.config_errors, root):
        return 2
    if args.output_format == "json":
        sys.stdout.write(json.dumps(adrs_document(project), indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
        sys.stdout.write(render_adrs_text(project))
    return 1 if project.kb.problems else 0
