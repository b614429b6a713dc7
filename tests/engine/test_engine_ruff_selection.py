"""What the engine asks ruff for: curated families as configured, ADR-required codes, codes ruff
does not know, and the project API around files and module names."""

from __future__ import annotations

from pathlib import Path

from trees import write_tree
from python_architect.analysis import ruff_bridge
from python_architect.engine import Project

RUFF_ADR = """---
id: ADR-020
title: Blocking calls stay out of coroutines
status: accepted
rules:
  - id: ruff-extra
    kind: ruff
    codes: [PLW0602, ZZZ999]
---
# ADR-020: Blocking calls stay out of coroutines

## Decision
We follow the listed ruff rules.
"""

CODE = "import requests\n\n\ndef f(u):\n    global counter\n    print(u)\n    return requests.get(u)\n"


def test_config_list_trims_the_curated_families(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": '[tool.python-architect]\nruff = ["T201"]\n', "a.py": CODE})
    project = Project.load(root)
    assert project.ruff_codes() == ["T201"]
    assert [f.code for f in project.analyze(root / "a.py").findings] == ["T201"]


def test_adr_codes_are_added_and_unknown_codes_dropped(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".ai/adrs/0020-ruff.md": RUFF_ADR, "a.py": CODE})
    project = Project.load(root)
    codes = project.ruff_codes()
    assert "PLW0602" in codes and "ZZZ999" not in codes and "T201" in codes
    findings = {f.code: f for f in project.analyze(root / "a.py").findings}
    assert {"PLW0602", "S113"} <= set(findings)  # one bad code does not sink the run
    assert findings["PLW0602"].adrs == ("ADR-020",) and findings["PLW0602"].rule_id == "ruff-extra"
    assert "T201" not in findings  # a judgment check nothing adopted: ruff ran it, check stays quiet


def test_usable_codes_keeps_prefixes_ruff_knows() -> None:
    assert ruff_bridge.usable_codes(["ASYNC", "S1", "PLW0602", "NOPE1"]) == ["ASYNC", "S1", "PLW0602"]


def test_project_file_api(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pyproject.toml": '[tool.python-architect]\nsrc = ["src"]\n',
        "src/app/__init__.py": "", "src/app/core.py": "", "requirements.txt": "",
        ".ai/adrs/0020-ruff.md": RUFF_ADR, "notes.md": "",
    })
    project = Project.load(root)
    names = [p.relative_to(project.root).as_posix() for p in project.files()]
    assert names == [".ai/adrs/0020-ruff.md", "pyproject.toml", "requirements.txt",
                     "src/app/__init__.py", "src/app/core.py"]
    assert project.module_name(Path("src/app/core.py")) == "app.core"
    assert project.kind_of(Path("src/app/core.py")) == "python"
    assert project.kind_of(Path("requirements.txt")) == "dependencies"
    assert project.kind_of(Path(".ai/adrs/0020-ruff.md")) == "adr"
    assert project.kind_of(Path("notes.md")) == "other"
    assert project.analyze(Path("notes.md")).findings == []


def test_ignoring_the_config_code_hides_config_problems(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": '[tool.python-architect]\nignore = ["ARC006"]\nbogus = 1\n'})
    project = Project.load(root)
    assert len(project.config_errors) == 1
    assert project.check_paths().findings == []


def test_reload_knowledge_picks_up_a_new_adr(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"a.py": CODE})
    project = Project.load(root)
    assert "PLW0602" not in {f.code for f in project.analyze(root / "a.py").findings}
    (root / ".ai/adrs").mkdir(parents=True)
    (root / ".ai/adrs/0020-ruff.md").write_text(RUFF_ADR)
    project.reload_knowledge()
    assert "PLW0602" in {f.code for f in project.analyze(root / "a.py").findings}


PROPOSED_LOGGING_ADR = """---
id: ADR-015
title: Structured logging only
status: proposed
rules:
  - id: no-print
    kind: ruff
    codes: [T201, TRY400]
---
# ADR-015: Structured logging only

## Decision
Output goes through logging; handlers log with logger.exception.
"""
LOGGING_CODE = ("import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef f(x):\n    try:\n"
                "        return load(x)\n    except Exception:\n        log.error('bad %s', x)\n        return 0\n")


def test_a_judgment_code_adopted_by_a_proposed_adr_cites_it_capped_and_labelled(tmp_path: Path) -> None:
    """TRY400 is judgment-tier: here only the proposed ADR adopts it, so its findings name that
    ADR and say it is not yet binding (they used to cite nothing). Adopted by the configuration
    as well, the finding is the configuration's own: full severity, no proposed label."""
    root = write_tree(tmp_path, {".ai/adrs/0015-logging.md": PROPOSED_LOGGING_ADR, "a.py": LOGGING_CODE})
    finding = next(f for f in Project.load(root).analyze(root / "a.py").findings if f.code == "TRY400")
    assert finding.adrs == ("ADR-015",) and finding.rule_id == "no-print"
    assert "not yet binding" in finding.message
    capped = finding.severity

    (root / "pyproject.toml").write_text('[tool.python-architect]\nselect = ["TRY400"]\n', encoding="utf-8")
    adopted = next(f for f in Project.load(root).analyze(root / "a.py").findings if f.code == "TRY400")
    assert "not yet binding" not in adopted.message
    assert adopted.severity >= capped
