"""Issue 20, configuration that cannot silently do nothing: a ``src`` entry that does not exist is
a configuration error with file and line (not "all checks passed"), and ``init`` never writes a
layers rule over packages the workspace does not have: it proposes the real ones and says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from python_architect.cli.init_command import initialise
from python_architect.engine import Project
from trees import layers_adr, write_tree

PYPROJECT = '[project]\nname = "app"\n\n[tool.python-architect]\nsrc = [\n  ".",\n  "sorce",\n]\n'


def test_a_src_entry_that_does_not_exist_is_an_error_on_its_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": PYPROJECT,
        ".ai/adrs/0005-layers.md": layers_adr("app"),
        "app/__init__.py": "", "app/api/__init__.py": "", "app/services/__init__.py": "",
        "app/domain/__init__.py": "", "app/domain/model.py": "from app.api import x\n", "app/api/x.py": "",
    })
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--no-cache", "--no-ruff"], cwd=tmp_path,
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "pyproject.toml:7: `src` entry `sorce` is not a folder of the workspace" in completed.stderr
    # In the editor the same problem is an ARC006 finding on that line of pyproject.toml.
    project = Project.load(tmp_path)
    assert [(f.code, f.span.line) for f in project.config_findings()] == [("ARC006", 7)]


def test_init_layers_for_a_package_that_does_not_exist_proposes_the_real_ones(tmp_path: Path) -> None:
    write_tree(tmp_path, {"superset/__init__.py": "", "superset/views/__init__.py": "",
                          "superset/daos/__init__.py": "", "plugins/__init__.py": ""})
    report = initialise(tmp_path, decision="layers", package="supreset", agent=False, pyproject=False,
                        today="2026-12-07")
    (adr,) = (tmp_path / ".ai" / "adrs").glob("0002-*.md")
    text = adr.read_text(encoding="utf-8")
    assert "supreset" not in text and "      - plugins\n      - superset\n" in text
    assert any("`supreset` is not in the workspace" in note and "plugins, superset" in note for note in report.notes)
    project = Project.load(tmp_path)
    assert [p for p in project.kb.problems if p.code == "ARC005"] == []


def test_init_layers_proposes_the_packages_subpackages_when_the_template_ones_are_missing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"superset/__init__.py": "", "superset/views/__init__.py": "",
                          "superset/daos/__init__.py": "", "superset/models/__init__.py": ""})
    report = initialise(tmp_path, decision="layers", package="superset", agent=False, pyproject=False,
                        today="2026-12-07")
    (adr,) = (tmp_path / ".ai" / "adrs").glob("0002-*.md")
    text = adr.read_text(encoding="utf-8")
    assert "superset.api" not in text
    assert "      - superset.daos\n      - superset.models\n      - superset.views\n" in text
    assert any("has no api, services, adapters, domain" in note for note in report.notes)


def test_init_layers_keeps_the_template_when_its_packages_exist(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"shop/{name}/__init__.py": "" for name in ("api", "services", "adapters", "domain")})
    report = initialise(tmp_path, decision="layers", package="shop", agent=False, pyproject=False,
                        today="2026-12-07")
    (adr,) = (tmp_path / ".ai" / "adrs").glob("0002-*.md")
    assert "      - shop.api\n      - shop.services\n      - shop.adapters\n      - shop.domain\n" in adr.read_text(encoding="utf-8")
    assert report.notes == []
