"""Work off the keystroke path: the workspace index, workspace-wide findings, reloads.

After ``initialized`` every folder's index is built in the background thread, then its
workspace-wide findings (import cycles) are computed and shown. Saves and watched-file events
(ADRs, ``.ai`` documents, agent files, ``pyproject.toml``, requirements, Python files) reload what
changed and re-diagnose the open documents; pull clients are asked to refresh.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ..findings import Finding
from . import scheduling
from .state import FolderState

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
    by_path = await loop.run_in_executor(ls.background_pool, _workspace_findings, folder, project)
    folder.workspace_findings = by_path
    folder.index_ready = True
    folder.published_closed = scheduling.publish_closed_files(ls, folder, folder.published_closed)
    for state in list(ls.documents.values()):
        if state.folder is folder:
            scheduling.refresh_document(ls, state)
    await request_refresh(ls)


def _workspace_findings(folder: FolderState, project) -> dict[Path, list[Finding]]:
    project.ensure_index()
    with folder.lock:
        findings = project.workspace_findings()
    by_path: dict[Path, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(Path(finding.path).resolve(), []).append(finding)
    return by_path


async def request_refresh(ls: ArchitectServer) -> None:
    """Asks a pull client to re-pull diagnostics (when it supports the refresh request)."""
    if ls.pull_diagnostics and ls.client_supports("workspace.diagnostics.refresh_support"):
        try:
            await ls.workspace_diagnostic_refresh_async(None)
        except Exception as exc:  # noqa: BLE001 - the client's answer (or error) is optional
            log.debug("diagnostic refresh failed: %s", exc)


async def register_watchers(ls: ArchitectServer) -> None:
    """Dynamically registers file watching for the knowledge base, config and Python files."""
    if not ls.client_supports("workspace.did_change_watched_files.dynamic_registration"):
        log.info("client cannot watch files for us; knowledge reloads on save of open files only")
        return
    patterns = {"**/*.py", "**/pyproject.toml", "**/requirements*.txt", "**/.ai/**/*.md", "**/.claude/agents/*.md"}
    for folder in ls.folders.values():
        knowledge = folder.settings.knowledge_dir or ".ai"
        agents = folder.settings.agents_dir or ".claude/agents"
        patterns.add(f"**/{knowledge.strip('/')}/**/*.md")
        patterns.add(f"**/{agents.strip('/')}/*.md")
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
    if path.name == "pyproject.toml" and resolved.parent == folder.root:
        return "config"
    if path.suffix == ".py":
        return "python"
    if path.name.startswith("requirements") and path.suffix == ".txt":
        return "dependencies"
    return "other"


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
            for state in list(ls.documents.values()):
                if state.folder is folder:
                    scheduling.schedule(ls, state.uri, immediate=True)
        if "python" in kinds:
            open_paths = {state.path.resolve() for state in ls.documents.values()}
            closed = [(p, c) for p, c in kinds["python"] if p.resolve() not in open_paths]
            await loop.run_in_executor(ls.background_pool, _update_index, folder, project, closed)
        await refresh_workspace_findings(ls, folder)


def _update_index(folder: FolderState, project, changes: list[tuple[Path, int]]) -> None:
    """Python files changed outside the editor: re-discover on create/delete, re-read edits."""
    if any(change != types.FileChangeType.Changed for _, change in changes):
        with folder.lock:
            project.refresh_files()
    for path, change in changes:
        if change != types.FileChangeType.Deleted and path.is_file() and path.stat().st_size <= scheduling.MAX_LIVE_CHARS:
            with folder.lock:
                project.analyze(path, ruff=False)


def _reload(ls: ArchitectServer, folder: FolderState, project, config_changed: bool) -> None:
    with folder.lock:
        if config_changed:
            project.reload_config()
        else:
            project.reload_knowledge()
    ls._apply_folder_overrides(folder, project)
