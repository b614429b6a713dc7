"""The advisor facade: one question in, a stream of answer chunks and a final message out.

``Advisor.ask`` decides online or offline, reads the code in view (never outside the
workspace), runs the checks on it, assembles the context within the token budget, streams the
answer — online, through the agent loop (``agent``), so the model can read the workspace with
the tools (``self.tools``) and each call is announced as a ``ChatStep`` — and keeps each
conversation's history. Front ends (the language server, the ``ask``
command) only render the events. Failures end the stream with a ``ChatFinal`` carrying a short
message, never an exception — except cancellation, which propagates after closing the stream.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractContextManager, aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.decoding import read_source
from ..findings import Finding
from ..settings import EditorSettings
from . import agent
from . import context as ctx
from .errors import user_message
from .events import ChatChunk, ChatEvent, ChatFinal, ChatStep, Citation
from .offline import offline_answer
from .persona import choose_persona, model_for
from .prompts import decision_section
from .redaction import Redactor, footer, inside_workspace
from .tools import ToolSet

if TYPE_CHECKING:
    from .code_tools import TextOf
    from .conversations import ConversationStore
    from .online import OnlineChat

__all__ = ["Advisor", "ChatChunk", "ChatEvent", "ChatFinal", "ChatStep", "Citation", "Conversation"]

log = logging.getLogger(__name__)

DEFAULT_MAX_RETRIES = 2
"""SDK retries (exponential backoff, honouring ``retry-after``) on 408/409/429/5xx and connection errors."""

MAX_CONVERSATIONS = 64
"""Conversations remembered per workspace; the least recently used is forgotten first."""

MAX_HISTORY_SHARE = 0.25
"""At most this share of the token budget goes to earlier turns; the oldest are dropped first."""


@dataclass
class Conversation:
    messages: list[dict[str, Any]] = field(default_factory=list)


class Advisor:
    """The architect for one workspace (a ``Project``: ``root``, ``kb``, ``analyze``)."""

    def __init__(
        self,
        project: Any,
        settings: EditorSettings | None = None,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        environ: Mapping[str, str] | None = None,
        lock: AbstractContextManager[Any] | None = None,
        texts: TextOf | None = None,
    ) -> None:
        self.project = project
        self._lock = lock if lock is not None else threading.Lock()
        """Guards ``project`` against the other threads using it (the language server passes the
        folder's lock: see ``lsp.state``). Held, in a worker thread, while this advisor analyses
        the code in view and gathers its context, and by the tools while they read the project;
        never while talking to the model."""
        self.tools = ToolSet(project, self._lock, texts=texts)
        """The read-only tools the model may call (``texts``: the editor's unsaved texts)."""
        self.settings = settings or EditorSettings()
        self._api_key = api_key
        self._base_url = base_url
        self._max_retries = max_retries
        self._environ = environ if environ is not None else os.environ
        self._online: OnlineChat | None = None  # created on the first online question
        self.conversations: dict[str, Conversation] = {}
        # The front end sets a ``ConversationStore`` to keep conversations on disk.
        self.store: ConversationStore | None = None

    # -- public ---------------------------------------------------------------------------

    async def ask(
        self,
        conversation_id: str,
        question: str,
        *,
        path: Path | None = None,
        text: str | None = None,
        selection: tuple[int, int] | None = None,
        offline: bool = False,
        focus_adrs: Sequence[str] = (),
        focus_codes: Sequence[str] = (),
        analysis: Any = None,
    ) -> AsyncIterator[ChatEvent]:
        """Streams ``ChatChunk``s, then exactly one ``ChatFinal``.

        ``path``/``text``/``selection`` are the code in view (text read from disk when None;
        ``selection`` 1-based inclusive lines); ``analysis`` a ``FileAnalysis`` of exactly that
        text when the caller has one (the editor's last result), saving a second run of the checks.
        """
        settings = self.settings
        persona = choose_persona(self.project.kb, settings.chat_agent)
        model = model_for(persona, settings.chat_model)
        earlier = await self._earlier(conversation_id)
        material = await self._material(question, persona, path, text, selection, focus_adrs, focus_codes, analysis,
                                        earlier)
        api_key = self._api_key or self._environ.get("ANTHROPIC_API_KEY", "").strip()
        if offline or settings.chat_offline or not api_key:
            answer = offline_answer(material)
            for paragraph in _paragraphs(answer):
                yield ChatChunk(paragraph)
            citations = self._citations(answer, material)
            await self._remember(conversation_id, material, answer, citations)
            yield ChatFinal(answer, citations, 0, True, None, None)
            return
        async for event in self._ask_online(conversation_id, material, model, api_key):
            yield event

    def forget(self, conversation_id: str) -> None:
        self.conversations.pop(conversation_id, None)

    async def aclose(self) -> None:
        if self._online is not None:
            await self._online.close()
            self._online = None

    # -- steps ----------------------------------------------------------------------------

    async def _earlier(self, conversation_id: str) -> list[str]:
        """The conversation's earlier turns as text, oldest first, so a follow-up ("show me that in
        code") ranks on what it follows: each turn's question, answer, ADRs and files looked at."""
        if self.store is not None:
            stored = await asyncio.to_thread(self.store.get, conversation_id)
            if stored is None:
                return []
            return [" ".join((turn.question, turn.answer, *turn.adrs, *turn.files())) for turn in stored.turns]
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            return []
        return [m["content"] for m in conversation.messages if isinstance(m.get("content"), str)]

    async def _material(
        self, question, persona, path, text, selection, focus_adrs, focus_codes, analysis, earlier=()
    ) -> ctx.Material:
        notes: list[str] = []
        findings: list[Finding] = []
        modules: list[str] = []
        root: Path = self.project.root
        if path is not None and not inside_workspace(root, path):
            notes.append(f"The file {path.name} is outside the workspace; its code was not sent.")
            path, text = None, None
        if path is not None and text is None:
            try:
                text = await asyncio.to_thread(read_source, path)
            except OSError as exc:
                notes.append(f"Could not read {path.name}: {exc.strerror or exc}.")
                path = None
        return await asyncio.to_thread(
            self._gather_locked, question, persona, path, text, selection, focus_adrs, focus_codes, analysis,
            notes, findings, modules, earlier,
        )

    def _gather_locked(
        self, question, persona, path, text, selection, focus_adrs, focus_codes, analysis, notes, findings, modules,
        earlier,
    ) -> ctx.Material:
        """The checks on the code in view and the context around it, under the project's lock."""
        with self._lock:
            return self._gather(question, persona, path, text, selection, focus_adrs, focus_codes, analysis,
                                notes, findings, modules, earlier)

    def _gather(
        self, question, persona, path, text, selection, focus_adrs, focus_codes, analysis, notes, findings, modules,
        earlier,
    ) -> ctx.Material:
        if path is not None and text is not None:
            try:
                if analysis is None:
                    analysis = self.project.analyze(path, text)
                findings = list(analysis.findings)
                if analysis.facts is not None:
                    modules = [fact.module for fact in analysis.facts.imports]
            except Exception:  # the checks failing must not stop the conversation
                log.exception("analysing %s for the chat failed", path.name)
                notes.append("The checks could not run on this file; findings are missing.")
        return ctx.gather(
            self.project,
            persona,
            question,
            path=path,
            text=text,
            selection=selection,
            findings=findings,
            modules=modules,
            focus_adrs=focus_adrs,
            focus_codes=focus_codes,
            notes=notes,
            earlier=earlier,
        )

    async def _ask_online(
        self, conversation_id: str, material: ctx.Material, model: str, api_key: str
    ) -> AsyncIterator[ChatEvent]:
        settings = self.settings
        conversation = self.conversations.pop(conversation_id, None) or Conversation()
        self.conversations[conversation_id] = conversation  # most recently used last
        while len(self.conversations) > MAX_CONVERSATIONS:
            del self.conversations[next(iter(self.conversations))]
        history_budget = int(settings.chat_max_context_tokens * MAX_HISTORY_SHARE)
        if self.store is not None:  # the stored turns, summarised oldest first
            history = await asyncio.to_thread(self.store.history, conversation_id, history_budget)
        else:
            history = _trim_history(conversation.messages, history_budget)
        history_tokens = sum(ctx.estimate_tokens(m["content"]) for m in history)
        chat = self._chat(api_key)
        answer: list[str] = []
        steps: list[ChatStep] = []
        redactor = Redactor()
        try:
            context = await self._fit(chat, material, model, history, history_tokens)
            messages = [*history, {"role": "user", "content": context.user_text}]
            log.info(
                "chat request: model %s, ~%d tokens, ADRs %s, corpus %s, %d redacted",
                model,
                context.estimated_tokens,
                ",".join(r.adr.id for r in context.relevant) or "none",
                context.corpus_level,
                context.redacted,
            )
            log.debug("chat prompt: system=%r messages=%r", context.system, messages)
            budget = agent.Budget(settings.chat_max_tool_calls, settings.chat_max_answer_tokens)
            outcome = agent.Outcome([])
            events = agent.run(chat, self.tools, model=model, system=context.system, messages=messages,
                               budget=budget, redactor=redactor)
            async with aclosing(events) as stream:
                async for event in stream:
                    if isinstance(event, ChatChunk):
                        answer.append(event.text)
                        yield event
                    elif isinstance(event, ChatStep):
                        steps.append(event)
                        yield event
                    else:
                        outcome = event
        except asyncio.CancelledError:
            log.info("chat %s cancelled after %d chunks and %d tool calls", conversation_id, len(answer), len(steps))
            raise
        except Exception as exc:  # noqa: BLE001 - every SDK failure becomes one sentence in the chat
            message = user_message(exc, timeout_s=settings.chat_timeout_s, model=model)
            log.warning("chat request failed: %s (%s)", message, type(exc).__name__)
            text = "".join(answer)
            yield ChatFinal(f"{text}\n\n{message}" if text else message, (), 0, False, message, model, tuple(steps))
            return
        text = "".join(answer)
        redacted = context.redacted + redactor.count
        notes = []
        if outcome.stopped:
            notes.append(f"The architect stopped looking further: {outcome.stopped} (ask a follow-up to go on).")
        if footer(redacted):
            notes.append(footer(redacted))
        note = "\n\n---\n" + "\n".join(notes) if notes else ""
        if note:
            yield ChatChunk(note)
        label = f" (about {material.code_path.name})" if material.code_path is not None else ""
        conversation.messages.append({"role": "user", "content": Redactor()(material.question, question=True) + label})
        conversation.messages.append({"role": "assistant", "content": text})
        citations = self._citations(text, material)
        steps = [{"tool": step.tool, "path": step.path, "line": step.line} for step in outcome.steps]
        await self._remember(conversation_id, material, text, citations, steps)
        yield ChatFinal(text + note, citations, redacted, False, None, model, tuple(outcome.steps), outcome.stopped)

    async def _remember(self, conversation_id: str, material: ctx.Material, answer: str,
                        citations: Sequence[Citation], steps: Sequence[Any] = ()) -> None:
        """Stores the completed turn with what it looked at (the store redacts the question and
        answer again; tool steps ``{tool, path, line}`` come from the agent loop)."""
        if self.store is None:
            return
        await asyncio.to_thread(
            self.store.append, conversation_id, question=material.question, answer=answer,
            path=material.code_path, selection=material.selection, adrs=[c.id for c in citations], steps=steps,
        )

    async def _fit(self, chat, material, model, history, history_tokens) -> ctx.ChatContext:
        """Fits the context by the conservative estimate; when that had to cut, asks the API for
        the exact count of the uncut request, and recalibrates characters-per-token from it."""
        budget = self.settings.chat_max_context_tokens
        context = ctx.fit(material, budget=budget, history_tokens=history_tokens)
        if not context.cut:
            return context
        full = ctx.fit(material, budget=budget, history_tokens=history_tokens, unlimited=True)
        try:
            counted = await chat.count_tokens(
                model=model, system=full.system, messages=[*history, {"role": "user", "content": full.user_text}]
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - counting is an optimisation: keep the conservative cut
            log.info("token counting unavailable (%s); using the estimate", type(exc).__name__)
            return context
        if counted <= budget:
            return full
        chars = sum(len(b["text"]) for b in full.system) + len(full.user_text)
        chars += sum(len(m["content"]) for m in history)
        calibrated = max(1.0, 0.95 * chars / max(1, counted))
        return ctx.fit(
            material,
            budget=budget,
            history_tokens=history_tokens,
            chars_per_token=calibrated,
        )

    def _chat(self, api_key: str) -> OnlineChat:
        # Imported on the first online question: the SDK costs seconds to import, which neither
        # the editor's start-up nor an offline answer should pay.
        from .online import OnlineChat

        timeout = float(self.settings.chat_timeout_s)
        identity = OnlineChat.identity_of(api_key, self._base_url, timeout, self._max_retries)
        # Reuse one client (and its connection pool) while key, address and timeout stay the same;
        # the replaced client is left to the garbage collector (a stream may still be reading).
        if self._online is None or self._online.identity != identity:
            self._online = OnlineChat(
                api_key=api_key, base_url=self._base_url, timeout_s=timeout, max_retries=self._max_retries
            )
        return self._online

    def _citations(self, answer: str, material: ctx.Material) -> tuple[Citation, ...]:
        """The ADRs the answer names, in order of first mention."""
        kb = material.kb
        cited: list[Citation] = []
        for adr_id in ctx.mentioned_adr_ids(answer):
            adr = kb.get(adr_id)
            if adr is None:
                continue
            section = decision_section(adr)
            line = section.line if section is not None else getattr(adr, "id_line", 1)
            cited.append(Citation(adr.id, adr.title, adr.path, line))
        return tuple(cited)


def _trim_history(messages: list[dict[str, Any]], max_tokens: int) -> list[dict[str, Any]]:
    """The most recent whole turns (user + assistant pairs) that fit in ``max_tokens``."""
    kept: list[dict[str, Any]] = []
    used = 0
    for index in range(len(messages) - 2, -1, -2):
        pair = messages[index : index + 2]
        cost = sum(ctx.estimate_tokens(m["content"]) for m in pair)
        if used + cost > max_tokens:
            break
        kept[:0] = pair
        used += cost
    return kept


def _paragraphs(text: str) -> list[str]:
    """Splits an answer into chunks at blank lines, each keeping its trailing separator."""
    pieces = text.split("\n\n")
    return [piece + ("\n\n" if i < len(pieces) - 1 else "") for i, piece in enumerate(pieces)]
