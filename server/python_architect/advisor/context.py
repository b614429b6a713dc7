"""What the architect sees with a question, fitted to a token budget.

``gather`` collects the material: the ADRs ranked for the question (``ranking``: the question's
words, the code it names resolved through the workspace by ``retrieval``, the code in view, the
conversation so far), the definitions of the classes and functions it names (``code_view``),
the code in view and its current findings. ``fit`` cuts that material to the budget and renders
the request: the persona and rules, the documents (summarised when long), the ADR corpus in
ranking order at the richest level that fits (status as parsed: ``relevance.status_of``), and
the user turn — the code in view whole when it fits, else its imports, enclosing definition and
selection, never a window that cuts the imports off.

Everything read here comes from the workspace through ``root_paths`` and goes through the
``Redactor`` before it is sent.

Token counts here are estimates (characters / ``chars_per_token``, conservative at 3); the
service calibrates that ratio with the API's own token counter when online.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..knowledge.adr_status import status_of
from ..knowledge.model import Adr, KnowledgeBase
from . import prompts
from .code_view import code_view, definitions
from .persona import Persona
from .ranking import (
    EARLIER_TURNS,
    MAX_RELEVANT,
    RankedAdr,
    mentioned_adr_ids,
    rank_adrs,
)
from .redaction import Redactor, is_config_file
from .retrieval import CodeFact, resolve_code

__all__ = ["MAX_RELEVANT", "ChatContext", "Material", "RankedAdr", "estimate_tokens", "fit", "gather",
           "mentioned_adr_ids", "rank_adrs"]

log = logging.getLogger(__name__)

DOCUMENT_ORDER = ("architecture-decisions", "project-context", "coding-standards")
CONSERVATIVE_CHARS_PER_TOKEN = 3.0
FULL_TEXT_RELEVANT = 3
WINDOW_LINES = 25
MAX_CODE_FACTS = 8
MAX_SELECTED_LINES = 80
"""Only this much of a selection is searched for names (a whole-file selection names everything)."""


def estimate_tokens(text: str, chars_per_token: float = CONSERVATIVE_CHARS_PER_TOKEN) -> int:
    """A token count that errs high (real English and code run near 4 characters a token)."""
    return math.ceil(len(text) / chars_per_token)


@dataclass
class Material:
    """Everything that could be sent, before budgeting."""

    root: Path
    persona: Persona
    question: str
    kb: KnowledgeBase
    relevant: list[RankedAdr] = field(default_factory=list)
    code_path: Path | None = None
    code_lines: list[str] = field(default_factory=list)
    selection: tuple[int, int] | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    code_facts: list[CodeFact] = field(default_factory=list)
    """The code the question names, resolved through the workspace (``retrieval``)."""
    definitions: list[tuple[str, str]] = field(default_factory=list)
    """``(label, source)`` of the classes and functions named in the question or selection."""
    earlier: list[str] = field(default_factory=list)
    """The text of earlier turns of the conversation, oldest first (what a follow-up refers to)."""


@dataclass
class ChatContext:
    """One rendered request: system blocks and the user turn, with what went into them."""

    system: list[dict[str, Any]]
    user_text: str
    relevant: list[RankedAdr]
    findings: list[Finding]
    redacted: int
    estimated_tokens: int
    cut: bool
    corpus_level: str


def gather(
    project: Any,
    persona: Persona,
    question: str,
    *,
    path: Path | None,
    text: str | None,
    selection: tuple[int, int] | None,
    findings: Sequence[Finding],
    modules: Sequence[str],
    focus_adrs: Sequence[str] = (),
    focus_codes: Sequence[str] = (),
    notes: Sequence[str] = (),
    earlier: Sequence[str] = (),
) -> Material:
    """The untrimmed material for one question (``text`` is the code in view, already read).

    ``earlier``: the text of the conversation's earlier turns, oldest first (questions and
    answers): a follow-up is ranked on them too, and the code they named is resolved again."""
    kb: KnowledgeBase = project.kb
    material = Material(project.root, persona, question, kb, notes=list(notes), selection=selection,
                        earlier=[turn for turn in earlier if turn.strip()])
    if text is not None:
        material.code_path = path
        material.code_lines = text.splitlines()
        material.findings = [f for f in findings if _in_selection(f, selection)]
    codes = tuple(dict.fromkeys([*focus_codes, *(f.code for f in material.findings)]))
    cited = [adr for f in material.findings for adr in f.adrs]
    selected = ""
    if selection is not None and selection[0] != selection[1] and material.code_lines:
        selected = "\n".join(material.code_lines[max(0, selection[0] - 1) : selection[1]][:MAX_SELECTED_LINES])
    recent = "\n".join(material.earlier[-EARLIER_TURNS:])
    material.code_facts = code_facts_for(project, question, selected, recent)
    try:
        material.definitions = definitions(material.code_facts, project.root, in_view=(path, text))
    except Exception:  # a definition we cannot cut out costs only itself
        log.exception("reading the definitions named in a question failed")
    material.relevant = rank_adrs(
        kb,
        question,
        path=path,
        modules=modules,
        codes=codes,
        topics=tuple(dict.fromkeys(f.principle for f in material.findings if f.principle)),
        focus=tuple(dict.fromkeys([*focus_adrs, *cited])),
        code_facts=material.code_facts,
        earlier=material.earlier,
    )
    return material


def code_facts_for(project: Any, question: str, selected: str = "", earlier: str = "") -> list[CodeFact]:
    """``retrieval.resolve_code`` over the question, then over the selected code (a real
    selection, not a cursor) and the earlier turns (both as code: half weight, no plain words),
    never failing the question: a broken lookup costs the facts."""
    facts: list[CodeFact] = []
    try:
        if question.strip():
            facts.extend(resolve_code(project, question))
        for more in (selected, earlier):
            if more.strip():
                named = {(fact.kind, fact.name) for fact in facts}
                facts.extend(f for f in resolve_code(project, more, selected=True) if (f.kind, f.name) not in named)
    except Exception:
        log.exception("resolving the code named in a question failed")
    return facts[:MAX_CODE_FACTS]


def _in_selection(finding: Finding, selection: tuple[int, int] | None) -> bool:
    if selection is None:
        return True
    start, end = selection
    if start == end:  # a cursor line: the window around it
        start, end = start - WINDOW_LINES, end + WINDOW_LINES
    return finding.span.line <= end and finding.span.end_line >= start


def fit(
    material: Material,
    *,
    budget: int,
    history_tokens: int = 0,
    chars_per_token: float = CONSERVATIVE_CHARS_PER_TOKEN,
    unlimited: bool = False,
) -> ChatContext:
    """Renders the material within ``budget`` tokens (``unlimited``: everything, for counting).

    The user turn spends what the system prompt and history leave in this order: findings (at
    most a quarter), the full text of the top relevant ADRs the corpus could not carry whole, the
    code in view (whole file, else imports + enclosing definition + selection: ``code_view``),
    then the definitions of the code the question names, with what is left."""
    cpt = chars_per_token
    redactor = Redactor()
    root = material.root
    stable = _stable_system(material, budget, cpt, unlimited)
    system, corpus_level, cut = stable.system, stable.corpus_level, stable.cut
    redactor.removed |= stable.removed
    system_tokens = sum(estimate_tokens(block["text"], cpt) for block in system)

    turn_chars = 10**12 if unlimited else max(0, int((budget - system_tokens - history_tokens) * cpt))
    turn_chars -= len(material.question) + 400
    finding_lines = [prompts.format_finding(f) for f in material.findings]
    finding_lines, was_cut = _take(finding_lines, int(turn_chars * 0.25))
    cut |= was_cut
    turn_chars -= sum(len(line) + 1 for line in finding_lines)
    relevant_texts: list[str] = []
    for ranked in material.relevant[:FULL_TEXT_RELEVANT]:
        if ranked.adr.id in stable.full_ids:
            continue
        rendered = prompts.render_adr(ranked.adr, root, "full", status_of(material.kb, ranked.adr))
        if len(rendered) <= turn_chars * 0.4:
            relevant_texts.append(rendered)
            turn_chars -= len(rendered) + 2
    code = None
    if material.code_lines:
        label = "selected code" if material.code_path is None else prompts.relative(material.code_path, root)
        view = code_view(label, material.code_lines, material.selection, max(0, int(turn_chars * 0.8)))
        if view is not None:
            cut |= view.cut
            code = (view.label, redactor(view.text, config=is_config_file(material.code_path)))
            turn_chars -= len(view.text) + len(view.label) + 20
    shown_definitions: list[tuple[str, str]] = []
    for label, source in material.definitions:
        if material.code_path is not None and code is not None and _inside_view(label, source, code[1]):
            continue  # already in the code in view
        if len(source) + len(label) + 20 > turn_chars:
            cut = True
            continue
        shown_definitions.append((label, redactor(source)))
        turn_chars -= len(source) + len(label) + 20
    user_text = prompts.user_turn(
        redactor(material.question, question=True),
        relevant=[(r.adr.id, _labelled_reason(material.kb, r)) for r in material.relevant],
        adr_texts=relevant_texts,
        code=code,
        findings=finding_lines,
        notes=[*(f"In the workspace: {fact.text}" for fact in material.code_facts), *material.notes],
        definitions=shown_definitions,
    )
    user_text = redactor(user_text)
    return ChatContext(
        system=system,
        user_text=user_text,
        relevant=list(material.relevant),
        findings=list(material.findings),
        redacted=redactor.count,
        estimated_tokens=system_tokens + history_tokens + estimate_tokens(user_text, cpt),
        cut=cut,
        corpus_level=corpus_level,
    )


def _labelled_reason(kb: KnowledgeBase, ranked: RankedAdr) -> str:
    """The reason, with the ADR's status when it is not a plain accepted one."""
    status = status_of(kb, ranked.adr)
    if status == "accepted" or status in ranked.reason:
        return ranked.reason
    return f"{ranked.reason} ({status})" if ranked.reason else f"({status})"


