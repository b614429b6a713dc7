"""``check`` over many files: the CLI's whole-workspace run.

Own checks run per file (in two worker processes when there are enough files for it to pay;
each worker loads the project once in its initializer, so no AST is ever pickled), while one ruff
invocation over all files runs alongside. Workspace findings (import cycles), ADR-file problems
and configuration problems are added, and everything is sorted.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ..analysis import ruff_bridge
from ..analysis.decoding import read_source, source_lines
from ..analysis.registry import all_checks
from ..findings import Finding, sort_key
from .files import discover_files
from .finalize import Finalizer
from .parse import parse_python

if TYPE_CHECKING:
    from ..engine import CheckResult, FileAnalysis, Project

PARALLEL_THRESHOLD = 50
"""Below this many Python files a second process costs more to start than it saves."""

_WORKER: "Project | None" = None


def _init_worker(project: "Project") -> None:
    """Receives the loaded project once (inherited on fork, pickled otherwise: config, knowledge
    base and compact facts only), so no worker re-reads the workspace."""
    global _WORKER
    _WORKER = project


def _analyze_in_worker(path: Path) -> "FileAnalysis":
    assert _WORKER is not None
    return _WORKER.analyze(path, ruff=False)


def default_jobs(file_count: int) -> int:
    if file_count < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def _own_analyses(project: "Project", python: list[Path], jobs: int,
                  tick: Callable[[], None]) -> Iterable["FileAnalysis"]:
    if jobs <= 1:
        for path in python:
            yield project.analyze(path, ruff=False)
            tick()
        return
    # Import every check module here, once: forked workers inherit them instead of each
    # paying the imports (about half a second of CPU apiece).
    all_checks()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(project,)) as pool:
        for analysis in pool.map(_analyze_in_worker, python, chunksize=max(1, len(python) // (jobs * 8))):
            yield analysis
            tick()


def _ruff_findings(project: "Project", analysis: "FileAnalysis", raw: list) -> list[Finding]:
    try:
        text = read_source(analysis.path)
    except OSError:
        return []
    lines = source_lines(text)
    if any(r.code == "S113" and r.fix is None for r in raw):
        # The batch keeps no trees (workers send back facts only), so the rare file that needs
        # a timeout fix is parsed again here rather than holding every tree alive.
        tree, _ = parse_python(text, analysis.path)
        if tree is not None:
            raw = ruff_bridge.timeout_fixes(tree, lines, raw)
    return project._finalize(raw, analysis.path, lines, "ruff")


def check_paths(project: "Project", paths: list[Path] | None, *, select: tuple[str, ...] = (),
                ignore: tuple[str, ...] = (), jobs: int | None = None,
                progress: Callable[[int, int], None] | None = None, ruff: bool = True) -> "CheckResult":
    from ..engine import CheckResult

    saved = project.finalizer
    project.finalizer = Finalizer(project.root, project.kb, project.config, select, ignore)
    try:
        whole = paths is None
        files = project.workspace_files if whole else discover_files(project.root, project.config, paths)
        python = files.python
        total = len(files.all())
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)

        codes = project.ruff_codes() if ruff else []
        batch = ruff_bridge.start_ruff_many(python, codes) if codes and python else None
        jobs = default_jobs(len(python)) if jobs is None else max(1, jobs)
        findings: list[Finding] = []
        parsed: list["FileAnalysis"] = []
        for analysis in _own_analyses(project, python, jobs, tick):
            findings.extend(analysis.findings)
            if analysis.facts is not None:
                project.index.update(analysis.path, analysis.facts)
                parsed.append(analysis)
        if batch is not None:
            by_path = batch.result()
            for analysis in parsed:
                raw = by_path.get(analysis.path.resolve())
                if raw:
                    findings.extend(_ruff_findings(project, analysis, raw))
        if whole:
            project.index.scanned = True
        checked = set(python)
        findings.extend(f for f in project.workspace_findings() if whole or f.path in checked)
        for path in files.dependencies:
            findings.extend(project.analyze(path).findings)
            tick()
        if whole:
            # Every ADR problem, even in a file discovery skipped (a gitignored knowledge dir).
            findings.extend(p for p in project.kb.problems if project.finalizer.selected(p.code))
        for path in files.adrs:
            if not whole:
                findings.extend(project.analyze(path).findings)
            tick()
        if whole and project.root / "pyproject.toml" not in files.dependencies:
            findings.extend(project.config_findings())
        findings.sort(key=sort_key)
        return CheckResult(findings=findings, files=total, adrs=len(project.kb.adrs))
    finally:
        project.finalizer = saved
