"""The Python Architect language server: workspace folders, settings, logging and threads.

A pygls 2.x ``LanguageServer`` subclass. Each workspace folder gets its own ``Project`` (loaded
in a thread, with its own settings); documents map to the folder that contains them. Analyses run
in a small thread pool so hovers and other requests are never blocked behind a slow file or the
ruff subprocess. Feature handlers live in ``diagnostics``, ``hover``, ``code_actions``,
``commands``, ``chat``, ``editor_api`` and ``api_key``, a few lines each; they register themselves
on a server they are handed, and ``app.create_server`` composes them (this module imports none).

Folder events: ``folder_listeners`` (the editor API's status notification and
workspace-pull wake-up) are called on the event loop with ``(folder, what)`` whenever a folder's
project is loaded or fails to load (``"loaded"``/``"failed"``), its knowledge base or settings
change (``"knowledge"``/``"settings"``), its workspace findings are recomputed (``"findings"``;
the first time = the first scan finished), or the set of open documents changes
(``folder=None``, ``"documents"``). Whoever changes those calls ``folder_event``; listeners must
be quick and never raise into the caller (errors are logged).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..settings import EditorSettings
from .convert import path_of
from .protocol import ArchitectProtocol
from .startup import CLOCK
from .state import DocumentState, FolderState
from .wire import converter_factory

log = logging.getLogger("python_architect")

_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}
_MESSAGE_TYPES = {
    logging.ERROR: types.MessageType.Error,
    logging.WARNING: types.MessageType.Warning,
    logging.INFO: types.MessageType.Info,
    logging.DEBUG: types.MessageType.Log,
}
_ROOT_MARKERS = ("pyproject.toml", ".ai", ".git")


class ClientLogHandler(logging.Handler):
    """Forwards log records to ``window/logMessage``, from any thread."""

    def __init__(self, server: ArchitectServer) -> None:
        super().__init__()
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        loop = self.server.loop
        if loop is None or loop.is_closed():
            return
        try:
            params = types.LogMessageParams(
                type=_MESSAGE_TYPES.get(record.levelno, types.MessageType.Log), message=self.format(record)
            )
            loop.call_soon_threadsafe(self.server.window_log_message, params)
        except Exception:  # noqa: BLE001, S110 - logging must never take the server down
            pass


FolderListener = Callable[["FolderState | None", str], None]


class _OpenDocuments(dict):
    """The open documents by URI. Opening and closing happen in ``scheduling``; an added or
    removed entry is a folder event (the workspace pull leaves open files out), so the dict
    itself reports it rather than every place that opens or closes a document."""

    def __init__(self, changed: Callable[[], None]) -> None:
        super().__init__()
        self._changed = changed

    def __setitem__(self, key: str, value: DocumentState) -> None:
        known = key in self
        super().__setitem__(key, value)
        if not known:
            self._changed()

    def pop(self, key: str, *default: Any) -> Any:
        known = key in self
        value = super().pop(key, *default)
        if known:
            self._changed()
        return value


class ArchitectServer(LanguageServer):
    """Per-folder projects and settings, document states, and the pools analyses run in."""

    def __init__(self) -> None:
        super().__init__(
            "python-architect",
            __version__,
            converter_factory=converter_factory,  # serialises our diagnostics without cattrs' walk
            protocol_cls=ArchitectProtocol,  # answers every message, bad ones with their JSON-RPC error
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.folders: dict[Path, FolderState] = {}
        self.folder_listeners: list[FolderListener] = []
        self.documents: dict[str, DocumentState] = _OpenDocuments(lambda: self.folder_event(None, "documents"))
        self.default_settings = EditorSettings()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.analysis_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="analysis")
        self.background_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index")
        self.shown_error = False
        self.watched_patterns: frozenset[str] | None = None
        """The glob patterns the client watches for us (``background.register_watchers``)."""
        self._tasks: set[asyncio.Task[Any]] = set()
        self.log_handler = ClientLogHandler(self)
        self.log_handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(self.log_handler)
        log.setLevel(logging.INFO)

    def spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        """Runs ``coroutine`` as a task the server holds on to until it ends: the event loop keeps
        only a weak reference, and an unreferenced task can be collected mid-flight (RUF006)."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def folder_event(self, folder: FolderState | None, what: str) -> None:
        """Tells the listeners (see the module docstring); event-loop thread only."""
        for listener in list(self.folder_listeners):
            try:
                listener(folder, what)
            except Exception:
                log.exception("folder listener %r failed on %s", listener, what)

    # -- client capabilities ------------------------------------------------------------------
    def client_supports(self, dotted: str) -> bool:
        node: Any = getattr(self.protocol, "client_capabilities", None)
        for part in dotted.split("."):
            if node is None:
                return False
            node = getattr(node, part, None)
        return bool(node)

    @property
    def pull_diagnostics(self) -> bool:
        return self.client_supports("text_document.diagnostic")

    @property
    def position_encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or "utf-16")

    def document(self, uri: str) -> Any | None:
        """The open document (None when the client never opened it); URIs are compared
        unquoted, as pygls stores them (``%20`` and friends)."""
        return self.workspace.text_documents.get(unquote(uri))

    # -- folders and projects -----------------------------------------------------------------
    def add_folder(self, root: Path, settings: EditorSettings | None = None) -> FolderState:
        root = root.resolve()
        folder = self.folders.get(root)
        if folder is None:
            folder = FolderState(root=root, settings=settings or self.default_settings)
            self.folders[root] = folder
        return folder

    def folder_for_path(self, path: Path) -> FolderState:
        """The deepest workspace folder containing ``path``; a file outside every folder gets a
        folder of its own at the nearest ancestor that looks like a project root. A link in a
        folder to a file outside every folder stays that folder's (whose project then refuses
        to analyse it: ``root_paths``), never a project opened where it points."""
        resolved = path.resolve()
        for candidate in (resolved, Path(os.path.abspath(path))):
            containing = [root for root in self.folders if candidate == root or root in candidate.parents]
            if containing:
                return self.folders[max(containing, key=lambda root: len(root.parts))]
        for ancestor in resolved.parents:
            if any((ancestor / marker).exists() for marker in _ROOT_MARKERS):
                return self.add_folder(ancestor)
        return self.add_folder(resolved.parent)

    def project_for_uri(self, uri: str) -> Any | None:
        """The loaded project for a document (None while it loads or when the URI is not a file)."""
        path = path_of(uri)
        if path is None:
            return None
        return self.folder_for_path(path).project

    async def project_of(self, folder: FolderState) -> Any | None:
        """Loads the folder's project once, in a thread; None when it cannot be loaded."""
        if folder.project is not None:
            return folder.project
        if folder.loading is None:
            assert self.loop is not None
            folder.loading = self.loop.run_in_executor(self.analysis_pool, self._load_project, folder)
            # Reported once per load, by the future itself: an awaiter may be cancelled meanwhile.
            folder.loading.add_done_callback(lambda future: self._loaded(folder, future))
        try:
            return await asyncio.shield(folder.loading)
        except Exception:  # noqa: BLE001 - any load failure: ``_loaded`` logged and reported it
            return None

    def _loaded(self, folder: FolderState, future: asyncio.Future[Any]) -> None:
        if future.cancelled():
            folder.loading = None
            return
        exc = future.exception()
        if exc is None:
            folder.load_error = None
            self.folder_event(folder, "loaded")
            return
        folder.load_error = str(exc)
        folder.loading = None  # the next document event tries again
        log.error("loading %s failed", folder.root, exc_info=exc)
        self.report_once(f"Python Architect could not load {folder.root}: {exc}")
        self.folder_event(folder, "failed")

    def _load_project(self, folder: FolderState) -> Any:
        from ..engine import Project

        project = Project.load(folder.root, editor=True)  # un-adopted judgment findings show as hints
        CLOCK.mark("project loaded")
        self._apply_folder_overrides(folder, project)
        folder.project = project
        for error in getattr(project, "config_errors", ()) or ():
            log.warning("configuration: %s", error)
        log.info("loaded %s: %d ADRs", folder.root, len(project.kb.adrs))
        vendored = project.workspace_files.vendored_skip(project.root)
        if vendored is not None:  # once per load, as ``check`` says it once per run
            log.info("%s", vendored.note())
        generated = project.workspace_files.generated_skip(project.root)
        if generated is not None:
            log.info("%s", generated.note())
        return project

    def _apply_folder_overrides(self, folder: FolderState, project: Any) -> bool:
        """Settings that override the project's knowledge/agents directories; True when changed.

        Takes the folder lock and may reload the knowledge base: pool threads only (``state``).
        """
        changes = {}
        if folder.settings.knowledge_dir and folder.settings.knowledge_dir != project.config.knowledge_dir:
            changes["knowledge_dir"] = folder.settings.knowledge_dir
        if folder.settings.agents_dir and folder.settings.agents_dir != project.config.agents_dir:
            changes["agents_dir"] = folder.settings.agents_dir
        if not changes:
            return False
        with folder.lock:
            project.config = replace(project.config, **changes)
            project.reload_knowledge()
        return True

    # -- settings -----------------------------------------------------------------------------
    def apply_settings(self, raw: Any, folder: FolderState | None = None) -> list[FolderState]:
        """Takes new settings (for one folder, or all); returns the folders whose loaded project
        must now apply them (``reload_overrides``: a reload is never done on the event loop)."""
        settings, problems = EditorSettings.from_client(raw)
        for problem in problems:
            log.warning("settings: %s", problem)
        targets = [folder] if folder else list(self.folders.values())
        if folder is None:
            self.default_settings = settings
        for target in targets:
            target.settings = settings
            self.folder_event(target, "settings")
        self.set_log_level(settings.log_level)
        return [target for target in targets if target.project is not None]

    async def reload_overrides(self, folders: list[FolderState]) -> None:
        """Applies the folders' directory overrides in the analysis pool: the reload waits for
        the folder lock (an analysis may hold it for long) while the loop keeps answering."""
        assert self.loop is not None
        for folder in folders:
            if folder.project is not None and await self.loop.run_in_executor(
                    self.analysis_pool, self._apply_folder_overrides, folder, folder.project):
                self.folder_event(folder, "knowledge")

    def set_log_level(self, level: str) -> None:
        log.setLevel(_LEVELS.get(level.lower(), logging.INFO))

    # -- errors -------------------------------------------------------------------------------
    def report_once(self, message: str) -> None:
        """Logs every problem, but shows at most one message box per session."""
        log.error("%s", message)
        if not self.shown_error:
            self.shown_error = True
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def report_server_error(self, error: Exception, source: Any) -> None:
        log.error("internal error (%s): %s", getattr(source, "__name__", source), error)

    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        """Serves over stdio until the editor says exit (see ``transport.serve_stdio``)."""
        from .transport import serve_stdio

        serve_stdio(self, stdin, stdout)

    def start_tcp(self, host: str, port: int) -> None:
        """Serves one TCP client (see ``transport.serve_tcp``)."""
        from .transport import serve_tcp

        serve_tcp(self, host, port)

    def shutdown(self) -> None:
        for pool in (self.analysis_pool, self.background_pool):
            pool.shutdown(wait=False, cancel_futures=True)
        super().shutdown()


