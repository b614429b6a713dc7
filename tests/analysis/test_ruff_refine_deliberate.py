"""Default-tier findings on a choice the code writes out (issue 21, tuning on unseen packages):
clearml's reverse proxy with ``httpx.AsyncClient(timeout=None)`` and jupyterlab's browser check,
which sleeps after stopping its loop and then ``os._exit``s. Each beside the twin that stays
reported: no ``timeout=`` at all, and a blocking call that the process survives."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

DELIBERATE = [
    # clearml's router: a proxy session for long model-serving requests, unbounded on purpose
    ("import httpx\n\n\nclass Proxy:\n    def add_route(self, target):\n"
     "        self.routes[target] = Route(\n            target,\n"
     "            session=httpx.AsyncClient(timeout=None),\n        )\n", "S113"),
    ("import requests\n\n\ndef wait_for_startup(url):\n    return requests.get(url, timeout=None)\n", "S113"),
    # jupyterlab's browser check: the loop is stopped, the process exits two seconds later
    ("import os\nimport time\n\n\nasync def run_test_async(app, func):\n    result = 0\n    try:\n"
     "        await func(app.url)\n        app.io_loop.stop()\n    finally:\n        time.sleep(2)\n"
     "        os._exit(result)\n", "ASYNC251"),
]

STILL_REPORTED = [
    # the twin: no timeout written at all, the one nobody thought of
    ("import requests\n\n\nclass Proxy:\n    def add_route(self, target):\n"
     "        self.routes[target] = Route(\n            target,\n"
     "            probe=requests.head(target),\n        )\n", "S113"),
    ("import requests\n\n\ndef wait_for_startup(url):\n    return requests.get(url)\n", "S113"),
    # the loop goes on after the sleep: every other task waits two seconds
    ("import os\nimport time\n\n\nasync def run_test_async(app, func):\n    result = 0\n    try:\n"
     "        await func(app.url)\n    finally:\n        time.sleep(2)\n"
     "        app.log.info(result)\n", "ASYNC251"),
    # sys.exit raises SystemExit, which the loop's owner may catch and go on
    ("import sys\nimport time\n\n\nasync def run_test_async(app, func):\n    try:\n"
     "        await func(app.url)\n    finally:\n        time.sleep(2)\n        sys.exit(0)\n", "ASYNC251"),
]


@pytest.mark.parametrize(("text", "code"), DELIBERATE)
def test_a_choice_written_out_is_not_reported(text: str, code: str) -> None:
    reported, kept = reported_and_kept(text, code)
    assert reported == [code], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize(("text", "code"), STILL_REPORTED)
def test_the_same_call_without_the_choice_is_reported(text: str, code: str) -> None:
    reported, kept = reported_and_kept(text, code)
    assert reported == kept == [code]