def _inside_view(label: str, source: str, view: str) -> bool:
    return source.strip() in view


@dataclass(frozen=True)
class _StableSystem:
    system: list[dict[str, Any]]
    corpus_level: str
    cut: bool
    removed: frozenset[str]
    full_ids: frozenset[str] = frozenset()
    """ADRs the corpus carries in full (the user turn need not repeat them)."""


LEVELS = ("title", "decision", "full")


def corpus_order(material: Material) -> list[Adr]:
    """The ADR corpus in the order it is sent: the ADRs ranked for this question first, then the
    other binding ones, then the history (rejected, superseded, deprecated), each by id."""
    kb = material.kb
    ranked = [r.adr for r in material.relevant]
    seen = {adr.id for adr in ranked}
    rest = sorted((a for a in kb.adrs if a.id not in seen), key=lambda a: (not a.binding, a.id))
    return [*ranked, *rest]


def _stable_system(material: Material, budget: int, cpt: float, unlimited: bool) -> _StableSystem:
    """The system prompt (persona and rules; the documents; the ADR corpus), redacted.

    The first two blocks depend on the knowledge base, persona and budget alone, so every turn
    sends the same bytes (a prompt-cache hit). The corpus block gives the richest level that fits
    to the most relevant ADRs first: every ADR at least its title, then decisions (history ADRs:
    decision and consequences, the reasons), then full texts, in this question's ranking order,
    which is also the order sent. When every ADR fits in full the order is by id instead, so the
    corpus too is the same bytes on every turn. Built once per key in ``kb.cache``."""
    kb = material.kb
    order = corpus_order(material)
    others = prompts.other_agents(kb.agents, material.persona)
    key = ("advisor-system", material.persona, tuple(id(a) for a in kb.adrs), tuple(map(id, kb.documents.values())),
           tuple(a.id for a in order), len(kb.problems), budget, round(cpt, 3), unlimited)
    cached = kb.cache.get("advisor-system")
    if cached is not None and cached[0] == key:
        return cached[1]
    redactor = Redactor()
    persona_block = prompts.system_blocks(material.persona, "", others=others)[0]["text"]
    persona_tokens = estimate_tokens(persona_block, cpt)
    cut = False
    knowledge_chars = 10**12 if unlimited else max(0, int((budget * 0.5 - persona_tokens) * cpt))
    documents = [kb.documents[n] for n in DOCUMENT_ORDER if n in kb.documents]
    documents += [d for n, d in sorted(kb.documents.items()) if n not in DOCUMENT_ORDER]
    doc_share = int(knowledge_chars * 0.35) // max(1, len(documents))
    doc_texts = []
    for document in documents:
        summary = prompts.summarise_document(document, doc_share)
        cut |= summary != document.text.strip()
        doc_texts.append((document.path.name, summary))
    corpus_chars = knowledge_chars - sum(len(t) for _, t in doc_texts)
    statuses = [status_of(kb, adr) for adr in order]
    levels = ["title"] * len(order)

    def render(position: int, level: str) -> str:
        return prompts.render_adr(order[position], material.root, level, statuses[position])

    texts = [render(i, "title") for i in range(len(order))]
    used = sum(len(t) + 2 for t in texts)
    for level in ("decision", "full"):
        for position in range(len(order)):
            richer = render(position, level)
            extra = len(richer) - len(texts[position])
            if used + extra <= corpus_chars:
                texts[position], levels[position] = richer, level
                used += extra
    while texts and used > corpus_chars:  # not even the titles fit: the least relevant go
        used -= len(texts.pop()) + 2
        levels.pop()
    whole = len(texts) == len(order) and all(level == "full" for level in levels)
    if whole:
        # Everything fits in full: the order is the stable one (by id), so every turn of the
        # conversation sends the same bytes and reads the corpus from the prompt cache.
        stable_order = sorted(range(len(order)), key=lambda i: (not order[i].binding, order[i].id))
        texts = [texts[i] for i in stable_order]
    cut |= not whole
    corpus_level = min(levels, key=LEVELS.index) if levels else "title"
    full_ids = frozenset(order[i].id for i, level in enumerate(levels) if level == "full")
    blocks = prompts.system_blocks(
        material.persona, prompts.knowledge_text(doc_texts, [], corpus_level),
        others=others, corpus=prompts.corpus_text(texts, levels),
    )
    system = [{**block, "text": redactor(block["text"])} for block in blocks]
    stable = _StableSystem(system, corpus_level, cut, frozenset(redactor.removed), full_ids)
    kb.cache["advisor-system"] = (key, stable)
    return stable


def _take(lines: list[str], max_chars: int) -> tuple[list[str], bool]:
    kept, used = [], 0
    for line in lines:
        if used + len(line) + 1 > max_chars:
            return [*kept, f"- … {len(lines) - len(kept)} more findings not shown"], True
        kept.append(line)
        used += len(line) + 1
    return kept, False