def guarded(handler: Any) -> Any:
    """Wraps a notification handler so it never raises: errors are logged and shown once."""
    import functools
    import inspect

    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def run_async(server: ArchitectServer, *args: Any) -> Any:
            try:
                return await handler(server, *args)
            except Exception as exc:
                log.exception("%s failed", handler.__name__)
                server.report_once(f"Python Architect: {handler.__name__} failed: {exc}")
                return None

        return run_async

    @functools.wraps(handler)
    def run(server: ArchitectServer, *args: Any) -> Any:
        try:
            return handler(server, *args)
        except Exception as exc:
            log.exception("%s failed", handler.__name__)
            server.report_once(f"Python Architect: {handler.__name__} failed: {exc}")
            return None

    return run


class LateCancelFilter(logging.Filter):
    """Quiets pygls' "Cancel notification for unknown message id" unless debugging.

    LSP lets a client cancel a request whose response is already on its way; the server then
    ignores the cancel. VS Code does this all the time (a hover or code action the cursor moved
    away from, the chat's Stop racing the answer's end), so the warning was noise on stderr.
    """

    MESSAGE = "Cancel notification for unknown message id"

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(self.MESSAGE):
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


def quiet_late_cancels() -> None:
    json_rpc = logging.getLogger("pygls.protocol.json_rpc")
    if not any(isinstance(existing, LateCancelFilter) for existing in json_rpc.filters):
        json_rpc.addFilter(LateCancelFilter())
