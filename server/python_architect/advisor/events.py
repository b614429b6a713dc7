"""What an answer streams to its front end (the language server, ``ask``): text chunks, tool
steps, then exactly one final event. Plain values, no behaviour; ``service`` re-exports them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Citation:
    """An ADR the answer cites: where to open it (the Decision section's 1-based line)."""

    id: str
    title: str
    path: Path
    line: int


@dataclass(frozen=True)
class ChatChunk:
    """A piece of the answer's text, in order."""

    text: str


@dataclass(frozen=True)
class ChatStep:
    """A tool call the architect makes while answering ("Reading `price_cache.py`…"), sent
    before the tool runs so the user sees what it is doing; ``path`` (workspace-relative) and
    ``line`` (1-based) say what it reads, for a link, when the tool reads one place."""

    index: int
    tool: str
    label: str
    path: str | None = None
    line: int | None = None
    error: str | None = None
    """Set on the copy kept in ``ChatFinal.steps`` when the tool refused or failed."""


@dataclass(frozen=True)
class ChatFinal:
    text: str
    citations: tuple[Citation, ...] = ()
    redacted: int = 0
    offline: bool = False
    error: str | None = None
    model: str | None = None
    steps: tuple[ChatStep, ...] = ()
    """The tool calls made for this answer, in order."""
    stopped: str | None = None
    """Why the agent stopped looking before it was done (a budget), else None."""


ChatEvent = ChatChunk | ChatStep | ChatFinal
