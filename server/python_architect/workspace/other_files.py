"""The analysis of the files that are not Python: dependency files, ADRs and the configuration.

``Project.analyze`` hands ``requirements*.txt`` / ``pyproject.toml`` (ARC110, and ARC006 for the
root ``pyproject.toml``) and ADR markdown files (the knowledge problems located in them) here;
each returns the same ``FileAnalysis`` a Python file gets, findings finalised and sorted.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..analysis.decoding import read_text, source_lines
from ..analysis.registry import RawFinding
from ..codes import ARC001, ARC002, ARC110
from ..config import ConfigError, ProjectConfig
from ..findings import Finding, sort_key
from ..knowledge.model import KnowledgeBase
from .finalize import Finalizer
from .parse import config_error_finding, locate_config_error
from .results import FileAnalysis

log = logging.getLogger(__name__)


def dependency_file_analysis(root: Path, path: Path, text: str | None, kb: KnowledgeBase, config: ProjectConfig,
                             finalizer: Finalizer, config_errors: list[ConfigError]) -> FileAnalysis:
    """ARC110 for one dependency file (read from disk when ``text`` is None); the root
    ``pyproject.toml`` also carries the configuration's ARC006 findings."""
    from ..analysis.dependencies import check_dependency_file

    if text is None:
        text = read_text(path)
    raw: list[RawFinding] = []
    if finalizer.selected(ARC110):
        try:
            raw = check_dependency_file(root, path, text, kb, config)
        except Exception:  # one faulty check must not hide the rest of the report
            log.exception("dependency check failed on %s", path)
    lines = source_lines(text)
    findings = (finalizer.finalize(r, path, lines, "python-architect") for r in raw)
    analysis = FileAnalysis(path=path, kind="dependencies")
    analysis.findings = sorted((f for f in findings if f is not None), key=sort_key)
    if path == root / "pyproject.toml":
        analysis.findings.extend(config_findings(config_errors, finalizer, text))
    return analysis


def adr_file_analysis(path: Path, text: str | None, kb: KnowledgeBase, finalizer: Finalizer) -> FileAnalysis:
    """Problems located in one ADR file; unsaved text is re-parsed so edits show up at once."""
    from ..knowledge.problems import problems_in

    problems = problems_in(kb.problems, path)
    if text is not None:
        from ..knowledge.adr_parser import parse_adr

        _, own = parse_adr(path, text)
        # ARC001/ARC002 come from this file alone; cross-file problems keep the loaded state.
        problems = [p for p in problems if p.code not in (ARC001, ARC002)] + list(own)
    selected = [p for p in problems if finalizer.selected(p.code)]
    return FileAnalysis(path=path, kind="adr", findings=sorted(selected, key=sort_key))


def config_findings(config_errors: list[ConfigError], finalizer: Finalizer, text: str | None = None) -> list[Finding]:
    """ARC006 findings for configuration problems, on the offending key's line when found."""
    findings = []
    for error in config_errors:
        finding = locate_config_error(config_error_finding(error), text)
        if finalizer.selected(finding.code):
            findings.append(finding)
    return findings
