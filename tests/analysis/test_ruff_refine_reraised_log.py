"""TRY400 on a branch that logs and then re-raises the caught exception (issue 21, fifth reading:
slack-sdk's ``except SlackApiError as e: if ...: retry  else: logger.error(...); raise e``): the
exception travels on with its traceback, so ``logger.exception`` would print it twice. The twins:
a branch that raises something else, a re-raise on another branch, and a handler that only logs
stay reported."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

HANDLER = ("import logging\n"
           "logger = logging.getLogger(__name__)\n"
           "def fetch(client):\n"
           "    try:\n"
           "        return client.get()\n"
           "    except Exception as e:\n"
           "        if e.errno == 4:\n"
           "            return fetch(client)\n"
           "        else:\n"
           "{branch}")


@pytest.mark.parametrize("branch", [
    "            logger.error(f'failed: {e}')\n            raise e\n",
    "            logger.error(f'failed: {e}')\n            raise\n",
    ("            for attempt in range(2):\n"
     "                logger.error(f'failed: {e}')\n"
     "            raise e\n"),
])
def test_a_branch_that_logs_then_reraises_is_not_reported(branch: str) -> None:
    reported, kept = reported_and_kept(HANDLER.format(branch=branch), "TRY400")
    assert reported == ["TRY400"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("branch", [
    # a new exception without its cause: the caught traceback is lost
    "            logger.error(f'failed: {e}')\n            raise RuntimeError('failed')\n",
    # raises a different name than the one caught
    "            other = ValueError()\n            logger.error(f'failed: {e}')\n            raise other\n",
    # the re-raise is on the other branch; this one logs and carries on
    "            logger.error(f'failed: {e}')\n        if e.errno == 5:\n            raise e\n",
    # the raise comes before the log (on a branch of its own), the log's path falls through
    "            if e.errno == 6:\n                raise e\n            logger.error(f'failed: {e}')\n",
])
def test_a_branch_that_logs_and_loses_the_traceback_is_reported(branch: str) -> None:
    reported, kept = reported_and_kept(HANDLER.format(branch=branch), "TRY400")
    assert reported == kept == ["TRY400"]
