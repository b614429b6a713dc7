"""The architect chat over LSP: the ``pythonArchitect/chat`` request and the
``pythonArchitect.askAboutFinding`` command, both routed to the folder's ``Advisor``.

Wire contract (camelCase JSON):
- request ``pythonArchitect/chat`` params ``{conversationId, question, uri?, range?, code?,
  adrs?, offline?, requestId?, partialResultToken?}``. ``range`` is an LSP range (0-based);
  ``code`` is a finding code (``ARC101``) when it looks like one, else a code snippet to discuss.
- while the answer streams: a ``pythonArchitect/chatChunk`` notification ``{conversationId,
  requestId?, text}`` per chunk, or ``$/progress`` ``{token, value: {conversationId, text}}``
  when the client sent a ``partialResultToken``. Each tool call the architect makes is the same
  notification (or progress value) with ``kind: "step"`` and ``step: {index, tool, label, path?,
  uri?, line?}`` instead of ``text`` (``line`` 0-based), sent before the tool runs, in order.
- result ``{text, citations: [{id, title, uri, line}], redacted, offline, error, model, steps,
  stopped}`` with ``line`` 0-based (the ADR's Decision heading). ``$/cancelRequest`` cancels the
  handler's task, which closes the HTTP stream to the API or abandons the running tool: nothing
  more is sent to the API for that answer.
- command ``pythonArchitect.askAboutFinding`` with one argument ``{uri, range, code, adrs,
  message, question?, conversationId?}``: same result, chunks under the conversation id.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types

from ..advisor.conversations import ConversationStore
from ..advisor.events import ChatChunk, ChatFinal, ChatStep
from .chat_routes import ASK_ABOUT_FINDING, CHAT_CHUNK, CHAT_REQUEST
from .conversations import proposal_result, register_conversations
from .convert import path_of

if TYPE_CHECKING:
    from ..advisor.service import Advisor

log = logging.getLogger(__name__)

_FINDING_CODE = re.compile(r"^[A-Z]{1,8}\d{1,4}$")


def register_chat(server: Any, on: Any = None) -> None:
    """The chat's handlers for ``server``, registered on ``on`` (the server itself unless given;
    ``chat_routes`` passes its table: the server has its forwarders)."""
    on = server if on is None else on
    router = ChatRouter(server)
    register_conversations(server, router, on)  # stored conversations, "Fix with the architect"

    @on.feature(CHAT_REQUEST)
    async def chat(ls: Any, params: Any) -> dict[str, Any]:
        return await router.answer_safely(plain(params))

    @on.command(ASK_ABOUT_FINDING)
    async def ask_about_finding(ls: Any, *arguments: Any) -> dict[str, Any]:
        first = plain(arguments[0]) if arguments else None
        if not isinstance(first, dict) or not (first.get("code") or first.get("message") or first.get("question")):
            return _result(ChatFinal("No finding was given to ask about.", error="bad request"))
        return await router.answer_safely(finding_request(first))


class ChatRouter:
    """Finds the folder, project, settings and open text for a request; streams the events."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.advisors: dict[Path, Advisor] = {}

    async def answer_safely(self, request: Any) -> dict[str, Any]:
        """The answer, or a short message when something unexpected broke (logged in full)."""
        if not isinstance(request, dict):
            return _result(ChatFinal("The chat request must be an object.", error="bad request"))
        try:
            return await self.answer(request)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # one broken question must not look like a dead server
            log.exception("chat request failed")
            return _result(ChatFinal(f"The architect chat failed: {type(exc).__name__}.", error="internal error"))

    async def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        conversation = str(request.get("conversationId") or uuid.uuid4())
        question = str(request.get("question") or "").strip()
        if not question:
            return _result(ChatFinal("Ask a question first.", error="empty question"))
        uri = request.get("uri")
        path = path_of(uri) if isinstance(uri, str) else None
        folder = self.server.folder_for_path(path) if path else self._first_folder()
        if folder is None:
            return _result(ChatFinal("Open a workspace folder to ask the architect.", error="no workspace"))
        project = await self.server.project_of(folder)
        if project is None:
            return _result(ChatFinal(f"The workspace {folder.root} could not be loaded.", error="no project"))
        advisor = self._advisor(folder, project)
        advisor.settings = folder.settings
        text, analysis = self._open_text(uri)
        code = request.get("code")
        codes = [code] if isinstance(code, str) and _FINDING_CODE.match(code) else []
        if isinstance(code, str) and code.strip() and not codes and text is None:
            text, path = code, None  # a snippet from the chat box, not a file
        final = ChatFinal("", error="no answer")
        events = advisor.ask(
            conversation,
            question,
            path=path,
            text=text,
            selection=_selection(request.get("range")),
            offline=bool(request.get("offline")),
            focus_adrs=_strings(request.get("adrs")),
            focus_codes=codes,
            analysis=analysis,
        )
        first_chunk_at = None
        async for event in events:
            if isinstance(event, ChatChunk):
                if first_chunk_at is None:
                    first_chunk_at = time.perf_counter()
                    log.debug("chat %s: first chunk %.1f ms after the request", conversation, (first_chunk_at - started) * 1000)
                self._send_chunk(request, conversation, {"text": event.text})
            elif isinstance(event, ChatStep):
                self._send_chunk(request, conversation, {"kind": "step", "step": _step(event, folder.root)})
            else:
                final = event
        result = _result(final, folder.root)
        result["proposals"] = proposal_result(self.server, folder.root, final.text)
        return result

    def _first_folder(self) -> Any:
        if self.server.folders:
            return next(iter(self.server.folders.values()))
        root = getattr(self.server.workspace, "root_path", None)
        return self.server.add_folder(Path(root)) if root else None

    def _advisor(self, folder: Any, project: Any) -> Advisor:
        # Imported on the first question: the agent's tools and the stemmer cost ~0.4 s of the
        # server's start, which the first diagnostic must not wait for.
        from ..advisor.service import Advisor

        advisor = self.advisors.get(folder.root)
        if advisor is None or advisor.project is not project:
            # The folder's lock guards its project for every thread (see ``state``).
            advisor = self.advisors[folder.root] = Advisor(project, lock=folder.lock, texts=self._unsaved_text)
            advisor.store = ConversationStore.shared(folder.root)  # conversations kept on disk
        return advisor

    def _unsaved_text(self, path: Path) -> str | None:
        """An open document's text (the tools read it instead of the disk); called from workers."""
        documents = self.server.workspace.text_documents
        uri = path.as_uri()
        document = documents.get(uri) or documents.get(unquote(uri))
        return document.source if document is not None else None

    def _open_text(self, uri: Any) -> tuple[str | None, Any]:
        """The document's unsaved text when open, and its last analysis when it is of that text."""
        if not isinstance(uri, str):
            return None, None
        document = self.server.workspace.text_documents.get(unquote(uri))
        if document is None:  # not open: the advisor reads the saved file
            return None, None
        text = document.source
        state = getattr(self.server, "documents", {}).get(uri)
        if state is not None and state.analysis is not None and state.analysis_text == text:
            return text, state.analysis
        log.debug("chat: no current analysis of %s to reuse; running the checks", uri)
        return text, None

    def _send_chunk(self, request: dict[str, Any], conversation: str, content: dict[str, Any]) -> None:
        token = request.get("partialResultToken")
        if token is not None:
            value = {"conversationId": conversation, **content}
            self.server.protocol.notify(types.PROGRESS, types.ProgressParams(token=token, value=value))
            return
        payload: dict[str, Any] = {"conversationId": conversation, **content}
        if request.get("requestId") is not None:
            payload["requestId"] = request["requestId"]
        self.server.protocol.notify(CHAT_CHUNK, payload)


