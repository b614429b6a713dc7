"""``check`` over many Python files: the own checks per file (in two worker processes when there
are enough files for it to pay, largest files first) with one ruff invocation over all of them
running alongside; ruff's findings that need a file's parse are judged on the statements around
them, parsed again (``analysis.reparse.parse_statements``).

It knows nothing of the engine's ``Project``: the caller passes in an *analyser* (anything with
``analyze(path, ruff=False)``; it is inherited by forked workers, pickled otherwise, so no worker
re-reads the workspace and no AST is ever pickled), a function that finalises ruff's raw findings
for one file, and one that records each parsed file's facts in the index. The engine composes
the rest of a run (workspace, dependency, ADR and configuration findings).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from ..analysis import ruff_bridge, ruff_refine, ruff_refine_suppressed
from ..analysis.decoding import read_source, source_lines
from ..analysis.facts import ModuleFacts
from ..analysis.registry import RawFinding
from ..analysis.reparse import parse_statements
from ..findings import Finding
from .cached_run import CachedRun, analyze_recording
from .parse import parse_python

PARALLEL_THRESHOLD = 50
"""Below this many Python files a second process costs more to start than it saves."""


class Analysis(Protocol):
    """What the batch reads of one file's analysis."""

    path: Path
    findings: list[Finding]
    facts: ModuleFacts | None
    statement_starts: tuple[tuple[int, int], ...]


class Analyzer(Protocol):
    root: Path
    """The workspace root: refinements that read the modules a file imports stay inside it."""

    def analyze(self, path: Path, text: str | None = None, *, ruff: bool | None = None) -> Any: ...


FinalizeRuff = Callable[[list[RawFinding], Path, list[str]], list[Finding]]
"""``(raw ruff findings, path, the file's lines) -> findings`` (severity, citations, suppression)."""

_WORKER: Analyzer | None = None


def _init_worker(analyzer: Analyzer) -> None:
    global _WORKER
    _WORKER = analyzer
    if hasattr(analyzer, "in_batch_worker"):  # this process's copy only
        analyzer.in_batch_worker = True


def _analyze_in_worker(path: Path) -> tuple[Analysis, tuple[str, ...]]:
    assert _WORKER is not None
    return analyze_recording(_WORKER, path)


def default_jobs(file_count: int) -> int:
    if file_count < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


class _Workers:
    """The own checks of many files, in ``jobs`` worker processes (or in this one).

    ``start`` hands out every file at once, largest first in small chunks: the big modules do
    not end up alone at the tail while the other worker idles.
    """

    def __init__(self, analyzer: Analyzer, jobs: int) -> None:
        self.analyzer = analyzer
        self.pool: Any = None
        if jobs > 1:
            # Imported here: a warm run analyses nothing and need not load multiprocessing.
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(analyzer,))
        self.jobs = jobs

    def start(self, python: list[Path]) -> Iterable[tuple[Analysis, tuple[str, ...]]]:
        """Each file's analysis with the modules its checks looked up (for the cache)."""
        if self.pool is None:
            return (analyze_recording(self.analyzer, path) for path in python)
        largest_first = sorted(python, key=_size, reverse=True)
        chunk = max(1, len(python) // (self.jobs * 32))
        return self.pool.map(_analyze_in_worker, largest_first, chunksize=chunk)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _ruff_findings(path: Path, raw: list[RawFinding], starts: tuple[tuple[int, int], ...],
                   finalize_ruff: FinalizeRuff, root: Path) -> list[Finding]:
    """Ruff's raw findings of one file, judged on its parse where a refinement needs it (a
    timeout fix, a false-positive check), then finalised. The batch keeps no trees (workers send
    back facts only), so such a file is parsed again: only the statements around its findings when
    their first lines are known (one method of a 2,000-line class, not the module)."""
    try:
        text = read_source(path)
    except OSError:
        return []
    lines = source_lines(text)
    raw = ruff_refine_suppressed.without_ruff_ignored(lines, raw)  # no parse needed
    if ruff_refine.needs_tree(raw):
        # A refinement costs a parse: not for findings the finalizer drops anyway (a judgment
        # check nobody adopted, test code, a suppression), most of ruff's output on a default run.
        raw = [f for f in raw if f.code not in ruff_refine.REFINED or finalize_ruff([f], path, lines)]
    if ruff_refine.needs_tree(raw):
        tree = parse_statements(lines, starts, (f.span.line for f in raw)) if starts else None
        if tree is None:
            tree, _ = parse_python(text, path)
        if tree is not None:
            raw = ruff_refine.post_process(tree, lines, raw, path, root)
    return finalize_ruff(raw, path, lines)


def check_python_files(
    analyzer: Analyzer,
    python: list[Path],
    *,
    jobs: int | None = None,
    ruff_codes: list[str],
    finalize_ruff: FinalizeRuff,
    record_facts: Callable[[Path, ModuleFacts], Any],
    tick: Callable[[], None] = lambda: None,
    cache: CachedRun | None = None,
) -> list[Finding]:
    """Own-check and ruff findings of every file in ``python`` (unsorted); ``tick`` once per file.

    With a ``cache``, files whose findings are still valid are answered from it (their facts
    recorded all the same) and only the rest are analysed; their findings go back into it.
    """
    findings: list[Finding] = []
    if cache is not None:
        reused, python = cache.split(python)
        for entry in reused:
            findings.extend(entry.findings)
            if entry.facts is not None:
                record_facts(entry.path, entry.facts)
            tick()
    jobs = default_jobs(len(python)) if jobs is None else max(1, jobs)
    starts_of: dict[Path, tuple[tuple[int, int], ...]] = {}
    """The files that parsed, with where their statements start (for ruff's refinements)."""
    per_file: dict[Path, tuple[list[Finding], ModuleFacts | None, tuple[str, ...]]] = {}
    workers = _Workers(analyzer, jobs)
    batch = None
    try:
        analyses = workers.start(python)
        # Ruff starts once the workers have their files; it and they share the cores from here.
        batch = ruff_bridge.start_ruff_many(python, ruff_codes) if ruff_codes and python else None
        for analysis, looked_up in analyses:
            findings.extend(analysis.findings)
            per_file[analysis.path] = (list(analysis.findings), analysis.facts, looked_up)
            if analysis.facts is not None:
                # Facts from a worker process reach this process's index only through here.
                record_facts(analysis.path, analysis.facts)
                starts_of[analysis.path] = analysis.statement_starts
            tick()
    finally:
        workers.close()
    if batch is not None:
        by_path = batch.result()
        # Ruff's results are keyed by resolved path; discovery's paths are resolved already
        # (the walk does not follow directory links), so only a linked file needs resolving.
        unmatched = set(by_path).difference(starts_of)
        for path, starts in starts_of.items():
            raw = by_path.get(path)
            if raw is None and unmatched:
                raw = by_path.get(path.resolve())
            if raw:
                found = _ruff_findings(path, raw, starts, finalize_ruff, analyzer.root)
                findings.extend(found)
                per_file[path][0].extend(found)
    if cache is not None:
        for path, (own, facts, looked_up) in per_file.items():
            cache.record(path, facts, own, looked_up)
        cache.finish()
    return findings
