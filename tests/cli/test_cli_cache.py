"""The persistent cache through ``check``: a warm run analyses nothing and reports the same, a
change in another module invalidates what depended on it, a damaged pack is discarded, two
processes writing at once lose nothing, and ``--no-cache`` leaves no trace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cli_support import run_cli
from python_architect.catalog import REGISTRY
from python_architect.engine import Project
from python_architect.workspace import cache_pack
from python_architect.workspace.cache import CLI_CACHE_DIR, CheckCache
from trees import write_tree

BASE = "class Repository:\n    def __init__(self):\n        self.items = []\n\n    def save(self, item):\n        self.items.append(item)\n"
ABSTRACT_BASE = ("from abc import ABC, abstractmethod\n\n\nclass Repository(ABC):\n"
                 "    @abstractmethod\n    def save(self, item): ...\n")
TREE = {
    # ARC201 is a judgment check: this team adopted it.
    "pyproject.toml": "[project]\nname = 'app'\n\n[tool.python-architect]\nselect = [\"ARC201\", \"ARC103\", \"ARC900\"]\n",
    "src/app/__init__.py": "",
    "src/app/base.py": BASE,
    "src/app/child.py": "from app.base import Repository\n\n\nclass OrderRepository(Repository):\n    pass\n",
    "src/app/broken.py": "def broken(:\n",
    **{f"src/app/m{n}.py": f"VALUE = {n}\n" for n in range(10)},
}


def counting_project(root: Path) -> tuple[Project, list[Path]]:
    """A project whose ARC201 check records every file it runs on."""
    seen: list[Path] = []
    original = REGISTRY.lookup("ARC201").run

    def counted(ctx):
        seen.append(ctx.path)
        return original(ctx)

    return Project.load(root, REGISTRY.replacing("ARC201", counted)), seen


def summary(result) -> list[tuple[str, str, int]]:
    return [(Path(f.path).name, f.code, f.span.line) for f in result.findings]


def test_warm_run_analyses_nothing_and_reports_the_same(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    project, seen = counting_project(root)
    cold = project.check_paths(None, ruff=False, jobs=1, cache=CheckCache.for_cli(root))
    assert ("child.py", "ARC201", 4) in summary(cold) and ("broken.py", "ARC900", 1) in summary(cold)
    assert len(seen) == 13  # every parsable file
    warm_project, warm_seen = counting_project(root)
    warm = warm_project.check_paths(None, ruff=False, jobs=1, cache=CheckCache.for_cli(root))
    assert warm_seen == []
    assert summary(warm) == summary(cold)
    assert warm.files == cold.files


def test_editing_a_base_class_invalidates_the_child_in_another_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    project, _ = counting_project(root)
    project.check_paths(None, ruff=False, jobs=1, cache=CheckCache.for_cli(root))
    (root / "src/app/base.py").write_text(ABSTRACT_BASE, encoding="utf-8")
    again, seen = counting_project(root)
    result = again.check_paths(None, ruff=False, jobs=1, cache=CheckCache.for_cli(root))
    assert "ARC201" not in {f.code for f in result.findings}
    # Only the edited file and the one whose checks looked it up ran again.
    assert sorted(p.name for p in seen) == ["base.py", "child.py"]


def test_settings_change_misses_and_tool_version_change_discards(tmp_path: Path, monkeypatch, caplog) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    Project.load(root).check_paths(None, ruff=False, jobs=1, cache=CheckCache.for_cli(root))
    narrowed, seen = counting_project(root)
    narrowed.check_paths(None, select=("ARC201",), ruff=False, jobs=1, cache=CheckCache.for_cli(root))
    assert len(seen) == 13, "other --select: other findings, nothing reused"
    monkeypatch.setattr(cache_pack, "TOOL_VERSION", "9.9.9 py3.99")
    upgraded, seen = counting_project(root)
    with caplog.at_level("WARNING"):
        upgraded.check_paths(None, ruff=False, jobs=1, cache=CheckCache.for_cli(root))
    assert len(seen) == 13
    assert any("written by version" in r.getMessage() for r in caplog.records)


def test_cli_writes_an_ignored_cache_and_survives_a_damaged_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    first = run_cli("check", cwd=root)
    assert first.returncode == 1, first.stderr
    folder = root / CLI_CACHE_DIR
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    packs = list(folder.glob("*.pack"))
    assert packs
    for pack in packs:
        pack.write_bytes(pack.read_bytes()[:40])  # truncated
    for run in folder.glob("run-*.json"):  # the run record would answer without reading a pack
        run.unlink()
    second = run_cli("check", cwd=root)
    assert second.stdout == first.stdout
    assert "Traceback" not in second.stderr
    assert not any(p.exists() for p in packs)


def test_no_cache_leaves_no_trace(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    result = run_cli("check", "--no-cache", cwd=root)
    assert result.returncode == 1 and "ARC201" in result.stdout
    assert not (root / CLI_CACHE_DIR).exists()


def test_two_checks_at_once_both_succeed_and_lose_nothing(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    command = [sys.executable, "-m", "python_architect", "check", "--no-ruff"]
    runs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert outputs[0][0] == outputs[1][0] and "ARC201" in outputs[0][0]
    warm, seen = counting_project(root)
    warm.check_paths(None, ruff=False, cache=CheckCache.for_cli(root))
    assert seen == [], "every file was in one of the two packs"
