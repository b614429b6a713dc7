"""The one retrieval behind the chat context, the offline answer and the MCP tools: the question's
words, its principles' vocabulary and the code it names, resolved through the example workspace."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from python_architect.advisor import context as ctx
from python_architect.advisor.offline import offline_answer
from python_architect.advisor.persona import choose_persona
from python_architect.advisor.question_words import mentions
from python_architect.advisor.retrieval import resolve_code
from python_architect.engine import Project
from retrieval_questions import EXTENDS_BASE, LOOSE_SPECIFIER, QUESTIONS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "service"
FLOOR = 13
"""Held-out questions whose ADR must come first (14 of 14 when written; 10 of 14 for the BM25
over ADR text the project had before)."""


@pytest.fixture(scope="module")
def service() -> Project:
    project = Project.load(EXAMPLE)
    project.ensure_index(jobs=1)
    return project


def ask(project: Project, question: str) -> ctx.Material:
    persona = choose_persona(project.kb)
    return ctx.gather(project, persona, question, path=None, text=None, selection=None, findings=[], modules=[])


def test_held_out_questions_find_their_adr_first(service):
    firsts = [(q, a) for q, a in QUESTIONS if [r.adr.id for r in ask(service, q).relevant][:1] == [a]]
    print(f"held-out retrieval: {len(firsts)}/{len(QUESTIONS)} first ({len(firsts) / len(QUESTIONS):.0%})")
    assert len(firsts) >= FLOOR


@pytest.mark.parametrize(
    ("question", "adr_id"),
    [
        EXTENDS_BASE,
        LOOSE_SPECIFIER,
        # The issue's own wording of the two questions the first offline answer missed.
        ("Should `PriceService` extend `BaseService` to reuse its helper?", "ADR-009"),
        ("Can I declare `pydantic>=2` in pyproject.toml?", "ADR-003"),
    ],
)
def test_the_two_missed_questions_are_answered_with_the_right_adr(service, question, adr_id):
    material = ask(service, question)
    assert material.relevant[0].adr.id == adr_id
    answer = offline_answer(material)
    assert f"**{adr_id}:" in answer.split("### ", 2)[1]  # first in "ADRs that apply"


def test_a_loose_specifier_is_judged_by_the_pin_rule_and_the_answer_says_so(service):
    material = ask(service, LOOSE_SPECIFIER[0])
    (fact,) = [f for f in material.code_facts if f.kind == "dependency"]
    assert fact.name == "pydantic>=2"
    assert "breaks rule `exact-pins` of ADR-003 (policy `exact`" in fact.text
    assert "ARC110 would report it" in fact.text
    assert material.relevant[0].reason.startswith("`pydantic>=2` breaks rule `exact-pins`")
    answer = offline_answer(material)
    assert "### The code you named" in answer and fact.text in answer
    exact = resolve_code(service, "is `fastapi==0.115.6` right?")
    assert [f.text for f in exact] == ["`fastapi==0.115.6` satisfies rule `exact-pins` of ADR-003 (policy `exact`)."]


def test_a_class_brings_its_bases_findings_and_their_adrs(service):
    (fact,) = resolve_code(service, "Could BlackFridayDiscount get one more subclass?")
    assert fact.kind == "class"
    assert "extending `HolidayDiscount`" in fact.text
    assert "ARC202" in fact.text and "[ADR-009]" in fact.text
    assert ("ADR-009", "cited by ARC202 on `BlackFridayDiscount`", 1.0) in fact.adrs
    material = ask(service, "Could BlackFridayDiscount get one more subclass?")
    assert material.relevant[0].adr.id == "ADR-009"
    context = ctx.fit(material, budget=20_000)
    assert "In the workspace: `BlackFridayDiscount` is a class in `pricing_service.domain.discounts`" in context.user_text


def test_a_class_without_findings_says_so(service):
    (fact,) = resolve_code(service, "What does `QuoteService` do?")
    assert "with no base class; no findings on it" in fact.text and fact.adrs == ()


def test_a_package_brings_its_layer_and_its_import_rules(service):
    facts = resolve_code(service, "What may the `pricing_service.domain` package import?")
    (fact,) = [f for f in facts if f.name == "pricing_service.domain"]
    assert "in layer `pricing_service.domain` of `pricing_service.api` > " in fact.text
    assert "it imports no other layer" in fact.text
    assert "ADR-011 rule `no-frameworks-in-domain` forbids it importing `fastapi`" in fact.text
    assert ask(service, "may the api layer call the adapters package?").relevant[0].adr.id == "ADR-008"


def test_a_forbidden_third_party_module_brings_its_rule(service):
    material = ask(service, "Is urllib3 all right for outgoing calls?")
    assert material.relevant[0].adr.id == "ADR-017"
    assert "forbids importing `urllib3`" in material.relevant[0].reason


def test_plain_words_are_not_taken_for_code(service):
    assert resolve_code(service, "how should the domain handle the rules for discounts?") == []
    assert resolve_code(service, "") == []
    said = mentions("Is `requests>=2` with a `Session()` ok in src/app/main.py?")
    assert said.specifiers == ["requests>=2"]
    assert "requests" not in [name for name, _ in said.modules]


def test_a_broken_workspace_lookup_costs_only_the_facts(service):
    class Broken:
        root = service.root
        kb = service.kb

        @property
        def index(self):
            raise OSError("index gone")

    material = ask(Broken(), "Should `QuoteService` extend `BaseService`?")
    assert material.code_facts == []
    assert material.relevant[0].adr.id == "ADR-009"


def test_code_selected_in_the_editor_is_resolved_too(service):
    path = service.root / "src/pricing_service/domain/discounts.py"
    text = path.read_text()
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("class BlackFridayDiscount"))
    persona = choose_persona(service.kb)
    material = ctx.gather(service, persona, "is this fine?", path=path, text=text, selection=(line, line + 2),
                          findings=[], modules=[])
    (fact,) = [f for f in material.code_facts if f.name == "BlackFridayDiscount"]
    assert ("ADR-009", "cited by ARC202 on `BlackFridayDiscount`", 0.5) in fact.adrs  # selected code weighs half
    assert all(weight == 0.5 for _, _, weight in fact.adrs)
    assert material.relevant[0].adr.id == "ADR-009"
    requirements = service.root / "requirements.txt"
    lines = requirements.read_text().splitlines()
    start = next(i for i, l in enumerate(lines, 1) if l.startswith("requests"))
    pinned = ctx.gather(service, persona, "", path=requirements, text=requirements.read_text(),
                        selection=(start - 1, start), findings=[], modules=[])
    assert any(f.name == "requests>=2.31" and "breaks rule `exact-pins`" in f.text for f in pinned.code_facts)


def test_the_ask_command_resolves_named_code_offline(tmp_path):
    workspace = shutil.copytree(EXAMPLE, tmp_path / "service")
    done = subprocess.run(
        [sys.executable, "-m", "python_architect", "ask", "--offline", "Could BlackFridayDiscount get one more subclass?"],
        cwd=workspace, capture_output=True, text=True, timeout=120, check=False,
        env={k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"},
    )
    assert done.returncode == 0, done.stderr
    assert "### The code you named" in done.stdout
    assert "`BlackFridayDiscount` is a class in `pricing_service.domain.discounts`" in done.stdout
    assert done.stdout.index("**ADR-009:") < done.stdout.index("### The code you named")
