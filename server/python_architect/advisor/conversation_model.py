"""The stored conversation as values, and its JSON schema: a ``StoredConversation`` of
``Turn``s, each with what it looked at (the code in view, the ADRs cited, the tool steps).

``parse_conversation`` is the only way back from JSON: every field is type-checked and a file
that does not fit raises ``ValueError`` (the store skips it with one log line). Pure values,
no I/O: ``conversations`` owns the files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
TITLE_CHARS = 80


@dataclass(frozen=True)
class ToolStep:
    """One thing a tool looked at while answering: ``read_file`` of ``app/x.py`` at line 10."""

    tool: str
    path: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"tool": self.tool, "path": self.path, "line": self.line}


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str
    path: str | None = None
    """The code in view, relative to the workspace root (posix), or None."""
    selection: tuple[int, int] | None = None
    """1-based inclusive lines of the code in view that were selected."""
    adrs: tuple[str, ...] = ()
    steps: tuple[ToolStep, ...] = ()
    at: float = 0.0

    def files(self) -> list[str]:
        """The files this turn looked at: the code in view first, then what the tools read."""
        seen: list[str] = []
        for path in (self.path, *(step.path for step in self.steps)):
            if path and path not in seen:
                seen.append(path)
        return seen

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "path": self.path,
            "selection": list(self.selection) if self.selection else None,
            "adrs": list(self.adrs),
            "steps": [step.to_json() for step in self.steps],
            "at": self.at,
        }


@dataclass(frozen=True)
class ContextTerms:
    """What earlier turns looked at, most recent first: for ranking ADRs and code of a follow-up."""

    files: tuple[str, ...] = ()
    adrs: tuple[str, ...] = ()


@dataclass
class StoredConversation:
    id: str
    title: str
    created: float
    updated: float
    turns: list[Turn] = field(default_factory=list)

    def context_terms(self) -> ContextTerms:
        files: list[str] = []
        adrs: list[str] = []
        for turn in reversed(self.turns):
            files.extend(f for f in turn.files() if f not in files)
            adrs.extend(a for a in turn.adrs if a not in adrs)
        return ContextTerms(tuple(files), tuple(adrs))

    def summary(self) -> dict[str, Any]:
        """What a conversation list shows: ``{id, title, updated, turns}`` (epoch seconds)."""
        return {"id": self.id, "title": self.title, "updated": self.updated, "turns": len(self.turns)}

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
            "created": self.created,
            "updated": self.updated,
            "turns": [turn.to_json() for turn in self.turns],
        }



# -- schema ---------------------------------------------------------------------------------


def parse_conversation(data: Any) -> StoredConversation:
    """A stored conversation from parsed JSON, or ``ValueError`` saying what is wrong."""
    if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
        raise ValueError("not a conversation of this version")
    conversation_id, title = data.get("id"), data.get("title")
    created, updated, turns = data.get("created"), data.get("updated"), data.get("turns")
    if not isinstance(conversation_id, str) or not conversation_id or not isinstance(title, str):
        raise ValueError("missing id or title")
    if not _number(created) or not _number(updated) or not isinstance(turns, list):
        raise ValueError("missing times or turns")
    return StoredConversation(conversation_id, title, float(created), float(updated), [_turn(t) for t in turns])


def _turn(data: Any) -> Turn:
    if not isinstance(data, dict):
        raise ValueError("a turn is not an object")  # noqa: TRY004 - a schema error, caught like bad JSON
    question, answer, path = data.get("question"), data.get("answer"), data.get("path")
    adrs, steps, at = data.get("adrs", []), data.get("steps", []), data.get("at", 0.0)
    if not isinstance(question, str) or not isinstance(answer, str) or not (path is None or isinstance(path, str)):
        raise ValueError("a turn's question, answer or path has the wrong type")
    if not isinstance(adrs, list) or not all(isinstance(a, str) for a in adrs) or not isinstance(steps, list):
        raise ValueError("a turn's ADRs or steps have the wrong type")
    if not _number(at):
        raise ValueError("a turn's time is not a number")
    parsed_steps = [step_of(step, lambda p: p) for step in steps]
    if any(step is None for step in parsed_steps):
        raise ValueError("a tool step has the wrong shape")
    selection = data.get("selection")
    return Turn(question, answer, path, _selection(selection) if selection is not None else None,
                tuple(adrs), tuple(s for s in parsed_steps if s is not None), float(at))


def step_of(raw: Any, relative: Callable[[Any], str | None]) -> ToolStep | None:
    if isinstance(raw, ToolStep):
        raw = raw.to_json()
    if not isinstance(raw, dict) or not isinstance(raw.get("tool"), str):
        return None
    path, line = raw.get("path"), raw.get("line")
    if not (path is None or isinstance(path, str)) or not (line is None or (isinstance(line, int) and not isinstance(line, bool))):
        return None
    return ToolStep(raw["tool"][:100], relative(path) if path else None, line)


def _selection(raw: Any) -> tuple[int, int]:
    if (
        not isinstance(raw, Sequence) or len(raw) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in raw)
    ):
        raise ValueError("a selection must be two 1-based line numbers")
    return int(raw[0]), int(raw[1])


def selection_or_none(raw: Any) -> tuple[int, int] | None:
    try:
        return _selection(list(raw)) if raw else None
    except (TypeError, ValueError):
        return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def title_of(question: str) -> str:
    """The first question on one line, cut at a word near ``TITLE_CHARS``."""
    line = " ".join(question.split())
    if len(line) <= TITLE_CHARS:
        return line or "(empty question)"
    cut = line[: TITLE_CHARS - 1]
    if " " in cut[TITLE_CHARS // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"

