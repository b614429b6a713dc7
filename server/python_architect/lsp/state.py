"""What the server remembers per workspace folder and per open document.

Kept compact on purpose: the last good analysis (facts and findings, never an AST), the findings
shown, the diagnostics built from them and a result id for pull clients.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import Finding
from ..settings import EditorSettings

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
    lock: threading.RLock = field(default_factory=threading.RLock)
    """Serialises knowledge/config reloads with analyses (never held by the slow index scan)."""
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
    converted_kb: Any = field(default=None, repr=False)
    """The knowledge base ``converted`` was built with (a reload invalidates it)."""
