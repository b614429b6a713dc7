"""One ``check`` run's use of the persistent cache (``workspace.cache``): which files can be
answered from it, and what the run hands back to it.

The batch asks ``split`` for the files whose facts and findings are still valid (their bytes, the
settings and every module their checks looked up are unchanged), analyses only the rest with
``analyze_recording`` (which notes the modules each file's checks looked up), ``record``s them and
``finish``es, which writes one new pack.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.facts import ModuleFacts
from ..findings import Finding
from .cache import CheckCache, Dep, settings_fingerprint

if TYPE_CHECKING:
    from .index import WorkspaceIndex
    from .roots import SourceRoots

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedFile:
    path: Path
    facts: ModuleFacts | None
    findings: list[Finding]


def analyze_recording(analyzer: Any, path: Path) -> tuple[Any, tuple[str, ...]]:
    """``analyzer.analyze(path, ruff=False)`` plus the modules its checks looked up in the
    analyzer's index (none recorded when it has no index)."""
    index = getattr(analyzer, "index", None)
    if index is None:
        return analyzer.analyze(path, ruff=False), ()
    index.looked_up = set()
    try:
        analysis = analyzer.analyze(path, ruff=False)
    finally:
        looked_up, index.looked_up = index.looked_up, None
    return analysis, tuple(sorted(looked_up or ()))


def roots_context(roots: SourceRoots) -> str:
    """What, besides its path, decides a file's module name: the source roots."""
    return ",".join(str(r) for r in roots.roots)


class _Keys:
    """Current file keys, computed once per run with string operations only (pathlib's parsing
    cost more than the hashing on a warm run of ~900 files)."""

    def __init__(self, root: Path, context: str, cache: CheckCache) -> None:
        self.prefix = str(root) + os.sep
        self.context = context
        self.cache = cache
        self.by_path: dict[str, str | None] = {}

    def relative(self, path: Path | str) -> str:
        text = str(path)
        return text.removeprefix(self.prefix)

    def of(self, path: Path | str) -> str | None:
        text = str(path)
        if text in self.by_path:
            return self.by_path[text]
        try:
            with open(text, "rb") as handle:
                data = handle.read()
        except OSError:
            key = None
        else:
            key = self.cache.file_key(self.relative(text), data, self.context)
        self.by_path[text] = key
        return key


class CachedRun:
    """The cache as one run sees it: the settings fingerprint and the current key of each file.

    ``project`` is the engine's ``Project`` (its ``root``, ``config``, ``roots`` and ``index`` are
    read); typed loosely because the workspace layer sits below the engine.
    """

    def __init__(self, project: Any, cache: CheckCache, *, select: Iterable[str] = (),
                 ignore: Iterable[str] = (), ruff_codes: Iterable[str] = ()) -> None:
        self.project = project
        self.cache = cache
        ruff_codes = list(ruff_codes)
        ruff_version = _ruff_version() if ruff_codes else ""
        self.fingerprint = settings_fingerprint(
            project.root, knowledge_dir=project.config.knowledge_dir, roots=project.roots,
            extra=("select", *select, "ignore", *ignore, "ruff", ruff_version, *ruff_codes),
        )
        self.root = Path(project.root)
        self.keys = _Keys(self.root, roots_context(project.roots), cache)
        self._paths: dict[str, str | None] = {}
        self._listings: dict[str, frozenset[str]] = {}

    def _path_of(self, module: str) -> str | None:
        """The file of a module the checks looked up, remembered for the run. A name outside the
        first-party packages has none whatever is on disk (``WorkspaceIndex.lookup_module``
        answers None for it, and the first-party names are in the fingerprint): most looked-up
        names are such, and probing four candidate files for each cost more than the rest of a
        warm run's cache work."""
        if module not in self._paths:
            path = None
            roots = self.project.roots
            if roots.is_first_party(module):
                path = self.project.index.path_of(module)
                if path is None and roots.may_be_module(module, self._listings):
                    path = roots.path_of_module(module)
            self._paths[module] = None if path is None else str(path)
        return self._paths[module]

    def _still_valid(self, dep: Dep) -> bool:
        module, relative, key = dep
        if relative is None:
            return self._path_of(module) is None
        return self.keys.of(self.keys.prefix + relative) == key

    def split(self, python: list[Path]) -> tuple[list[CachedFile], list[Path]]:
        """Files answered from the cache, and the files still to analyse (in their order)."""
        cached: list[CachedFile] = []
        todo: list[Path] = []
        for path in python:
            key = self.keys.of(path)
            found, facts = self.cache.facts(key) if key is not None else (False, None)
            findings = self.cache.findings(key, self.fingerprint, self._still_valid) if found else None
            if findings is None:
                todo.append(path)
            else:
                cached.append(CachedFile(path, facts, findings))
        return cached, todo

    def _dep(self, module: str) -> Dep:
        path = self._path_of(module)
        key = self.keys.of(path) if path is not None else None
        if path is None or key is None:
            return (module, None, None)
        return (module, self.keys.relative(path), key)

    def record(self, path: Path, facts: ModuleFacts | None, findings: list[Finding], looked_up: Iterable[str]) -> None:
        key = self.keys.of(path)
        if key is None:
            return
        self.cache.store(key, facts, self.fingerprint, findings, tuple(self._dep(m) for m in looked_up))

    def finish(self) -> None:
        self.cache.save()
        log.info("cache: %d files reused, %d analysed", self.cache.hits, self.cache.misses)


