"""The chat's requests and commands registered without importing the chat (``chat``,
``conversations`` and the advisor modules behind them: ~35 ms of the server's start that the
first diagnostic does not need).

Owns the method and command names and a forwarder per name. The first chat request, stored
conversation request or chat command to arrive imports ``chat`` and builds its handlers
(``register_chat`` into a ``HandlerTable``); later ones reuse them. Who loads it and when: the
event loop, inside that first call: every forwarder is a coroutine function, which pygls runs
on the event loop, and nothing else imports ``chat`` or ``conversations`` (``app`` imports only
this module), so the import never happens on two threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CHAT_REQUEST = "pythonArchitect/chat"
CHAT_CHUNK = "pythonArchitect/chatChunk"
ASK_ABOUT_FINDING = "pythonArchitect.askAboutFinding"
LIST_CONVERSATIONS = "pythonArchitect/listConversations"
GET_CONVERSATION = "pythonArchitect/getConversation"
DELETE_CONVERSATION = "pythonArchitect/deleteConversation"
FIX_WITH_ARCHITECT = "pythonArchitect.fixWithArchitect"

REQUESTS = (CHAT_REQUEST, LIST_CONVERSATIONS, GET_CONVERSATION, DELETE_CONVERSATION)
COMMANDS = (ASK_ABOUT_FINDING, FIX_WITH_ARCHITECT)


class HandlerTable:
    """Takes ``feature(name)``/``command(name)`` registrations as a server would, into a dict."""

    def __init__(self) -> None:
        self.handlers: dict[str, Callable[..., Any]] = {}

    def feature(self, name: str, *_options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self._keep(name)

    def command(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self._keep(name)

    def _keep(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def keep(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.handlers[name] = handler
            return handler

        return keep


class LazyChat:
    """The chat's handlers for one server, built by the first call that needs them."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self._table: HandlerTable | None = None

    def handler(self, name: str) -> Callable[..., Any]:
        if self._table is None:  # event loop only (see the module docstring)
            from .chat import register_chat

            table = HandlerTable()
            register_chat(self.server, table)
            self._table = table
        return self._table.handlers[name]


def register(server: Any) -> LazyChat:
    """Registers a forwarder for every chat request and command; returns what they share."""
    lazy = LazyChat(server)
    for name in REQUESTS:
        server.feature(name)(_request(lazy, name))
    for name in COMMANDS:
        server.command(name)(_command(lazy, name))
    return lazy


def _request(lazy: LazyChat, name: str) -> Callable[..., Any]:
    async def forward(ls: Any, params: Any) -> Any:  # ``ls`` by name: pygls passes the server
        return await lazy.handler(name)(ls, params)

    forward.__name__ = forward.__qualname__ = f"forward_{name.rsplit('/', 1)[-1]}"
    return forward


def _command(lazy: LazyChat, name: str) -> Callable[..., Any]:
    async def forward(ls: Any, *arguments: Any) -> Any:
        return await lazy.handler(name)(ls, *arguments)

    forward.__name__ = forward.__qualname__ = f"forward_{name.rsplit('.', 1)[-1]}"
    return forward
