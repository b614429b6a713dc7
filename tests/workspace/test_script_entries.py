"""Console scripts declared outside ``pyproject.toml`` (``python_architect.script_entries``):
``setup.cfg`` and an egg-info/dist-info ``entry_points.txt`` name command-line modules too, so S113
(and the other script-silent checks) stay quiet there as they do for ``[project.scripts]`` (issue
21, twelfth reading: chromadb's ``chroma update``, declared in its wheel's ``entry_points.txt``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from trees import write_tree

from python_architect.engine import Project
from python_architect.script_entries import declared_scripts

CLI = ("import requests\n\n\ndef update():\n"
       "    return requests.get('https://example.invalid/releases').json()\n")
SETUP_CFG = ("[metadata]\nname = tool\n\n[options.entry_points]\nconsole_scripts =\n"
             "    tool = tool.cli:main\n    tool-gui = tool.gui:run [gui]\n")
ENTRY_POINTS = "[console_scripts]\ntool = tool.cli:app\n\n[tool.plugins]\nx = tool.core:Plugin\n"


@pytest.mark.parametrize("declaration", [
    {"setup.cfg": SETUP_CFG},
    {"tool-1.0.dist-info/entry_points.txt": ENTRY_POINTS},
    {"src/tool.egg-info/entry_points.txt": ENTRY_POINTS},
])
def test_a_module_a_console_script_names_is_a_command_line_entry_point(tmp_path: Path, declaration: dict) -> None:
    sources = {"tool/__init__.py": "", "tool/cli.py": CLI, "tool/core.py": CLI}
    if declaration.keys() & {"src/tool.egg-info/entry_points.txt"}:
        sources = {f"src/{path}": text for path, text in sources.items()}
    root = write_tree(tmp_path, {**sources, **declaration})
    base = root / "src" if (root / "src").is_dir() else root
    findings = Project.load(root).check_paths([base / "tool"]).findings
    reported = sorted(Path(f.path).relative_to(base).as_posix() for f in findings if f.code == "S113")
    # the library module with the same call stays reported; a plugin entry point is no script
    assert reported == ["tool/core.py"]


def test_what_each_file_declares_and_what_is_ignored(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "setup.cfg": SETUP_CFG,
        "tool-1.0.dist-info/entry_points.txt": ENTRY_POINTS,
        "broken.egg-info/entry_points.txt": "console_scripts = [not ini\n",
    })
    assert declared_scripts(root, {"project": {"scripts": {"t": "tool.main:run"}}}) == (
        "tool.main", "tool.cli", "tool.gui")
    (root / "setup.cfg").write_text("[options.entry_points\nbroken", encoding="utf-8")
    assert declared_scripts(root, None) == ("tool.cli",)


def test_a_declaration_outside_the_root_is_not_read(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"entry_points.txt": ENTRY_POINTS, "setup.cfg": SETUP_CFG})
    root = write_tree(tmp_path / "root", {"tool/cli.py": CLI})
    (root / "tool-1.0.dist-info").mkdir()
    os.symlink(outside / "entry_points.txt", root / "tool-1.0.dist-info" / "entry_points.txt")
    os.symlink(outside / "setup.cfg", root / "setup.cfg")
    assert declared_scripts(root, None) == ()
