"""Issue 20, item 6: ``tach.toml`` (modules, ``depends_on``, ``utility``, layers) judged per import
as ``tach check`` judges it; the keys one by one are in tests/knowledge/test_tach_toml.py."""

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
                  for f in result.findings if f.code in ("ARC101", "ARC102", "ARC104", "ARC006"))


def test_a_tach_config_the_code_keeps_gives_only_the_deprecation_warning(tmp_path: Path) -> None:
    # The real `tach check` on these files: "[WARN] shop/ui.py:1: Dependency 'shop.legacy' is
    # deprecated. Module 'shop.ui' should not depend on 'shop.legacy'." and exit 0.
    write_tree(tmp_path, {"tach.toml": TACH, **TREE})
    result = Project.load(tmp_path).check_paths(ruff=False, jobs=1)
    found = [(f.path.name, f.line, f.code, f.severity.value) for f in result.findings if f.code.startswith("ARC")]
    assert found == [("ui.py", 1, "ARC106", "warning")]


def test_undeclared_dependencies_and_upward_layer_imports_are_reported_on_their_lines(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": TACH, **TREE,
                          "shop/core.py": "from shop import util\nfrom shop import legacy\nimport shop.ui\n",
                          "shop/legacy.py": "from shop import core\nfrom shop import reports\n"})
    found = _findings(Project.load(tmp_path))
    where = sorted({(path, line) for path, line, _, _ in found})
    assert where == [("shop/core.py", 2), ("shop/core.py", 3), ("shop/legacy.py", 2)], found
    messages = " ".join(message for *_, message in found)
    assert "tach:shop.core" in messages and "tach:layers:shop.core" in messages and "tach:shop.legacy" in messages


def test_interfaces_in_tach_toml_are_enforced(tmp_path: Path) -> None:
    text = TACH + '\n[[interfaces]]\nexpose = ["api.*"]\nfrom = ["shop.core"]\n'
    write_tree(tmp_path, {"tach.toml": text, **TREE, "shop/legacy.py": "from shop import core\nfrom shop.core import Engine\n"})
    found = _findings(Project.load(tmp_path))
    assert [(path, line) for path, line, *_ in found] == [("shop/legacy.py", 2)], found
    assert "tach:interfaces:shop.core" in found[0][3]


def test_a_changed_tach_toml_is_seen_by_the_next_cached_check(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": TACH, **TREE})
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "python_architect", "check", str(tmp_path), "--no-ruff"],
                              capture_output=True, text=True, env=env, timeout=300, check=False)

    first, second = check(), check()  # the second run replays the first
    assert "tach:shop.legacy" not in first.stdout and second.stdout == first.stdout, first.stdout + first.stderr
    (tmp_path / "tach.toml").write_text(TACH.replace('depends_on = ["shop.core"]\n', "depends_on = []\n"), encoding="utf-8")
    run = check()
    assert run.returncode == 1 and "tach:shop.legacy" in run.stdout, run.stdout + run.stderr
