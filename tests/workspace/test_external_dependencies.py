"""Issue 20, the ``external-dependencies`` rule kind (ARC111): a first-party import of a
third-party package no declaration names, and a runtime declaration nothing imports. Each case a
reviewer would dismiss sits next to its true-positive twin. Uses distributions installed in the
test environment (PyYAML imported as ``yaml``, attrs as ``attr``, packaging, ruff, pytest)."""

from __future__ import annotations

from pathlib import Path

from python_architect.engine import Project
from trees import write_tree

ADR = """---
id: ADR-021
title: Declared dependencies only
status: accepted
date: 2026-12-01
rules:
  - id: declared
    kind: external-dependencies
---

# ADR-021
"""
PYPROJECT = """[project]
name = "shop"
dependencies = [
    "PyYAML>=6",
    "attrs",
    "packaging",
    "ruff",
    "not-installed-anywhere>=1",
]

[project.optional-dependencies]
test = ["pytest"]

[tool.python-architect]
src = ["src"]
"""
CLEAN_MODULE = """from __future__ import annotations

import os
import yaml
from attr import define
from typing import TYPE_CHECKING

from shop import b

if TYPE_CHECKING:
    import boto3

try:
    import ujson
except ImportError:
    ujson = None
"""


def _found(project: Project) -> list[tuple[str, int, str]]:
    result = project.check_paths(ruff=False, jobs=1)
    return sorted((f.path.relative_to(project.root).as_posix(), f.line, f.message)
                  for f in result.findings if f.code == "ARC111")


def _tree(tmp_path: Path, **extra: str) -> Project:
    write_tree(tmp_path, {
        ".ai/adrs/0021-declared.md": ADR, "pyproject.toml": PYPROJECT,
        "src/shop/__init__.py": "", "src/shop/a.py": CLEAN_MODULE, "src/shop/b.py": "import packaging.version\n",
        "tests/support/trees.py": "",
        "tests/test_shop.py": "import pytest\nimport trees\nfrom shop import a\n",
        **extra,
    })
    return Project.load(tmp_path)


def test_declared_optional_type_checking_local_and_test_imports_are_fine(tmp_path: Path) -> None:
    # yaml -> PyYAML and attr -> attrs through installed metadata; ujson is optional; boto3 is
    # TYPE_CHECKING only; `trees` is a workspace file; pytest is declared in an extra; ruff is a
    # tool (never imported); a declaration that is not installed cannot be judged.
    assert _found(_tree(tmp_path)) == []


def test_an_undeclared_import_is_reported_on_its_line(tmp_path: Path) -> None:
    project = _tree(tmp_path, **{"src/shop/c.py": "import os\n\nimport toml_but_undeclared.sub\n"})
    found = _found(project)
    assert [(path, line) for path, line, _ in found] == [("src/shop/c.py", 3)]
    assert "`toml_but_undeclared` is imported but no dependency declares it" in found[0][2]


def test_a_runtime_declaration_nothing_imports_is_reported_on_its_line(tmp_path: Path) -> None:
    project = _tree(tmp_path, **{"src/shop/b.py": "import os\n"})  # nothing imports packaging now
    found = _found(project)
    assert [(path, line) for path, line, _ in found] == [("pyproject.toml", 6)]
    assert "`packaging` is declared as a dependency but no first-party module imports it" in found[0][2]


def test_requirements_files_declare_too_and_dev_files_are_not_judged_unused(tmp_path: Path) -> None:
    # No `src`: the root is the source root, so tests/ is first-party code and `trees` (a file of
    # the workspace put on sys.path by the tests) is local, not an undeclared package.
    files = {"requirements.txt": "# runtime\nrequests-not-here==1\nattrs==23.1\n",
             "requirements-dev.txt": "packaging==24\n",
             "shop/__init__.py": "", "shop/b.py": "import attr\nimport packaging\n",
             "tests/support/trees.py": "", "tests/test_b.py": "import trees\n"}
    write_tree(tmp_path, {".ai/adrs/0021-declared.md": ADR, **files})
    assert _found(Project.load(tmp_path)) == []
    (tmp_path / "shop/b.py").write_text("import packaging\n", encoding="utf-8")
    (tmp_path / "tests/test_b.py").write_text("import trees\nimport treesx\n", encoding="utf-8")
    found = _found(Project.load(tmp_path))
    assert [(path, line) for path, line, _ in found] == [("requirements.txt", 3), ("tests/test_b.py", 2)]


def test_the_rule_can_ignore_a_package_and_skip_the_unused_half(tmp_path: Path) -> None:
    adr = ADR.replace("kind: external-dependencies\n",
                      "kind: external-dependencies\n    ignore: [toml_but_undeclared]\n    unused: false\n")
    project = _tree(tmp_path, **{".ai/adrs/0021-declared.md": adr, "src/shop/b.py": "import toml_but_undeclared\n"})
    assert _found(project) == []


def _install_fake_distribution(site: Path, name: str, top: str, files: list[str], entry_points: str = "") -> None:
    """A real ``.dist-info`` on a ``sys.path`` entry: ``importlib.metadata`` reads it as pip's."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "top_level.txt").write_text(top + "\n", encoding="utf-8")
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files), encoding="utf-8")
    if entry_points:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_namespace_packages_and_plugins(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "site"
    _install_fake_distribution(site, "nsa-one", "nspkg", ["nspkg/one/__init__.py"])
    _install_fake_distribution(site, "nsb-two", "nspkg", ["nspkg/two/__init__.py"])
    _install_fake_distribution(site, "fake-plugin", "fake_plugin", ["fake_plugin/__init__.py"],
                               "[pytest11]\nfake = fake_plugin\n")
    _install_fake_distribution(site, "fake-lib", "fake_lib", ["fake_lib/__init__.py"])
    monkeypatch.syspath_prepend(str(site))
    workspace = tmp_path / "ws"
    pyproject = '[project]\nname = "shop"\ndependencies = [\n    "nsa-one",\n    "fake-plugin",\n    "fake-lib",\n]\n'
    write_tree(workspace, {".ai/adrs/0021-declared.md": ADR, "pyproject.toml": pyproject,
                           "shop/__init__.py": "", "shop/a.py": "import nspkg.one\nimport fake_lib\n"})
    # nspkg is a namespace two distributions share: declared through nsa-one; fake-plugin is a
    # plugin (entry points), never imported by design.
    assert _found(Project.load(workspace)) == []
    (workspace / "pyproject.toml").write_text(pyproject.replace('    "nsa-one",\n', ""), encoding="utf-8")
    (workspace / "shop/a.py").write_text("import nspkg.one\n", encoding="utf-8")
    found = _found(Project.load(workspace))
    assert [(path, line) for path, line, _ in found] == [("pyproject.toml", 5), ("shop/a.py", 1)]
    assert "`fake-lib` is declared" in found[0][2] and "`nspkg` is imported" in found[1][2]
