"""Engine finalisation against a workspace with ADRs of every status: severities, citations,
options merged from ``check`` rules, and statuses that must not apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from trees import write_tree
from python_architect.engine import Project
from python_architect.findings import Severity
from workspace_fixture import FILES


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.load(write_tree(tmp_path, FILES))


def _codes(findings):
    return [(f.code, f.line) for f in findings]


def test_proposed_adr_rule_is_capped_at_info_and_labelled(project: Project) -> None:
    analysis = project.analyze(Path("src/shop/domain/orders.py"))
    arc101 = [f for f in analysis.findings if f.code == "ARC101"]
    assert len(arc101) == 1
    assert arc101[0].severity is Severity.INFO  # the rule asks for error; proposed caps it
    assert arc101[0].message.endswith("(proposed, not yet binding)")
    assert arc101[0].adrs == ("ADR-002",) and arc101[0].rule_id == "no-http-in-domain"


def test_proposed_rule_outside_its_paths_does_not_fire(project: Project) -> None:
    text = "import requests\n\nrequests.get('https://x', timeout=3)\n"
    analysis = project.analyze(Path("src/shop/api.py"), text)
    assert [f.code for f in analysis.findings] == []


def test_rejected_and_superseded_adr_rules_are_not_applied(project: Project) -> None:
    analysis = project.analyze(Path("src/shop/domain/orders.py"))
    forbidden = [f.message for f in analysis.findings if f.code == "ARC101"]
    assert not any("`json`" in m or "`os`" in m for m in forbidden)
    cited = {adr for f in analysis.findings for adr in f.adrs}
    assert not cited & {"ADR-003", "ADR-004"}


def test_ruff_rule_cites_its_adr_with_the_rule_severity(project: Project) -> None:
    analysis = project.analyze(Path("src/shop/domain/orders.py"))
    (s113,) = [f for f in analysis.findings if f.code == "S113"]
    assert s113.severity is Severity.ERROR  # registry default is warning
    assert s113.adrs == ("ADR-001",) and s113.rule_id == "http-timeouts"
    assert s113.source == "ruff" and s113.principle == "resilience"
    assert s113.fix is not None and "timeout=10" in s113.fix.edits[0].new_text


def test_adr_tagged_with_principle_is_cited_and_untagged_principle_is_not(project: Project) -> None:
    text = "def f():\n    try:\n        g()\n    except Exception:\n        pass\n    print('x')\n"
    findings = project.analyze(Path("src/shop/service.py"), text).findings
    by_code = {f.code: f for f in findings}
    assert by_code["BLE001"].adrs == ("ADR-001",)  # tag `resilience` equals the principle
    assert by_code["S110"].adrs == ("ADR-001",)
    assert by_code["BLE001"].severity is Severity.WARNING  # a tag cites but does not retune
    assert "T201" not in by_code  # observability: no ADR adopts this judgment check


def test_check_rule_sets_options_severity_and_citation(project: Project) -> None:
    findings = project.analyze(Path("src/shop/models.py")).findings
    (deep,) = [f for f in findings if f.code == "ARC202"]
    assert deep.line == 11 and deep.severity is Severity.ERROR
    assert deep.adrs == ("ADR-005",) and deep.rule_id == "shallow-hierarchies"
    assert project.finalizer.options_for("ARC202", project.root / "src/shop/models.py")["max-depth"] == 1


def test_without_the_check_rule_default_options_apply(tmp_path: Path) -> None:
    files = {k: v for k, v in FILES.items() if "0005" not in k}
    project = Project.load(write_tree(tmp_path, files))
    findings = project.analyze(Path("src/shop/models.py")).findings
    assert "ARC202" not in {f.code for f in findings}  # depth 2 is within the default of 3
    assert project.finalizer.options_for("ARC202")["max-depth"] == 3


def test_pyproject_options_sit_between_defaults_and_adr_rules(tmp_path: Path) -> None:
    files = {k: v for k, v in FILES.items() if "0005" not in k}
    files["pyproject.toml"] += "\n[tool.python-architect.options.ARC202]\nmax-depth = 1\n"
    project = Project.load(write_tree(tmp_path, files))
    assert project.config_errors == []
    (deep,) = [f for f in project.analyze(Path("src/shop/models.py")).findings if f.code == "ARC202"]
    assert deep.severity is Severity.WARNING and deep.adrs == ()


def test_adr_ruff_rule_runs_when_curated_ruff_is_off(tmp_path: Path) -> None:
    files = dict(FILES)
    files["pyproject.toml"] = files["pyproject.toml"] + "ruff = false\n"
    project = Project.load(write_tree(tmp_path, files))
    text = "import requests\nrequests.get('u')\nprint('x')\n"
    codes = [f.code for f in project.analyze(Path("src/shop/x.py"), text).findings]
    assert codes == ["S113"]  # T201 is curated (off); S113 is required by ADR-001


def test_cli_select_and_ignore_extras(project: Project) -> None:
    everything = project.check_paths()
    assert {"ARC101", "ARC202", "S113"} <= {f.code for f in everything.findings}
    assert "ARC201" not in {f.code for f in everything.findings}  # judgment tier, not adopted
    only_arc2 = project.check_paths(select=("ARC2",))  # a prefix adopts the judgment ARC202, not the opt-in ARC201
    assert {f.code for f in only_arc2.findings} == {"ARC202"}
    assert {f.code for f in project.check_paths(select=("ARC201",)).findings} == {"ARC201"}  # its own code does
    without = project.check_paths(ignore=("ARC201", "S"))
    assert {f.code for f in without.findings} == {"ARC101", "ARC202"}
    # the extras are per call: the project's own finalizer is untouched afterwards
    assert {f.code for f in project.check_paths().findings} == {f.code for f in everything.findings}


def test_config_select_and_ignore(tmp_path: Path) -> None:
    files = dict(FILES)
    files["pyproject.toml"] += 'select = ["ARC", "S113"]\nignore = ["ARC201"]\n'
    project = Project.load(write_tree(tmp_path, files))
    codes = {f.code for f in project.check_paths().findings}
    assert codes == {"ARC101", "ARC202", "S113"}


def test_suppression_by_code_and_by_adr_id(project: Project) -> None:
    base = "import requests\n\ndef f(u):\n    return requests.get(u){}\n"
    assert "S113" in {f.code for f in project.analyze(Path("src/shop/c.py"), base.format("")).findings}
    by_code = project.analyze(Path("src/shop/c.py"), base.format("  # architect: ignore[S113] legacy"))
    by_adr = project.analyze(Path("src/shop/c.py"), base.format("  # architect: ignore[ADR-001]"))
    other = project.analyze(Path("src/shop/c.py"), base.format("  # architect: ignore[ARC502]"))
    assert "S113" not in {f.code for f in by_code.findings}
    assert "S113" not in {f.code for f in by_adr.findings}
    assert "S113" in {f.code for f in other.findings}
