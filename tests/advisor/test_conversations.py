"""Stored conversations: append, list, get, delete; restored by a fresh store (a server restart);
bounded (eviction, size cap); corrupt or planted files skipped; secrets never stored; and the
follow-up history that summarises the oldest turns first and keeps what they looked at."""

from __future__ import annotations

import json
import logging
import os
from itertools import count
from pathlib import Path

import pytest
from python_architect.advisor.context import estimate_tokens
from python_architect.advisor.conversations import ConversationStore, ToolStep
from python_architect.advisor.followups import history_messages, summarise_answer
from python_architect.workspace.cache import user_cache_dir


@pytest.fixture
def root(tmp_path: Path) -> Path:
    workspace = tmp_path / "shop"
    (workspace / "app").mkdir(parents=True)
    return workspace


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "cache"
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(base))
    return base


def clock():
    ticks = count(1000)
    return lambda: float(next(ticks))


def store_for(root: Path, **options) -> ConversationStore:
    return ConversationStore.for_workspace(root, clock=clock(), **options)


def test_append_list_get_delete_and_restore_by_a_fresh_store(root: Path, cache: Path) -> None:
    store = store_for(root)
    quote = root / "app" / "quote.py"
    store.append("c1", question="Should QuoteService cache prices? It is slow under load and the feed is remote.",
                 answer="Yes, through the existing QuoteCache (ADR-004).", path=quote, selection=(3, 9),
                 adrs=["ADR-004"], steps=[{"tool": "read_file", "path": str(root / "app" / "price_cache.py"), "line": 12},
                                          ToolStep("find_symbol", "app/quote.py", 8)])
    store.append("c2", question="Where do payments go?", answer="Behind the gateway.")
    store.append("c1", question="Show me how that would look in code", answer="```python\n...\n```")

    assert store.directory == user_cache_dir(root) / "conversations"
    assert store.directory.is_relative_to(cache) and not list(root.rglob("*.json"))

    restarted = ConversationStore.for_workspace(root)  # a new server process: only the disk
    listed = [c.summary() for c in restarted.list()]
    assert [(s["id"], s["turns"]) for s in listed] == [("c1", 2), ("c2", 1)]
    assert listed[0]["title"].startswith("Should QuoteService cache prices?") and len(listed[0]["title"]) <= 80
    first = restarted.get("c1").turns[0]
    assert (first.path, first.selection, first.adrs) == ("app/quote.py", (3, 9), ("ADR-004",))
    assert [(s.tool, s.path, s.line) for s in first.steps] == [("read_file", "app/price_cache.py", 12), ("find_symbol", "app/quote.py", 8)]
    terms = restarted.get("c1").context_terms()
    assert terms.files == ("app/quote.py", "app/price_cache.py") and terms.adrs == ("ADR-004",)

    assert restarted.delete("c2") is True and restarted.delete("c2") is False
    assert [c.id for c in store.list()] == ["c1"] and store.get("c2") is None


def test_titles_are_cut_at_a_word_on_one_line(root: Path, cache: Path) -> None:
    store = store_for(root)
    question = "How should\nwe split " + "the ordering service " * 10
    conversation = store.append("t", question=question, answer="...")
    assert "\n" not in conversation.title and conversation.title.endswith("…") and len(conversation.title) <= 80
    assert conversation.title.startswith("How should we split the ordering service")


def test_oldest_conversations_are_evicted(root: Path, cache: Path) -> None:
    store = store_for(root, max_conversations=3)
    for index in range(5):
        store.append(f"c{index}", question=f"q{index}", answer="a")
        path = store._file(f"c{index}")
        os.utime(path, (1000 + index, 1000 + index))
    assert sorted(c.id for c in store.list()) == ["c2", "c3", "c4"]


