"""Every reader outside knowledge/, mcp/ and advisor/ asks ``root_paths`` before it reads: discovery,
source roots and module lookups, the configuration, the baseline, ``Project.analyze`` and the
editor's watched-file updates. A path that resolves outside the root is skipped, said once."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from python_architect.baseline import baseline_for
from python_architect.config import ProjectConfig, load_project_config
from python_architect.engine import Project
from python_architect.workspace.files import OUTSIDE_ROOT, discover_files
from python_architect.workspace.roots import SourceRoots, source_roots_for
from trees import write_tree

SECRET = "outside-secret-31337"


@pytest.fixture()
def tree(tmp_path: Path) -> tuple[Path, Path]:
    outside = write_tree(tmp_path / "outside", {
        "secret.py": f"SECRET = '{SECRET}'\n",
        "lib/pkg/hidden.py": f"SECRET = '{SECRET}'\n",
        "pyproject.toml": "[tool.python-architect]\nselect = ['ARC9']\n",
        "baseline.json": '{"version": 1, "findings": []}',
    })
    root = write_tree(tmp_path / "root", {"pkg/__init__.py": "", "pkg/mod.py": "from pkg import leak\n"})
    os.symlink(outside / "secret.py", root / "pkg/leak.py")
    os.symlink(outside / "lib", root / "lib")
    os.symlink("mod.py", root / "pkg/alias.py")
    return root.resolve(), outside.resolve()


def _relative(root: Path, paths) -> list[str]:
    return sorted(Path(p).relative_to(root).as_posix() for p in paths)


def test_the_walk_skips_links_out_once_each_and_keeps_links_inside(tree, caplog) -> None:
    root, _ = tree
    with caplog.at_level(logging.INFO, logger="python_architect"):
        found = discover_files(root, ProjectConfig())
    assert _relative(root, found.python) == ["pkg/__init__.py", "pkg/alias.py", "pkg/mod.py"]
    assert sorted((p.relative_to(root).as_posix(), why) for p, why in found.skipped) == [
        ("lib", OUTSIDE_ROOT), ("pkg/leak.py", OUTSIDE_ROOT)]
    said = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(said) == 2 and all(OUTSIDE_ROOT in line for line in said)


@pytest.mark.parametrize("given", ["pkg/leak.py", "lib", "lib/pkg/hidden.py", "../outside/secret.py"])
def test_a_named_path_out_of_the_root_is_skipped_with_the_same_reason(tree, given: str) -> None:
    root, _ = tree
    found = discover_files(root, ProjectConfig(), [root / given])
    assert found.all() == []
    assert found.skipped == [(root / given, OUTSIDE_ROOT)]


def test_a_named_link_inside_the_root_is_checked(tree) -> None:
    root, _ = tree
    found = discover_files(root, ProjectConfig(), [root / "pkg/alias.py"])
    assert found.python == [root / "pkg/mod.py"] and found.skipped == []


def test_source_roots_outside_are_dropped_and_lookups_never_answer_outside(tree, caplog) -> None:
    root, outside = tree
    with caplog.at_level(logging.INFO, logger="python_architect"):
        roots = source_roots_for(root, ProjectConfig(src=(".", "lib", "../outside/lib")))
    assert roots == (root,)
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warned) == 1 and "../outside/lib" in warned[0].getMessage()  # the link: discovery says it
    source = SourceRoots.from_config(root, ProjectConfig(), [root / "pkg/mod.py"])
    assert source.path_of_module("pkg.mod") == root / "pkg/mod.py"
    assert source.path_of_module("pkg.leak") is None
    os.symlink(outside / "lib", root / "src")  # the default ``src/`` root, linked out
    assert source_roots_for(root, ProjectConfig()) == (root,)


def test_the_index_never_reads_a_module_linked_out(tree) -> None:
    root, _ = tree
    project = Project.load(root)
    project.analyze(root / "pkg/mod.py", ruff=False)  # ``from pkg import leak`` looks it up
    assert project.index.lookup_module("pkg.leak") is None
    assert "pkg.leak" not in project.index.modules()
    assert project.analyze(root / "pkg/leak.py", ruff=False).findings == []
    assert project.index.module_at(root / "pkg/leak.py") is None


def test_a_pyproject_linked_out_is_not_read_and_a_fifo_is_an_error_not_a_hang(tree) -> None:
    root, outside = tree
    os.symlink(outside / "pyproject.toml", root / "pyproject.toml")
    assert load_project_config(root) == (ProjectConfig(), [])
    os.unlink(root / "pyproject.toml")
    os.mkfifo(root / "pyproject.toml")
    config, errors = load_project_config(root)
    assert config == ProjectConfig()
    assert len(errors) == 1 and "not a regular file" in errors[0].message


@pytest.mark.parametrize("name", ["../outside/baseline.json", "linked-baseline.json"])
def test_a_configured_baseline_outside_the_root_is_a_configuration_error(tree, name: str) -> None:
    root, outside = tree
    os.symlink(outside / "baseline.json", root / "linked-baseline.json")
    baseline, errors = baseline_for(root, ProjectConfig(baseline=name))
    assert baseline.entries == () and len(errors) == 1
    assert "outside the workspace root" in errors[0].message


def test_a_watched_file_event_for_a_link_out_keeps_it_out_of_the_index(tree) -> None:
    from lsprotocol import types
    from python_architect.lsp.background import _update_index

    root, outside = tree
    (root / "pkg/late.py").write_text("x = 1\n")  # a module first, then swapped for a link out
    project = Project.load(root)
    project.ensure_index()
    assert "pkg.late" in project.index.modules()
    os.unlink(root / "pkg/late.py")
    os.symlink(outside / "secret.py", root / "pkg/late.py")

    class Folder:
        lock = threading.Lock()

    _update_index(Folder(), project, [(root / "pkg/late.py", types.FileChangeType.Changed),
                                      (root / "pkg/leak.py", types.FileChangeType.Changed)])
    assert project.index.module_at(root / "pkg/late.py") is None
    assert "pkg.late" not in project.index.modules() and "pkg.leak" not in project.index.modules()


def test_init_writes_nothing_through_links_out_of_the_root(tree) -> None:
    from python_architect.cli.init_command import initialise

    root, outside = tree
    target = outside / "elsewhere"
    target.mkdir()
    os.symlink(target, root / ".ai")
    os.symlink(outside / "pyproject.toml", root / "pyproject.toml")
    before = (outside / "pyproject.toml").read_text()
    report = initialise(root, decision="none", agent=True)
    assert list(target.iterdir()) == []
    assert (outside / "pyproject.toml").read_text() == before
    assert any(".ai/adrs resolves outside" in note for note in report.notes)
    assert report.created == []
    os.unlink(root / ".ai")  # the knowledge folder is written now; the linked pyproject still not
    report = initialise(root, decision="none", agent=True)
    assert (root / ".ai/adrs/template.md").is_file()
    assert (outside / "pyproject.toml").read_text() == before
    assert any(note.startswith("pyproject.toml resolves outside") for note in report.notes)


def test_a_pyproject_fifo_gives_the_editor_a_finding_not_a_blocked_thread(tree) -> None:
    root, _ = tree
    os.mkfifo(root / "pyproject.toml")
    project = Project.load(root)  # the loader refuses it: one ARC006 problem
    found: list = []
    # Placing the finding must not read the FIFO: that blocked the editor's thread for good.
    worker = threading.Thread(target=lambda: found.extend(project.config_findings()), daemon=True)
    worker.start()
    worker.join(30)  # a hang guard only
    blocked = worker.is_alive()
    if blocked:  # a writer that closes at once ends the blocked read before the test fails
        os.close(os.open(root / "pyproject.toml", os.O_WRONLY | os.O_NONBLOCK))
    assert not blocked
    [finding] = found
    assert finding.code == "ARC006" and "not a regular file" in finding.message
