"""Which decisions matter here: ranking ADRs for hover (signals from the code at the cursor) and
for chat (lexical BM25 search over the records' text).

Only binding ADRs (accepted, proposed) are ranked; superseded, rejected and deprecated records
never are. Nothing is returned when nothing is specifically relevant: a generic "here are some
ADRs" answer would teach people to ignore the list. Every result carries a one-line reason.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Adr, KnowledgeBase, RuleSpec
from .scope import adr_applies_to, describe_scope, rule_applies_to, rule_scope

if TYPE_CHECKING:
    import bm25s

RULE_KIND_CODES = {
    "forbidden-import": "ARC101",
    "layers": "ARC102",
    "pinned-dependencies": "ARC110",
}

STRONG, MEDIUM, WEAK, FAINT = 3.0, 2.0, 1.5, 0.5
PROPOSED_FACTOR = 0.8

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not of off on once only or other our ours out over own same she should so some
    such than that the their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with within without would you
    your yours use used using need want way ok okay please let lets""".split()  # noqa: SIM905
)
SEARCH_CUTOFF = 0.25
"""Results scoring under this share of the best one are noise (one common word in common)."""
_TOKEN = re.compile(r"[a-z0-9]+(?:[+#][a-z0-9+#]*)?")
_CAMEL = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@dataclass(frozen=True)
class Relevant:
    """An ADR ranked for a place or a question, with why it applies (one line)."""

    adr: Adr
    score: float
    reason: str


def relevant_adrs(
    kb: KnowledgeBase,
    *,
    path: Path | None = None,
    modules: Sequence[str] = (),
    topics: Sequence[str] = (),
    codes: Sequence[str] = (),
    words: Sequence[str] = (),
    limit: int = 3,
) -> list[Relevant]:
    """Binding ADRs ranked by how specifically they speak to this place, best first.

    ``modules``: modules imported or referenced here; ``topics``: principles of the findings
    here; ``codes``: finding codes here; ``words``: identifiers near the cursor; ``path``: the
    file (a weak signal that never ranks an ADR on its own).
    """
    identifiers = [(word, _parts_of(word)) for word in dict.fromkeys(words) if word]
    ranked: list[Relevant] = []
    for adr in kb.binding_adrs:
        signals: list[tuple[float, str]] = []
        for rule in adr.rules:
            signals.extend(_rule_signals(kb, adr, rule, path, modules, codes))
        signals.extend(_tag_signals(adr, topics, codes))
        for keyword in adr.applies_to.keywords:
            matched = _keyword_match(keyword, identifiers)
            if matched:
                signals.append((WEAK, f"keyword `{keyword}` matches `{matched}`"))
        if not signals:
            continue
        if path is not None and adr.applies_to.paths and adr_applies_to(adr, path, kb.root):
            globs = ", ".join(f"`{glob}`" for glob in adr.applies_to.paths)
            signals.append((FAINT, f"applies to {globs}"))
        ranked.append(_ranked(adr, signals))
    ranked.sort(key=lambda r: (-r.score, r.adr.status != "accepted", r.adr.id))
    return ranked[:limit]


def _ranked(adr: Adr, signals: list[tuple[float, str]]) -> Relevant:
    unique: dict[str, float] = {}
    for weight, reason in signals:
        unique[reason] = max(weight, unique.get(reason, 0.0))
    score = sum(unique.values())
    reasons = sorted(unique, key=lambda reason: -unique[reason])
    reason = "; ".join(reasons[:2])
    if adr.status == "proposed":
        score *= PROPOSED_FACTOR
        reason += " (proposed, not yet binding)"
    return Relevant(adr, round(score, 3), reason)


def _rule_signals(
    kb: KnowledgeBase,
    adr: Adr,
    rule: RuleSpec,
    path: Path | None,
    modules: Sequence[str],
    codes: Sequence[str],
) -> list[tuple[float, str]]:
    signals: list[tuple[float, str]] = []
    here = path is None or rule_applies_to(adr, rule, path, kb.root)
    where = describe_scope(*rule_scope(adr, rule))
    options = rule.options
    if rule.kind == "forbidden-import":
        for module in modules:
            if any(module_matches(module, p, kb.root) for p in options.get("allow", ())):
                signals.append((MEDIUM, f"allows importing `{module}` {where}"))
            elif any(module_matches(module, p, kb.root) for p in options.get("modules", ())):
                weight = STRONG if here else WEAK
                signals.append((weight, f"forbids importing `{module}` {where}"))
    elif rule.kind == "layers":
        layers = [str(layer) for layer in options.get("layers", ())]
        for module in modules:
            layer = next((lay for lay in layers if module_matches(module, lay)), None)
            if layer is not None:
                order = " > ".join(f"`{lay}`" for lay in layers)
                signals.append((MEDIUM, f"puts `{module}` in layer `{layer}` of {order}"))
    for code in codes:
        if rule.kind == "check" and options.get("check") == code:
            signals.append((STRONG, f"puts {code} under this decision (rule `{rule.id}`)"))
        elif rule.kind == "ruff" and any(code.startswith(str(p)) for p in options.get("codes", ())):
            signals.append((STRONG, f"enforces ruff rule {code} (rule `{rule.id}`)"))
        elif RULE_KIND_CODES.get(rule.kind) == code:
            signals.append((STRONG, f"its rule `{rule.id}` reports {code} {where}"))
    return signals