def test_a_file_over_the_cap_shortens_then_drops_the_oldest_turns(root: Path, cache: Path) -> None:
    store = store_for(root, max_file_bytes=6000)
    long_answer = "First sentence stays. Second one too. " + "Detail " * 400
    for index in range(4):
        store.append("big", question=f"question {index}", answer=long_answer, adrs=[f"ADR-00{index}"])
    stored = store.get("big")
    assert stored is not None and len(store._file("big").read_bytes()) <= 6000
    assert stored.turns[-1].answer == long_answer  # the newest turn whole
    assert stored.turns[0].answer == "First sentence stays. Second one too."
    assert [t.question for t in stored.turns][-1] == "question 3"


def test_corrupt_and_planted_files_are_skipped_with_one_log_line(root: Path, cache: Path, caplog, tmp_path: Path) -> None:
    store = store_for(root)
    store.append("good", question="q", answer="a")
    folder = store.directory
    (folder / ("0" * 32 + ".json")).write_text("{not json")
    (folder / ("1" * 32 + ".json")).write_text(json.dumps({"version": 1, "id": "x", "title": 3, "created": 1, "updated": 1, "turns": []}))
    other = tmp_path / "elsewhere.json"
    other.write_text(json.dumps(store.get("good").to_json()))
    (folder / ("2" * 32 + ".json")).symlink_to(other)
    stolen = store.get("good").to_json()
    (folder / ("3" * 32 + ".json")).write_text(json.dumps(stolen))  # a copy under the wrong name
    (folder / ("4" * 32 + ".json")).write_bytes(b"[" * 300_000)  # over the size cap
    with caplog.at_level(logging.WARNING):
        listed = store.list()
    assert [c.id for c in listed] == ["good"]
    skipped = [r for r in caplog.records if "skipped stored conversation" in r.getMessage()]
    assert len(skipped) == 5


def test_secrets_are_stored_redacted(root: Path, cache: Path) -> None:
    from chat_support import STRIPE_KEY

    store = store_for(root)
    question = f"Why does this fail?\nDB_PASSWORD=hunter2\nstripe.api_key = '{STRIPE_KEY}'"
    store.append("s", question=question, answer=f"Never commit {STRIPE_KEY}.")
    raw = store._file("s").read_text()
    assert "hunter2" not in raw and STRIPE_KEY not in raw
    stored = store.get("s").turns[0]
    assert stored.question.startswith("Why does this fail?\nDB_PASSWORD=[REDACTED") and "[REDACTED" in stored.answer


def test_a_path_outside_the_workspace_is_not_stored(root: Path, cache: Path, tmp_path: Path) -> None:
    store = store_for(root)
    store.append("o", question="q", answer="a", path=tmp_path / "other.py",
                 steps=[{"tool": "read_file", "path": str(tmp_path / "x.py")}, {"bad": 1}, "nonsense"])
    turn = store.get("o").turns[0]
    assert turn.path is None and [(s.tool, s.path) for s in turn.steps] == [("read_file", None)]


def turns_for(store: ConversationStore, count_: int):
    for index in range(count_):
        store.append(
            "h",
            question=f"Question {index} about the quote module?",
            answer=f"Answer {index} starts here. It continues. " + "Long reasoning. " * 150,
            path=f"app/m{index}.py",
            adrs=[f"ADR-{index:03d}"],
            steps=[{"tool": "read_file", "path": f"app/read{index}.py", "line": index + 1}],
        )
    return store.get("h").turns


def test_history_keeps_every_turn_whole_when_it_fits(root: Path, cache: Path) -> None:
    turns = turns_for(store_for(root), 3)
    messages = history_messages(turns, 100_000)
    assert [m["role"] for m in messages] == ["user", "assistant"] * 3
    assert messages[0]["content"] == "Question 0 about the quote module?"
    assert messages[1]["content"].startswith(turns[0].answer)
    assert "Looked at: app/m0.py, app/read0.py:1." in messages[1]["content"] and "ADRs cited: ADR-000." in messages[1]["content"]


