"""Lexical search over a knowledge base's ADRs: a small pure-Python Okapi BM25 over stemmed words
(``vocabulary.fold``, Snowball English) without stop words, plus the vocabulary of each ADR's
principles as a second field.

Each result says why in the question's own words and by where they stand in the record: its
title, tags, keywords or rules ("about cache, prices"), its Decision ("decision mentions …"),
else its other text ("its text mentions …", a weak hit when it is one word); and the words of its
principle ("speaks of `extend` (composition)"). Only binding ADRs are searched unless the
question asks about history (``include_history``); an ADR whose frontmatter did not parse ranks
below a clean one and says its status is unknown (``adr_status``).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import vocabulary
from .adr_status import status_of, unparsed_adr_paths
from .model import Adr, KnowledgeBase

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not of off on once only or other our ours out over own same she should so some
    such than that the their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with within without would you
    your yours use used using need want way ok okay please let lets""".split()  # noqa: SIM905
) | frozenset(
    # Question verbs and judgements: they ask about a decision without naming what it is about.
    """may might must shall keep make makes get gets put go goes fine acceptable allowed good bad
    right wrong really still""".split()  # noqa: SIM905
) | vocabulary.REQUEST_WORDS
_STOP_STEMS = frozenset(vocabulary.fold(word) for word in STOP_WORDS)
"""Inflections of stop words are stop words too (``keeps``, ``looking``, ``happening``)."""
SEARCH_CUTOFF = 0.25
"""Results scoring under this share of the best one are noise (one common word in common)."""
_TOKEN = re.compile(r"[a-z0-9]+(?:[+#][a-z0-9+#]*)?")


@dataclass(frozen=True)
class Relevant:
    """An ADR ranked for a place or a question, with why it applies (one line)."""

    adr: Adr
    score: float
    reason: str


def tokenize(text: str) -> list[str]:
    """Lowercase words without stop words, stemmed like the vocabulary (``queries`` -> ``queri``)."""
    stems = (vocabulary.fold(t) for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS and len(t) > 1)
    return [stem for stem in stems if stem not in _STOP_STEMS]


def principle_of(code: str) -> str | None:
    from ..codes import metadata

    info = metadata(code)
    return info.principle if info else None


HISTORY_FACTOR = 1.5
"""Rejected, superseded and deprecated ADRs weigh this much more in a search that asks for them
("why did we turn down …?" asks about a decision that is history, not a rule)."""
UNPARSED_FACTOR = 0.5
"""An ADR with an unreadable header may not say what it seems to: it ranks below a clean one."""


BM25_K1, BM25_B = 1.5, 0.75
"""Okapi BM25 with Lucene's idf, the parameters the ranking was tuned with (bm25s' defaults)."""

_INDEX_LOCK = threading.Lock()
"""Guards building ``kb.cache["bm25"]``: the chat worker and the request thread may search the same
knowledge base at once, and the index must be built once, not twice half-way. Reads of a built
index need no lock (it is immutable and replaced whole)."""


@dataclass(frozen=True)
class _SearchIndex:
    """A BM25 index over every ADR of one knowledge base, immutable once built.

    ``postings`` maps a term to ``(document, weight)`` pairs with the term's whole BM25 weight
    (idf times the saturated, length-normalised term frequency) precomputed, so a query is a sum.
    ``vocabulary`` is the same over each ADR's principle vocabulary (``knowledge.vocabulary``),
    added at ``VOCABULARY_WEIGHT``. ``head_tokens`` (title, tags, keywords, rules) and
    ``decision_tokens`` (the Decision section) are the words that say what an ADR is about: the
    reasons name them, and an ADR whose one match is elsewhere in its body is a weak hit
    (``BODY_ONLY_FACTOR``). Scoring the Decision section again on its own was measured and lost
    a held-out question: it only names the matches.
    """

    signature: tuple[int, ...]
    adrs: list[Adr]
    tokens: list[set[str]]
    postings: dict[str, list[tuple[int, float]]]
    vocabulary_tokens: list[set[str]]
    vocabulary: dict[str, list[tuple[int, float]]]
    positions: dict[int, int]
    """``id(adr)`` -> its position in ``adrs`` (the hover asks per ADR)."""
    head_tokens: list[set[str]]
    decision_tokens: list[set[str]]


