"""The three tiers' selection semantics (issue 21): core is reported by default; judgment once
adopted (``ALL``, a prefix, a principle tag, the exact code, an ADR rule); opt-in only when its
exact code is named (``select``/``--select``, an ADR ``check`` rule, an ADR ``ruff`` rule's
``codes``) or an accepted ADR adopts its principle, never through ``ALL`` or a prefix, and never as
an editor hint."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from python_architect.analysis.registry import RawFinding
from python_architect.codes import metadata
from python_architect.codes.model import CORE, JUDGMENT, OPT_IN, CheckInfo
from python_architect.config import ProjectConfig
from python_architect.findings import Severity, Span
from python_architect.knowledge.model import Adr, KnowledgeBase, RuleSpec
from python_architect.workspace import finalize
from python_architect.workspace.finalize import Finalizer

ROOT = Path("/ws")
FILE = ROOT / "app" / "x.py"
SPAN = Span(1, 1, 1, 5)
CODE_OF_TIER = {CORE: "ARC701", JUDGMENT: "ARC502", OPT_IN: "ARC202"}
"""One code per tier; ARC502 is made judgment and ARC202 opt-in here, so these semantics do not
depend on which codes the project has moved between tiers."""


@pytest.fixture(autouse=True)
def _tiers(monkeypatch: pytest.MonkeyPatch) -> None:
    def info_for(code: str) -> CheckInfo | None:
        info = metadata(code)
        if info is not None and code in (CODE_OF_TIER[OPT_IN], CODE_OF_TIER[JUDGMENT]):
            return replace(info, tier=OPT_IN if code == CODE_OF_TIER[OPT_IN] else JUDGMENT)
        return info

    monkeypatch.setattr(finalize, "info_for", info_for)
    assert info_for("ARC701").tier == CORE and info_for("ARC502").tier == JUDGMENT


def _rule(kind: str, **options) -> RuleSpec:
    return RuleSpec(id=f"r-{kind}", kind=kind, adr_id="ADR-001", options=options)


def _adr(*rules: RuleSpec, tags: tuple[str, ...] = ()) -> Adr:
    return Adr(id="ADR-001", title="t", path=ROOT / "ADR-001.md", status="accepted", rules=rules, tags=tags)


def _ways(code: str) -> dict[str, tuple[ProjectConfig, tuple[str, ...], list[Adr]]]:
    """name -> (configuration, --select, ADRs) for each way a team may turn a check on."""
    none = ProjectConfig()
    return {
        "nothing": (none, (), []),
        "select ALL": (ProjectConfig(select=("ALL",)), (), []),
        "--select ALL": (none, ("ALL",), []),
        "select a prefix": (ProjectConfig(select=(code[:4],)), (), []),
        "a principle tag": (none, (), [_adr(tags=(metadata(code).principle,))]),
        "select the exact code": (ProjectConfig(select=(code,)), (), []),
        "--select the exact code": (none, (code,), []),
        "an ADR check rule": (none, (), [_adr(_rule("check", check=code))]),
        "an ADR ruff rule naming it": (none, (), [_adr(_rule("ruff", codes=[code]))]),
        "an ADR ruff rule with a prefix": (none, (), [_adr(_rule("ruff", codes=[code[:4]]))]),
    }


EXACT = {"select the exact code", "--select the exact code", "an ADR check rule", "an ADR ruff rule naming it"}
REPORTED = {
    CORE: set(_ways("ARC701")),
    JUDGMENT: set(_ways("ARC502")) - {"nothing"},
    OPT_IN: EXACT | {"a principle tag"},  # an ADR that adopts the principle asks for it too
}


@pytest.mark.parametrize("tier", [CORE, JUDGMENT, OPT_IN])
@pytest.mark.parametrize("way", list(_ways("ARC701")))
def test_which_ways_turn_a_check_of_each_tier_on(tier: str, way: str) -> None:
    code = CODE_OF_TIER[tier]
    config, select, adrs = _ways(code)[way]
    finalizer = Finalizer(ROOT, KnowledgeBase(root=ROOT, adrs=adrs), config, extra_select=select)
    finding = finalizer.finalize(RawFinding(code, "m", SPAN), FILE, None)
    assert (finding is not None) == (way in REPORTED[tier])
    assert finalizer.enabled(finalize.info_for(code), FILE) == (way in REPORTED[tier])


def _in_editor(code: str, config: ProjectConfig):
    finalizer = Finalizer(ROOT, KnowledgeBase(root=ROOT, adrs=[]), config, editor=True)
    return finalizer.finalize(RawFinding(code, "m", SPAN), FILE, None)


def test_the_editor_hints_an_unadopted_judgment_check_but_never_an_opt_in_one() -> None:
    assert _in_editor(CODE_OF_TIER[JUDGMENT], ProjectConfig()).severity is Severity.HINT
    opt_in = CODE_OF_TIER[OPT_IN]
    assert _in_editor(opt_in, ProjectConfig()) is None
    assert _in_editor(opt_in, ProjectConfig(select=("ALL",))) is None
    assert _in_editor(opt_in, ProjectConfig(select=(opt_in,))).severity is not Severity.HINT


def test_an_opt_in_ruff_code_named_by_the_ruff_list_or_an_options_table_reports() -> None:
    code = CODE_OF_TIER[OPT_IN]
    for config in (ProjectConfig(ruff=(code,)), ProjectConfig(options={code: {}})):
        finalizer = Finalizer(ROOT, KnowledgeBase(root=ROOT, adrs=[]), config)
        assert finalizer.finalize(RawFinding(code, "m", SPAN), FILE, None) is not None
    prefix = Finalizer(ROOT, KnowledgeBase(root=ROOT, adrs=[]), ProjectConfig(ruff=(code[:4],)))
    assert prefix.finalize(RawFinding(code, "m", SPAN), FILE, None) is None


def test_the_rules_doc_names_the_three_tiers() -> None:
    from python_architect.cli.rules_doc import render_rules_markdown

    text = render_rules_markdown()
    for tier in (CORE, JUDGMENT, OPT_IN):
        assert f"- **{tier}**:" in text
    assert "`select = [\"ALL\"]` and a prefix do not turn it on" in text


SHELL = "import subprocess\n\n\ndef page(command):\n    return subprocess.Popen(command, shell=True)\n"
SECURITY_ADR = ("---\nid: ADR-002\ntitle: Secure by default\nstatus: accepted\ntags: [security]\n---\n"
                "# ADR-002: Secure by default\n\n## Decision\nNo injection.\n")


def test_s602_is_opt_in_on_real_code(tmp_path: Path) -> None:
    """Measured: none of S602's findings on held-out packages was right (docs/rules.md says why)."""
    from python_architect.engine import Project
    from trees import write_tree

    assert metadata("S602").tier == OPT_IN and "Opt-in because" in metadata("S602").rationale

    def codes(files: dict[str, str], *, editor: bool = False, select: tuple[str, ...] = ()) -> list[str]:
        root = write_tree(tmp_path / str(len(list(tmp_path.iterdir()))), {"app/pager.py": SHELL, **files})
        project = Project.load(root, editor=editor)
        if select:
            return [f.code for f in project.check_paths(None, select=select).findings]
        return [f.code for f in project.analyze(root / "app/pager.py").findings]

    config = '[project]\nname = "app"\n\n[tool.python-architect]\nselect = [{}]\n'
    assert codes({}) == []
    assert codes({}, editor=True) == []  # not even a hint
    assert codes({"pyproject.toml": config.format('"ALL"')}) == []
    assert codes({}, select=("ALL",)) == []
    assert codes({"pyproject.toml": config.format('"S6"')}) == []
    assert codes({".ai/adrs/0002-secure.md": SECURITY_ADR}) == ["S602"]  # the team adopted `security`
    assert codes({"pyproject.toml": config.format('"S602"')}) == ["S602"]
    assert codes({}, select=("S602",)) == ["S602"]
