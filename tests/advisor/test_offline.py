"""Offline answers: the ADRs that apply with their decisions quoted, the findings in view with
their priorities and fixes, the clarifying questions that matter, and the key line."""

from __future__ import annotations

import re

import pytest
from chat_support import EXAMPLE, STRIPE_KEY, collect, make_advisor
from python_architect.advisor.offline import KEY_LINE


def listed_adrs(answer: str) -> list[str]:
    """The ADR ids under "ADRs that apply", in order."""
    section = answer.split("### ADRs that apply", 1)[1].split("###", 1)[0]
    return re.findall(r"^- \*\*(ADR-\d+):", section, re.MULTILINE)


# Questions about the example service and the ADR that must lead the answer.
EXAMPLE_QUESTIONS = [
    ("Should the pricing service cache quotes in Redis?", "ADR-014"),
    ("Can the domain layer raise a FastAPI HTTPException?", "ADR-011"),
    ("Should discount rules inherit from a common base class?", "ADR-009"),
    ("How do we call the customer service without a retry storm when it is down?", "ADR-013"),
    ("We load product prices one query per item in a loop; is that OK?", "ADR-012"),
    ("Where should the payment provider's API key be stored?", "ADR-016"),
    ("Can we use print statements for debugging output in production?", "ADR-015"),
    ("Should we loosen version pins in requirements.txt?", "ADR-003"),
]


@pytest.mark.parametrize(("question", "expected"), EXAMPLE_QUESTIONS, ids=[e for _, e in EXAMPLE_QUESTIONS])
async def test_example_workspace_questions_cite_the_right_adr(example_project, question, expected):
    advisor = make_advisor(example_project)
    chunks, final = await collect(advisor.ask("q", question))
    assert final.offline is True and final.error is None
    assert "".join(chunks) == final.text
    assert listed_adrs(final.text)[0] == expected
    assert final.citations[0].id == expected
    adr = example_project.kb.get(expected)
    decision = " ".join(adr.decision.text.split()) if adr.decision else ""
    assert decision[:60] in " ".join(final.text.split())  # the decision is quoted
    assert KEY_LINE in final.text


async def test_superseded_adr_named_in_question_points_to_its_replacement(example_project):
    advisor = make_advisor(example_project)
    _, final = await collect(advisor.ask("q", "Does ADR-004 still apply to our price cache?"))
    assert listed_adrs(final.text)[0] == "ADR-004"
    assert "Superseded by ADR-014" in final.text


async def test_example_project_context_answers_the_clarifying_questions(example_project):
    advisor = make_advisor(example_project)
    _, final = await collect(advisor.ask("q", "Should the pricing service cache quotes in Redis?"))
    known = final.text.split("Already known from the project context:", 1)[1]
    assert "400 quote requests per second" in known
    assert "p99 under 250 ms" in known
    assert "60 seconds stale" in known
    assert "Before deciding, an architect would ask" not in final.text


async def test_fixture_context_lacks_scale_so_the_architect_asks(project):
    advisor = make_advisor(project)
    _, final = await collect(advisor.ask("q", "Should we cache the catalogue in Redis?"))
    asks = final.text.split("Before deciding, an architect would ask:", 1)[1].split("Already known", 1)[0]
    assert "requests per second" in asks  # scale
    assert "latency budget" in asks  # latency
    assert "How stale may the data be" in asks  # consistency
    assert "Three developers" in final.text  # team: project-context.md says it
    assert listed_adrs(final.text)[0] == "ADR-004"


async def test_code_review_question_asks_nothing_it_does_not_need(project):
    advisor = make_advisor(project)
    _, final = await collect(advisor.ask("q", "Is this naming clear?"))
    assert "Questions that matter here" not in final.text


async def test_findings_in_view_with_priority_and_adrs(project, workspace):
    advisor = make_advisor(project)
    checkout = workspace / "src" / "shop" / "services" / "checkout.py"
    _, final = await collect(advisor.ask("q", "Review this code", path=checkout))
    findings = final.text.split("### Findings in the code in view", 1)[1].split("###", 1)[0]
    assert re.search(r"🔴 Critical — line 3, ARC101: .*\[ADR-001\]", findings)  # the persona's priorities
    assert re.search(r"line 5, ARC701: .*\[ADR-002\]", findings)
    assert STRIPE_KEY not in final.text
    assert {"ADR-001", "ADR-002"} <= set(listed_adrs(final.text))


async def test_clean_code_says_so(project, workspace):
    advisor = make_advisor(project)
    money = workspace / "src" / "shop" / "domain" / "money.py"
    _, final = await collect(advisor.ask("q", "Review this code", path=money))
    assert "None: the checks find nothing to change here." in final.text


async def test_fixes_are_listed(example_project):
    advisor = make_advisor(example_project)
    files = sorted((EXAMPLE / "src").rglob("*.py"))
    with_fix = None
    for path in files:
        analysis = example_project.analyze(path)
        if any(f.fix is not None for f in analysis.findings):
            with_fix = (path, next(f for f in analysis.findings if f.fix is not None))
            break
    assert with_fix is not None, "the example workspace has a finding with a fix"
    path, finding = with_fix
    _, final = await collect(advisor.ask("q", "What should change here?", path=path))
    assert f"Fix: {finding.fix.title}" in final.text


async def test_offline_setting_and_flag_never_call_the_api(project, fake_api):
    advisor = make_advisor(project, fake_api, chat_offline=True)
    _, by_setting = await collect(advisor.ask("q", "Where do Stripe calls belong?"))
    advisor = make_advisor(project, fake_api)
    _, by_flag = await collect(advisor.ask("q", "Where do Stripe calls belong?", offline=True))
    assert by_setting.offline and by_flag.offline
    assert fake_api.requests == []
    assert listed_adrs(by_flag.text)[0] == "ADR-001"


async def test_no_relevant_adr_says_so(project):
    advisor = make_advisor(project)
    _, final = await collect(advisor.ask("q", "Which font should the invoices use?"))
    assert "No ADR covers this question directly" in final.text
    assert final.citations == ()


async def test_a_follow_up_ranks_on_the_turns_it_follows(example_project, tmp_path):
    """"Show me how that would look in code" says nothing about caching: ranked alone it cannot
    find ADR-014; as a follow-up in the same (stored) conversation the earlier turn carries it."""
    from python_architect.advisor.conversations import ConversationStore

    alone = make_advisor(example_project)
    _, cold = await collect(alone.ask("fresh", "Show me how that would look in code"))
    advisor = make_advisor(example_project)
    advisor.store = ConversationStore(tmp_path / "conversations", example_project.root)
    _, first = await collect(advisor.ask("talk", "Should the pricing service cache quotes in Redis?"))
    assert first.citations[0].id == "ADR-014"
    _, follow_up = await collect(advisor.ask("talk", "Show me how that would look in code"))
    assert "ADR-014" not in [c.id for c in cold.citations][:1]
    assert follow_up.citations and follow_up.citations[0].id == "ADR-014"
