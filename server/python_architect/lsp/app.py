"""The composition root of the language server: an ``ArchitectServer`` with every feature
registered. The features register themselves on a server they are handed (pygls' examples,
esbonio's injected features); ``server.py`` knows none of them, so no feature module and the
server import each other in a circle.
"""

from __future__ import annotations

from . import api_key, chat_routes, code_actions, commands, diagnostics, editor_api, hover
from .server import ArchitectServer, quiet_late_cancels
from .startup import CLOCK
from .wire import install_fast_text_sync


def create_server() -> ArchitectServer:
    """The server with every feature registered (the chat's through ``chat_routes``)."""
    CLOCK.mark("imports done")
    quiet_late_cancels()
    install_fast_text_sync()
    server = ArchitectServer()
    diagnostics.register(server)
    hover.register(server)
    code_actions.register(server)
    commands.register(server)
    chat_routes.register(server)  # the chat itself is imported by its first request
    editor_api.register(server)
    api_key.register(server)
    return server
