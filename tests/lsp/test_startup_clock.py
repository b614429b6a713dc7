"""The server's ``startup:`` line (``lsp/startup.py``): where it ends for a push client and for a
pull client, and that marks after it are not recorded (the e2e and the bench read it once)."""

from __future__ import annotations

import logging
import re

from python_architect.lsp.startup import FIRST_ANSWER, FIRST_DIAGNOSTICS, StartupClock

MARK = re.compile(r"([a-z ]+?) (\d+)(?:, |$)")


def logged_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("startup:")]


def names(line: str) -> list[str]:
    assert line.endswith(" (ms since the process started at 0)"), line
    body = line.removeprefix("startup: ").removesuffix(" (ms since the process started at 0)")
    return [name for name, _ in MARK.findall(body)]


def test_a_push_clients_line_ends_at_the_first_diagnostics(caplog):
    caplog.set_level(logging.INFO, logger="python_architect")
    clock = StartupClock(started=0.0)
    for name in ("imports done", "initialize", "document opened", FIRST_DIAGNOSTICS, "refresh requested"):
        clock.mark(name)
    lines = logged_lines(caplog)
    assert len(lines) == 1
    assert names(lines[0]) == ["imports done", "initialize", "document opened", FIRST_DIAGNOSTICS]


def test_a_pull_clients_line_ends_at_the_first_answer_and_keeps_what_came_between(caplog):
    caplog.set_level(logging.INFO, logger="python_architect")
    clock = StartupClock(started=0.0)
    clock.last = FIRST_ANSWER
    for name in ("initialize", "document opened", "first pull", FIRST_DIAGNOSTICS, "refresh requested", FIRST_ANSWER):
        clock.mark(name)
    clock.mark("first pull")  # a repeat keeps the first time
    clock.mark("index scan began")  # after the line: not recorded
    lines = logged_lines(caplog)
    assert len(lines) == 1, lines
    assert names(lines[0]) == ["initialize", "document opened", "first pull", FIRST_DIAGNOSTICS, "refresh requested",
                               FIRST_ANSWER]
    assert "index scan began" not in clock.marks
