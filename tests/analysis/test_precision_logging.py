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
     _handler("ImportError", "log.exception('Failed to load commands: %s', exc)\nlog.error('Check your executor config')"),
     _handler("ImportError", "log.warning('Failed to load commands: %s', exc)\nlog.error('Check your executor config')")),
    ("traceback-already-logged (exc_info=True)",
     _handler("OSError", "log.warning('read failed', exc_info=True)\nlog.error('giving up on %s', g)"),
     _handler("OSError", "log.warning('read failed', exc_info=False)\nlog.error('giving up on %s', g)")),
    # the traceback is logged *after* the error line: the error line itself is still the one to fix
    ("traceback-logged-after", None,
     _handler("OSError", "log.error('giving up on %s', g)\nlog.debug('details', exc_info=True)")),
    # try400-error-info-included: the message is built from the traceback itself (dagster)
    ("traceback-in-message",
     _handler("Exception", "log.error('heartbeat failed:\\n%s', serializable_error_info_from_exc_info(sys.exc_info()))"),
     _handler("Exception", "log.error('heartbeat failed:\\n%s', last_error_summary())")),
    ("traceback-in-message format_exc", _handler("Exception", "log.error('failed: %s', traceback.format_exc())"),
     _handler("Exception", "log.error('failed: %s', repr(exc))")),
    # expected-timeout: a timeout's traceback carries nothing
    ("expected-timeout asyncio", _handler("asyncio.TimeoutError", "log.error('restart timed out after %s s', 30)"),
     _handler("asyncio.CancelledError", "log.error('restart cancelled after %s s', 30)")),
    ("expected-timeout builtin", _handler("TimeoutError", "log.error('timed out')"),
     _handler("ConnectionError", "log.error('connection lost')")),
    ("expected-timeout tuple",
     _handler("(socket.timeout, requests.ReadTimeout, requests.ConnectTimeout)", "log.error('no answer from %s', g)"),
     _handler("(socket.timeout, requests.HTTPError)", "log.error('no answer from %s', g)")),
    ("expected-timeout httpx-like", _handler("httpx.TimeoutException", "log.error('slow upstream')"),
     _handler("httpx.HTTPStatusError", "log.error('bad upstream')")),
]


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
