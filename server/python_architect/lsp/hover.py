"""``textDocument/hover``: the explain core's markdown for the position under the cursor.

Never waits for an analysis: it reads the document's last good analysis and a syntax index
cached per analysed version (built in the hover thread the first time, a few ms afterwards).
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types

from ..explain.hover import hover_markdown
from ..explain.positions import LineIndex
from ..explain.syntax_index import build_index
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
    text = state.analysis_text if state.analysis is not None else document.source
    if state.analysis is not None and state.analysis.kind == "python" and state.hover_index is None:
        index = await asyncio.get_running_loop().run_in_executor(ls.hover_pool, build_index, text)
        if state.analysis_text is text:  # a newer analysis may have landed meanwhile
            state.hover_index = index
    lines = LineIndex(document.source, ls.position_encoding)
    line, column = lines.to_core(params.position.line, params.position.character)
    markdown = hover_markdown(
        state.folder.project, state.analysis, document.source, line, column, index=state.hover_index or build_index("")
    )
    if not markdown:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown))
