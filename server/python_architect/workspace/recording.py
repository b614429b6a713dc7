"""Handing scan results to an index that other threads use: in short slices under their lock,
stepping aside whenever one of them waits.

A language server's first scan produces facts for hundreds of files while the user types. The
index is shared with the analyses of open documents, which hold the folder lock while they run;
whoever records facts must hold it too. Recording one file costs ~0.1-0.3 ms of interpreter
time, so a scan that recorded everything at once (or outside the lock, racing the analysis for
the interpreter lock) delayed every keystroke that arrived meanwhile. ``SliceRecorder`` records
under the lock for at most ``budget`` seconds per hold; between holds, a thread that waits for
the lock (``WaitCountingLock.waiting``) goes first: a plain lock is not fair, and the recorder
would otherwise take it straight back. While an analysis runs, the recorder is blocked on the
lock, so the two never compete for the interpreter lock.

``record_whole_scan`` is the engine's simpler way (``Project.ensure_index``): it parses outside
the lock and records a fixed number of files per hold.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ..analysis.facts import ModuleFacts

RECORD_BUDGET_S = 0.002
"""The longest a scan holds the folder lock in one go (what a keystroke may wait behind it)."""
HANDOFF_TIMEOUT_S = 1.0
"""How long the recorder lets waiting threads go first before it queues for the lock again
(a safety valve: a waiter normally gets the lock within microseconds)."""
RECORD_CHUNK = 64
"""Facts recorded per hold of the lock by ``record_whole_scan``: short holds keep keystrokes flowing."""
FactsSource = Callable[..., Iterable[tuple[Path, ModuleFacts | None]]]
"""``(roots, paths, *, jobs, progress) -> (path, facts or None)`` for each first-party file."""


class WaitCountingLock:
    """A re-entrant lock that knows how many threads are blocked waiting for it.

    Used like ``threading.RLock`` (``with lock:``, ``acquire``/``release``). A thread that has
    just released it can ``let_waiters_in()``: it returns once every thread that was waiting has
    had the lock (or the timeout passed), instead of racing them for it.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._waiting = 0
        self._changed = threading.Condition(threading.Lock())

    @property
    def waiting(self) -> int:
        """Threads blocked in ``acquire`` right now."""
        return self._waiting

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._lock.acquire(False):  # free, or already ours (re-entrant): no bookkeeping
            return True
        if not blocking:
            return False
        with self._changed:
            self._waiting += 1
            self._changed.notify_all()
        try:
            return self._lock.acquire(True, timeout)
        finally:
            with self._changed:
                self._waiting -= 1
                self._changed.notify_all()

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def wait_until(self, condition: Callable[[int], bool], timeout: float | None = None) -> bool:
        """Blocks until ``condition(waiting)`` holds (re-checked whenever the count changes)."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self._waiting), timeout)

    def held_here(self) -> bool:
        """Whether the calling thread holds the lock (then nobody else can get it)."""
        return self._lock._is_owned()  # type: ignore[attr-defined]  # RLock's own, C-implemented

    def let_waiters_in(self, timeout: float = HANDOFF_TIMEOUT_S) -> bool:
        """Returns once no thread waits for the lock: the ones waiting now have had it."""
        return self.wait_until(lambda waiting: waiting == 0, timeout)


class SliceRecorder:
    """Records ``(path, facts)`` batches into ``index`` under ``lock``, ``budget`` seconds a hold.

    ``is_current()`` (checked under the lock) says whether ``index`` is still the one to fill:
    when a reload replaced it, recording stops and ``stale`` is set (the caller scans again).
    An entry already present (an open document's unsaved text, analysed meanwhile) is newer
    than the disk and is kept. ``holds`` counts the lock holds, ``handoffs`` the times a waiting
    thread was let in between two of them.
    """

    def __init__(self, index: Any, lock: Any, *, budget: float = RECORD_BUDGET_S,
                 is_current: Callable[[], bool] = lambda: True) -> None:
        self.index = index
        self.lock = lock
        self.budget = budget
        self.is_current = is_current
        self.stale = False
        self.recorded = 0
        self.holds = 0
        self.handoffs = 0

    def __call__(self, results: Iterable[tuple[Path, ModuleFacts | None]]) -> None:
        todo = [(path, facts) for path, facts in results if facts is not None]
        done = 0
        while done < len(todo) and not self.stale:
            with self.lock:
                self.holds += 1
                if not self.is_current():
                    self.stale = True
                    return
                deadline = time.perf_counter() + self.budget
                while done < len(todo):
                    path, facts = todo[done]
                    done += 1
                    if self.index.module_at(path) is None:
                        self.index.update(path, facts)
                        self.recorded += 1
                    if time.perf_counter() >= deadline:
                        break
            # Only a lock that counts its waiters can hand over; and only when this thread does not
            # still hold it from outside (then nobody could take it).
            if getattr(self.lock, "waiting", 0) and not self.lock.held_here():
                self.handoffs += 1
                self.lock.let_waiters_in()


def record_whole_scan(current_index: Callable[[], Any], python_files: Callable[[], list[Path]],
                      guard: AbstractContextManager[Any], source: FactsSource, jobs_for: Callable[[int], int],
                      progress: Callable[[int, int], None] | None) -> bool:
    """Fills the index ``current_index()`` returns with the facts ``source`` yields for the
    ``python_files()`` it lacks, until it is complete; False when it already was.

    ``guard`` is the lock of the index's owner. Files are read and parsed *without* it; their
    facts are recorded *with* it, ``RECORD_CHUNK`` at a time, into the index the scan started on.
    An entry that appeared meanwhile (an edit analysed during the scan) is newer than the disk and
    is kept; if the owner replaced the index meanwhile (new source roots), the scan starts over on
    the new one.
    """
    while True:
        with guard:
            index = current_index()
            if index.scanned:
                return False
            todo = [p for p in python_files() if index.module_at(p) is None]
        results = iter(source(index.roots, todo, jobs=jobs_for(len(todo)), progress=progress))
        current = True
        while current:
            chunk = list(itertools.islice(results, RECORD_CHUNK))
            with guard:
                current = current_index() is index
                if current:
                    for path, facts in chunk:
                        if facts is not None and index.module_at(path) is None:
                            index.update(path, facts)
                    if not chunk:
                        index.scanned = True
            if not chunk:
                break
        if current:
            return True
