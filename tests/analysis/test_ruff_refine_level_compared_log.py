"""G004 under a level comparison or a diagnostics flag (issue 21, fifth reading: slack-sdk's
``if self.logger.level <= logging.DEBUG:`` and ``if self.trace_enabled is True:`` around a debug
f-string in a retry or frame loop): the message is built only when it is asked for. The twins: a
comparison that means "less verbose", a level compared with something that is no level, and a
bare parameter flag (``if verbose:``, which may be anything) stay reported."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

LOG = "import logging\nlogger = logging.getLogger(__name__)\n\n"
LOOP = "def send(self, rows):\n    for row in rows:\n        if {test}:\n            self.logger.debug(f'row {{row}}')\n"


@pytest.mark.parametrize("test", [
    "self.logger.level <= logging.DEBUG",
    "logger.level < logging.INFO",
    "logger.getEffectiveLevel() == DEBUG",
    "logging.DEBUG >= self.logger.level",
    "self.logger.level <= 10",
    "self.trace_enabled is True",
    "self.trace_enabled",
    "self.options.debug and row",
    "self.verbose_logging == True",
])
def test_a_debug_message_under_a_level_or_flag_test_is_not_reported(test: str) -> None:
    reported, kept = reported_and_kept(LOG + LOOP.format(test=test), "G004")
    assert reported == ["G004"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("test", [
    "self.logger.level > logging.DEBUG",  # less verbose than debug: the debug message is dropped anyway, but built
    "self.logger.level >= logging.INFO",
    "self.logger.level <= self.threshold",  # not a level constant
    "self.logger.levels <= logging.DEBUG",  # not the logger's level
    "row.level <= logging.DEBUG and False or row",  # an ``or``
    "verbose",  # a bare name: not an attribute flag
    "self.trace_enabled is False",
    "self.enabled",  # an attribute not named for diagnostics
])
def test_a_test_that_does_not_mean_debug_is_on_is_reported(test: str) -> None:
    text = LOG + LOOP.format(test=test).replace("(self, rows)", "(self, rows, verbose=False)")
    reported, kept = reported_and_kept(text, "G004")
    assert reported == kept == ["G004"]
