"""Parsing workspace files into ``ModuleFacts`` for the index: one file's text, or many files
read and parsed here or in worker processes that run at a lower priority than the editor and
stream their results back a chunk at a time.

Recording the results is the caller's (``WorkspaceIndex.scan``, ``Project.ensure_index``,
``workspace.cached_run``); this module owns the reading, the parsing and the worker processes
(whose source roots live in ``_SCAN_ROOTS``, set once per worker by its initializer).
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..analysis.decoding import read_source
from ..analysis.facts import ModuleFacts
from .parse import gc_paused, parse_python
from .roots import SourceRoots

log = logging.getLogger(__name__)


def facts_from_text(text: str, path: Path, module: str | None, is_package: bool) -> ModuleFacts | None:
    """One parse and one fact extraction; None when the text does not parse."""
    from ..analysis.extract import extract_facts

    with gc_paused():
        tree, _ = parse_python(text, path)
        if tree is None:
            return None
        return extract_facts(tree, text, module, is_package=is_package)


PARALLEL_SCAN_THRESHOLD = 200
"""Spawning workers costs about a second; below this many files a thread scans faster."""


_SCAN_ROOTS: SourceRoots | None = None


MAX_INDEXED_BYTES = 1_000_000
"""Larger files (generated code, data dumps) stay out of the background scan: the parser holds
the interpreter lock for seconds on them, which would stall the editor's hovers meanwhile.
``check`` still analyses them when named."""


def _facts_of_file(roots: SourceRoots, path: Path) -> ModuleFacts | None:
    try:
        if path.stat().st_size > MAX_INDEXED_BYTES:
            log.info("not indexing %s: larger than %d bytes", path, MAX_INDEXED_BYTES)
            return None
        text = read_source(path)
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        return None
    return facts_from_text(text, path, roots.module_name(path), roots.is_package(path))


SCAN_WORKER_NICE = 10
"""How much lower the editor's scan workers run than the editor (POSIX niceness): while the
user types, the keystroke's threads and ruff win the cores; when the editor is idle the workers
still get them all."""


def background_scan_jobs() -> int:
    """Worker processes for an editor's background scan: every core when the workers can run at
    a lower priority (they then yield to the keystrokes), else one core fewer than the machine
    has (the editor's process keeps one)."""
    cores = os.cpu_count() or 2
    return cores if hasattr(os, "nice") else max(1, cores - 1)


def _init_scan_worker(roots: SourceRoots, nice: int = 0) -> None:
    global _SCAN_ROOTS
    _SCAN_ROOTS = roots
    if nice and hasattr(os, "nice"):
        try:
            os.nice(nice)
        except OSError as exc:  # a sandbox may refuse; the scan still runs, at normal priority
            log.debug("could not lower the scan worker's priority: %s", exc)


def _scan_chunk(paths: list[Path]) -> list[tuple[Path, ModuleFacts | None]]:
    assert _SCAN_ROOTS is not None
    return [(path, _facts_of_file(_SCAN_ROOTS, path)) for path in paths]


def _scan_here(roots: SourceRoots, paths: list[Path], progress: Callable[[int, int], None] | None,
               done: int = 0, total: int | None = None) -> Iterator[list[tuple[Path, ModuleFacts | None]]]:
    total = len(paths) if total is None else total
    step = max(1, total // 50)
    batch: list[tuple[Path, ModuleFacts | None]] = []
    for path in paths:
        batch.append((path, _facts_of_file(roots, path)))
        done += 1
        if done % step == 0 or done == total:
            yield batch
            batch = []
            if progress is not None:
                progress(done, total)
    if batch:
        yield batch


def _scan_in_processes(roots: SourceRoots, paths: list[Path], jobs: int,
                       progress: Callable[[int, int], None] | None = None,
                       nice: int = 0) -> Iterator[list[tuple[Path, ModuleFacts | None]]]:
    """Facts of ``paths`` computed in worker processes, a chunk at a time as workers finish
    them (so the caller records while the workers parse); the files of chunks not done when the
    workers cannot be used (or die) are scanned in this process instead."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    # Small chunks so progress moves in steps of a few percent; each costs one pickle round trip.
    size = max(1, len(paths) // (jobs * 16))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    pending = {id(chunk): chunk for chunk in chunks}
    done = 0
    pool = None
    try:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_scan_worker, initargs=(roots, nice))
        futures = {pool.submit(_scan_chunk, chunk): chunk for chunk in chunks}
        for future in as_completed(futures):
            results = future.result()
            pending.pop(id(futures[future]), None)
            done += len(results)
            yield results
            if progress is not None:
                progress(done, len(paths))
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        log.warning("parallel scan failed (%s); scanning in this process", exc)
        rest = [path for chunk in pending.values() for path in chunk]
        yield from _scan_here(roots, rest, progress, done, len(paths))
    finally:
        if pool is not None:  # also when the caller stops early: drop what has not started
            pool.shutdown(wait=True, cancel_futures=True)


def stream_results(roots: SourceRoots, paths: Iterable[Path], *, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None, in_processes: bool | None = None,
                   nice: int = 0) -> Iterator[list[tuple[Path, ModuleFacts | None]]]:
    """Each first-party file's facts (None: it does not parse), in batches as they are ready:
    parsed here, or with ``jobs`` > 1 (or ``in_processes``) and enough files in fresh worker
    processes (spawned, so a threaded server is never forked) running ``nice`` lower."""
    todo = [Path(p) for p in paths if roots.module_name(p) is not None]
    parallel = jobs > 1 if in_processes is None else in_processes
    if parallel and len(todo) >= PARALLEL_SCAN_THRESHOLD:
        return _scan_in_processes(roots, todo, max(1, jobs), progress, nice)
    return _scan_here(roots, todo, progress)


def scan_results(roots: SourceRoots, paths: Iterable[Path], *, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None) -> Iterable[tuple[Path, ModuleFacts | None]]:
    """What ``WorkspaceIndex.scan`` would record, without recording it: each first-party file's
    facts (None: it does not parse), parsed here or in worker processes. The engine's
    ``Project.ensure_index`` parses with this outside the folder lock and records under it."""
    return itertools.chain.from_iterable(stream_results(roots, paths, jobs=jobs, progress=progress))
