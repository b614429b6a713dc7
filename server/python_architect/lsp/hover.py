"""``textDocument/hover``: the explain core's markdown for the position under the cursor.

Never waits for an analysis and never parses: it reads the document's last good analysis, whose
``constructs`` came out of that analysis's one parse (kept while the user types a syntax error).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from lsprotocol import types

from ..explain.hover import hover_markdown
from ..explain.positions import LineIndex
from .server import ArchitectServer

log = logging.getLogger("python_architect")


def register(server: ArchitectServer) -> None:
    server.feature(types.TEXT_DOCUMENT_HOVER)(hover)


async def hover(ls: ArchitectServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    document = ls.document(uri)
    state = ls.documents.get(uri)
    if document is None or state is None or state.folder.project is None or not state.folder.settings.enable:
        return None
    lines = LineIndex(document.source, ls.position_encoding)
    line, column = lines.to_core(params.position.line, params.position.character)
    analysis = state.analysis
    if analysis is not None and state.shown:
        # What the user sees on this file includes workspace-wide findings (import cycles,
        # indirect layer chains): hover explains those too.
        analysis = replace(analysis, findings=list(state.shown))
    markdown = hover_markdown(state.folder.project, analysis, document.source, line, column)
    if not markdown:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown))
