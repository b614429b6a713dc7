"""Work off the keystroke path: the workspace index, workspace-wide findings, reloads.

After ``initialized`` every folder's index is built in the background thread: facts of unchanged
files come from the persistent cache in the user's cache directory, the rest are parsed in worker
processes, and the client sees ``$/progress`` (files done / total) when it supports it. Then the
workspace-wide findings (import cycles, indirect layer chains) are computed and shown.

Afterwards nothing re-reads the tree: an edit updates that module's entry from the unsaved text
(``Project.analyze``); when the edit changed what other modules can see of it (imports, classes,
names; not mere line shifts) the open documents that import it, directly or not, are re-analysed
and the workspace-wide findings are recomputed shortly after. Saves and watched-file events
(creates, deletes, renames, ADRs, ``.ai`` documents, agent files, ``pyproject.toml``,
requirements) update the index or reload what changed, and re-analyse the open documents; a
changed file that resolves outside the root (a link out) leaves the index instead.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..baseline import is_baseline_file, watch_globs
from ..config import ProjectConfig
from ..findings import Finding
from ..root_paths import contained
from ..workspace.files import file_kind, left_out
from . import scheduling
from .startup import CLOCK
from .state import DocumentState, FolderState

if TYPE_CHECKING:
    from .server import ArchitectServer

log = logging.getLogger("python_architect")
WATCH_ID = "python-architect-watched-files"


async def refresh_workspace_findings(ls: ArchitectServer, folder: FolderState) -> None:
    """Builds the index when needed, recomputes index-wide findings and shows them."""
    project = await ls.project_of(folder)
    if project is None:
        return
    loop = asyncio.get_running_loop()
    if not project.index.scanned:
        await first_scan(ls, folder, project)
    by_path = await loop.run_in_executor(ls.background_pool, _workspace_findings, folder, project)
    folder.workspace_findings = by_path
    folder.index_ready = True
    ls.folder_event(folder, "findings")  # the first time: the first scan is done
    folder.published_closed = scheduling.publish_closed_files(ls, folder, folder.published_closed)
    for state in list(ls.documents.values()):
        if state.folder is folder:
            scheduling.refresh_document(ls, state)
    await request_refresh(ls)


_PROGRESS_TOKENS = itertools.count(1)
PROGRESS_INTERVAL_S = 0.1
"""Reports closer together than this are dropped (the last one, done == total, never is)."""


class ScanProgress:
    """``$/progress`` for one folder's first scan, when the client offers work-done progress.

    One denominator, fixed at ``begin`` (the files the scan indexes: those with a module name),
    and a count that only goes up: a report below the last one sent is dropped, so the bar never
    restarts or runs backwards. ``report`` may be called from any thread (``_guard`` orders the
    reports); notifications are sent on the event loop.
    """

    def __init__(self, ls: ArchitectServer, folder: FolderState) -> None:
        self.ls = ls
        self.folder = folder
        self.token = f"python-architect-index-{next(_PROGRESS_TOKENS)}"
        self.active = False
        self.total = 0
        self._sent = -1
        self._last = 0.0
        self._guard = threading.Lock()
        self._loop = asyncio.get_running_loop()

    async def begin(self, total: int) -> None:
        if not self.ls.client_supports("window.work_done_progress"):
            return
        try:
            await asyncio.wait_for(self.ls.work_done_progress.create_async(self.token), 5)
        except Exception as exc:  # noqa: BLE001 - no progress bar is no reason to stop indexing
            log.debug("work done progress refused: %s", exc)
            return
        self.active, self.total, self._sent = True, total, 0
        self.ls.work_done_progress.begin(self.token, types.WorkDoneProgressBegin(
            title="Python Architect: indexing", message=f"0/{total} files", percentage=0, cancellable=False))

    def report(self, done: int, total: int) -> None:
        if not self.active:
            return
        done = min(done, self.total)
        now = time.monotonic()
        with self._guard:
            if done <= self._sent or (now - self._last < PROGRESS_INTERVAL_S and done < self.total):
                return
            self._sent, self._last = done, now
        value = types.WorkDoneProgressReport(message=f"{done}/{self.total} files",
                                             percentage=int(100 * done / self.total) if self.total else 100)
        self._loop.call_soon_threadsafe(self.ls.work_done_progress.report, self.token, value)

    def end(self, message: str) -> None:
        if self.active:
            self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
            self.active = False


def indexed_file_count(project) -> int:
    """The files the first scan indexes (``warm_index`` counts the same: those with a module
    name), so the bar's denominator is the scan's own from the first report to the last."""
    roots = project.index.roots
    return sum(1 for path in project.workspace_files.python if roots.module_name(path) is not None)


async def first_scan(ls: ArchitectServer, folder: FolderState, project) -> None:
    """Builds the folder's index in the background thread, with progress, from the cache first."""
    if project.index.scanned:
        return  # scanned meanwhile: no bar that would flash "0/N" and end at once
    loop = asyncio.get_running_loop()
    CLOCK.mark("index scan began")
    total = await loop.run_in_executor(ls.background_pool, indexed_file_count, project)
    progress = ScanProgress(ls, folder)
    await progress.begin(total)
    started = time.perf_counter()
    try:
        reused, parsed = await loop.run_in_executor(ls.background_pool, _scan, folder, project, progress.report)
    finally:
        progress.end(f"{len(project.index)} modules indexed")
    log.info("indexed %s: %d files from the cache, %d parsed, in %.2f s", folder.root, reused, parsed,
             time.perf_counter() - started)


