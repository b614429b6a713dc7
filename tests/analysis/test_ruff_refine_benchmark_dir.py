"""S307 (and the other codes quiet in test code) in a package's benchmark harness (issue 21,
third reading: falcon's ``falcon/bench/bench.py`` evals ``create.<framework>(...)`` with a name
from ``argparse`` choices). A ``bench/``, ``benchmarks/`` or ``asv_bench/`` folder holds
developer-run code that exercises the package with made-up input, like its tests: it gets the
test-code context. The twin: the same ``eval`` in the package itself, and in a module merely
named ``bench.py``, stays reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from python_architect.analysis.context import file_context, is_benchmark_path
from python_architect.engine import Project
from trees import write_tree

PICK = ("from pkg import create\n\n\ndef build(name):\n"
        "    function = name.lower().replace('-', '_')\n"
        "    return eval('create.{0}(BODY, HEADERS)'.format(function))\n")
FILES = {
    "pyproject.toml": '[project]\nname = "pkg"\n\n[tool.python-architect]\nselect = ["S307", "S311"]\n',
    "pkg/__init__.py": "", "pkg/create.py": "",
    "pkg/bench/__init__.py": "", "pkg/bench/bench.py": PICK,
    "pkg/benchmarks/run.py": PICK + "\nimport random\n\n\ndef token():\n    return random.random()\n",
    "asv_bench/benchmarks/suite.py": PICK,
    "pkg/service.py": PICK,
    "pkg/bench.py": PICK,
    "pkg/workbench/view.py": PICK,
}


def _codes(project: Project, root: Path, relative: str) -> list[str]:
    return sorted(f.code for f in project.analyze(root / relative).findings if f.code in {"S307", "S311"})


@pytest.mark.parametrize(("relative", "benchmark"), [
    ("pkg/bench/bench.py", True), ("pkg/benchmarks/run.py", True), ("asv_bench/benchmarks/suite.py", True),
    ("benchmarks/bench_real.py", True),
    ("pkg/bench.py", False), ("pkg/workbench/view.py", False), ("pkg/benchmark_rates/index.py", False),
])
def test_a_benchmark_folder_is_named_by_a_folder_not_a_file(relative: str, benchmark: bool) -> None:
    assert is_benchmark_path(PurePosixPath(relative)) is benchmark


def test_the_editor_path(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", FILES)
    project = Project.load(root, editor=True)
    assert file_context(root / "pkg/bench/bench.py", root, None, PICK.splitlines()).is_test
    assert _codes(project, root, "pkg/bench/bench.py") == []
    assert _codes(project, root, "pkg/benchmarks/run.py") == []
    assert _codes(project, root, "asv_bench/benchmarks/suite.py") == []
    assert _codes(project, root, "pkg/service.py") == ["S307"]  # the twin: the package's own code
    assert _codes(project, root, "pkg/bench.py") == ["S307"]
    assert _codes(project, root, "pkg/workbench/view.py") == ["S307"]


def test_the_cli_batch_path(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", FILES)
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache"],
        cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)
    assert completed.returncode == 1, completed.stderr
    found = sorted((f["path"], f["code"]) for f in json.loads(completed.stdout)["findings"]
                   if f["code"] in {"S307", "S311"})
    assert found == [("pkg/bench.py", "S307"), ("pkg/service.py", "S307"), ("pkg/workbench/view.py", "S307")]
