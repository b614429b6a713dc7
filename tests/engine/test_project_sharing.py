"""A project shared between threads: one locking rule, and only open documents' texts kept.

The index scan parses without the folder's lock and records what it parsed under it; a reload
that replaced the index meanwhile sends the scan over to the new one. Steps are ordered with
events (a facts source that pauses), never with sleeps.
"""

from __future__ import annotations

import threading
from pathlib import Path

from owned_lock import OwnedLock
from python_architect.engine import Project
from python_architect.workspace.scan import scan_results
from trees import write_tree

CYCLE = {"lib/pkg/__init__.py": "", "lib/pkg/a.py": "from pkg import b\n", "lib/pkg/b.py": "from pkg.a import A\n"}


def test_a_reload_during_the_scan_sends_it_to_the_new_index_and_no_parse_holds_the_lock(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**CYCLE, "pyproject.toml": "[project]\nname = 'x'\n"})
    project = Project.load(root)
    lock = OwnedLock()
    paused, resume = threading.Event(), threading.Event()
    parsed_under_lock: list[bool] = []
    scans: list[str] = []

    def pausing_source(roots, paths, *, jobs, progress):
        scans.append(roots.module_name(root / "lib/pkg/a.py") or "")
        for number, item in enumerate(scan_results(roots, paths, jobs=1, progress=progress)):
            parsed_under_lock.append(lock.held_here())
            yield item
            if number == 0 and len(scans) == 1:
                paused.set()
                resume.wait()

    scanner = threading.Thread(target=project.ensure_index, kwargs={"lock": lock, "facts_source": pausing_source})
    scanner.start()
    paused.wait()
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.python-architect]\nsrc = ['lib']\n")
    with lock:  # what the server's config reload does
        project.reload_config()
    resume.set()
    scanner.join()

    assert scans == ["lib.pkg.a", "pkg.a"]  # started over under the new source roots
    assert project.index.scanned and sorted(project.index.modules()) == ["pkg", "pkg.a", "pkg.b"]
    assert parsed_under_lock and not any(parsed_under_lock)
    assert {f.code for f in project.workspace_findings()} == {"ARC103"}


def test_an_edit_analysed_during_the_scan_is_not_overwritten_by_the_disk(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**CYCLE, "pyproject.toml": "[tool.python-architect]\nsrc = ['lib']\n"})
    project = Project.load(root)
    lock = OwnedLock()
    paused, resume = threading.Event(), threading.Event()

    def pausing_source(roots, paths, *, jobs, progress):
        paused.set()
        resume.wait()
        yield from scan_results(roots, paths, jobs=1, progress=progress)

    scanner = threading.Thread(target=project.ensure_index, kwargs={"lock": lock, "facts_source": pausing_source})
    scanner.start()
    paused.wait()
    with lock:  # the editor analyses an unsaved edit that breaks the cycle
        project.analyze(root / "lib/pkg/b.py", "x = 1\n", ruff=False)
    resume.set()
    scanner.join()
    assert project.workspace_findings() == []


def test_only_open_documents_shadow_the_disk(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**CYCLE, "pyproject.toml": "[tool.python-architect]\nsrc = ['lib']\n"})
    project = Project.load(root)
    project.ensure_index()
    [cycle] = project.workspace_findings()
    lines = cycle.path.read_text().splitlines(keepends=True)
    lines[cycle.span.line - 1] = lines[cycle.span.line - 1].rstrip("\n") + "  # architect: ignore[ARC103]\n"
    suppressed = "".join(lines)
    # Another caller (the chat, an assistant tool) analyses a text: it must leave no trace.
    project.analyze(cycle.path, suppressed, ruff=False)
    project.analyze(cycle.path, ruff=False)  # and the disk's text is analysed again
    assert [f.code for f in project.workspace_findings()] == ["ARC103"]
    # The editor has the file open with that text: its findings follow the open text.
    project.track_open(cycle.path, suppressed)
    assert project.workspace_findings() == []
    project.forget(cycle.path)
    assert [f.code for f in project.workspace_findings()] == ["ARC103"]


def test_workspace_checks_run_on_a_snapshot_without_the_lock(tmp_path: Path) -> None:
    """Cycles and layer chains take tens of milliseconds on a large workspace: they run on a
    snapshot of the index with the folder's lock released, the result is remembered for that
    index version, and an edit that changes the graph is seen by the next call."""
    from python_architect.catalog import REGISTRY

    root = write_tree(tmp_path, {**CYCLE, "pyproject.toml": "[project]\nname = 'x'\n\n[tool.python-architect]\nsrc = ['lib']\n"})
    lock = OwnedLock()
    held: list[bool] = []
    original = REGISTRY.lookup("ARC103").run

    def spying_cycles(context):
        held.append(lock.held_here())
        return original(context)

    project = Project.load(root, REGISTRY.replacing("ARC103", spying_cycles))
    assert [f.code for f in project.workspace_findings(lock=lock)] == ["ARC103"]
    assert held == [False], "the graph-wide check ran under the folder lock"
    assert [f.code for f in project.workspace_findings(lock=lock)] == ["ARC103"]
    assert held == [False], "an unchanged index is answered from the remembered result"
    with lock:  # an edit breaks the cycle
        project.analyze(root / "lib/pkg/b.py", "VALUE = 1\n")
    assert project.workspace_findings(lock=lock) == []
    assert held == [False, False]


def test_a_detached_view_reads_the_project_under_its_lock_and_changes_only_its_copies(tmp_path: Path) -> None:
    # The editor's "check workspace" runs for seconds in a background thread: on a detached view,
    # never holding the folder's lock meanwhile and never changing what keystrokes share.
    from contextlib import contextmanager

    from trees import write_tree
    from workspace_fixture import FILES

    root = write_tree(tmp_path, {**FILES, "src/shop/extra.py": "X = 1\n"})
    project = Project.load(root)
    project.ensure_index()
    path = root / "src/shop/extra.py"
    project.track_open(path, "X = 1\nY = 2\n")
    project.analyze(path, "X = 1\nY = 2\n", ruff=False)
    module = project.module_name(path)
    facts, version = project.index.lookup_module(module), project.index.version
    held: list[bool] = []

    @contextmanager
    def lock():
        held.append(True)
        yield

    view = project.detached(lock())
    assert held == [True]  # the snapshot was taken under the project's lock
    path.write_text("import os\n\nX = os.sep\n", encoding="utf-8")  # changed on disk meanwhile
    view.check_paths(ruff=False)
    view.analyze(path, ruff=False)
    assert [i.module for i in view.index.lookup_module(module).imports] == ["os"]
    assert project.index.lookup_module(module) is facts and project.index.version == version
    assert project._open_texts[path] == "X = 1\nY = 2\n"
