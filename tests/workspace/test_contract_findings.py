"""Issue 20: import-linter contracts as findings of the engine — unsaved text counts, the JSON
carries ``rule`` and ``chain``, a finding cites the ADR naming the contract or else the config
section, and nothing is silent: unknown types, broken files and contracts that cannot be checked
are ARC006 with file and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from python_architect.engine import Project
from python_architect.findings import Severity
from trees import write_tree

TREE = {
    "app/__init__.py": "",
    "app/ui/__init__.py": "",
    "app/ui/views.py": "from app.domain import model\n",
    "app/domain/__init__.py": "",
    "app/domain/model.py": "from app.data import repo\n",
    "app/data/__init__.py": "",
    "app/data/repo.py": "import os\n",
    "app/data/cache.py": "from app import helpers\n",
    "app/helpers.py": "from app.ui import views\n",
}

CONFIG = """[importlinter]
root_package = app

[importlinter:contract:layered]
name = Layers
type = layers
layers =
    app.ui
    app.domain
    app.data
"""

ADR = """---
id: ADR-007
title: Layers kept by import-linter
status: accepted
date: 2026-12-01
---

# ADR-007

The `layered` contract (`importlinter:contract:layered` in .importlinter) keeps the layers.
"""


def _contract_findings(project: Project) -> list:
    return [f for f in project.workspace_findings() if f.data.get("contract")]


def test_an_unsaved_edit_breaks_the_contract_on_its_import_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {**TREE, ".importlinter": CONFIG})
    project = Project.load(tmp_path)
    project.ensure_index(jobs=1)
    before = _contract_findings(project)
    # data.cache -> helpers -> ui.views: one indirect chain, on cache.py's first import
    assert [(f.code, f.path.name, f.line, f.data["chain"]) for f in before] == [
        ("ARC102", "cache.py", 1, ["app.data.cache", "app.helpers", "app.ui.views"])]
    model = tmp_path / "app" / "domain" / "model.py"
    project.analyze(model, "from app.data import repo\n\nfrom app.ui import views\n")  # typed, not saved
    after = {(f.path.name, f.line, tuple(f.data["chain"])) for f in _contract_findings(project)}
    assert ("model.py", 3, ("app.domain.model", "app.ui.views")) in after
    assert model.read_text(encoding="utf-8") == "from app.data import repo\n"


def test_json_carries_rule_and_chain_and_the_finding_points_at_the_config_section(tmp_path: Path) -> None:
    write_tree(tmp_path, {**TREE, ".importlinter": CONFIG, "app/domain/model.py": "from app.ui import views\n"})
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache", "--no-ruff"],
        cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        stdin=subprocess.DEVNULL)
    document = json.loads(completed.stdout)
    direct = [f for f in document["findings"] if f["rule"] == "layered" and len(f["chain"]) == 2]
    assert [(f["code"], f["path"], f["line"], f["chain"]) for f in direct] == [
        ("ARC102", "app/domain/model.py", 1, ["app.domain.model", "app.ui.views"])]
    assert direct[0]["adrs"] == []
    assert direct[0]["related"][0]["path"] == ".importlinter" and direct[0]["related"][0]["line"] == 4
    assert completed.returncode == 1


def test_a_finding_cites_the_adr_that_names_the_contract(tmp_path: Path) -> None:
    write_tree(tmp_path, {**TREE, ".importlinter": CONFIG, ".ai/adrs/0007-layers.md": ADR})
    project = Project.load(tmp_path)
    project.ensure_index(jobs=1)
    (finding,) = _contract_findings(project)
    assert finding.adrs == ("ADR-007",) and finding.rule_id == "layered"
    assert finding.related == ()


def test_unknown_types_broken_contracts_and_missing_roots_are_never_silent(tmp_path: Path) -> None:
    config = CONFIG.replace("root_package = app", "root_packages =\n    app\n    gone") + """
[importlinter:contract:custom]
name = Custom
type = mypackage.contracts.Custom

[importlinter:contract:bad-layer]
name = Missing layer
type = layers
layers =
    app.ui
    app.nowhere

[importlinter:contract:untyped]
name = No type
"""
    write_tree(tmp_path, {**TREE, ".importlinter": config})
    project = Project.load(tmp_path)
    project.ensure_index(jobs=1)
    problems = {(f.span.line, f.severity): f.message for f in project.workspace_findings() if f.code == "ARC006"}
    lines = config.splitlines()
    custom = lines.index("[importlinter:contract:custom]") + 1
    bad = lines.index("[importlinter:contract:bad-layer]") + 1
    untyped = lines.index("[importlinter:contract:untyped]") + 1
    assert "`mypackage.contracts.Custom` is not one Python Architect enforces" in problems[(custom, Severity.WARNING)]
    assert "app.nowhere does not exist" in problems[(bad, Severity.ERROR)]
    assert "`untyped` has no `type`" in problems[(untyped, Severity.ERROR)]
    assert "`gone` is not a first-party module" in problems[(1, Severity.ERROR)]


def test_a_pyproject_that_does_not_parse_names_file_and_line(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "app"\n\n[tool.importlinter]\nroot_package = "app"\nlayers = [\n'
    write_tree(tmp_path, {**TREE, "pyproject.toml": pyproject})
    from python_architect.knowledge.importlinter_config import load_contracts_config

    config = load_contracts_config(tmp_path)
    assert config is not None and config.contracts == []
    (problem,) = config.problems
    assert problem.path.name == "pyproject.toml" and problem.line >= 6 and "does not parse" in problem.message
