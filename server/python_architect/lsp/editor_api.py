"""What the VS Code client's status item and commands ask of the server, and the workspace pull.

- notification ``pythonArchitect/status`` ``{folderUri, state: "ready"|"error", adrs, problems,
  message?}``, sent whenever a folder's knowledge base is (re)loaded or fails to load;
- request ``pythonArchitect/listAdrs`` -> ``[{id, title, status, uri, line}]`` (``line`` 0-based,
  the Decision heading), over every workspace folder;
- request ``pythonArchitect/checkWorkspace`` -> ``{folders, files, findings, hints}``: checks every
  file of every folder with the engine's ``check_paths`` (as the CLI does) and shows the results;
  ``findings`` counts what the Problems panel lists (severity overrides applied, duplicates merged,
  open documents as they are shown, unsaved edits included; hints left out: the panel never lists
  hints), ``hints`` the un-adopted suggestions apart;
- request ``pythonArchitect/graph`` ``{folderUri?, depth?, layers?}`` -> ``{folderUri, mermaid,
  nodes, edges, violations: [{source, target, kind: "layer"|"cycle", imports, uri?, line?}],
  modules: [uri | null], links: [{edge: [i, j], uri, line}]}``: the module dependency graph of one
  folder (the first one by default), as ``python-architect graph`` draws it, with each node's file
  (``modules[i]`` is node ``n<i>``) and each edge's first import line (0-based; a link's ``edge`` is
  ``n<i> --> n<j>``) for the view to open;
- ``workspace/diagnostic``: what pull clients (VS Code) show for files that are NOT open:
  workspace-wide findings (import cycles), ADR-file problems and, after a check, every file's
  findings. Open files are pulled per document (``lsp/diagnostics.py``); the client prefers those,
  and this module leaves open files out, so nothing shows twice.

State: ``EditorApi`` is owned by the event-loop thread; the check runs in the server's
background pool (the thread that builds the index, so the two never race) and hands its result
back to the loop; so does the graph. Status notifications and the pull's wake-ups are driven by
the server's folder events (``ArchitectServer.folder_listeners``: a project loaded or failed, a
knowledge or settings reload, workspace findings recomputed, a document opened or closed).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..explain.positions import LineIndex
from ..findings import Finding, Severity
from . import hints
from .convert import adr_decision_range, path_of, to_diagnostic, uri_of
from .scheduling import apply_overrides, read_inside, unique_findings

if TYPE_CHECKING:
    from .server import ArchitectServer
    from .state import FolderState

log = logging.getLogger("python_architect")

STATUS = "pythonArchitect/status"
LIST_ADRS = "pythonArchitect/listAdrs"
CHECK_WORKSPACE = "pythonArchitect/checkWorkspace"
GRAPH = "pythonArchitect/graph"
DEFAULT_GRAPH_DEPTH = 2
MAX_GRAPH_DEPTH = 20
EMPTY = "empty"


@dataclass
class CheckedFolder:
    """One folder's last workspace check: per-file findings and each file's mtime then."""

    findings: dict[Path, list[Finding]] = field(default_factory=dict)
    mtimes: dict[Path, float | None] = field(default_factory=dict)


class EditorApi:
    def __init__(self, server: ArchitectServer) -> None:
        self.server = server
        self.checked: dict[Path, CheckedFolder] = {}
        self.changed = asyncio.Event()
        self.reported_status: dict[Path, tuple] = {}
        server.folder_listeners.append(self.folder_event)

    # -- folder events: status notifications and wake-ups for the workspace pull --------------
    def folder_event(self, folder: FolderState | None, what: str) -> None:
        self.changed.set()  # whatever changed, a waiting workspace pull looks again
        if folder is not None and what in ("loaded", "failed", "knowledge"):
            self.send_status(folder)

    def send_status(self, folder: FolderState) -> None:
        """Sends the folder's status unless the client already has this one (a reload that
        changed nothing the status shows is not news)."""
        status = status_of(folder)
        key = tuple(sorted(status.items()))
        if self.reported_status.get(folder.root) != key:
            self.reported_status[folder.root] = key
            self.server.protocol.notify(STATUS, status)

    # -- listAdrs -------------------------------------------------------------------------------
    async def list_adrs(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        for folder in list(self.server.folders.values()):
            project = await self.server.project_of(folder)
            if project is None:
                continue
            for adr in project.kb.adrs:
                entries.append(
                    {
                        "id": adr.id,
                        "title": adr.title,
                        "status": str(adr.status),
                        "uri": uri_of(adr.path),
                        "line": adr_decision_range(adr).start.line,
                    }
                )
        return entries

    # -- checkWorkspace ---------------------------------------------------------------------------
    async def check_workspace(self) -> dict[str, int]:
        loop = asyncio.get_running_loop()
        files = findings = hints = folders = 0
        for folder in list(self.server.folders.values()):
            project = await self.server.project_of(folder)
            if project is None or not folder.settings.enable:
                continue
            checked, count, shown = await loop.run_in_executor(self.server.background_pool, _check_folder, folder, project)
            self.checked[folder.root] = checked
            folders += 1
            files += count
            problems, hinted = self._counts(folder, shown)
            findings, hints = findings + problems, hints + hinted
        self.changed.set()
        log.info("checked the workspace: %d files, %d problems, %d hints", files, findings, hints)
        return {"folders": folders, "files": files, "findings": findings, "hints": hints}

    def _counts(self, folder: FolderState, shown: list[Finding]) -> tuple[int, int]:
        """(problems, hints) as the Problems panel has them: an open document's from its live
        diagnostics (unsaved edits included), every other file's from the check."""
        open_states = {state.path.resolve(): state for state in self.server.documents.values() if state.folder is folder}
        closed = [finding for finding in shown if Path(finding.path).resolve() not in open_states]
        problems = sum(1 for finding in closed if finding.severity is not Severity.HINT)
        hints = len(closed) - problems
        for state in open_states.values():
            live = state.diagnostics or []
            hinted = sum(1 for diagnostic in live if diagnostic.severity == types.DiagnosticSeverity.Hint)
            problems, hints = problems + len(live) - hinted, hints + hinted
        return problems, hints

    # -- graph --------------------------------------------------------------------------------------
    async def graph(self, params: Any) -> dict[str, Any]:
        params = params if isinstance(params, dict) else (params._asdict() if hasattr(params, "_asdict") else {})
        depth, layers, folder = _graph_options(params, self.server)
        if folder is None:
            return {"folderUri": None, "mermaid": "", "nodes": 0, "edges": 0, "violations": [],
                    "message": "no workspace folder is open"}
        project = await self.server.project_of(folder)
        if project is None:
            return {"folderUri": uri_of(folder.root), "mermaid": "", "nodes": 0, "edges": 0, "violations": [],
                    "message": folder.load_error or "the folder could not be loaded"}
        loop = asyncio.get_running_loop()
        graph, modules, places = await loop.run_in_executor(self.server.background_pool, _build_graph, folder, project,
                                                            depth, layers)
        from ..workspace.graph import render

        violations = [{"source": e.source, "target": e.target, "kind": e.violation, "imports": e.imports,
                       **places.get(key, {})}
                      for key, e in sorted(graph.edges.items()) if e.violation]
        number = {node: index for index, node in enumerate(sorted(graph.nodes))}
        links = [{"edge": [number[source], number[target]], **place}
                 for (source, target), place in sorted(places.items())]
        result: dict[str, Any] = {"folderUri": uri_of(folder.root), "mermaid": render(graph, "mermaid"),
                                  "nodes": len(graph.nodes), "edges": len(graph.edges), "violations": violations,
                                  "modules": modules, "links": links}
        if layers and not graph.layers:
            result["message"] = "no ADR has a `layers` rule: the graph is not grouped by layer"
        return result

    # -- workspace/diagnostic ---------------------------------------------------------------------
    async def workspace_diagnostic(self, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
        """Answers when something differs from the client's previous result ids (a long poll: the
        VS Code client asks again as soon as it has an answer)."""
        previous = {item.uri: item.value for item in params.previous_result_ids or ()}
        while True:
            self.changed.clear()
            items = await self._reports(previous)
            if items:
                return types.WorkspaceDiagnosticReport(items=items)
            await self.changed.wait()  # the client already shows what we have

    async def _reports(self, previous: dict[str, str]) -> list[Any]:
        loop = asyncio.get_running_loop()
        open_paths = {state.path.resolve() for state in self.server.documents.values()}
        reports: list[Any] = []
        shown: set[str] = set()
        for folder in list(self.server.folders.values()):
            project = folder.project
            if project is None or not folder.settings.enable:
                continue
            checked = self.checked.get(folder.root)
            if checked is not None:
                await loop.run_in_executor(self.server.background_pool, _refresh_stale, checked, folder, project,
                                           open_paths)
            for path, found in _closed_file_findings(folder, project, checked, open_paths).items():
                # No one is editing a closed file: its hints show only under ``hints: all``.
                findings = hints.visible(found, folder.settings.hints, frozenset(), folder.settings.severity_overrides)
                uri = uri_of(path)
                shown.add(uri)
                result_id = _result_id(path, findings)
                if previous.get(uri) == result_id:
                    continue
                reports.append(
                    types.WorkspaceFullDocumentDiagnosticReport(
                        uri=uri, version=None, result_id=result_id, items=self._diagnostics(path, findings, project)
                    )
                )
        for uri in previous.keys() - shown:
            # Reported before, nothing now (fixed, opened, or the folder went away): clear it once.
            if previous[uri] != EMPTY:
                reports.append(types.WorkspaceFullDocumentDiagnosticReport(uri=uri, version=None, result_id=EMPTY, items=[]))
        return reports

    def _diagnostics(self, path: Path, findings: list[Finding], project: Any) -> list[types.Diagnostic]:
        text = read_inside(path, project.root)
        lines = LineIndex(text, self.server.position_encoding)
        return [to_diagnostic(finding, lines, project.kb) for finding in findings]


def _graph_options(params: dict[str, Any], server: ArchitectServer) -> tuple[int, bool, FolderState | None]:
    """Depth (clamped to 0..MAX_GRAPH_DEPTH; anything else: the default), layers, and the folder:
    the one named by ``folderUri`` (or containing it), else the first workspace folder."""
    depth = params.get("depth")
    depth = depth if isinstance(depth, int) and not isinstance(depth, bool) else DEFAULT_GRAPH_DEPTH
    depth = min(max(depth, 0), MAX_GRAPH_DEPTH)
    layers = params.get("layers") is True
    uri = params.get("folderUri")
    path = path_of(uri) if isinstance(uri, str) else None
    if path is not None:
        return depth, layers, server.folder_for_path(path)
    folders = list(server.folders.values())
    return depth, layers, (folders[0] if folders else None)


def _build_graph(folder: FolderState, project: Any, depth: int, layers: bool) -> tuple[Any, list[str | None], dict]:
    """The graph, each node's file (in the order the mermaid ids ``n0, n1, ...`` number them) and
    each edge's first import line (``{uri, line}``, 0-based), for the view's clicks on an edge or a
    listed violation."""
    from ..workspace.graph import build_graph, collapse

    project.ensure_index(lock=folder.lock)  # parses unlocked, records locked (``state``'s rule)
    with folder.lock:
        index = project.index
        graph = build_graph(index, project.kb, depth=depth, with_layers=layers)
        modules_of: dict[str, str] = {}
        for module in sorted(index.modules()):
            modules_of.setdefault(collapse(module, depth), module)
        files = [index.path_of(node) or index.path_of(modules_of.get(node, node)) for node in sorted(graph.nodes)]
        places: dict[tuple[str, str], dict[str, Any]] = {}
        for module, edges in sorted(index.graph(include_deferred=True).items()):
            for edge in sorted(edges, key=lambda e: e.fact.span):
                key = (collapse(module, depth), collapse(edge.target, depth))
                path = index.path_of(module) if key in graph.edges and key not in places else None
                if path is not None:
                    places[key] = {"uri": uri_of(path), "line": edge.fact.span.line - 1}
    return graph, [uri_of(path) if path else None for path in files], places


def status_of(folder: FolderState) -> dict[str, Any]:
    project = folder.project
    if project is None:
        return {"folderUri": uri_of(folder.root), "state": "error", "adrs": 0, "problems": 0,
                "message": folder.load_error or "not loaded"}
    problems = len(project.kb.problems)
    status: dict[str, Any] = {"folderUri": uri_of(folder.root), "state": "ready", "adrs": len(project.kb.adrs),
                              "problems": problems}
    if problems:
        status["message"] = f"{problems} problem{'s' if problems != 1 else ''} in the ADR files"
    return status


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _check_folder(folder: FolderState, project: Any) -> tuple[CheckedFolder, int, list[Finding]]:
    """The CLI's whole-workspace check, without the findings the server already keeps live, and
    every finding as the editor shows it (the count the command reports). It runs on a detached
    view of the project: seconds of work, never under the folder's lock, and never changing what
    the keystrokes' analyses share."""
    project = project.detached(folder.lock)
    result = project.check_paths(ruff=folder.settings.ruff)
    live = {_key(f) for f in project.workspace_findings()} | {_key(f) for f in project.kb.problems}
    checked = CheckedFolder()
    for finding in result.findings:
        if _key(finding) in live:
            continue
        path = Path(finding.path).resolve()
        checked.findings.setdefault(path, []).append(finding)
    for path in checked.findings:
        checked.mtimes[path] = _mtime(path)
    by_path: dict[Path, list[Finding]] = {}
    for finding in result.findings:
        by_path.setdefault(Path(finding.path).resolve(), []).append(finding)
    overrides = folder.settings.severity_overrides
    shown = [kept for items in by_path.values() for kept in unique_findings(apply_overrides(items, overrides))]
    return checked, result.files, shown


def _refresh_stale(checked: CheckedFolder, folder: FolderState, project: Any, open_paths: set[Path]) -> None:
    """Re-analyses checked files changed on disk since the check (edited, then closed), on a
    detached view of the folder's project (taken here, in the pool: never on the event loop)."""
    stale = [path for path, mtime in checked.mtimes.items() if path not in open_paths and _mtime(path) != mtime]
    if not stale:
        return
    view = project.detached(folder.lock)
    for path in stale:
        checked.mtimes[path] = _mtime(path)
        if checked.mtimes[path] is None:
            checked.findings.pop(path, None)
            continue
        try:
            checked.findings[path] = list(view.analyze(path).findings)
        except Exception:
            log.exception("re-checking %s failed", path)


def _closed_file_findings(folder: FolderState, project: Any, checked: CheckedFolder | None,
                          open_paths: set[Path]) -> dict[Path, list[Finding]]:
    by_path: dict[Path, list[Finding]] = {}
    for path, findings in folder.workspace_findings.items():
        by_path.setdefault(path, []).extend(findings)
    for finding in project.kb.problems:
        by_path.setdefault(Path(finding.path).resolve(), []).append(finding)
    if checked is not None:
        for path, findings in checked.findings.items():
            by_path.setdefault(path, []).extend(findings)
    overrides = folder.settings.severity_overrides
    shown = {}
    for path, findings in by_path.items():
        if path in open_paths:
            continue
        kept = unique_findings(apply_overrides(findings, overrides))
        if kept:
            shown[path] = kept
    return shown


def _key(finding: Finding) -> tuple:
    return (str(Path(finding.path).resolve()), finding.code, finding.span, finding.message)


def _result_id(path: Path, findings: list[Finding]) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(repr((str(path), _mtime(path))).encode())
    for finding in findings:
        digest.update(repr((finding.code, finding.span, finding.message, finding.severity, finding.adrs)).encode())
    return digest.hexdigest()[:16]


def register(server: ArchitectServer) -> None:
    api = EditorApi(server)
    server.editor_api = api  # type: ignore[attr-defined] - tests and the chat may reach it

    @server.feature(LIST_ADRS)
    async def list_adrs(ls: ArchitectServer, params: Any) -> list[dict[str, Any]]:
        return await api.list_adrs()

    @server.feature(CHECK_WORKSPACE)
    async def check_workspace(ls: ArchitectServer, params: Any) -> dict[str, int]:
        return await api.check_workspace()

    @server.feature(GRAPH)
    async def graph(ls: ArchitectServer, params: Any) -> dict[str, Any]:
        return await api.graph(params)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(ls: ArchitectServer, params: types.WorkspaceDiagnosticParams) -> Any:
        return await api.workspace_diagnostic(params)
