"""The advisor against the fake Messages API: what the request carries, streaming, history,
prompt caching, token counting and the privacy promises."""

from __future__ import annotations

import json
import logging

from chat_support import API_KEY, STRIPE_KEY, collect, make_advisor
from fake_anthropic import Reply
from python_architect.advisor.persona import BUILT_IN_PERSONA


async def test_request_carries_persona_adrs_cache_control_and_no_secret(project, workspace, fake_api):
    advisor = make_advisor(project, fake_api)
    checkout = workspace / "src" / "shop" / "services" / "checkout.py"
    chunks, final = await collect(advisor.ask("c1", "Review this checkout code", path=checkout))

    [request] = fake_api.message_requests()
    body = request.body
    assert body["stream"] is True
    assert body["model"] == "claude-opus-5-5"  # the agent file's model wins over the setting
    system = body["system"]
    assert "ADA-SHOP-ARCHITECT" in system[0]["text"]  # the chosen agent's persona
    rules = " ".join(system[0]["text"].split())
    assert "Ask clarifying questions before making assumptions" in rules  # the behaviour rules
    assert "🔴 Critical, 🟡 Important, 🟢 Nice-to-have" in rules and "mermaid" in rules
    assert all(block["cache_control"] == {"type": "ephemeral"} for block in system)
    # Persona and rules; the documents; the ADR corpus: three cached blocks.
    assert len(system) == 3 and "ADR-004" in system[2]["text"]
    user = body["messages"][-1]["content"]
    assert "ADR-001" in user and "ADR-002" in user  # governing the findings in view
    assert "ARC101" in user and "ARC701" in user
    assert "stripe.Charge.create" in user  # the code in view was sent ...
    assert STRIPE_KEY not in request.raw  # ... without the key in it
    assert "[REDACTED" in user
    assert final.redacted == 1
    assert "1 secret redacted" in final.text and "1 secret redacted" in chunks[-1]
    # The key goes to the API (this SDK sends it as a bearer token), and only there.
    assert API_KEY in (request.headers.get("x-api-key"), request.headers.get("authorization", "").removeprefix("Bearer "))
    assert API_KEY not in request.raw


async def test_chunks_stream_in_order_and_final_cites_adrs(project, fake_api):
    fake_api.script(Reply(chunks=["Keep ", "payments ", "behind ", "the gateway ", "(ADR-001); ", "see also ADR-002."]))
    advisor = make_advisor(project, fake_api)
    chunks, final = await collect(advisor.ask("c1", "Where do Stripe calls belong?"))
    assert chunks == ["Keep ", "payments ", "behind ", "the gateway ", "(ADR-001); ", "see also ADR-002."]
    assert final.text == "".join(chunks)
    assert [c.id for c in final.citations] == ["ADR-001", "ADR-002"]
    citation = final.citations[0]
    assert citation.path.name == "0001-payments-through-the-gateway.md"
    lines = citation.path.read_text().splitlines()
    assert lines[citation.line - 1] == "## Decision"
    assert final.offline is False and final.error is None


