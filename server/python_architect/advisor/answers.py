"""A finished answer as plain JSON, the same for every front end that returns one whole (the CLI's
``ask --format json`` and the MCP ``ask_architect`` tool): the text, the ADRs cited, the tool
steps the architect took, why it stopped early, and the code it proposed for workspace files as
edits with a unified diff (``proposals``; never written by the tool).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..root_paths import relative_path
from .events import ChatFinal
from .proposals import parse_proposals

ASK_SPEC: dict[str, Any] = {"input_schema": {"type": "object", "required": ["question"], "properties": {
    "question": {"type": "string", "minLength": 1, "maxLength": 4000},
    "path": {"type": "string", "minLength": 1, "maxLength": 1024},
    "line": {"type": "integer", "minimum": 1},
    "conversation": {"type": "string", "minLength": 1, "maxLength": 100},
}}}
"""The bounds of an ``ask_architect`` call (checked with ``tool_specs.validate`` before any work)."""


def final_to_json(final: ChatFinal, root: Path) -> dict[str, Any]:
    return {
        "answer": final.text,
        "proposals": parse_proposals(final.text, root).to_json(),
        "citations": [{"id": c.id, "title": c.title, "path": relative_path(c.path, root), "line": c.line}
                      for c in final.citations],
        "steps": [{"index": s.index, "tool": s.tool, "label": s.label, "path": s.path, "line": s.line,
                   "error": s.error} for s in final.steps],
        "stopped": final.stopped,
        "redacted": final.redacted,
        "offline": final.offline,
        "model": final.model,
        "error": final.error,
    }
