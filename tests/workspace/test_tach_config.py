"""Issue 20, item 6: ``tach.toml`` (modules, ``depends_on``, ``utility``, layers) read into the
import-linter engine's contracts; what it holds that is not enforced is a warning on its line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from python_architect.engine import Project
from trees import write_tree

TACH = """exclude = ["tests"]
source_roots = ["."]
layers = ["ui", "core"]

[[modules]]
path = "shop.ui"
layer = "ui"
depends_on = ["shop.core", { path = "shop.legacy", deprecated = true }]

[[modules]]
path = "shop.core"
layer = "core"
depends_on = []

[[modules]]
path = "shop.legacy"
depends_on = ["shop.core"]

[[modules]]
path = "shop.util"
utility = true

[[modules]]
path = "shop.reports"
"""
TREE = {
    "shop/__init__.py": "",
    "shop/ui.py": "from shop import core, legacy, util\n",      # all declared or utility
    "shop/core.py": "from shop import util\n",
    "shop/legacy.py": "from shop import core\n",
    "shop/util.py": "",
    "shop/reports.py": "from shop import ui, core, legacy\n",  # no depends_on: anything goes
}


def _findings(project: Project) -> list[tuple[str, int, str, str]]:
    result = project.check_paths(ruff=False, jobs=1)
    return sorted((f.path.relative_to(project.root).as_posix(), f.line, f.code, f.message)
                  for f in result.findings if f.code in ("ARC101", "ARC102", "ARC006"))


def test_a_tach_config_the_code_keeps_gives_no_findings(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": TACH, **TREE})
    assert _findings(Project.load(tmp_path)) == []


def test_undeclared_dependencies_and_upward_layer_imports_are_reported_on_their_lines(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": TACH, **TREE,
                          "shop/core.py": "from shop import util\nfrom shop import legacy\nimport shop.ui\n",
                          "shop/legacy.py": "from shop import core\nfrom shop import reports\n"})
    found = _findings(Project.load(tmp_path))
    where = sorted({(path, line) for path, line, _, _ in found})
    assert where == [("shop/core.py", 2), ("shop/core.py", 3), ("shop/legacy.py", 2)], found
    messages = " ".join(message for *_, message in found)
    assert "tach:shop.core" in messages and "tach:layers:shop.core" in messages and "tach:shop.legacy" in messages


def test_interfaces_in_tach_toml_are_a_warning_not_silence(tmp_path: Path) -> None:
    text = TACH + '\n[[interfaces]]\nexpose = ["api.*"]\nfrom = ["shop.core"]\n'
    write_tree(tmp_path, {"tach.toml": text, **TREE})
    result = Project.load(tmp_path).check_paths(ruff=False, jobs=1)
    warnings = [f for f in result.findings if f.code == "ARC006"]
    assert [(f.path.name, f.line, f.severity.value) for f in warnings] == [("tach.toml", text.splitlines().index("[[interfaces]]") + 1, "warning")]
    assert "kind: interface" in warnings[0].message


def test_a_changed_tach_toml_is_seen_by_the_next_cached_check(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": TACH, **TREE})
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "python_architect", "check", str(tmp_path), "--no-ruff"],
                              capture_output=True, text=True, env=env, timeout=300, check=False)

    assert check().returncode == 0 and check().returncode == 0  # the second run replays the first
    (tmp_path / "tach.toml").write_text(TACH.replace('depends_on = ["shop.core"]\n', "depends_on = []\n"), encoding="utf-8")
    run = check()
    assert run.returncode == 1 and "tach:shop.legacy" in run.stdout, run.stdout + run.stderr
