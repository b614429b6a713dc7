"""Which ADRs matter for one question, best first, each with a reason a person can check.

``rank_adrs`` merges, each normalised so no signal drowns the others:

- ADRs named in the question or in focus (a finding's ADRs): always first;
- what the code the question names is (``retrieval.CodeFact``): a rule that binds it, a finding
  on it; and, as support only, the ADRs whose ``applies-to`` covers its file;
- the code in view (``knowledge.relevance.relevant_adrs``: imports, finding codes, principles);
- the question's words (``knowledge.relevance.search_adrs``: BM25 over stemmed words and the
  principles' vocabulary), with rejected and superseded ADRs when it asks about history;
- the conversation so far (``earlier``): what earlier turns asked and cited, at half weight, so a
  follow-up ("show me how that would look in code") stays on the decisions it follows up.

ADRs under ``RANK_FLOOR`` of the best one are left off: the offline answer cites this list and
the chat's request leads with it, and a long list of weak matches teaches people to skip it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..knowledge.ids import ADR_REFERENCE, normalize_adr_id
from ..knowledge.model import Adr, KnowledgeBase
from ..knowledge.relevance import relevant_adrs, search_adrs
from .retrieval import CodeFact

MAX_RELEVANT = 5
LEXICAL_FLOOR = 0.5
RANK_FLOOR = 0.6
"""An ADR scoring under this share of the best one is left off the list (a list that also names
weak matches teaches people to skip it); ADRs named or in focus always stay."""
NAMED = 10.0
EARLIER_WEIGHT = 0.5
"""What earlier turns of the conversation ask about and cite, beside the question's own words:
a follow-up ("show me how that would look in code") names little of its own."""
EARLIER_TURNS = 4
IN_VIEW_WEIGHT = 0.7
"""The code in view (its imports, paths, findings' principles) beside a question: context for
what is asked, so it weighs less than the question's own words (a question about caching in a
file that imports the adapters is about caching, not layering)."""
HISTORY_QUESTION = re.compile(
    r"\b(?:reject\w*|turn(?:ed|ing)? down|decid\w* against|why (?:not|don't|didn't|did we not)|abandon\w*|"
    r"supersed\w*|replac\w*|used to|drop(?:ped)?|g[ai]ve up|instead of|what happened|no longer|originally|"
    r"deprecat\w*|history)\b",
    re.IGNORECASE,
)
"""A question about a decision's history: rejected and superseded ADRs are answers to it."""


@dataclass(frozen=True)
class RankedAdr:
    adr: Adr
    score: float
    reason: str


def mentioned_adr_ids(text: str) -> list[str]:
    seen: list[str] = []
    for match in ADR_REFERENCE.finditer(text):
        adr_id = normalize_adr_id(match.group(0))
        if adr_id not in seen:
            seen.append(adr_id)
    return seen


def rank_adrs(
    kb: KnowledgeBase,
    question: str,
    *,
    path: Path | None = None,
    modules: Sequence[str] = (),
    codes: Sequence[str] = (),
    topics: Sequence[str] = (),
    focus: Sequence[str] = (),
    code_facts: Sequence[CodeFact] = (),
    limit: int = MAX_RELEVANT,
    earlier: Sequence[str] = (),
) -> list[RankedAdr]:
    """Merges the code relevance, the ADRs the code named in the question brings (``code_facts``,
    weights up to 1), the question's lexical ranking (normalised to 1) and what the conversation
    so far asked and cited (``earlier``: the text of earlier turns, at ``EARLIER_WEIGHT``), with
    ADRs named in the question or passed as ``focus`` first; weak tails (``RANK_FLOOR``) dropped."""
    merged: dict[str, RankedAdr] = {}
    topics = tuple(dict.fromkeys([*topics, *(t for fact in code_facts for t in fact.topics)]))

    def add(adr: Adr, score: float, reason: str) -> None:
        current = merged.get(adr.id)
        if current is None:
            merged[adr.id] = RankedAdr(adr, score, reason)
        else:
            merged[adr.id] = RankedAdr(adr, current.score + score, current.reason or reason)

    for ids, why in ((focus, "cited by the finding in question"), (mentioned_adr_ids(question), "named in the question")):
        for adr_id in ids:
            adr = kb.get(adr_id)
            if adr is not None:
                add(adr, NAMED, why)
    # First: their reasons (what the named code is) say more than a tag match does.
    for fact in code_facts:
        for adr_id, why, weight in fact.adrs:
            adr = kb.get(adr_id)
            if adr is not None and adr.binding:
                add(adr, weight, why)
    if path is not None or modules or codes or topics:
        code_hits = relevant_adrs(
            kb, path=path, modules=tuple(modules), topics=tuple(topics), codes=tuple(codes), limit=limit
        )
        top = max((hit.score for hit in code_hits), default=0.0) or 1.0
        weight = IN_VIEW_WEIGHT if question.strip() else 1.0
        for hit in code_hits:
            add(hit.adr, weight * hit.score / top, hit.reason)
    history = bool(HISTORY_QUESTION.search(question))
    if question.strip():
        _add_lexical(kb, question, add, 1.0, "", history)
    turns = [turn for turn in earlier if turn.strip()][-EARLIER_TURNS:]
    if turns:
        said = "\n".join(turns)
        _add_lexical(kb, said, add, EARLIER_WEIGHT, "asked earlier in this conversation: ", history)
        for adr_id in mentioned_adr_ids(said):
            adr = kb.get(adr_id)
            if adr is not None:
                add(adr, EARLIER_WEIGHT, "cited earlier in this conversation")
    # Support only: an ADR over the named code's directory that was found for another reason.
    for fact in code_facts:
        for adr_id, why, weight in fact.governed:
            current = merged.get(adr_id)
            if current is not None and why not in current.reason:
                merged[adr_id] = RankedAdr(current.adr, current.score + weight, f"{current.reason}; {why}")
    # On a tie, what the named code is (a rule that binds it) beats a match of words.
    coded = {adr_id for fact in code_facts for adr_id, _, _ in fact.adrs}
    ranked = sorted(merged.values(), key=lambda r: (-round(r.score, 6), r.adr.id not in coded, r.adr.id))
    # The floor is relative to the best ADR found (named ones stay, and set no floor for the rest).
    top = max((r.score for r in ranked if r.score < NAMED), default=0.0)
    ranked = [r for r in ranked if r.score >= NAMED or r.score >= top * RANK_FLOOR]
    return ranked[:limit]


def _add_lexical(kb: KnowledgeBase, text: str, add: Any, weight: float, prefix: str, history: bool) -> None:
    lexical = search_adrs(kb, text, limit=MAX_RELEVANT, include_history=history)
    top = max((hit.score for hit in lexical), default=0.0) or 1.0
    for hit in lexical:
        # BM25 over a dozen records scores common words too: keep the clear matches only.
        if hit.score >= top * LEXICAL_FLOOR:
            add(hit.adr, weight * hit.score / top, prefix + (hit.reason or "matches the question's words"))
