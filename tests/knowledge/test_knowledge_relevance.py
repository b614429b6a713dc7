"""Ranking ADRs for hover (signals at the cursor) and chat (BM25 search over realistic records)."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_architect.config import ProjectConfig
from python_architect.knowledge.loader import load_knowledge
from python_architect.knowledge.model import Adr, KnowledgeBase
from python_architect.knowledge.relevance import (
    module_matches,
    relevant_adrs,
    search_adrs,
    tokenize,
)

SERVICE = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "service"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SERVICE, ProjectConfig())


def ids(results):
    return [r.adr.id for r in results]


def test_forbidden_module_in_scope_ranks_its_adr_with_a_specific_reason(kb):
    (result,) = relevant_adrs(kb, path=SERVICE / "app/domain/orders.py", modules=["requests"])
    assert result.adr.id == "ADR-004"
    assert result.reason.startswith("forbids importing `requests` in `app/domain/**`")
    assert "\n" not in result.reason


def test_forbidden_module_outside_the_rule_scope_ranks_lower(kb):
    inside = relevant_adrs(kb, path=SERVICE / "app/domain/orders.py", modules=["requests"])
    outside = relevant_adrs(kb, path=SERVICE / "app/api/routes.py", modules=["requests"])
    assert ids(outside) == ["ADR-004"]
    assert outside[0].score < inside[0].score


def test_submodules_and_package_patterns_match(kb):
    results = relevant_adrs(kb, modules=["django.db.models"])
    assert ids(results) == ["ADR-004"]
    assert "`django.db.models`" in results[0].reason
    assert module_matches("requests.adapters", "requests")
    assert module_matches("django.db", "django.*")
    assert not module_matches("requestsx", "requests")
    assert module_matches("pydantic", "<third-party>")
    assert not module_matches("os.path", "<third-party>")


def test_layer_prefix_mentions_the_layer_order(kb):
    (result,) = relevant_adrs(kb, modules=["app.services.orders"])
    assert result.adr.id == "ADR-005"
    assert result.reason == (
        "puts `app.services.orders` in layer `app.services` of "
        "`app.api` > `app.services` > `app.domain`"
    )


def test_check_rule_code_and_principle_tag(kb):
    results = relevant_adrs(kb, codes=["ARC502"])
    assert ids(results) == ["ADR-011"]
    assert "puts ARC502 under this decision (rule `no-n-plus-one`)" in results[0].reason


def test_rule_kind_code_links_forbidden_import_findings(kb):
    results = relevant_adrs(kb, codes=["ARC101"])
    assert ids(results)[0] == "ADR-004"
    assert "reports ARC101" in results[0].reason


def test_ruff_code_prefix_and_proposed_status_is_marked_and_discounted(kb):
    (result,) = relevant_adrs(kb, codes=["ASYNC210"])
    assert result.adr.id == "ADR-006"
    assert "enforces ruff rule ASYNC210" in result.reason
    assert result.reason.endswith("(proposed, not yet binding)")
    accepted_equivalent = relevant_adrs(kb, codes=["ARC502"])[0]
    assert result.score < accepted_equivalent.score


def test_topic_tags(kb):
    results = relevant_adrs(kb, topics=["layering"])
    assert ids(results) == ["ADR-004", "ADR-005"]
    assert {r.reason for r in results} == {"tagged `layering`"}


def test_keywords_match_identifier_parts(kb):
    (result,) = relevant_adrs(kb, words=["user_cache"])
    assert result.adr.id == "ADR-012"
    assert result.reason == "keyword `cache` matches `user_cache`"
    (camel,) = relevant_adrs(kb, words=["OrderRepository"])
    assert camel.adr.id == "ADR-011"


def test_path_alone_is_not_enough(kb):
    assert relevant_adrs(kb, path=SERVICE / "app/domain/orders.py") == []


def test_path_adds_weight_to_another_signal(kb):
    with_path = relevant_adrs(kb, path=SERVICE / "app/services/orders.py", words=["session"])
    without = relevant_adrs(kb, words=["session"])
    assert ids(with_path) == ids(without) == ["ADR-011"]
    assert with_path[0].score > without[0].score
    assert "applies to `app/**`" in with_path[0].reason


def test_nothing_relevant_returns_nothing(kb):
    assert relevant_adrs(kb, modules=["json"], words=["total"], codes=["T201"]) == []
    assert relevant_adrs(kb) == []


def test_superseded_rejected_and_deprecated_are_never_ranked(kb):
    # ADR-010 (deprecated) has keyword `logger` and tag observability.
    assert relevant_adrs(kb, words=["logger"], topics=["observability"]) == []
    assert all(r.adr.binding for r in search_adrs(kb, "MySQL GraphQL gateway logger", limit=10))
    assert search_adrs(kb, "GraphQL gateway") == []  # only the rejected ADR talks about it


def test_limit_and_order_are_stable(kb):
    results = relevant_adrs(kb, topics=["layering", "data-layer", "memory"], limit=2)
    assert len(results) == 2
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_search_n_plus_one_question_ranks_repositories_first(kb):
    results = search_adrs(kb, "should we query the database in a loop?")
    assert ids(results)[0] == "ADR-011"
    assert results[0].reason == "about query; decision mentions database, loop"  # the question's words, by where they stand


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how do I pin a dependency version in requirements", "ADR-003"),
        ("can the domain model use the ORM or an HTTP client?", "ADR-004"),
        ("may services inherit from a BaseService class?", "ADR-009"),
        ("our in-memory cache keeps growing, what size limit?", "ADR-012"),
        ("blocking calls inside async handlers and timeouts", "ADR-006"),
        ("which database engine do we run, PostgreSQL?", "ADR-007"),
    ],
)
def test_search_realistic_questions(kb, question, expected):
    assert ids(search_adrs(kb, question))[0] == expected


def test_search_without_matching_words_returns_nothing(kb):
    assert search_adrs(kb, "kubernetes helm charts") == []
    assert search_adrs(kb, "the and of") == []
    assert search_adrs(kb, "") == []


def test_search_index_is_built_once_per_knowledge_base(kb):
    search_adrs(kb, "cache")
    index = kb.cache["bm25"]
    search_adrs(kb, "database")
    assert kb.cache["bm25"] is index


def test_search_index_is_rebuilt_when_adrs_change(tmp_path):
    base = KnowledgeBase(root=tmp_path)
    assert search_adrs(base, "cache") == []
    base.adrs.append(
        Adr(id="ADR-001", title="Bound caches", path=tmp_path / "a.md", body="cache size")
    )
    assert ids(search_adrs(base, "cache")) == ["ADR-001"]


def test_tokenize_lowercases_drops_stop_words_and_stems():
    # Snowball English: plurals and inflections share a stem with the word they come from.
    assert tokenize("Should we run Queries in the Loops? N+1 queries!") == ["run", "queri", "loop", "n+1", "queri"]
    assert tokenize("query") == tokenize("queries") == tokenize("Queried")
    # Inflected stop words and request words are dropped too: they name no decision.
    assert tokenize("Show me how that would look in code; it keeps looking") == []


def test_multiword_keywords_match_all_their_words_in_one_identifier(tmp_path):
    from python_architect.knowledge.model import AppliesTo

    adr = Adr(
        id="ADR-001",
        title="Unit of work",
        path=tmp_path / "a.md",
        applies_to=AppliesTo(keywords=("unit of work", "outbox")),
    )
    kb = KnowledgeBase(root=tmp_path, adrs=[adr])
    (hit,) = relevant_adrs(kb, words=["UnitOfWork"])
    assert hit.reason == "keyword `unit of work` matches `UnitOfWork`"
    assert relevant_adrs(kb, words=["unit", "work_queue"]) == []  # words from different names
    (outbox,) = relevant_adrs(kb, words=["OutboxRelay"])
    assert outbox.reason == "keyword `outbox` matches `OutboxRelay`"


def test_third_party_pattern_skips_workspace_packages(tmp_path):
    from python_architect.knowledge.model import AppliesTo, RuleSpec

    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "settings.py").write_text("")
    rule = RuleSpec("no-3p", "forbidden-import", "ADR-001", options={"modules": ["<third-party>"]})
    adr = Adr(
        id="ADR-001",
        title="Pure domain",
        path=tmp_path / "a.md",
        rules=(rule,),
        applies_to=AppliesTo(paths=("src/shop/domain/**",)),
    )
    kb = KnowledgeBase(root=tmp_path, adrs=[adr])
    (hit,) = relevant_adrs(kb, modules=["pydantic.fields"])
    assert hit.reason == "forbids importing `pydantic.fields` in `src/shop/domain/**`"
    assert relevant_adrs(kb, modules=["shop.domain.orders", "settings", "json"]) == []
    assert module_matches("shop.domain", "<third-party>")  # without a root it cannot tell
    assert not module_matches("shop.domain", "<third-party>", tmp_path)