def _tag_signals(adr: Adr, topics: Sequence[str], codes: Sequence[str]) -> list[tuple[float, str]]:
    signals = [(MEDIUM, f"tagged `{t}`") for t in dict.fromkeys(topics) if t in adr.tags]
    for code in codes:
        principle = _principle_of(code)
        if principle and principle in adr.tags and principle not in topics:
            signals.append((MEDIUM, f"tagged `{principle}`, the principle of {code}"))
    return signals


def _principle_of(code: str) -> str | None:
    from ..analysis import registry

    try:
        info = registry.lookup(code)
    except Exception:  # noqa: BLE001 - a half-written check module must not break hover
        info = registry.REGISTRY.get(code)
    return info.principle if info else None


def module_matches(module: str, pattern: str, root: Path | None = None) -> bool:
    """``requests.adapters`` matches ``requests`` and ``requests.*``; ``<third-party>`` matches
    anything outside the standard library and, given the workspace ``root``, outside it too."""
    pattern = pattern.strip()
    if pattern == "<third-party>":
        top = module.split(".")[0]
        if top in sys.stdlib_module_names:
            return False
        return root is None or not _in_workspace(root, top)
    base = pattern.removesuffix(".*")
    return module == base or module.startswith(base + ".")


@lru_cache(maxsize=1024)
def _in_workspace(root: Path, top: str) -> bool:
    """Whether a top-level package or module of that name lives at the root or under ``src/``.

    A cheap stand-in for the source-root logic of the checks, good enough to rank hover hints.
    """
    return any(
        (base / top).is_dir() or (base / f"{top}.py").is_file() for base in (root, root / "src")
    )


def _parts_of(identifier: str) -> set[str]:
    """``OrderRepository`` / ``order_repositories`` -> {order, repository, ...} plus the whole."""
    parts = {identifier.lower()}
    for piece in re.split(r"[_\W]+", identifier):
        for part in _CAMEL.findall(piece):
            parts.update((part.lower(), _stem(part.lower())))
    return parts


def _keyword_match(keyword: str, identifiers: list[tuple[str, set[str]]]) -> str | None:
    """The first identifier containing the keyword, whole or (``unit of work``) every word of it."""
    wanted = keyword.lower().strip()
    words = [_stem(w) for w in re.split(r"[\s_\-]+", wanted) if w]
    for identifier, parts in identifiers:
        if wanted in parts or (len(words) > 1 and all(w in parts for w in words)):
            return identifier
    return None


def tokenize(text: str) -> list[str]:
    """Lowercase words without stop words, plurals folded (``queries`` -> ``query``)."""
    return [_stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS and len(t) > 1]


def _stem(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@dataclass
class _SearchIndex:
    signature: tuple[int, ...]
    adrs: list[Adr]
    tokens: list[set[str]]
    retriever: bm25s.BM25 | None


def _document_text(adr: Adr) -> str:
    rule_text = " ".join(
        " ".join([r.message or "", *map(str, r.options.get("modules", ())), r.kind])
        for r in adr.rules
    )
    keywords = " ".join(adr.applies_to.keywords)
    tags = " ".join(tag.replace("-", " ") for tag in adr.tags)
    # Titles name what was decided: counted three times, tags and keywords twice.
    title = f"{adr.title} {adr.title} {adr.title}"
    return f"{title} {tags} {tags} {keywords} {keywords} {rule_text} {adr.body}"


def _search_index(kb: KnowledgeBase) -> _SearchIndex:
    signature = tuple(id(adr) for adr in kb.adrs)
    cached = kb.cache.get("bm25")
    if isinstance(cached, _SearchIndex) and cached.signature == signature:
        return cached
    adrs = kb.binding_adrs
    corpus = [tokenize(_document_text(adr)) or ["\u2205"] for adr in adrs]
    retriever = None
    if corpus:
        import bm25s  # deferred: numpy makes it ~0.35 s to import, and hover never needs it

        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
    index = _SearchIndex(signature, adrs, [set(tokens) for tokens in corpus], retriever)
    kb.cache["bm25"] = index
    return index


def search_adrs(kb: KnowledgeBase, query: str, *, limit: int = 5) -> list[Relevant]:
    """Binding ADRs ranked by BM25 over title, tags, keywords, rules and body; best first."""
    index = _search_index(kb)
    terms = list(dict.fromkeys(tokenize(query)))
    if index.retriever is None or not terms or limit <= 0:
        return []
    k = min(limit, len(index.adrs))
    results = index.retriever.retrieve([terms], k=k, show_progress=False)
    found: list[Relevant] = []
    best = float(results.scores[0][0]) if len(results.scores[0]) else 0.0
    for position, score in zip(results.documents[0], results.scores[0], strict=True):
        if score <= 0 or score < best * SEARCH_CUTOFF:
            continue
        adr = index.adrs[int(position)]
        matched = [t for t in terms if t in index.tokens[int(position)]][:3]
        reason = "mentions " + ", ".join(f"`{t}`" for t in matched)
        found.append(Relevant(adr, round(float(score), 3), reason))
    return found
