"""The architect as one call (MCP's ``ask_architect``): a question, optionally about a workspace
file and line, answered whole by the same ``Advisor`` as the chat — online when the environment
has ``ANTHROPIC_API_KEY`` (the agent loop with the read-only tools), offline otherwise — and
returned as ``answers.final_to_json`` (proposals as edits and a unified diff; nothing written).

Owns one ``Advisor`` per server, created on the first question, sharing the server's project lock
(its locking rule is the Advisor's: the lock is held while the project is read, never while the
model is talked to). Conversations go to the user's conversation store, like the editor's.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import AbstractContextManager
from typing import Any

from ..root_paths import OutsideRoot, resolve_in_root
from .answers import ASK_SPEC, final_to_json
from .conversations import ConversationStore
from .events import ChatFinal
from .service import Advisor
from .tool_specs import ToolInputError, validate


class ArchitectQuestions:
    def __init__(self, project: Any, lock: AbstractContextManager[Any]) -> None:
        self.project = project
        self._lock = lock
        self._advisor: Any = None
        self._created = threading.Lock()  # the first two questions at once create one Advisor

    def _the_advisor(self) -> Any:
        with self._created:
            if self._advisor is None:
                self._advisor = Advisor(self.project, lock=self._lock)
                self._advisor.store = ConversationStore.shared(self.project.root)
            return self._advisor

    async def ask(self, question: str, *, path: str | None = None, line: int | None = None,
                  conversation: str | None = None) -> dict[str, Any]:
        """The whole answer as JSON; ``ToolInputError`` for arguments out of bounds or a path
        outside the workspace root."""
        validate("ask_architect", {"question": question, "path": path, "line": line,
                                   "conversation": conversation}, ASK_SPEC)
        file = None
        if path is not None:
            try:
                file = resolve_in_root(path, self.project.root)
            except OutsideRoot as exc:
                raise ToolInputError(str(exc)) from None
            if not file.is_file():
                raise ToolInputError(f"not a file in the workspace: {path!r}")
        advisor = await asyncio.to_thread(self._the_advisor)
        selection = (line, line) if line is not None else None
        final: ChatFinal | None = None
        async for event in advisor.ask(conversation or "mcp", question, path=file, selection=selection):
            if isinstance(event, ChatFinal):
                final = event
        assert final is not None  # ``Advisor.ask`` always ends with one ChatFinal
        return final_to_json(final, self.project.root)
