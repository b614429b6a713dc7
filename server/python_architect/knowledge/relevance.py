"""Which decisions matter here: ranking ADRs for hover (signals from the code at the cursor); the
chat's lexical search over the records' text lives in ``adr_search`` and is re-exported here.

Only binding ADRs (accepted, proposed) are ranked; superseded, rejected and deprecated records
never are. Nothing is returned when nothing is specifically relevant: a generic "here are some
ADRs" answer would teach people to ignore the list. Every result carries a one-line reason.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ..codes import RULE_DRIVEN
from . import vocabulary
from .adr_search import (  # re-exported: the search's users import it from here
    STOP_WORDS,
    Relevant,
    _search_index,
    _SearchIndex,
    principle_of,
    search_adrs,
    tokenize,
)
from .adr_status import UNKNOWN_STATUS, status_of, unparsed_adr_paths
from .model import Adr, KnowledgeBase, RuleSpec
from .scope import adr_applies_to, describe_scope, rule_applies_to, rule_scope

RULE_KIND_CODES = RULE_DRIVEN
"""Rule kind -> the code its findings carry (declared once, in ``codes``)."""

STRONG, MEDIUM, WEAK, FAINT = 3.0, 2.0, 1.5, 0.5
VOCABULARY_SIGNAL = 0.25
PROPOSED_FACTOR = 0.8

_CAMEL = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


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
    folded = [(word, {vocabulary.fold(part) for part in parts}) for word, parts in identifiers]
    index = _search_index(kb) if folded else None
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
        spoken = _spoken(index, adr, folded)
        if spoken and not any(f"`{spoken}`" in reason for _, reason in signals):
            # Supporting only, the faintest: a principle's word never ranks an ADR on its own.
            signals.append((VOCABULARY_SIGNAL, f"`{spoken}` is a word of its principle"))
        if path is not None and adr.applies_to.paths and adr_applies_to(adr, path, kb.root):
            globs = ", ".join(f"`{glob}`" for glob in adr.applies_to.paths)
            signals.append((FAINT, f"applies to {globs}"))
        ranked.append(_ranked(adr, signals))
    ranked.sort(key=lambda r: (-r.score, r.adr.status != "accepted", r.adr.id))
    return ranked[:limit]


def _spoken(index: _SearchIndex | None, adr: Adr, folded: list[tuple[str, set[str]]]) -> str | None:
    """The first identifier with a (folded) part in the ADR's principle vocabulary."""
    if index is None:
        return None
    position = index.positions.get(id(adr))
    if position is None:
        return None
    words = index.vocabulary_tokens[position]
    return next((identifier for identifier, parts in folded if not parts.isdisjoint(words)), None)


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
        placed: dict[str, list[str]] = {}  # one reason per layer, however many of its modules are here
        for module in modules:
            layer = next((lay for lay in layers if module_matches(module, lay)), None)
            if layer is not None:
                placed.setdefault(layer, []).append(module)
        order = " > ".join(f"`{lay}`" for lay in layers)
        for layer, found in placed.items():
            named = ", ".join(f"`{module}`" for module in found[:2]) + (f" and {len(found) - 2} more" if len(found) > 2 else "")
            signals.append((MEDIUM, f"puts {named} in layer `{layer}` of {order}"))
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
        principle = principle_of(code)
        if principle and principle in adr.tags and principle not in topics:
            signals.append((MEDIUM, f"tagged `{principle}`, the principle of {code}"))
    return signals


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
            parts.update((part.lower(), vocabulary.fold(part.lower())))
    return parts


def _keyword_match(keyword: str, identifiers: list[tuple[str, set[str]]]) -> str | None:
    """The first identifier containing the keyword, whole or (``unit of work``) every word of it."""
    wanted = keyword.lower().strip()
    words = [vocabulary.fold(w) for w in re.split(r"[\s_\-]+", wanted) if w]
    for identifier, parts in identifiers:
        if wanted in parts or (len(words) > 1 and all(w in parts for w in words)):
            return identifier
    return None


__all__ = [
    "STOP_WORDS", "UNKNOWN_STATUS", "Relevant", "module_matches", "principle_of", "relevant_adrs",
    "search_adrs", "status_of", "tokenize", "unparsed_adr_paths",
]
