"""The server's start-up clock: wall-clock marks from the process start to the first diagnostics
of the first document reaching the client, logged once as one ``startup:`` line (the e2e and
``benchmarks/bench_startup.py`` read it to split "spawn to first diagnostic" into phases). The
line ends at ``first diagnostics`` for a push client and at the first pull answered with them
(``first diagnostics answered``) for a pull client, so the messages in between (the document
opened, the first pull, a refresh) show where the editor waited.

The start is the bootstrap's first instruction (``PYTHON_ARCHITECT_STARTED``, seconds since the
epoch, set before it re-executes itself in UTF-8 mode); without it (``python-architect serve``)
the clock starts when this module is imported. Each mark is kept once, the first time it is
reached: later reloads and documents do not move it. Written by the event loop and by the pool
thread that loads the project; a mark is one dict assignment (atomic under the GIL) and the line
is logged by whichever call marks ``first diagnostics`` first, which also has the code generated
so far saved for the next start (``generated_code``).
"""

from __future__ import annotations

import logging
import os
import time

from . import generated_code

PROCESS_START_ENV = "PYTHON_ARCHITECT_STARTED"
FIRST_DIAGNOSTICS = "first diagnostics"
FIRST_ANSWER = "first diagnostics answered"

log = logging.getLogger("python_architect")


def _process_start() -> float:
    raw = os.environ.pop(PROCESS_START_ENV, "")  # not for the processes the server starts
    try:
        started = float(raw)
    except ValueError:
        return time.time()
    return started if 0 < started <= time.time() else time.time()


class StartupClock:
    def __init__(self, started: float) -> None:
        self.started = started
        self.marks: dict[str, float] = {}
        self.last = FIRST_DIAGNOSTICS
        """The mark that logs the line (``FIRST_ANSWER`` once the client says it pulls)."""

    def mark(self, name: str) -> None:
        """Records ``name`` the first time, unless the line was logged; ``last`` logs it."""
        if name in self.marks or self.last in self.marks:
            return
        self.marks[name] = time.time()
        if name == FIRST_DIAGNOSTICS:
            generated_code.save_in_background()  # what this start compiled, for the next one
        if name == self.last:
            log.info("%s", self.line())

    def line(self) -> str:
        parts = ", ".join(f"{name} {(at - self.started) * 1000:.0f}" for name, at in self.marks.items())
        return f"startup: {parts} (ms since the process started at {self.started * 1000:.0f})"


CLOCK = StartupClock(_process_start())