VOCABULARY_WEIGHT = 0.6
"""A principle's words count for less than the ADR's own: they say what it is about, not what it
decided, and several ADRs may share a principle."""
BODY_ONLY_FACTOR = 0.4
"""An ADR whose one match is a word of its body, not of its title, tags, keywords, rules or
principle ("mentions `year`", "decision mentions operators"), is a weak hit."""


def _bm25_postings(corpus: list[list[str]]) -> dict[str, list[tuple[int, float]]]:
    """Term -> (document, weight) for Okapi BM25: ``idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))``
    with ``idf = ln(1 + (N - df + 0.5) / (df + 0.5))`` (Lucene's, never negative)."""
    count = len(corpus)
    if not count:
        return {}
    average = sum(len(tokens) for tokens in corpus) / count or 1.0
    frequencies = [Counter(tokens) for tokens in corpus]
    document_frequency = Counter(term for counts in frequencies for term in counts)
    postings: dict[str, list[tuple[int, float]]] = {}
    for position, (tokens, counts) in enumerate(zip(corpus, frequencies, strict=True)):
        norm = BM25_K1 * (1 - BM25_B + BM25_B * len(tokens) / average)
        for term, tf in counts.items():
            df = document_frequency[term]
            idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
            postings.setdefault(term, []).append((position, idf * tf / (tf + norm)))
    return postings


def _head_text(adr: Adr) -> str:
    rule_text = " ".join(
        " ".join([r.message or "", *map(str, r.options.get("modules", ())), r.kind])
        for r in adr.rules
    )
    keywords = " ".join(adr.applies_to.keywords)
    tags = " ".join(tag.replace("-", " ") for tag in adr.tags)
    return f"{adr.title} {tags} {keywords} {rule_text}"


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


def _decision_text(adr: Adr) -> str:
    """The Decision section up to its first subsection (MADR's "Positive Consequences" is not
    what was decided)."""
    section = adr.decision
    if section is None:
        return ""
    lines = []
    for line in section.text.splitlines():
        if line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def _search_index(kb: KnowledgeBase) -> _SearchIndex:
    signature = tuple(id(adr) for adr in kb.adrs)
    cached = kb.cache.get("bm25")
    if isinstance(cached, _SearchIndex) and cached.signature == signature:
        return cached
    with _INDEX_LOCK:
        cached = kb.cache.get("bm25")  # another thread may have built it while we waited
        if isinstance(cached, _SearchIndex) and cached.signature == signature:
            return cached
        adrs = list(kb.adrs)
        corpus = [tokenize(_document_text(adr)) or ["\u2205"] for adr in adrs]
        words = [vocabulary.terms(_vocabulary_text(adr)) or ["\u2205"] for adr in adrs]
        decisions = [tokenize(_decision_text(adr)) or ["\u2205"] for adr in adrs]
        index = _SearchIndex(
            signature,
            adrs,
            [set(t) for t in corpus],
            _bm25_postings(corpus),
            [set(t) for t in words],
            _bm25_postings(words),
            {id(adr): position for position, adr in enumerate(adrs)},
            [set(tokenize(_head_text(adr))) for adr in adrs],
            [set(t) for t in decisions],
        )
        kb.cache["bm25"] = index
        return index


def _vocabulary_text(adr: Adr) -> str:
    principles = []
    for rule in adr.rules:
        for code in [rule.options.get("check"), *rule.options.get("codes", ())]:
            principle = principle_of(str(code)) if code else None
            if principle:
                principles.append(principle)
    kinds = tuple(rule.kind for rule in adr.rules)
    return vocabulary.vocabulary_text(adr.tags, kinds, tuple(principles))


