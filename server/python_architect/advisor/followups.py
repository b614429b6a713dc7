"""The history a follow-up request carries: the stored turns of a conversation as Messages API
turns within a token budget.

Every earlier turn says what it looked at (the code in view, the files the tools read, the ADRs
cited), so "show me how that would look in code" still knows which module and which decision
"that" was. When the turns do not fit, the oldest are *summarised* first — a deterministic,
extractive summary: the question, the code it was about, the ADRs cited, the files read and the
first sentences of the answer — and only when every turn is summarised and it still does not fit
are the oldest summaries left out; their files and ADRs stay, listed in one line at the top.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .context import estimate_tokens
from .conversation_model import Turn

SUMMARY_SENTENCES = 2
SUMMARY_CHARS = 400
QUESTION_SUMMARY_CHARS = 300
MAX_LISTED = 30
"""At most this many files (and ADRs) named in one line: a long tool session must not eat the budget."""

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9🔴🟡🟢\"'(`*_])")
_HEADING = re.compile(r"^\s*#{1,6}\s.*$", re.MULTILINE)
_MARKUP = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)", re.MULTILINE)


def summarise_answer(answer: str, sentences: int = SUMMARY_SENTENCES, limit: int = SUMMARY_CHARS) -> str:
    """The first ``sentences`` sentences of the answer's prose (code blocks and headings left
    out, list and quote markers removed), at most ``limit`` characters."""
    prose = _MARKUP.sub("", _HEADING.sub(" ", _FENCE.sub(" ", answer)))
    prose = " ".join(prose[: limit * 4].split())  # the first sentences lie in the first few hundred characters
    picked = _SENTENCE_END.split(prose, maxsplit=sentences)[:sentences]
    text = " ".join(picked)
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def looked_at(turn: Turn) -> str:
    """"Looked at: app/x.py (lines 3-9), app/cache.py:12. ADRs cited: ADR-001." or ""."""
    parts: list[str] = []
    files: list[str] = []
    for path in turn.files():
        label = path
        if path == turn.path and turn.selection:
            first, last = turn.selection
            label = f"{path} (line {first})" if first == last else f"{path} (lines {first}-{last})"
        else:
            lines = sorted({s.line for s in turn.steps if s.path == path and s.line})
            if lines:
                label = f"{path}:{','.join(str(n) for n in lines[:5])}"
        files.append(label)
    if files:
        parts.append("Looked at: " + _listed(files) + ".")
    if turn.adrs:
        parts.append("ADRs cited: " + _listed(list(turn.adrs)) + ".")
    return " ".join(parts)


def whole_turn(turn: Turn) -> list[dict[str, Any]]:
    note = looked_at(turn)
    answer = f"{turn.answer}\n\n({note})" if note else turn.answer
    return [{"role": "user", "content": turn.question}, {"role": "assistant", "content": answer}]


def summarised_turn(turn: Turn) -> list[dict[str, Any]]:
    question = " ".join(turn.question.split())
    if len(question) > QUESTION_SUMMARY_CHARS:
        question = question[: QUESTION_SUMMARY_CHARS - 1] + "…"
    note = looked_at(turn)
    answer = f"[Summary of my earlier answer] {summarise_answer(turn.answer)}"
    return [
        {"role": "user", "content": f"[Earlier question, summarised] {question}"},
        {"role": "assistant", "content": f"{answer} ({note})" if note else answer},
    ]


def history_messages(
    turns: Sequence[Turn], budget_tokens: int, estimate: Callable[[str], int] = estimate_tokens
) -> list[dict[str, Any]]:
    """User/assistant pairs for the earlier ``turns`` within ``budget_tokens``: the most recent
    whole, the oldest summarised first, and the oldest summaries left out last (their files and
    ADRs kept in a note on the first message)."""
    whole = [whole_turn(t) for t in turns]
    summarised: list[list[dict[str, Any]]] = [[] for _ in turns]  # built only for the turns that need one
    cost_whole = [sum(estimate(m["content"]) for m in pair) for pair in whole]
    cost_summary = list(cost_whole)
    forms = ["whole"] * len(turns)
    total = sum(cost_whole)
    for index in range(len(turns)):  # oldest first
        if total <= budget_tokens:
            break
        summarised[index] = summarised_turn(turns[index])
        cost_summary[index] = sum(estimate(m["content"]) for m in summarised[index])
        if cost_summary[index] < cost_whole[index]:
            forms[index] = "summary"
            total -= cost_whole[index] - cost_summary[index]
    dropped = 0
    note = ""
    while dropped < len(turns):
        note = _dropped_note(turns[:dropped])
        if total + estimate(note) <= budget_tokens:
            break
        kept_cost = cost_summary[dropped] if forms[dropped] == "summary" else cost_whole[dropped]
        total -= kept_cost
        dropped += 1
    else:
        note = _dropped_note(turns[:dropped])
    messages: list[dict[str, Any]] = []
    for index in range(dropped, len(turns)):
        pair = summarised[index] if forms[index] == "summary" else whole[index]
        messages.extend(dict(m) for m in pair)
    if note:
        if messages:
            messages[0]["content"] = f"{note}\n\n{messages[0]['content']}"
        else:
            messages = [{"role": "user", "content": note}, {"role": "assistant", "content": "Noted."}]
    return messages


def _dropped_note(turns: Sequence[Turn]) -> str:
    if not turns:
        return ""
    files: list[str] = []
    adrs: list[str] = []
    for turn in reversed(turns):  # most recent first: the list is cut from its end
        files.extend(f for f in turn.files() if f not in files)
        adrs.extend(a for a in turn.adrs if a not in adrs)
    noun = "turn" if len(turns) == 1 else "turns"
    parts = [f"[{len(turns)} earlier {noun} of this conversation, left out for length]"]
    if files:
        parts.append("They looked at: " + _listed(files) + ".")
    if adrs:
        parts.append("ADRs cited: " + _listed(adrs) + ".")
    return " ".join(parts)


def _listed(items: list[str]) -> str:
    shown = items[:MAX_LISTED]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
