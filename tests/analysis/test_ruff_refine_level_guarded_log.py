"""G004 on a debug f-string in a loop whose message is built only when it is emitted (issue 21,
fourth reading: redis's cluster and connection pools, 23 of 52 default findings). Under a level
guard (``if logger.isEnabledFor(logging.DEBUG):``, ``if debug:`` hoisted out of the loop, a helper
that is that test) or in an ``except`` handler of a retry loop (once per error caught) the cost
the rule reports does not exist. Each shape sits beside its twin, where the message is built on
every pass whatever the level."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

LOG = "import logging\nlogger = logging.getLogger(__name__)\n\n"

REDIS_RETRY = (  # redis/asyncio/cluster.py:2127 and :2170, the MOVED and ASK handlers
    "async def execute(self, node, *args):\n    ttl = 16\n    while ttl > 0:\n        ttl -= 1\n"
    "        try:\n            return await node.execute(*args)\n"
    "        except MovedError as e:\n            if logger.isEnabledFor(logging.DEBUG):\n"
    "                name = str(args[0])\n                logger.debug(\n"
    "                    f'MOVED error received for command {name}, '\n"
    "                    f'on node {node.name}, error: {e}'\n                )\n"
    "            await self.move_slot(e)\n"
    "        except AskError as e:\n            if logger.isEnabledFor(logging.DEBUG):\n"
    "                logger.debug(f'ASK error received for command {args[0]}, error: {e}')\n"
    "            node = self.redirect(e)\n")

GUARDED = {
    "redis MOVED and ASK handlers under isEnabledFor": REDIS_RETRY,
    "isEnabledFor of any receiver and level number": (
        "def scan(self, rows):\n    for row in rows:\n        if self.log.isEnabledFor(5):\n"
        "            self.logger.debug(f'row {row}')\n"),
    "a name bound from the test before the loop": (  # redis/connection.py free-connection loop
        "def drop(pool):\n    debug = logger.isEnabledFor(logging.DEBUG)\n    for conn in pool:\n"
        "        if debug:\n            logger.debug(f'Disconnecting free connection: {conn}')\n"
        "        conn.disconnect()\n"),
    "the test as an operand of and": (
        "def scan(rows, verbose):\n    for row in rows:\n"
        "        if verbose and logger.isEnabledFor(logging.DEBUG):\n            logger.debug(f'row {row}')\n"),
    "a helper of this file that returns the test": (
        "def debug_on():\n    '''Whether debug logs are on.'''\n    return logger.isEnabledFor(logging.DEBUG)\n\n\n"
        "def release(nodes):\n    for name in nodes:\n        if debug_on():\n"
        "            logger.debug(f'releasing connections of removed node {name}')\n"),
    "an imported helper named for the test": (
        "from .client import is_debug_log_enabled\n\n\n"
        "def release(nodes):\n    for name in nodes:\n        if is_debug_log_enabled():\n"
        "            logger.debug(f'releasing connections of removed node {name}')\n"),
    "an except handler of a retry loop, unguarded": (
        "def fetch(get, key):\n    for attempt in range(3):\n        try:\n            return get(key)\n"
        "        except TimeoutError as e:\n            logger.debug(f'attempt {attempt} failed: {e}')\n"),
}

UNGUARDED = {
    "the MOVED handler's loop body, unguarded": (
        "async def execute(self, node, *args):\n    ttl = 16\n    while ttl > 0:\n        ttl -= 1\n"
        "        logger.debug(f'sending {args[0]} to {node.name}')\n        try:\n"
        "            return await node.execute(*args)\n        except MovedError as e:\n"
        "            node = self.redirect(e)\n"),
    "the call in the else of the guard": (
        "def scan(rows):\n    for row in rows:\n        if logger.isEnabledFor(logging.DEBUG):\n"
        "            pass\n        else:\n            logger.debug(f'row {row}')\n"),
    "a negated test": (
        "def scan(rows):\n    for row in rows:\n        if not logger.isEnabledFor(logging.DEBUG):\n"
        "            logger.debug(f'row {row}')\n"),
    "the test as an operand of or": (
        "def scan(rows, verbose):\n    for row in rows:\n"
        "        if verbose or logger.isEnabledFor(logging.DEBUG):\n            logger.debug(f'row {row}')\n"),
    "a name bound from something else": (
        "def drop(pool, options):\n    debug = options.debug\n    for conn in pool:\n"
        "        if debug:\n            logger.debug(f'Disconnecting free connection: {conn}')\n"),
    "a name also bound from something else": (
        "def drop(pool, options):\n    debug = logger.isEnabledFor(logging.DEBUG)\n"
        "    if options.force:\n        debug = True\n    for conn in pool:\n"
        "        if debug:\n            logger.debug(f'Disconnecting free connection: {conn}')\n"),
    "a helper of this file that tests something else": (
        "def debug_on():\n    return CONFIG.verbose\n\n\n"
        "def release(nodes):\n    for name in nodes:\n        if debug_on():\n"
        "            logger.debug(f'releasing {name}')\n"),
    "a guard around the def, not the call": (
        "if logger.isEnabledFor(logging.DEBUG):\n    def release(nodes):\n        for name in nodes:\n"
        "            logger.debug(f'releasing {name}')\n"),
    "a loop inside the except handler": (
        "def fetch(get, keys):\n    try:\n        return get(keys)\n    except KeyError:\n"
        "        for key in keys:\n            logger.debug(f'missing {key}')\n"),
}


@pytest.mark.parametrize("body", GUARDED.values(), ids=list(GUARDED))
def test_a_message_built_only_when_emitted_is_not_reported(body: str) -> None:
    reported, kept = reported_and_kept(LOG + body, "G004")
    assert reported and set(reported) == {"G004"}, "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("body", UNGUARDED.values(), ids=list(UNGUARDED))
def test_a_message_built_on_every_pass_is_reported(body: str) -> None:
    reported, kept = reported_and_kept(LOG + body, "G004")
    assert reported == kept == ["G004"]


def test_both_redis_handlers_are_reported_by_ruff_and_both_dropped() -> None:
    reported, kept = reported_and_kept(LOG + REDIS_RETRY, "G004")
    assert reported == ["G004", "G004"]
    assert kept == []
