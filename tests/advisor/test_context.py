"""The pure parts of the advisor: persona choice, redaction, the token budget, error wording."""

from __future__ import annotations

from pathlib import Path

import anthropic
import httpx2
import pytest
from chat_support import STRIPE_KEY
from python_architect.advisor import context as ctx
from python_architect.advisor import errors
from python_architect.advisor.persona import (
    BUILT_IN_NAME,
    DEFAULT_MODEL,
    choose_persona,
    model_for,
)
from python_architect.advisor.redaction import Redactor, footer, inside_workspace
from python_architect.knowledge.model import AgentDefinition, KnowledgeBase


def agent(name: str, description: str = "", model: str | None = None, persona: str = "Persona text.") -> AgentDefinition:
    return AgentDefinition(name=name, description=description, path=Path(f"/ws/.claude/agents/{name}.md"),
                           model=model, persona=persona)


# -- persona -----------------------------------------------------------------------------------


def test_setting_names_the_agent():
    kb = KnowledgeBase(Path("/ws"), agents=[agent("reviewer"), agent("lead-architect"), agent("dba")])
    assert choose_persona(kb, "dba").name == "dba"
    assert choose_persona(kb, "DBA").name == "dba"


def test_first_agent_mentioning_architect_by_name_or_description():
    kb = KnowledgeBase(Path("/ws"), agents=[agent("reviewer"), agent("ada", "Our solution ARCHITECT"), agent("x-architect")])
    assert choose_persona(kb).name == "ada"
    assert choose_persona(kb, "no-such-agent").name == "ada"


def test_built_in_persona_without_an_architect_agent():
    kb = KnowledgeBase(Path("/ws"), agents=[agent("reviewer", "style only")])
    persona = choose_persona(kb)
    assert persona.name == BUILT_IN_NAME and persona.built_in
    assert "architecture decision record" in persona.text
    assert model_for(persona, "configured-model") == "configured-model"


def test_agent_with_empty_persona_falls_back_to_built_in():
    kb = KnowledgeBase(Path("/ws"), agents=[agent("architect", persona="  ")])
    assert choose_persona(kb).built_in


@pytest.mark.parametrize(
    ("model", "expected"),
    [("claude-opus-5-5", "claude-opus-5-5"), ("inherit", "configured"), (None, "configured"),
     ("sonnet", DEFAULT_MODEL), ("opus", "claude-opus-5-5")],
)
def test_agent_model_is_honoured(model, expected):
    kb = KnowledgeBase(Path("/ws"), agents=[agent("architect", model=model)])
    assert model_for(choose_persona(kb), "configured") == expected


def test_default_model_is_known_to_the_installed_sdk():
    from typing import get_args

    from anthropic.types.model import Model

    assert DEFAULT_MODEL in get_args(get_args(Model)[0])


# -- redaction ---------------------------------------------------------------------------------


def test_known_token_redacted_and_counted_once():
    redactor = Redactor()
    text = f'KEY = "{STRIPE_KEY}"\nagain = "{STRIPE_KEY}"\n'
    out = redactor(text)
    assert STRIPE_KEY not in out and out.count("[REDACTED") == 2
    assert redactor.count == 1
    assert footer(redactor.count) == "🔒 1 secret redacted from the code before it was sent."


def test_env_style_assignments_redacted_even_when_short():
    redactor = Redactor()
    out = redactor("DB_PASSWORD=hunter2\nexport API_TOKEN='abc123'\nDEBUG=true\nLOG_LEVEL=info\n", config=True)
    assert "hunter2" not in out and "abc123" not in out
    assert "DEBUG=true" in out and "LOG_LEVEL=info" in out
    assert redactor.count == 2


def test_yaml_value_redacted_in_config_but_references_kept_in_code():
    assert "s3cr3tpass" not in Redactor()("password: s3cr3tpass\n", config=True)
    code = "stripe.api_key = STRIPE_KEY\npassword = get_password()\nPASSWORD_FIELD = 'password'\n"
    redactor = Redactor()
    assert redactor(code) == code and redactor.count == 0


