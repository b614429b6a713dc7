"""TRY400 classes from the second blind reading (issue 21), each beside its true-positive twin,
judged on ruff's real output: a traceback the handler already logged, a message built from the
traceback itself, and a handler that catches only timeouts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from python_architect.analysis import ruff_bridge
from python_architect.analysis.ruff_refine import post_process

LOG = "import asyncio\nimport logging\nimport socket\nimport sys\nimport traceback\n\nimport requests\n\nlog = logging.getLogger(__name__)\n\n"


def _handler(caught: str, body: str) -> str:
    return LOG + f"def load(g):\n    try:\n        g()\n    except {caught} as exc:\n" + "".join(
        f"        {line}\n" for line in body.splitlines())


# (class, false positive, its true-positive twin)
TWINS = [
    # traceback-already-logged: ``log.exception`` first, then a remediation hint at error level
    ("traceback-already-logged",
     _handler("Exception", "log.exception('Failed to load commands: %s', exc)\nlog.error('Check your executor config')"),
     _handler("Exception", "log.warning('Failed to load commands: %s', exc)\nlog.error('Check your executor config')")),
    ("traceback-already-logged (exc_info=True)",
     _handler("Exception", "log.warning('read failed', exc_info=True)\nlog.error('giving up on %s', g)"),
     _handler("Exception", "log.warning('read failed', exc_info=False)\nlog.error('giving up on %s', g)")),
    # the traceback is logged *after* the error line: the error line itself is still the one to fix
    ("traceback-logged-after", None,
     _handler("Exception", "log.error('giving up on %s', g)\nlog.debug('details', exc_info=True)")),
    # try400-error-info-included: the message is built from the traceback itself (dagster)
    ("traceback-in-message",
     _handler("Exception", "log.error('heartbeat failed:\\n%s', serializable_error_info_from_exc_info(sys.exc_info()))"),
     _handler("Exception", "log.error('heartbeat failed:\\n%s', last_error_summary())")),
    ("traceback-in-message format_exc", _handler("Exception", "log.error('failed: %s', traceback.format_exc())"),
     _handler("Exception", "log.error('failed: %s', repr(exc))")),
    # ... or through a name bound to it first (gunicorn's dirty worker); the twin's name holds text
    ("traceback-in-message by name",
     _handler("Exception", "tb = traceback.format_exc()\nlog.error('failed: %s\\n%s', exc, tb)"),
     _handler("Exception", "tb = str(exc)\nlog.error('failed: %s\\n%s', exc, tb)")),
    # expected failures of named types (timeouts, validation, a driver's connection error): the
    # message states the cause; the twins catch everything, where the traceback is the evidence
    ("expected-timeout asyncio", _handler("asyncio.TimeoutError", "log.error('restart timed out after %s s', 30)"),
     _handler("Exception", "log.error('restart failed after %s s', 30)")),
    ("expected-validation-error", _handler("ValueError", "log.error('bad params %r: %s', g, exc)"),
     _handler("BaseException", "log.error('bad params %r: %s', g, exc)")),
    ("expected-transient-error tuple",
     _handler("(redis.ConnectionError, socket.timeout, requests.ReadTimeout)", "log.error('no answer from %s', g)"),
     _handler("(redis.ConnectionError, Exception)", "log.error('no answer from %s', g)")),
    ("expected-domain-error", _handler("RedisClusterException", "log.error('cluster refresh failed: %s', exc)"),
     _handler("builtins.Exception", "log.error('cluster refresh failed: %s', exc)")),
]

CONVERTED = (LOG + "def matches(status_code, rules):\n    try:\n        status_code = int(status_code)\n"
             "    except:\n        log.error('Failed to coerce status code into integer: %s', status_code)\n")
SANITIZED = (LOG + "def add_event(name):\n    try:\n        name = sanitize(name)\n    except Exception as e:\n"
             "        log.error('Invalid event name %s: %s', name, e)\n        return\n")
CONVERTED_AND_USED = (LOG + "def matches(status_code, rules):\n    try:\n        status_code = int(status_code)\n"
                      "        rules.apply(status_code)\n    except:\n        log.error('failed: %s', status_code)\n")


def test_a_handler_around_a_conversion_alone_is_dropped_and_more_work_is_kept() -> None:
    # newrelic (issue 21, seventh reading): the try body coerces or sanitizes one value and the
    # message names it. The twin's try body also does work whose failure is unexpected.
    for text in (CONVERTED, SANITIZED):
        reported, kept = _kept(text)
        assert reported == ["TRY400"] and kept == []
    reported, kept = _kept(CONVERTED_AND_USED)
    assert reported == kept == ["TRY400"]


def _kept(text: str) -> tuple[list[str], list[str]]:
    raw = ruff_bridge.run_ruff(text, Path("mod.py"), ["TRY400"])
    kept = post_process(ast.parse(text), text.splitlines(), raw)
    return [f.code for f in raw], [f.code for f in kept]


@pytest.mark.parametrize(("name", "false_positive", "twin"), TWINS, ids=[t[0] for t in TWINS])
def test_try400_false_positive_dropped_and_twin_kept(name: str, false_positive: str | None, twin: str) -> None:
    if false_positive is not None:
        reported, kept = _kept(false_positive)
        assert reported, "ruff must report the shape, or the judge is not what drops it"
        assert kept == []
    reported, kept = _kept(twin)
    assert reported == ["TRY400"]
    assert kept == ["TRY400"]


def test_a_bare_except_is_not_a_timeout_handler() -> None:
    text = LOG + "def load(g):\n    try:\n        g()\n    except:\n        log.error('failed')\n"
    reported, kept = _kept(text)
    assert reported == kept == ["TRY400"]
