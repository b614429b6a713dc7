"""Blocking calls in a coroutine nothing runs beside (issue 21, seventh reading: snakemake's touch
executor defines ``async def touch()`` inside ``run_job`` and drives it with
``self.workflow.async_run(touch())``; its ``time.sleep`` blocks only its own caller). Each shape
beside the twin that stays reported: a coroutine also handed to ``create_task``, one defined at
module level, one driven with arguments by something that is no runner, one handed to a thread beside a
function that is no runner (nbconvert's ``pool.submit(asyncio.run, main(html))`` is dropped)."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

DRIVEN = [
    ("import time\n\n\nclass Executor:\n    def run_job(self, job):\n        async def touch():\n"
     "            if job.output:\n                time.sleep(1)\n            await job.touch()\n\n"
     "        self.workflow.async_run(touch())\n", "ASYNC251"),
    ("import asyncio\nimport subprocess\n\n\ndef main(argv):\n    async def build():\n"
     "        subprocess.run(['make'], check=True)\n        await asyncio.sleep(0)\n\n"
     "    for _ in argv:\n        asyncio.run(build())\n", "ASYNC221"),
    ("import asyncio\nimport time\n\n\ndef legacy(loop):\n    async def step():\n        time.sleep(0.1)\n\n"
     "    loop.run_until_complete(step())\n", "ASYNC251"),
    # flytekit's connector (ninth reading): a private coroutine method only ever driven on a private loop
    ("import asyncio\nimport time\n\nLOOP = asyncio.new_event_loop()\n\n\nclass Connector:\n"
     "    def get(self, meta):\n        return LOOP.run_until_complete(self._get(meta=meta))\n\n"
     "    async def _get(self, meta):\n        time.sleep(1)\n        return meta\n", "ASYNC251"),
    # nbconvert's webpdf exporter (tuning on unseen packages): the coroutine, called with its
    # argument, runs on ``asyncio.run`` in a worker thread, alone on that loop
    ("import asyncio\nimport concurrent.futures\nimport subprocess\n\n\nclass Exporter:\n"
     "    def run_playwright(self, html):\n        async def main(temp_file):\n"
     "            subprocess.check_call(['playwright', 'install'])\n            return temp_file\n\n"
     "        pool = concurrent.futures.ThreadPoolExecutor()\n"
     "        return pool.submit(asyncio.run, main(html)).result()\n", "ASYNC221"),
]

STILL_REPORTED = [
    # the twin: handed to a thread with a function that is no runner (it may share a loop)
    ("import asyncio\nimport concurrent.futures\nimport subprocess\n\n\nclass Exporter:\n"
     "    def run_playwright(self, html, schedule):\n        async def main(temp_file):\n"
     "            subprocess.check_call(['playwright', 'install'])\n            return temp_file\n\n"
     "        pool = concurrent.futures.ThreadPoolExecutor()\n"
     "        return pool.submit(schedule, main(html)).result()\n", "ASYNC221"),
    # also scheduled beside other tasks
    ("import asyncio\nimport time\n\n\ndef start(loop):\n    async def tick():\n        time.sleep(1)\n\n"
     "    loop.create_task(tick())\n    loop.run_until_complete(tick())\n", "ASYNC251"),
    # a module-level coroutine: whoever awaits it may share the loop
    ("import asyncio\nimport time\n\n\nasync def tick():\n    time.sleep(1)\n\n\ndef main():\n"
     "    asyncio.run(tick())\n", "ASYNC251"),
    # handed to gather inside the runner: it runs beside the others
    ("import asyncio\nimport time\n\n\ndef main(others):\n    async def tick():\n        time.sleep(1)\n\n"
     "    asyncio.run(asyncio.gather(tick(), *others))\n", "ASYNC251"),
    # the private coroutine is also awaited elsewhere in the module, beside other work
    ("import asyncio\nimport time\n\nLOOP = asyncio.new_event_loop()\n\n\nclass Connector:\n"
     "    def get(self, meta):\n        return LOOP.run_until_complete(self._get(meta=meta))\n\n"
     "    async def many(self, metas):\n        return await asyncio.gather(*(self._get(m) for m in metas))\n\n"
     "    async def _get(self, meta):\n        time.sleep(1)\n        return meta\n", "ASYNC251"),
    # a public coroutine method: other modules may await it
    ("import asyncio\nimport time\n\n\nclass Connector:\n    def get(self, loop):\n"
     "        return loop.run_until_complete(self.fetch())\n\n    async def fetch(self):\n        time.sleep(1)\n", "ASYNC251"),
    # returned to a caller, who decides where it runs
    ("import time\n\n\ndef make():\n    async def tick():\n        time.sleep(1)\n\n    return tick\n", "ASYNC251"),
]


@pytest.mark.parametrize(("text", "code"), DRIVEN)
def test_a_coroutine_driven_alone_by_its_own_caller_is_not_reported(text: str, code: str) -> None:
    reported, kept = reported_and_kept(text, code)
    assert reported == [code], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize(("text", "code"), STILL_REPORTED)
def test_a_coroutine_that_may_share_its_loop_is_reported(text: str, code: str) -> None:
    reported, kept = reported_and_kept(text, code)
    assert reported == kept == [code]