async def test_second_turn_sends_history_and_same_cached_system(project, fake_api):
    fake_api.script(Reply(chunks=["Use Redis (ADR-004)."]), Reply(chunks=["Ten minutes."]))
    advisor = make_advisor(project, fake_api)
    await collect(advisor.ask("conv", "Where should the catalogue cache live?"))
    await collect(advisor.ask("conv", "And how long should entries live?"))
    first, second = fake_api.message_requests()
    messages = second.body["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert "Where should the catalogue cache live?" in messages[0]["content"]
    assert messages[1]["content"] == "Use Redis (ADR-004)."
    assert "And how long should entries live?" in messages[2]["content"]
    assert second.body["system"] == first.body["system"]  # identical prefix: a prompt-cache hit
    # Another conversation starts clean.
    await collect(advisor.ask("other", "Anything else?"))
    assert len(fake_api.message_requests()[-1].body["messages"]) == 1


async def test_question_ranks_relevant_adrs_first(project, fake_api):
    advisor = make_advisor(project, fake_api)
    await collect(advisor.ask("c", "Should we cache the catalogue in Redis or keep Memcached?"))
    user = fake_api.message_requests()[0].body["messages"][-1]["content"]
    ranked = user.split("ADRs most relevant to this question (ranked):\n", 1)[1].split("\n\n", 1)[0]
    assert ranked.splitlines()[0].startswith("- ADR-004")


async def test_built_in_persona_when_no_agent_mentions_architect(project, fake_api):
    project.kb.agents = [a for a in project.kb.agents if "architect" not in a.name]
    advisor = make_advisor(project, fake_api)
    await collect(advisor.ask("c", "Hello?"))
    body = fake_api.message_requests()[0].body
    assert body["system"][0]["text"].startswith(BUILT_IN_PERSONA.strip()[:60])
    assert body["model"] == advisor.settings.chat_model


async def test_small_budget_counts_tokens_online_and_stays_within_it(project, workspace, fake_api):
    fake_api.input_tokens_per_char = 0.25
    advisor = make_advisor(project, fake_api, chat_max_context_tokens=900)
    checkout = workspace / "src" / "shop" / "services" / "checkout.py"
    await collect(advisor.ask("c", "Review this", path=checkout))
    counts = fake_api.count_requests()
    assert len(counts) == 1  # the conservative estimate had to cut: the API counted exactly
    sent = fake_api.message_requests()[0]
    sent_chars = len(json.dumps(sent.body["system"])) + len(json.dumps(sent.body["messages"]))
    assert sent_chars * fake_api.input_tokens_per_char <= 900 * 1.15
    assert "ADA-SHOP-ARCHITECT" in sent.body["system"][0]["text"]


async def test_large_budget_needs_no_token_count(project, fake_api):
    advisor = make_advisor(project, fake_api, chat_max_context_tokens=50_000)
    await collect(advisor.ask("c", "Where do Stripe calls belong?"))
    assert fake_api.count_requests() == []


async def test_api_key_never_logged_or_returned(project, workspace, fake_api, caplog):
    caplog.set_level(logging.DEBUG)
    advisor = make_advisor(project, fake_api)
    chunks, final = await collect(
        advisor.ask("c", "Review", path=workspace / "src" / "shop" / "services" / "checkout.py")
    )
    assert API_KEY not in caplog.text
    assert STRIPE_KEY not in caplog.text
    assert API_KEY not in final.text and all(API_KEY not in c for c in chunks)
    assert "chat request: model claude-opus-5-5" in caplog.text
    # The full prompt is logged at debug level only.
    prompt_records = [r for r in caplog.records if "ADA-SHOP-ARCHITECT" in r.getMessage()]
    assert prompt_records and all(r.levelno == logging.DEBUG for r in prompt_records)


async def test_file_outside_workspace_is_not_sent(project, tmp_path, fake_api):
    outside = tmp_path / "elsewhere.py"
    outside.write_text("PRIVATE_ALGORITHM = 'do not send'\n")
    advisor = make_advisor(project, fake_api)
    await collect(advisor.ask("c", "Review this", path=outside))
    raw = fake_api.message_requests()[0].raw
    assert "PRIVATE_ALGORITHM" not in raw
    assert "outside the workspace" in raw


async def test_least_recently_used_conversations_are_forgotten(project, fake_api, monkeypatch):
    from python_architect.advisor import service

    monkeypatch.setattr(service, "MAX_CONVERSATIONS", 2)
    advisor = make_advisor(project, fake_api)
    for conversation in ("a", "b", "a", "c"):
        await collect(advisor.ask(conversation, "Hi"))
    assert list(advisor.conversations) == ["a", "c"]
    assert len(advisor.conversations["a"].messages) == 4
