"""What the server remembers per workspace folder and per open document.

Kept compact on purpose: the last good analysis (facts and findings, never an AST), the findings
shown, the diagnostics built from them and a result id for pull clients.

The locking rule (one rule, one lock per folder: ``FolderState.lock``)
------------------------------------------------------------------------
1. ``FolderState.lock`` guards everything of ``FolderState.project``: its configuration,
   knowledge base, finalizer, file lists, source roots, module index, open-document texts and
   open-document trees (``workspace.parse.OpenTrees``: the last tree of each open document, which
   the next analysis splices its edit into, moving reused nodes in place).
   Whoever reads or changes them holds it: analyses (``scheduling``), reloads, index updates and
   workspace findings (``background``), the chat's analyses (``Advisor(lock=...)``), settings
   overrides (``ArchitectServer.reload_overrides``). One analysis or one reload per hold.
2. It is never taken on the event-loop thread: only in the thread pools (``run_in_executor``),
   so the server keeps answering while a long analysis holds it. Code on the loop reads only
   what it can read atomically (``folder.project``, ``project.kb`` as a whole object).
3. Slow work that needs no project state runs without it and hands its results over under it.
   The first index scan (``background._scan``) reads and parses files without it, in worker
   processes at a lower priority, and records their facts into the project's index as they
   arrive, under it in slices of at most ~2 ms (``workspace.recording.SliceRecorder``); between
   slices a thread waiting for the lock goes first (the lock counts its waiters), so a keystroke
   waits at most one slice behind the scan. Recording stops if a reload replaced the index;
   entries an edit wrote meanwhile are kept; ``Project.ensure_index(lock=..., facts_source=...)``
   then finishes (or redoes) the scan and marks the index scanned. Workspace findings
   (``Project.workspace_findings(lock=...)``) take a snapshot of the index under it and run the
   graph-wide checks on the snapshot without it. "Check workspace" runs on
   ``Project.detached(lock)``: copies of the index and open texts taken under it, then its
   seconds of work without it, changing only those copies.
4. ``DocumentState`` and ``FolderState``'s other fields belong to the event loop: only handlers
   on the loop change them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import Finding
from ..settings import EditorSettings
from ..workspace.recording import WaitCountingLock

if TYPE_CHECKING:
    from ..engine import FileAnalysis, Project


@dataclass
class FolderState:
    """One workspace folder: its project (loaded in a thread), settings and workspace findings."""

    root: Path
    settings: EditorSettings = field(default_factory=EditorSettings)
    project: Project | None = None
    loading: asyncio.Future[Project] | None = None
    load_error: str | None = None
    lock: WaitCountingLock = field(default_factory=WaitCountingLock)
    """Guards ``project``: see the locking rule in this module's docstring."""
    workspace_findings: dict[Path, list[Finding]] = field(default_factory=dict)
    """Index-wide findings (import cycles), by file."""
    index_ready: bool = False
    published_closed: set[Path] = field(default_factory=set)
    """Files that are not open but were sent workspace findings (push clients), to clear later."""


@dataclass
class DocumentState:
    """One open document's analysis state."""

    uri: str
    path: Path
    folder: FolderState
    version: int | None = None
    """The document version whose results are currently shown."""
    analysis: FileAnalysis | None = None
    """The last analysis without a syntax error (kept while the user types one)."""
    analysis_text: str = ""
    """The text ``analysis`` was computed on (its spans refer to it)."""
    shown: list[Finding] = field(default_factory=list)
    diagnostics: list[Any] = field(default_factory=list)
    result_id: str = ""
    pending: asyncio.Task[None] | None = None
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when the results for ``version`` are in (pull requests wait on it)."""
    converted: dict[tuple, Any] = field(default_factory=dict, repr=False)
    """The last run's diagnostics by finding and the text they point into (see ``scheduling._convert``)."""
    edited_lines: frozenset[int] = frozenset()
    """The lines the user's latest edit wrote (0-based), where hints show (``lsp/hints.py``);
    written only by ``didChange`` on the event loop."""
    converted_kb: Any = field(default=None, repr=False)
    """The knowledge base ``converted`` was built with (a reload invalidates it)."""