def test_history_summarises_the_oldest_first_and_keeps_what_they_looked_at(root: Path, cache: Path) -> None:
    turns = turns_for(store_for(root), 4)
    whole_cost = sum(estimate_tokens(m["content"]) for m in history_messages(turns, 10**6))
    budget = whole_cost // 2
    messages = history_messages(turns, budget)
    assert sum(estimate_tokens(m["content"]) for m in messages) <= budget
    assert len(messages) == 8  # no turn dropped whole
    assert messages[0]["content"].startswith("[Earlier question, summarised] Question 0")
    assert messages[1]["content"].startswith("[Summary of my earlier answer] Answer 0 starts here. It continues.")
    assert "app/read0.py:1" in messages[1]["content"] and "ADR-000" in messages[1]["content"]
    assert messages[-1]["content"].startswith(turns[-1].answer)  # the most recent whole
    summarised = [i for i in range(0, 8, 2) if messages[i]["content"].startswith("[Earlier")]
    assert summarised == list(range(0, 2 * len(summarised), 2))  # oldest first, contiguous


def test_history_under_a_tiny_budget_still_names_earlier_files_and_adrs(root: Path, cache: Path) -> None:
    turns = turns_for(store_for(root), 5)
    messages = history_messages(turns, 120)
    assert messages and messages[0]["role"] == "user"
    assert [m["role"] for m in messages] == ["user", "assistant"] * (len(messages) // 2)
    note = messages[0]["content"]
    assert "earlier turns of this conversation, left out for length" in note
    for index in range(len(turns) - (len(messages) // 2)):
        assert f"app/read{index}.py" in note and f"ADR-{index:03d}" in note


def test_summaries_skip_code_and_markup() -> None:
    answer = "## Verdict\n\n🔴 Move the call. It belongs in the adapter.\n\n```python\nx = 1\n```\n\nThird sentence."
    assert summarise_answer(answer) == "🔴 Move the call. It belongs in the adapter."
    assert summarise_answer("- Use the cache. Then measure. Then ship.") == "Use the cache. Then measure."


async def test_the_advisor_stores_offline_turns_and_feeds_them_to_the_next_online_request(
    project, workspace, fake_api, cache
) -> None:
    from chat_support import collect, make_advisor

    advisor = make_advisor(project, fake_api)
    advisor.store = ConversationStore.shared(workspace)
    checkout = workspace / "src" / "shop" / "services" / "checkout.py"
    _, offline = await collect(advisor.ask("m", "Should we cache the catalogue in Redis?", path=checkout,
                                           selection=(3, 4), offline=True))
    [turn] = ConversationStore.for_workspace(workspace).get("m").turns
    assert turn.answer == offline.text and turn.adrs == tuple(c.id for c in offline.citations) and "ADR-004" in turn.adrs
    assert (turn.path, turn.selection) == ("src/shop/services/checkout.py", (3, 4))

    await collect(advisor.ask("m", "And what would change for the checkout?"))
    messages = fake_api.message_requests()[-1].body["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[0]["content"] == "Should we cache the catalogue in Redis?"
    assert "Looked at: src/shop/services/checkout.py (lines 3-4)." in messages[1]["content"]
    assert len(ConversationStore.for_workspace(workspace).get("m").turns) == 2


def test_an_idle_check_cache_with_recent_conversations_is_not_evicted(tmp_path: Path) -> None:
    from python_architect.workspace.cache import evict_workspace_caches

    base, now, day = tmp_path / "caches", 10_000_000.0, 86400.0
    talked, idle, current = base / ("a" * 16), base / ("b" * 16), base / ("c" * 16)
    for folder in (talked, idle, current):
        folder.mkdir(parents=True)
        pack = folder / "1-aa.pack"
        pack.write_bytes(b"x")
        os.utime(pack, (now - 60 * day, now - 60 * day))
    store = ConversationStore(talked / "conversations", clock=lambda: now)
    store.append("c", question="q", answer="a")
    os.utime(talked / "conversations", (now - 2 * day, now - 2 * day))  # chatted two days ago
    assert evict_workspace_caches(base, keep=current, now=now) == [idle]
    assert store.get("c") is not None
