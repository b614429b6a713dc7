"""How a scan hands its results to an index other threads use (``workspace.recording``) and how
its worker processes yield to the editor (``workspace.scan``): the recorder lets a thread that
waits for the lock in between its slices, keeps entries written meanwhile, stops when the index
was replaced; worker processes run at a lower priority and stream their results chunk by chunk.
Steps are ordered with the lock's own waiter count, not sleeps."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from python_architect.config import ProjectConfig
from python_architect.workspace.files import discover_files
from python_architect.workspace.index import WorkspaceIndex
from python_architect.workspace.scan import (
    _init_scan_worker,
    background_scan_jobs,
    scan_results,
    stream_results,
)
from python_architect.workspace.recording import SliceRecorder, WaitCountingLock
from python_architect.workspace.roots import SourceRoots
from trees import write_tree


def _workspace(tmp_path: Path, modules: int) -> tuple[SourceRoots, list[Path]]:
    files = {"pkg/__init__.py": ""}
    files.update({f"pkg/m{n}.py": f"from pkg import m{(n + 1) % modules}\n\nclass C{n}:\n    pass\n"
                  for n in range(modules)})
    root = write_tree(tmp_path / "ws", files)
    python = discover_files(root, ProjectConfig()).python
    return SourceRoots.from_config(root, ProjectConfig(), python), python


class _PausingIndex(WorkspaceIndex):
    """Calls ``on_first_update`` (while the recorder holds the lock) before its first record."""

    def __init__(self, roots: SourceRoots, on_first_update) -> None:
        super().__init__(roots)
        self.on_first_update = on_first_update

    def update(self, path, text_or_facts):
        hook, self.on_first_update = self.on_first_update, None
        if hook is not None:
            hook()
        return super().update(path, text_or_facts)


def test_a_thread_waiting_for_the_lock_gets_it_between_two_slices(tmp_path: Path) -> None:
    roots, python = _workspace(tmp_path, 40)
    results = list(scan_results(roots, python))
    lock = WaitCountingLock()
    seen: list[int] = []

    def analysis() -> None:  # what an open document's analysis does: take the folder lock
        with lock:
            seen.append(len(index))

    waiter = threading.Thread(target=analysis)

    def start_waiter_and_let_it_queue() -> None:
        waiter.start()
        assert lock.wait_until(lambda waiting: waiting == 1, timeout=30)

    index = _PausingIndex(roots, start_waiter_and_let_it_queue)
    recorder = SliceRecorder(index, lock, budget=0.0)  # one file per hold
    recorder(results)
    waiter.join(timeout=30)

    assert seen == [1]  # it went right after the first slice, not after the whole batch
    assert recorder.handoffs >= 1 and recorder.holds == len(results)
    assert len(index) == recorder.recorded == len(results)


def test_slices_keep_entries_written_meanwhile_and_stop_on_a_replaced_index(tmp_path: Path) -> None:
    roots, python = _workspace(tmp_path, 12)
    results = list(scan_results(roots, python))
    edited = tmp_path / "ws/pkg/m3.py"
    index = WorkspaceIndex(roots)
    index.update(edited, "import os\n")  # an open document's unsaved text, newer than the disk
    lock = WaitCountingLock()
    SliceRecorder(index, lock)(results)
    assert len(index) == len(results)
    assert [i.module for i in index.lookup_module("pkg.m3").imports] == ["os"]

    replaced = WorkspaceIndex(roots)
    stale = SliceRecorder(replaced, lock, is_current=lambda: False)
    stale(results)
    assert stale.stale and len(replaced) == 0


def test_the_lock_counts_its_waiters_and_is_reentrant() -> None:
    lock = WaitCountingLock()
    acquired = threading.Event()

    def other() -> None:
        with lock:
            acquired.set()

    with lock, lock:  # re-entrant, like the RLock it replaces
        thread = threading.Thread(target=other)
        thread.start()
        assert lock.wait_until(lambda waiting: waiting == 1, timeout=30)
        assert not acquired.is_set()
        assert lock.acquire(blocking=False)  # already ours: it does not wait
        lock.release()
    assert lock.let_waiters_in(timeout=30)
    thread.join(timeout=30)
    assert acquired.is_set() and lock.waiting == 0


def test_scan_workers_run_at_a_lower_priority(tmp_path: Path) -> None:
    roots, _ = _workspace(tmp_path, 2)
    if not hasattr(os, "nice"):  # no priorities to lower: the editor keeps a core for itself
        assert background_scan_jobs() == max(1, (os.cpu_count() or 2) - 1)
        return
    ours = os.nice(0)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=_init_scan_worker,
                             initargs=(roots, 5)) as pool:
        theirs = pool.submit(os.nice, 0).result(timeout=60)
    assert theirs == min(19, ours + 5)
    assert background_scan_jobs() == (os.cpu_count() or 2)


def test_worker_results_arrive_chunk_by_chunk_and_cover_every_file(tmp_path: Path) -> None:
    roots, python = _workspace(tmp_path, 220)
    reports: list[tuple[int, int]] = []
    batches = list(stream_results(roots, python, jobs=2, progress=lambda done, total: reports.append((done, total)),
                                  nice=5))
    assert len(batches) > 1  # recorded as they come, not all at the end
    paths = [path for batch in batches for path, _ in batch]
    assert sorted(paths) == sorted(python) and all(facts is not None for batch in batches for _, facts in batch)
    assert reports[-1] == (len(python), len(python))
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)


def test_a_recorder_called_under_the_lock_does_not_wait_for_waiters_it_blocks(tmp_path: Path) -> None:
    roots, python = _workspace(tmp_path, 5)
    results = list(scan_results(roots, python))
    lock = WaitCountingLock()
    waiter = threading.Thread(target=lambda: lock.acquire() and lock.release())
    index = WorkspaceIndex(roots)
    with lock:
        waiter.start()
        assert lock.wait_until(lambda waiting: waiting == 1, timeout=30)
        recorder = SliceRecorder(index, lock, budget=0.0)
        recorder(results)  # would stall a second per slice if it waited for a waiter it blocks
        assert recorder.handoffs == 0 and len(index) == len(results)
    waiter.join(timeout=30)
    assert not waiter.is_alive()