def search_adrs(kb: KnowledgeBase, query: str, *, limit: int = 5, include_history: bool = False) -> list[Relevant]:
    """Binding ADRs ranked by BM25 over title, tags, keywords, rules and body, plus the vocabulary
    of their principles (``VOCABULARY_WEIGHT``); best first. ``include_history``: rejected, superseded and deprecated
    ADRs too, at ``HISTORY_FACTOR`` (for "why did we reject …?")."""
    index = _search_index(kb)
    terms = list(dict.fromkeys(tokenize(query)))
    words = list(dict.fromkeys(vocabulary.terms(query)))
    if (not index.postings and not index.vocabulary) or not (terms or words) or limit <= 0:
        return []
    scores: dict[int, float] = {}
    for postings, query_terms, weight in (
        (index.postings, terms, 1.0),
        (index.vocabulary, words, VOCABULARY_WEIGHT),
    ):
        for term in query_terms:
            for position, score in postings.get(term, ()):
                scores[position] = scores.get(position, 0.0) + weight * score
    unparsed = unparsed_adr_paths(kb)
    for position in list(scores):
        adr = index.adrs[position]
        if not adr.binding and not include_history:
            del scores[position]
            continue
        factor = 1.0 if adr.binding else HISTORY_FACTOR
        if Path(adr.path) in unparsed:
            factor *= UNPARSED_FACTOR
        weak = index.head_tokens[position].isdisjoint(terms) and index.vocabulary_tokens[position].isdisjoint(words)
        if weak and len(index.tokens[position].intersection(terms)) < 2:
            factor *= BODY_ONLY_FACTOR
        scores[position] *= factor
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    best = ranked[0][1] if ranked else 0.0
    spelled = {**vocabulary.spellings(query), **_spellings(query)}
    found: list[Relevant] = []
    for position, score in ranked:
        if score <= 0 or score < best * SEARCH_CUTOFF:
            continue
        reason = _search_reason(kb, index, position, terms, words, spelled)
        found.append(Relevant(index.adrs[position], round(score, 3), reason))
    return found


def _spellings(text: str) -> dict[str, str]:
    """Stem -> the first word of ``text`` with that stem, as ``tokenize`` splits it."""
    found: dict[str, str] = {}
    for word in _TOKEN.findall(text.lower()):
        found.setdefault(vocabulary.fold(word), word)
    return found


def _search_reason(
    kb: KnowledgeBase, index: _SearchIndex, position: int, terms: list[str], words: list[str], spelled: dict[str, str]
) -> str:
    """Why an ADR matched, in the question's own words and by where they stand: its title or tags
    ("about caching, prices"), its decision ("decision mentions …"), else its other text (weak),
    and the words of its principle ("speaks of `extend` (composition)")."""
    adr = index.adrs[position]

    def shown(stems: list[str]) -> str:
        return ", ".join(spelled.get(t, t) for t in stems[:3])

    head = [t for t in terms if t in index.head_tokens[position]]
    decided = [t for t in terms if t in index.decision_tokens[position] and t not in head]
    elsewhere = [t for t in terms if t in index.tokens[position] and t not in head and t not in decided]
    parts = []
    if head:
        parts.append(f"about {shown(head)}")
    if decided:
        parts.append(f"decision mentions {shown(decided)}")
    if not head and not decided and elsewhere:
        parts.append(f"its text mentions {shown(elsewhere)}")
    spoken = [w for w in words if w in index.vocabulary_tokens[position]]
    if spoken and len(head) + len(decided) < 2:
        tags = ", ".join(adr.tags[:2])
        principle = f" ({tags})" if tags else ""
        parts.append("speaks of " + ", ".join(f"`{spelled.get(w, w)}`" for w in spoken[:3]) + principle)
    reason = "; ".join(parts)
    status = status_of(kb, adr)
    if status != "accepted" and status != "proposed":
        reason += f" ({status})"
    return reason
