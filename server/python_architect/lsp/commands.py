"""Server commands: open an ADR at its Decision section, record a decision from a selection.

"Ask the architect about this" (``pythonArchitect.askAboutFinding``) belongs to the chat
(``lsp/chat.py``); the client's chat panel handles it.
"""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types

from ..explain import actions
from ..explain.positions import LineIndex
from .code_actions import workspace_edit
from .convert import core_span
from .server import ArchitectServer

log = logging.getLogger("python_architect")


def register(server: ArchitectServer) -> None:
    server.command(actions.OPEN_ADR_COMMAND)(open_adr)
    server.command(actions.RECORD_COMMAND)(record_decision)


async def open_adr(ls: ArchitectServer, *args: Any) -> bool:
    """Arguments: ``{"uri": ADR file URI, "line": 0-based line}`` (or an ADR id string)."""
    target = args[0] if args else None
    if isinstance(target, str):
        adr = next((f.project.kb.get(target) for f in ls.folders.values() if f.project and f.project.kb.get(target)), None)
        if adr is None:
            return False
        section = adr.decision
        target = {"uri": adr.path.as_uri(), "line": (section.line if section else adr.body_line) - 1}
    if not isinstance(target, dict) or "uri" not in target:
        return False
    line = int(target.get("line") or 0)
    position = types.Position(line=line, character=0)
    result = await ls.window_show_document_async(
        types.ShowDocumentParams(uri=target["uri"], take_focus=True, selection=types.Range(start=position, end=position))
    )
    return bool(result and result.success)


async def record_decision(ls: ArchitectServer, *args: Any) -> bool:
    """Arguments: ``{"uri": document URI, "range": LSP range of the selection}``."""
    target = args[0] if args else None
    if not isinstance(target, dict):
        return False
    state = ls.documents.get(target.get("uri", ""))
    document = ls.document(target.get("uri", ""))
    if state is None or document is None or state.folder.project is None:
        return False
    lines = LineIndex(document.source, ls.position_encoding)
    range_ = ls.protocol._converter.structure(target["range"], types.Range)
    plan = actions.record_decision(state.folder.project, state.path, lines.text_in(core_span(range_, lines)))
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=workspace_edit(ls, plan, lines), label=plan.title)
    )
    return bool(result and result.applied)
