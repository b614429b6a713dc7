"""What the architect sees with a question, fitted to a token budget.

``gather`` collects the material: the ADRs most relevant to the question (BM25 over the ADR
texts and their principles' vocabulary), to the code the question names (``retrieval``: classes,
modules, dependency specifiers resolved through the workspace) and to the code in view (the
hover's relevance: paths, imports, finding codes), merged;
the three architecture documents; the selected code or file; its current findings. ``fit`` cuts
that material to the budget — documents summarised, the ADR corpus from full text down to
decisions or titles, the code windowed around the selection — and renders the request.

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
from ..knowledge.ids import ADR_REFERENCE, normalize_adr_id
from ..knowledge.model import Adr, KnowledgeBase
from ..knowledge.relevance import relevant_adrs, search_adrs
from . import prompts
from .persona import Persona
from .redaction import Redactor, is_config_file
from .retrieval import CodeFact, resolve_code

log = logging.getLogger(__name__)

DOCUMENT_ORDER = ("architecture-decisions", "project-context", "coding-standards")
CONSERVATIVE_CHARS_PER_TOKEN = 3.0
MAX_RELEVANT = 5
FULL_TEXT_RELEVANT = 3
WINDOW_LINES = 25
LEXICAL_FLOOR = 0.5
MAX_CODE_FACTS = 8
MAX_SELECTED_LINES = 80
"""Only this much of a selection is searched for names (a whole-file selection names everything)."""


def estimate_tokens(text: str, chars_per_token: float = CONSERVATIVE_CHARS_PER_TOKEN) -> int:
    """A token count that errs high (real English and code run near 4 characters a token)."""
    return math.ceil(len(text) / chars_per_token)


@dataclass(frozen=True)
class RankedAdr:
    adr: Adr
    score: float
    reason: str


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
) -> list[RankedAdr]:
    """Merges the code relevance, the ADRs the code named in the question brings (``code_facts``,
    weights up to 1) and the question's lexical ranking (each normalised to 1), with ADRs named in
    the question or passed as ``focus`` first."""
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
                add(adr, 10.0, why)
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
        for hit in code_hits:
            add(hit.adr, hit.score / top, hit.reason)
    if question.strip():
        lexical = search_adrs(kb, question, limit=limit)
        top = max((hit.score for hit in lexical), default=0.0) or 1.0
        for hit in lexical:
            # BM25 over a dozen records scores common words too: keep the clear matches only.
            if hit.score >= top * LEXICAL_FLOOR:
                add(hit.adr, hit.score / top, hit.reason or "matches the question's words")
    ranked = sorted(merged.values(), key=lambda r: (-r.score, r.adr.id))
    return ranked[:limit]


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
) -> Material:
    """The untrimmed material for one question (``text`` is the code in view, already read)."""
    kb: KnowledgeBase = project.kb
    material = Material(project.root, persona, question, kb, notes=list(notes), selection=selection)
    if text is not None:
        material.code_path = path
        material.code_lines = text.splitlines()
        material.findings = [f for f in findings if _in_selection(f, selection)]
    codes = tuple(dict.fromkeys([*focus_codes, *(f.code for f in material.findings)]))
    cited = [adr for f in material.findings for adr in f.adrs]
    selected = ""
    if selection is not None and selection[0] != selection[1] and material.code_lines:
        selected = "\n".join(material.code_lines[max(0, selection[0] - 1) : selection[1]][:MAX_SELECTED_LINES])
    material.code_facts = code_facts_for(project, question, selected)
    material.relevant = rank_adrs(
        kb,
        question,
        path=path,
        modules=modules,
        codes=codes,
        topics=tuple(dict.fromkeys(f.principle for f in material.findings if f.principle)),
        focus=tuple(dict.fromkeys([*focus_adrs, *cited])),
        code_facts=material.code_facts,
    )
    return material


def code_facts_for(project: Any, question: str, selected: str = "") -> list[CodeFact]:
    """``retrieval.resolve_code`` over the question, then over the selected code (a real
    selection, not a cursor), never failing the question: a broken lookup costs the facts."""
    facts: list[CodeFact] = []
    try:
        if question.strip():
            facts.extend(resolve_code(project, question))
        if selected.strip():
            named = {(fact.kind, fact.name) for fact in facts}
            facts.extend(f for f in resolve_code(project, selected, selected=True) if (f.kind, f.name) not in named)
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
    """Renders the material within ``budget`` tokens (``unlimited``: everything, for counting)."""
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
    if corpus_level != "full":
        for ranked in material.relevant[:FULL_TEXT_RELEVANT]:
            rendered = prompts.render_adr(ranked.adr, root, "full")
            if len(rendered) <= turn_chars * 0.4:
                relevant_texts.append(rendered)
                turn_chars -= len(rendered) + 2
    code = _code_view(material, max(0, turn_chars))
    if code is not None:
        cut |= code[2]
        code = (code[0], redactor(code[1], config=is_config_file(material.code_path)), code[2])
    user_text = prompts.user_turn(
        redactor(material.question, question=True),
        relevant=[(r.adr.id, r.reason) for r in material.relevant],
        adr_texts=relevant_texts,
        code=(code[0], code[1]) if code is not None else None,
        findings=finding_lines,
        notes=[*(f"In the workspace: {fact.text}" for fact in material.code_facts), *material.notes],
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


@dataclass(frozen=True)
class _StableSystem:
    system: list[dict[str, Any]]
    corpus_level: str
    cut: bool
    removed: frozenset[str]


def _stable_system(material: Material, budget: int, cpt: float, unlimited: bool) -> _StableSystem:
    """The system prompt (persona, rules, documents, ADR corpus), redacted. It depends on the
    knowledge base, persona and budget alone — never on the question — so every turn sends the
    same bytes (a prompt-cache hit) and it is built once per knowledge base in ``kb.cache``."""
    kb = material.kb
    key = ("advisor-system", material.persona, tuple(id(a) for a in kb.adrs), tuple(map(id, kb.documents.values())),
           budget, round(cpt, 3), unlimited)
    cached = kb.cache.get("advisor-system")
    if cached is not None and cached[0] == key:
        return cached[1]
    redactor = Redactor()
    persona_block = prompts.system_blocks(material.persona, "")[0]["text"]
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
    adrs = sorted(kb.adrs, key=lambda a: (not a.binding, a.id))
    corpus_level, adr_texts = "title", []
    for level in ("full", "decision", "title"):
        adr_texts = [prompts.render_adr(adr, material.root, level if adr.binding else "title") for adr in adrs]
        corpus_level = level
        if sum(len(t) + 2 for t in adr_texts) <= corpus_chars:
            break
    while adr_texts and sum(len(t) + 2 for t in adr_texts) > corpus_chars:
        adr_texts.pop()
    cut |= corpus_level != "full" or len(adr_texts) < len(adrs)
    knowledge = prompts.knowledge_text(doc_texts, adr_texts, corpus_level)
    system = [{**block, "text": redactor(block["text"])} for block in prompts.system_blocks(material.persona, knowledge)]
    stable = _StableSystem(system, corpus_level, cut, frozenset(redactor.removed))
    kb.cache["advisor-system"] = (key, stable)
    return stable


def _take(lines: list[str], max_chars: int) -> tuple[list[str], bool]:
    kept, used = [], 0
    for line in lines:
        if used + len(line) + 1 > max_chars:
            return kept + [f"- … {len(lines) - len(kept)} more findings not shown"], True
        kept.append(line)
        used += len(line) + 1
    return kept, False


def _code_view(material: Material, max_chars: int) -> tuple[str, str, bool] | None:
    """(label, text, was_cut): the selection, or the window around a cursor line, or the file;
    trimmed symmetrically around the selection's middle until it fits."""
    if not material.code_lines:
        return None
    lines = material.code_lines
    first, last = 1, len(lines)
    if material.selection is not None:
        start, end = material.selection
        if start == end:
            start, end = start - WINDOW_LINES, end + WINDOW_LINES
        first, last = max(1, start), min(len(lines), max(start, end))
    centre = (first + last) // 2
    was_cut = (first, last) != (1, len(lines))
    while last >= first and sum(len(lines[i - 1]) + 1 for i in range(first, last + 1)) > max_chars:
        was_cut = True
        if centre - first > last - centre:
            first += 1
        else:
            last -= 1
    if last < first:
        return None
    if material.code_path is None:
        label = "selected code"
    else:
        label = prompts.relative(material.code_path, material.root)
    if (first, last) != (1, len(lines)):
        label += f", lines {first}-{last}"
    numbered = "\n".join(lines[first - 1 : last])
    return label, numbered, was_cut