def warm_index(index: WorkspaceIndex, paths: Iterable[Path], cache: CheckCache | None, *, jobs: int = 1,
               progress: Callable[[int, int], None] | None = None,
               in_processes: bool | None = None,
               record: Callable[[list[tuple[Path, ModuleFacts | None]]], None] | None = None,
               worker_nice: int = 0) -> tuple[int, int]:
    """Fills ``index`` with every file's facts: from ``cache`` when its bytes are unchanged, else
    by a (parallel) scan whose results go back into the cache. Returns (reused, parsed).

    ``progress(done, total)`` counts both kinds, so a client sees one bar from 0 to total.
    ``record`` takes over the recording, a batch at a time as batches are ready (an editor
    records into an index other threads use, under their lock: ``recording.SliceRecorder``);
    ``index`` is then neither read nor marked scanned here. ``worker_nice`` lowers the worker
    processes' priority (an editor's background scan).
    """
    from .scan import stream_results

    roots = index.roots
    # Only files with a module name are indexed: the progress counts exactly those.
    todo = [Path(p) for p in paths
            if (record is not None or index.module_at(Path(p)) is None) and roots.module_name(p) is not None]
    total = len(todo)
    keys: dict[Path, str] = {}
    misses: list[Path] = []
    hits: list[tuple[Path, ModuleFacts | None]] = []
    if cache is not None:
        current = _Keys(Path(roots.root), roots_context(roots), cache)
        for path in todo:
            key = current.of(path)
            if key is None:
                continue
            keys[path] = key
            found, facts = cache.facts(key)
            if not found:
                misses.append(path)
            elif facts is not None:
                hits.append((path, facts))
    else:
        misses = todo
    if record is not None:
        record(hits)
    else:
        for path, facts in hits:
            if index.module_at(path) is None:
                index.update(path, facts)
    reused = total - len(misses)
    if progress is not None and reused:
        progress(reused, total)

    def scanned(done: int, _: int) -> None:
        if progress is not None:
            progress(reused + done, total)

    def remember(path: Path, facts: ModuleFacts | None) -> None:
        if cache is not None and path in keys:
            cache.store(keys[path], facts)

    if record is None:
        index.scan(misses, jobs=jobs, progress=scanned, on_facts=remember, in_processes=in_processes)
    else:
        for batch in stream_results(roots, misses, jobs=jobs, progress=scanned, in_processes=in_processes,
                                    nice=worker_nice):
            for path, facts in batch:
                remember(path, facts)
            record(batch)
    if cache is not None:
        cache.save()
    return reused, len(misses)


def _ruff_version() -> str:
    """Which ruff answers: its executable's path, size and modification time (a stat, where asking
    the package metadata for its version cost ~80 ms, and named a distribution that may not even
    be the binary in use: the editor bundles its own)."""
    from ..analysis import ruff_bridge

    binary = ruff_bridge.find_ruff()
    if binary is None:
        return "none"
    try:
        status = os.stat(binary)
    except OSError:
        return binary
    return f"{binary} {status.st_size} {status.st_mtime_ns}"