def _scan(folder: FolderState, project, report: Callable[[int, int], None]) -> tuple[int, int]:
    from ..workspace.batch import default_jobs
    from ..workspace.cache import CheckCache
    from ..workspace.cached_run import warm_index
    from ..workspace.recording import SliceRecorder
    from ..workspace.scan import SCAN_WORKER_NICE, background_scan_jobs, scan_results

    with folder.lock:
        index = project.index
        if index.scanned:
            return 0, 0
        files = list(project.workspace_files.python)
    cache = CheckCache.for_server(project.root)
    # The locking rule (``state``): files are read and parsed without the lock, in worker
    # processes running at a lower priority (the keystrokes' threads win the cores), and their
    # facts are recorded into the project's index as they arrive, under the lock in slices of a
    # couple of milliseconds that let a waiting analysis go first.
    recorder = SliceRecorder(index, folder.lock, is_current=lambda: project.index is index)
    parallel = default_jobs(len(files)) > 1
    jobs = background_scan_jobs() if parallel else 1
    reused, parsed = warm_index(index, files, cache, jobs=jobs, progress=report, in_processes=parallel,
                                record=recorder, worker_nice=SCAN_WORKER_NICE)
    known = set(files)

    def rest(roots, paths, *, jobs, progress):
        """What the scan left for ``ensure_index``: nothing to parse again unless a reload replaced
        the index (new source roots) or found new files meanwhile."""
        if recorder.stale or roots is not index.roots:
            return scan_results(roots, paths, jobs=jobs, progress=progress)
        scanned = ((path, None) for path in paths if path in known)  # they did not parse
        return itertools.chain(scanned, scan_results(roots, [p for p in paths if p not in known]))

    # Marks the index scanned, then collects and freezes the long-lived facts (GC pauses).
    project.ensure_index(lock=folder.lock, facts_source=rest)
    return reused, parsed


