"""Lifecycle and diagnostics handlers: initialize, document sync, pull diagnostics, watched
files, configuration and workspace folders. Each handler is a few lines over ``scheduling`` and
``background``."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types

from . import background, hints, scheduling
from .convert import path_of
from .server import ArchitectServer, guarded
from .startup import CLOCK, FIRST_ANSWER, FIRST_DIAGNOSTICS

log = logging.getLogger("python_architect")
SETTINGS_SECTION = "pythonArchitect"


def register(server: ArchitectServer) -> None:
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(guarded(initialized))
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(guarded(did_open))
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(guarded(did_change))
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(guarded(did_save))
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(guarded(did_close))
    server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="python-architect", inter_file_dependencies=True, workspace_diagnostics=False),
    )(document_diagnostic)
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(guarded(watched_files_changed))
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(guarded(configuration_changed))
    server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(guarded(folders_changed))


def initialize(ls: ArchitectServer, params: types.InitializeParams) -> None:
    CLOCK.mark("initialize")
    ls.loop = asyncio.get_running_loop()
    options = params.initialization_options
    # No project is loaded yet, so there are no overrides to apply.
    ls.apply_settings(options.get(SETTINGS_SECTION, options) if isinstance(options, dict) else options)
    roots = [path_of(folder.uri) for folder in params.workspace_folders or ()]
    if not roots and (params.root_uri or params.root_path):
        roots = [path_of(params.root_uri) if params.root_uri else Path(params.root_path or ".")]
    if ls.pull_diagnostics:
        CLOCK.last = FIRST_ANSWER
    for root in roots:
        if root is not None:
            # The project loads (in the pool) while the client reads this answer and opens its
            # documents, not after: the first document's analysis waits for it. Settings pulled
            # in ``initialized`` reach a loaded project as overrides, as they always could.
            ls.spawn(ls.project_of(ls.add_folder(root)))


async def initialized(ls: ArchitectServer, params: types.InitializedParams) -> None:
    await _pull_folder_settings(ls)
    await background.register_watchers(ls)
    await asyncio.gather(*(background.refresh_workspace_findings(ls, f) for f in list(ls.folders.values())))
    _freeze_long_lived_state()


def _freeze_long_lived_state() -> None:
    """Moves what loading built out of the collector's way (GC pauses hurt change latency)."""
    import gc

    gc.collect()
    gc.freeze()


async def _pull_folder_settings(ls: ArchitectServer) -> None:
    """Per-folder settings through ``workspace/configuration`` when the client offers it."""
    if not ls.client_supports("workspace.configuration"):
        return
    folders = list(ls.folders.values())
    items = [types.ConfigurationItem(scope_uri=f.root.as_uri(), section=SETTINGS_SECTION) for f in folders]
    try:
        values = await asyncio.wait_for(ls.workspace_configuration_async(types.ConfigurationParams(items=items)), 5)
    except Exception as exc:  # noqa: BLE001 - the client's answer (or error) is optional
        log.debug("workspace/configuration failed: %s", exc)
        return
    for folder, value in zip(folders, values or (), strict=False):
        if isinstance(value, dict) and value:
            await ls.reload_overrides(ls.apply_settings(value, folder))


def did_open(ls: ArchitectServer, params: types.DidOpenTextDocumentParams) -> None:
    CLOCK.mark("document opened")
    scheduling.open_document(ls, params.text_document.uri)
    scheduling.schedule(ls, params.text_document.uri, immediate=True)


def did_change(ls: ArchitectServer, params: types.DidChangeTextDocumentParams) -> None:
    state = ls.documents.get(params.text_document.uri)
    if state is not None:  # hints show where the user is writing (``pythonArchitect.hints``)
        state.edited_lines = hints.edited_lines(params.content_changes)
    scheduling.schedule(ls, params.text_document.uri)


def did_save(ls: ArchitectServer, params: types.DidSaveTextDocumentParams) -> None:
    path = path_of(params.text_document.uri)
    if path is not None:
        ls.spawn(guarded(_after_save)(ls, params.text_document.uri, path))


async def _after_save(ls: ArchitectServer, uri: str, path: Path) -> None:
    state = ls.documents.get(uri)
    if state is not None:  # the index must hold the saved text before cycles are recomputed
        await scheduling.settled_within(ls, state, 10)
    folder = ls.folder_for_path(path)
    if background.classify(folder, path) in ("knowledge", "config") and not ls.client_supports(
        "workspace.did_change_watched_files.dynamic_registration"
    ):
        await background.files_changed(ls, [(path, int(types.FileChangeType.Changed))])
    else:
        await background.refresh_workspace_findings(ls, folder)


def did_close(ls: ArchitectServer, params: types.DidCloseTextDocumentParams) -> None:
    scheduling.close_document(ls, params.text_document.uri)


async def document_diagnostic(ls: ArchitectServer, params: types.DocumentDiagnosticParams) -> Any:
    uri = params.text_document.uri
    CLOCK.mark("first pull")
    state = ls.documents.get(uri)
    if state is None or ls.document(uri) is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    await scheduling.settled_within(ls, state)
    if FIRST_DIAGNOSTICS in CLOCK.marks:
        CLOCK.mark(FIRST_ANSWER)  # logged before the answer is written: it is the line's end
    if params.previous_result_id and params.previous_result_id == state.result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=state.result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=state.diagnostics, result_id=state.result_id)


async def watched_files_changed(ls: ArchitectServer, params: types.DidChangeWatchedFilesParams) -> None:
    changes = [(path, int(change.type)) for change in params.changes if (path := path_of(change.uri)) is not None]
    await background.files_changed(ls, changes)


async def configuration_changed(ls: ArchitectServer, params: types.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and settings:
        await ls.reload_overrides(ls.apply_settings(settings.get(SETTINGS_SECTION, settings)))
    await _pull_folder_settings(ls)
    for state in list(ls.documents.values()):
        scheduling.schedule(ls, state.uri, immediate=True)
    await background.request_refresh(ls)


async def folders_changed(ls: ArchitectServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    for removed in params.event.removed or ():
        root = path_of(removed.uri)
        if root is not None:
            ls.folders.pop(root.resolve(), None)
    added = [ls.add_folder(root) for root in (path_of(f.uri) for f in params.event.added or ()) if root]
    await _pull_folder_settings(ls)
    await asyncio.gather(*(background.refresh_workspace_findings(ls, folder) for folder in added))
