"""The principles' vocabulary in the lexical ranking: questions in other words than the ADR's."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_architect.config import ProjectConfig
from python_architect.knowledge import adr_search
from python_architect.knowledge.loader import load_knowledge
from python_architect.knowledge.model import Adr, KnowledgeBase, RuleSpec
from python_architect.knowledge.relevance import relevant_adrs, search_adrs, tokenize
from python_architect.knowledge.vocabulary import fold, terms
from retrieval_questions import EXTENDS_BASE, LOOSE_SPECIFIER, QUESTIONS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "service"
LEXICAL_FLOOR = 12
"""Of the held-out questions, how many the lexical ranking alone (ADR words + vocabulary) must
put the right ADR first for (13 of 14 when written; 10 before the vocabulary)."""


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(EXAMPLE, ProjectConfig())


def first(results):
    return results[0].adr.id if results else None


def test_the_held_out_questions_avoid_their_adrs_title_words(kb):
    assert len(QUESTIONS) >= 12
    for question, adr_id in QUESTIONS:
        adr = kb.get(adr_id)
        assert adr is not None and adr.binding, adr_id
        assert not set(tokenize(adr.title)) & set(tokenize(question)), (question, adr.title)


def test_lexical_ranking_with_vocabulary_finds_most_held_out_adrs_first(kb):
    found = [q for q, adr_id in QUESTIONS if first(search_adrs(kb, q)) == adr_id]
    print(f"lexical + vocabulary: {len(found)}/{len(QUESTIONS)} first")
    assert len(found) >= LEXICAL_FLOOR


def test_without_the_vocabulary_fewer_are_found(kb, monkeypatch):
    with_vocabulary = sum(first(search_adrs(kb, q)) == a for q, a in QUESTIONS)
    monkeypatch.setattr(adr_search, "VOCABULARY_WEIGHT", 0.0)
    fresh = load_knowledge(EXAMPLE, ProjectConfig())
    without = sum(first(search_adrs(fresh, q)) == a for q, a in QUESTIONS)
    assert without < with_vocabulary


def test_inheritance_words_find_composition_over_inheritance(kb):
    question, adr_id = EXTENDS_BASE
    result = search_adrs(kb, question)[0]
    assert result.adr.id == adr_id
    assert "speaks of `extend`" in result.reason and "(composition)" in result.reason


def test_a_loose_specifier_finds_the_pinning_adr(kb):
    question, adr_id = LOOSE_SPECIFIER
    assert first(search_adrs(kb, question)) == adr_id
    assert first(search_adrs(kb, "which >= or == operators are we supposed to write?")) == adr_id


def test_fold_and_operators():
    assert {fold(w) for w in ("extend", "extends", "extended", "extending")} == {"extend"}
    assert fold("pinned") == fold("pin") == fold("pinning")
    assert fold("caching") == fold("cache") == fold("cached")
    assert fold("subclassing") == "subclass"
    assert fold("queries") == fold("query") and fold("retries") == fold("retry")
    assert fold("n+1") == "n+1" and fold("requirements.txt") == "requirements.txt"  # symbols stay whole
    assert terms("Is pydantic>=2 fine?") == [fold("pydantic"), fold("fine"), ">="]  # stemmed like the index
    assert "==" in terms("x==1") and ">=" not in terms("x==1")


def test_vocabulary_never_ranks_without_a_principle(tmp_path):
    adr = Adr(id="ADR-001", title="Name things plainly", path=tmp_path / "a.md", body="naming")
    kb = KnowledgeBase(root=tmp_path, adrs=[adr])
    assert search_adrs(kb, "should this class extend another one?") == []


def test_vocabulary_comes_from_rule_kinds_too(tmp_path):
    rule = RuleSpec("pins", "pinned-dependencies", "ADR-001", options={"policy": "exact"})
    adr = Adr(id="ADR-001", title="Reproducible builds", path=tmp_path / "a.md", rules=(rule,))
    kb = KnowledgeBase(root=tmp_path, adrs=[adr])
    (hit,) = search_adrs(kb, "can we upgrade to the newest release?")
    assert hit.adr.id == "ADR-001" and "speaks of `upgrade`" in hit.reason


def test_vocabulary_supports_but_never_starts_a_hover_ranking(kb):
    # `BaseService` is an inheritance word for ADR-009 but, alone, not a reason to show it.
    assert relevant_adrs(kb, words=["BaseService", "OrderHelper"]) == []
    plain = relevant_adrs(kb, topics=["composition"])
    supported = relevant_adrs(kb, topics=["composition"], words=["MixinRegistry"])
    assert plain[0].adr.id == supported[0].adr.id == "ADR-009"
    assert supported[0].score > plain[0].score
    assert "`MixinRegistry` is a word of its principle" in supported[0].reason


def test_the_search_index_is_built_once_when_two_threads_search_at_once(tmp_path, monkeypatch):
    import threading

    adr = Adr(id="ADR-001", title="Bound caches", path=tmp_path / "a.md", body="cache size", tags=("memory",))
    kb = KnowledgeBase(root=tmp_path, adrs=[adr])
    building, release, second_waits = threading.Event(), threading.Event(), threading.Event()
    builds: list[int] = []
    real_postings = adr_search._bm25_postings

    def slow_postings(corpus):
        builds.append(1)
        building.set()
        assert release.wait(30)
        return real_postings(corpus)

    class ObservedLock:
        """The real lock, telling the test when a thread starts waiting for it."""

        def __init__(self, lock):
            self.lock = lock

        def __enter__(self):
            if building.is_set():
                second_waits.set()
            self.lock.acquire()

        def __exit__(self, *exc):
            self.lock.release()

    monkeypatch.setattr(adr_search, "_bm25_postings", slow_postings)
    monkeypatch.setattr(adr_search, "_INDEX_LOCK", ObservedLock(threading.Lock()))
    results: dict[str, list] = {}
    first = threading.Thread(target=lambda: results.setdefault("first", search_adrs(kb, "cache")))
    first.start()
    assert building.wait(30)
    second = threading.Thread(target=lambda: results.setdefault("second", search_adrs(kb, "cache")))
    second.start()
    assert second_waits.wait(30)  # the second search waits for the first build instead of starting its own
    release.set()
    first.join(30)
    second.join(30)
    assert [r.adr.id for r in results["first"]] == [r.adr.id for r in results["second"]] == ["ADR-001"]
    assert len(builds) == 2  # one index = two fields (own words and vocabulary), built once