def test_quoted_short_password_in_code_is_redacted():
    assert "hunter2" not in Redactor()('db_password = "hunter2"\n')


def test_no_footer_without_redactions():
    assert footer(0) == ""


def test_inside_workspace(tmp_path):
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    assert inside_workspace(root, root / "src" / "a.py")
    assert not inside_workspace(root, tmp_path / "other.py")
    assert not inside_workspace(root, root / ".." / "other.py")


# -- context budget ----------------------------------------------------------------------------


def test_estimate_is_conservative():
    assert ctx.estimate_tokens("x" * 300) == 100
    assert ctx.estimate_tokens("x" * 301) == 101


def test_fit_respects_the_budget_and_degrades_the_corpus(example_project):
    persona = choose_persona(example_project.kb)
    source = (Path(example_project.root) / "src" / "pricing_service" / "services" / "quote_service.py")
    text = source.read_text()
    material = ctx.gather(example_project, persona, "Review this", path=source, text=text,
                          selection=None, findings=[], modules=[])
    roomy = ctx.fit(material, budget=200_000)
    assert roomy.corpus_level == "full" and not roomy.cut
    for budget in (12_000, 6_000, 4_000):
        tight = ctx.fit(material, budget=budget)
        assert tight.estimated_tokens <= budget, budget
        assert tight.cut
        assert tight.system[0]["text"].startswith(persona.text.strip()[:40])
    assert ctx.fit(material, budget=4_000).corpus_level in ("decision", "title")


def test_selection_is_the_code_sent(project, workspace):
    persona = choose_persona(project.kb)
    path = workspace / "src" / "shop" / "services" / "checkout.py"
    text = path.read_text()
    material = ctx.gather(project, persona, "Explain", path=path, text=text, selection=(8, 11),
                          findings=project.analyze(path, text).findings, modules=["stripe"])
    rendered = ctx.fit(material, budget=24_000)
    # Issue 18: the whole file goes when it fits (a window cut the imports off), the selection named.
    assert "src/shop/services/checkout.py (selection: lines 8-11)" in rendered.user_text
    assert "def charge" in rendered.user_text and "Checkout: charges" in rendered.user_text
    assert "import stripe" in rendered.user_text


def test_rank_adrs_puts_named_and_focused_first(project):
    ranked = ctx.rank_adrs(project.kb, "What about ADR-005 and caching?", focus=["ADR-002"])
    ids = [r.adr.id for r in ranked]
    assert ids[:2] == ["ADR-002", "ADR-005"] or ids[:2] == ["ADR-005", "ADR-002"]
    assert "ADR-004" in ids


# -- error wording -----------------------------------------------------------------------------


def _status_error(status: int, body: dict) -> anthropic.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/messages")
    response = httpx2.Response(status, request=request, json=body)
    client = anthropic.Anthropic(api_key="k", base_url="http://127.0.0.1")
    return client._make_status_error("error", body=body, response=response)


@pytest.mark.parametrize(
    ("status", "kind", "message", "expected"),
    [
        (401, "authentication_error", "invalid x-api-key", errors.INVALID_KEY),
        (429, "rate_limit_error", "slow down", errors.RATE_LIMITED),
        (529, "overloaded_error", "Overloaded", errors.OVERLOADED),
        (400, "invalid_request_error", "prompt is too long: 1 > 0", errors.CONTEXT_TOO_LONG),
    ],
)
def test_error_wording(status, kind, message, expected):
    error = _status_error(status, {"type": "error", "error": {"type": kind, "message": message}})
    assert errors.user_message(error) == expected


def test_timeout_and_connection_wording():
    request = httpx2.Request("POST", "http://127.0.0.1/v1/messages")
    assert errors.user_message(anthropic.APITimeoutError(request), timeout_s=5) == errors.timed_out(5)
    assert errors.user_message(anthropic.APIConnectionError(request=request)) == errors.NETWORK_DOWN
    assert errors.user_message(ValueError("x")) == "The architect chat failed unexpectedly (ValueError)."
