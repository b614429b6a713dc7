"""The agent loop: the model asks for what it needs through the read-only tools
(``tools.ToolSet``) until it answers, within a budget.

The first request is the chat's (persona, ADRs and code in view from ``context``) plus the
tools; each reply's ``tool_use`` blocks run against the tool set in a worker thread and go back
as ``tool_result`` blocks in the next user turn, until the model ends its turn. Budget: at most
``max_tool_calls`` tool runs and ``max_tokens`` (input + output, summed over the requests) per
answer; once either is spent the next request forbids tools (``tool_choice: none``) so the model
answers with what it has, and the answer says why it stopped.

A hand-written loop over ``messages.stream`` rather than the SDK's beta ``tool_runner``: the
runner calls tools on the event loop's thread (a slow search would stall the language server),
counts iterations rather than tool calls, and has no hook to announce a call before it runs.
Cancellation is structural: cancelling the consuming task closes the HTTP stream, or, during a
tool, abandons the worker (told to stop through ``cancelled``) and sends nothing more.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from .events import ChatChunk, ChatStep
from .redaction import Redactor
from .tool_specs import ToolInputError, api_tools
from .tools import ToolSet

log = logging.getLogger(__name__)

MAX_RESULT_CHARS = 30_000
"""A tool result longer than this is cut (the model can ask for a narrower slice)."""


@dataclass(frozen=True)
class Budget:
    max_tool_calls: int = 12
    max_tokens: int = 200_000


@dataclass
class Outcome:
    """What the loop did, yielded last: the tool steps (with errors) and why it stopped early."""

    steps: list[ChatStep]
    tokens: int = 0
    stopped: str | None = None


async def run(chat: Any, tools: ToolSet, *, model: str, system: list[dict[str, Any]],
              messages: list[dict[str, Any]], budget: Budget, redactor: Redactor) -> AsyncIterator[Any]:
    """Yields ``ChatChunk``s and ``ChatStep``s as they happen, then one ``Outcome``."""
    messages = list(messages)
    offered = api_tools()
    outcome = Outcome([])
    while True:
        last_round = outcome.stopped is not None
        turn = None
        async for item in chat.stream_turn(model=model, system=system, messages=messages, tools=offered,
                                           tool_choice={"type": "none"} if last_round else None):
            if isinstance(item, str):
                yield ChatChunk(item)
            else:
                turn = item
        assert turn is not None
        outcome.tokens += turn.tokens
        uses = [block for block in turn.content if block["type"] == "tool_use"]
        if last_round or turn.stop_reason != "tool_use" or not uses:
            break
        messages.append({"role": "assistant", "content": turn.content})
        results: list[dict[str, Any]] = []
        for use in uses:
            if len(outcome.steps) >= budget.max_tool_calls:
                results.append(_result(use, "Not run: the tool budget for this answer is spent. "
                                            "Answer now with what you have.", True))
                continue
            step = describe(len(outcome.steps) + 1, use["name"], use.get("input") or {})
            yield step
            text, error = await _run_tool(tools, use, redactor)
            outcome.steps.append(replace(step, error=text if error else None))
            results.append(_result(use, text, error))
        messages.append({"role": "user", "content": results})
        if len(outcome.steps) >= budget.max_tool_calls:
            outcome.stopped = f"it used its budget of {budget.max_tool_calls} tool calls"
        elif outcome.tokens >= budget.max_tokens:
            outcome.stopped = f"it used its budget of {budget.max_tokens} tokens"
        if outcome.stopped:
            log.info("agent stopping: %s", outcome.stopped)
    yield outcome


async def _run_tool(tools: ToolSet, use: dict[str, Any], redactor: Redactor) -> tuple[str, bool]:
    """The tool's result as text (redacted, capped) and whether it is an error."""
    cancelled = threading.Event()
    try:
        value = await asyncio.to_thread(tools.run, use["name"], use.get("input"), redactor=redactor,
                                        cancelled=cancelled)
    except asyncio.CancelledError:
        cancelled.set()  # the worker stops at its next check; nothing more is sent
        raise
    except ToolInputError as exc:
        return str(exc), True
    except Exception as exc:  # a broken tool is the model's problem to route around
        log.exception("tool %s failed", use["name"])
        return f"the tool failed: {type(exc).__name__}", True
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
    if len(text) > MAX_RESULT_CHARS:
        text = text[:MAX_RESULT_CHARS] + "\n… (cut: ask for less)"
    return text, False


def _result(use: dict[str, Any], text: str, error: bool) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "tool_result", "tool_use_id": use["id"], "content": text}
    if error:
        block["is_error"] = True
    return block


def describe(index: int, tool: str, arguments: dict[str, Any]) -> ChatStep:
    """The progress line of a tool call, with the place it reads when it reads one."""
    args = arguments if isinstance(arguments, dict) else {}

    def text(key: str) -> str:
        value = args.get(key)
        return value.strip()[:80] if isinstance(value, str) else ""

    path = text("path") or None
    line = args.get("start_line") if isinstance(args.get("start_line"), int) else None
    name = PurePosixPath(path).name if path else ""
    if tool == "read_file":
        label = f"Reading `{name or path}`…"
        line = line or 1
    elif tool == "search_code":
        where = f" in `{text('glob')}`" if text("glob") else ""
        label = f"Searching `{text('pattern')}`{where}…"
    elif tool == "find_symbol":
        label = f"Looking up `{text('name')}`…"
    elif tool == "check":
        paths = [p for p in args.get("paths") or [] if isinstance(p, str)]
        label = f"Checking `{paths[0]}`…" if len(paths) == 1 else (
            f"Checking {len(paths)} paths…" if paths else "Checking the workspace…")
        path = paths[0] if len(paths) == 1 else None
    elif tool == "relevant_adrs":
        line = args.get("line") if isinstance(args.get("line"), int) else None
        label = f"Finding the ADRs for `{name}`…" if path else "Finding the ADRs that govern the question…"
    elif tool == "read_adr":
        label = f"Reading {text('id')}…"
    elif tool == "explain_rule":
        label = f"Explaining {text('code')}…"
    elif tool == "list_adrs":
        label = "Listing the ADRs…"
    elif tool == "graph":
        label = "Drawing the module graph…"
    else:
        label = f"Calling `{tool}`…"
    return ChatStep(index, tool, label, path if tool in ("read_file", "check", "relevant_adrs") else None, line)