def finding_request(arguments: dict[str, Any]) -> dict[str, Any]:
    """The chat request behind "Ask the architect about this"."""
    code = str(arguments.get("code") or "")
    message = str(arguments.get("message") or "").strip()
    question = str(arguments.get("question") or "").strip() or (
        f"Explain this finding and what the code should do instead: {code} {message}".strip()
    )
    uri = arguments.get("uri")
    line = ((arguments.get("range") or {}).get("start") or {}).get("line", 0)
    return {
        "conversationId": arguments.get("conversationId") or f"finding:{uri}:{line}:{code}",
        "question": question,
        "uri": uri,
        "range": arguments.get("range"),
        "code": code,
        "adrs": arguments.get("adrs") or [],
        "offline": arguments.get("offline", False),
        "requestId": arguments.get("requestId"),
    }


def plain(value: Any) -> Any:
    """pygls hands custom params over as namedtuples: back to dicts and lists."""
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int))]
    return []


def _selection(range_: Any) -> tuple[int, int] | None:
    """A 0-based LSP range to 1-based inclusive lines (an end at column 0 ends the line before)."""
    if not isinstance(range_, dict):
        return None
    try:
        start, end = range_["start"], range_["end"]
        first, last = int(start["line"]) + 1, int(end["line"]) + 1
        if last > first and int(end.get("character", 1)) == 0:
            last -= 1
        return first, max(first, last)
    except (KeyError, TypeError, ValueError):
        return None


def _step(step: ChatStep, root: Path | None) -> dict[str, Any]:
    """A tool step on the wire: the place it reads as a URI and a 0-based line, for a link."""
    payload: dict[str, Any] = {"index": step.index, "tool": step.tool, "label": step.label}
    if step.error:
        payload["error"] = step.error
    if step.path and root is not None:
        payload["path"] = step.path
        target = Path(step.path) if Path(step.path).is_absolute() else root / step.path
        payload["uri"] = target.as_uri()
        if step.line is not None:
            payload["line"] = max(0, step.line - 1)
    return payload


def _result(final: ChatFinal, root: Path | None = None) -> dict[str, Any]:
    return {
        "text": final.text,
        "citations": [
            {"id": c.id, "title": c.title, "uri": c.path.resolve().as_uri(), "line": max(0, c.line - 1)}
            for c in final.citations
        ],
        "redacted": final.redacted,
        "offline": final.offline,
        "error": final.error,
        "model": final.model,
        "steps": [_step(step, root) for step in final.steps],
        "stopped": final.stopped,
    }