def _workspace_findings(folder: FolderState, project) -> dict[Path, list[Finding]]:
    project.ensure_index(lock=folder.lock)  # parses unlocked, records locked (``state``'s rule)
    findings = project.workspace_findings(lock=folder.lock)  # checks a snapshot, unlocked
    by_path: dict[Path, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(Path(finding.path).resolve(), []).append(finding)
    return by_path


async def request_refresh(ls: ArchitectServer) -> None:
    """Asks a pull client to re-pull diagnostics (when it supports the refresh request)."""
    if ls.pull_diagnostics and ls.client_supports("workspace.diagnostics.refresh_support"):
        CLOCK.mark("refresh requested")
        try:
            await ls.workspace_diagnostic_refresh_async(None)
        except Exception as exc:  # noqa: BLE001 - the client's answer (or error) is optional
            log.debug("diagnostic refresh failed: %s", exc)


async def register_watchers(ls: ArchitectServer) -> None:
    """Dynamically registers file watching for the knowledge base, config and Python files; again
    (replacing the old registration) when a reloaded configuration names another knowledge folder
    or baseline file."""
    if not ls.client_supports("workspace.did_change_watched_files.dynamic_registration"):
        log.info("client cannot watch files for us; knowledge reloads on save of open files only")
        return
    patterns = {"**/*.py", "**/pyproject.toml", "**/.importlinter", "**/setup.cfg", "**/tach.toml",
                "**/requirements*.txt", "**/requirements/*.txt",
                "**/.ai/**/*.md", "**/.claude/agents/*.md"}
    for folder in ls.folders.values():
        knowledge = folder.settings.knowledge_dir or ".ai"
        agents = folder.settings.agents_dir or ".claude/agents"
        patterns.add(f"**/{knowledge.strip('/')}/**/*.md")
        patterns.add(f"**/{agents.strip('/')}/*.md")
        patterns |= watch_globs(folder.root, folder.project.config if folder.project else None)
    if patterns == ls.watched_patterns:
        return
    if ls.watched_patterns is not None:
        unregistration = types.Unregistration(id=WATCH_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
        try:
            await ls.client_unregister_capability_async(types.UnregistrationParams(unregisterations=[unregistration]))
        except Exception as exc:  # noqa: BLE001 - the client's answer (or error) is optional
            log.debug("could not unregister the old file watchers: %s", exc)
    ls.watched_patterns = frozenset(patterns)
    watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in sorted(patterns)]
    registration = types.Registration(
        id=WATCH_ID,
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
    )
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
    except Exception as exc:  # noqa: BLE001 - the client's answer (or error) is optional
        log.warning("could not register file watchers: %s", exc)


def classify(folder: FolderState, path: Path) -> str:
    """``knowledge``, ``config``, ``python``, ``dependencies`` or ``other``."""
    project = folder.project
    knowledge_dir = project.config.knowledge_dir if project else (folder.settings.knowledge_dir or ".ai")
    agents_dir = project.config.agents_dir if project else (folder.settings.agents_dir or ".claude/agents")
    resolved = path.resolve()
    if path.suffix.lower() == ".md":
        for directory in (folder.root / knowledge_dir, folder.root / agents_dir):
            if directory.resolve() in resolved.parents:
                return "knowledge"
        return "other"
    if path.name in ("pyproject.toml", "tach.toml") and resolved.parent == folder.root:
        return "config"  # tach.toml's ``source_roots`` set the source roots when ``src`` does not
    if path.name in (".importlinter", "setup.cfg") and resolved.parent == folder.root:
        return "knowledge"  # import-linter / Tach contracts: a fresh finaliser re-runs the graph checks
    if project is not None and is_baseline_file(path, folder.root, project.config):
        return "config"  # reloading the config re-reads the baseline and re-filters open documents
    # Python and dependency files: the one classifier the engine and the CLI use too.
    kind = file_kind(path, folder.root, project.config if project else ProjectConfig())
    return kind if kind in ("python", "dependencies") else "other"


async def files_changed(ls: ArchitectServer, changes: list[tuple[Path, int]]) -> None:
    """Reloads what the changed files feed, then re-diagnoses that folder's open documents.

    ``changes`` holds ``(path, FileChangeType)`` pairs (1 created, 2 changed, 3 deleted).
    """
    touched: dict[Path, dict[str, list[tuple[Path, int]]]] = {}
    for path, change in changes:
        folder = ls.folder_for_path(path)
        touched.setdefault(folder.root, {}).setdefault(classify(folder, path), []).append((path, change))
    for root, kinds in touched.items():
        folder = ls.folders[root]
        project = await ls.project_of(folder)
        if project is None or set(kinds) == {"other"}:
            continue
        loop = asyncio.get_running_loop()
        if "config" in kinds or "knowledge" in kinds:
            await loop.run_in_executor(ls.analysis_pool, _reload, ls, folder, project, "config" in kinds)
            log.info("reloaded the knowledge base of %s: %d ADRs", root, len(project.kb.adrs))
            ls.folder_event(folder, "knowledge")
            if "config" in kinds:  # it may name another baseline file: watch that one
                await register_watchers(ls)
            for state in list(ls.documents.values()):
                if state.folder is folder:
                    scheduling.schedule(ls, state.uri, immediate=True)
        if "python" in kinds:
            open_paths = {state.path.resolve() for state in ls.documents.values()}
            closed = [(p, c) for p, c in kinds["python"] if p.resolve() not in open_paths]
            await loop.run_in_executor(ls.background_pool, _update_index, folder, project, closed)
            # A created, deleted or renamed module changes what other modules' checks see
            # (bases, layer targets): the open documents are analysed again.
            reanalyse_open_documents(ls, folder)
        await refresh_workspace_findings(ls, folder)


def _update_index(folder: FolderState, project, changes: list[tuple[Path, int]]) -> None:
    """Python files changed outside the editor: the index follows file by file, without walking
    the tree again, unless a file adds a new top-level name (then first-party names change and
    the files are discovered again)."""
    index = project.index
    for path, change in changes:
        with folder.lock:
            # A link out of the root is no module of this workspace (``root_paths``).
            if change == types.FileChangeType.Deleted or not path.is_file() or contained(path, project.root) is None:
                index.remove(path)
                continue
            module = project.module_name(path)
            if module is None or left_out(path, project.root, project.config):
                continue  # not a module, or code that discovery leaves out too
            if not project.roots.is_first_party(module):
                project.refresh_files()
                continue
            if path.stat().st_size <= scheduling.MAX_LIVE_CHARS:
                project.analyze(path, ruff=False)


def reanalyse_open_documents(ls: ArchitectServer, folder: FolderState, only: set[Path] | None = None) -> None:
    """Schedules the folder's open Python documents (or those in ``only``) for analysis."""
    for state in list(ls.documents.values()):
        if state.folder is not folder or state.path.suffix not in (".py", ".pyi"):
            continue
        if only is None or state.path.resolve() in only:
            scheduling.schedule(ls, state.uri)


# --- after an edit ---------------------------------------------------------------------------
WORKSPACE_REFRESH_DELAY_S = 0.3
"""Edits that change imports recompute cycles and layer chains this long after the last one."""
_seen_interfaces: dict[tuple[int, str], int] = {}
_reverse_graphs: dict[int, tuple[int, dict[str, set[str]]]] = {}
_pending_refresh: dict[Path, asyncio.Task[None]] = {}
_graph_versions: dict[int, int] = {}


def after_analysis(ls: ArchitectServer, state: DocumentState, analysis: Any) -> None:
    """Called on the event loop after an open document's analysis was shown.

    When the edit changed the module's interface (what other modules' checks read: imports,
    classes, names), the open documents that import it directly or indirectly are analysed
    again, and when it changed the module's imports the workspace-wide findings follow shortly.
    """
    project = state.folder.project
    module = getattr(analysis, "module", None)
    if project is None or module is None or getattr(analysis, "facts", None) is None:
        return
    index = project.index
    key = (id(index), module)
    current = index.interface_version(module)
    previous = _seen_interfaces.get(key)
    _seen_interfaces[key] = current
    if previous is None or previous == current:
        return
    dependants = _dependants(index, module)
    paths = {p.resolve() for p in (index.path_of(m) for m in dependants) if p is not None}
    paths.discard(state.path.resolve())
    if paths:
        reanalyse_open_documents(ls, state.folder, paths)
    if index.scanned and _graph_versions.get(id(index)) != index.version:
        _graph_versions[id(index)] = index.version
        _refresh_soon(ls, state.folder)


def _dependants(index, module: str) -> set[str]:
    """Every module that imports ``module``, directly or through others (reverse closure)."""
    cached = _reverse_graphs.get(id(index))
    if cached is None or cached[0] != index.version:
        reverse: dict[str, set[str]] = {}
        for source, edges in index.graph().items():
            for edge in edges:
                reverse.setdefault(edge.target, set()).add(source)
        cached = _reverse_graphs[id(index)] = (index.version, reverse)
    reverse = cached[1]
    found: set[str] = set()
    todo = [module]
    while todo:
        for importer in reverse.get(todo.pop(), ()):
            if importer not in found:
                found.add(importer)
                todo.append(importer)
    return found


def _refresh_soon(ls: ArchitectServer, folder: FolderState) -> None:
    pending = _pending_refresh.get(folder.root)
    if pending is not None and not pending.done():
        pending.cancel()

    async def later() -> None:
        await asyncio.sleep(WORKSPACE_REFRESH_DELAY_S)
        await refresh_workspace_findings(ls, folder)

    _pending_refresh[folder.root] = asyncio.ensure_future(later())


def _reload(ls: ArchitectServer, folder: FolderState, project, config_changed: bool) -> None:
    with folder.lock:
        if config_changed:
            project.reload_config()
        else:
            project.reload_knowledge()
    ls._apply_folder_overrides(folder, project)
