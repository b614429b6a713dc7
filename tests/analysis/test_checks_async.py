"""ARC301 (whole file-tree work on the event loop) and ARC302 (busy wait on ``sleep(0)``), issue
21's misses: each shape next to its twin that must stay quiet."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from analysis_harness import lines_of, run_check
from python_architect.analysis import ruff_bridge
from python_architect.engine import Project
from trees import write_tree

# (source, lines reported)
ARC301_SHAPES = [
    # The miss: a whole tree copied / removed / walked right in ``async def``, names via imports.
    ("import shutil\nasync def publish(src, dst):\n    shutil.copytree(src, dst)\n    shutil.rmtree(src)\n", [3, 4]),
    ("from shutil import copytree as ct\nasync def publish(src, dst):\n    ct(src, dst)\n", [3]),
    ("import os\nasync def scan(root):\n    for d, _, files in os.walk(root):\n        print(d)\n", [3]),
    # ... or behind a plain function of the module / a sync method of the class (one level).
    ("import subprocess\ndef sync_copy(s, d):\n    subprocess.run(['cp', '-r', s, d], check=True)\n"
     "async def handler(s, d):\n    sync_copy(s, d)\n", [5]),
    ("import shutil\nclass Store:\n    def _wipe(self, p):\n        shutil.rmtree(p)\n"
     "    async def reset(self, p):\n        self._wipe(p)\n", [6]),
    # Twins: handed to a thread (by reference, lambda, nested def), or not in async code at all.
    ("import asyncio, shutil\nasync def publish(src):\n    await asyncio.to_thread(shutil.rmtree, src)\n"
     "    loop = asyncio.get_running_loop()\n    await loop.run_in_executor(None, lambda: shutil.rmtree(src))\n"
     "    def work():\n        shutil.copytree(src, src + '.bak')\n    await asyncio.to_thread(work)\n", []),
    ("import shutil\ndef publish(src):\n    shutil.rmtree(src)\n", []),
    ("import subprocess\ndef sync_copy(s, d):\n    subprocess.run(['cp', s, d])\n"
     "async def handler(s, d):\n    await asyncio.to_thread(sync_copy, s, d)\n", []),
    # A decorated helper may run in a thread or return an awaitable; an awaited call is not sync.
    ("import shutil\n@to_thread\ndef wipe(p):\n    shutil.rmtree(p)\nasync def reset(p):\n    await wipe(p)\n    wipe(p)\n", []),
    # One file moved or copied: mostly a rename, not reported.
    ("import shutil\nasync def rename(p):\n    shutil.move(p, p + '.bak')\n    shutil.copy2(p, '/tmp')\n", []),
    # A module of our own named like the helper is not ``shutil``.
    ("from .files import copytree\nasync def publish(s, d):\n    copytree(s, d)\n", []),
]

ARC302_SHAPES = [
    # The miss: waiting for a message by spinning on sleep(0), infinite by default.
    ("import asyncio\nasync def wait_for_message(self, timeout=None):\n    while True:\n"
     "        if self.messages:\n            return self.messages.pop(0)\n        await asyncio.sleep(0)\n", [3]),
    # With a deadline read from a clock it still spins until then.
    ("import asyncio, time\nasync def wait(self, timeout=5):\n    deadline = time.monotonic() + timeout\n"
     "    while not self.ready:\n        if time.monotonic() > deadline:\n            raise TimeoutError\n"
     "        await asyncio.sleep(0.0005)\n", [4]),
    ("import anyio\nasync def wait(flag):\n    while True:\n        try:\n            return flag.value\n"
     "        except AttributeError:\n            pass\n        await anyio.sleep(0)\n", [3]),
    # Twins: a cooperative yield in a loop that works; another await that really waits; a real pause.
    ("import asyncio\nasync def work(items):\n    while items:\n        handle(items.pop())\n"
     "        await asyncio.sleep(0)\n", []),
    ("import asyncio\nasync def pump(queue):\n    while True:\n        item = await queue.get()\n"
     "        if item is None:\n            return\n        await asyncio.sleep(0)\n", []),
    ("import asyncio\nasync def poll(self):\n    while not self.ready:\n        await asyncio.sleep(0.5)\n", []),
    ("import asyncio\nasync def stream(self):\n    while True:\n        async for chunk in self.reader:\n"
     "            pass\n        await asyncio.sleep(0)\n", []),
    ("import asyncio\ndef sync(self):\n    while True:\n        if self.done:\n            return\n", []),
]


@pytest.mark.parametrize(("source", "lines"), ARC301_SHAPES)
def test_arc301(source: str, lines: list[int]) -> None:
    assert lines_of(run_check("ARC301", source)) == lines


@pytest.mark.parametrize(("source", "lines"), ARC302_SHAPES)
def test_arc302(source: str, lines: list[int]) -> None:
    assert lines_of(run_check("ARC302", source)) == lines


def test_ruff_reports_none_of_the_arc301_misses() -> None:
    """Why the check exists: flake8-async in ruff is silent on shutil, os.walk and helpers."""
    for source, lines in ARC301_SHAPES[:5]:
        ast.parse(source)
        reported = ruff_bridge.run_ruff(source, Path("mod.py"), ["ASYNC"])
        assert [f for f in reported if f.span.line in lines] == []


def test_reported_by_default_or_once_adopted_and_quiet_in_tests(tmp_path: Path) -> None:
    # ARC302 is core; ARC301 is opt-in (issue 21's seventh and eighth readings): reported when named.
    source = ARC301_SHAPES[0][0] + "\n" + ARC302_SHAPES[0][0].replace("import asyncio\n", "import asyncio\n\n")
    root = write_tree(tmp_path, {"app/jobs.py": source, "tests/test_jobs.py": source})

    def found(select: tuple[str, ...]) -> list[tuple[str, str]]:
        result = Project.load(root).check_paths(None, jobs=1, cache=None, select=select)
        return sorted((f.path.relative_to(root.resolve()).as_posix(), f.code) for f in result.findings
                      if f.code in ("ARC301", "ARC302"))

    assert found(()) == [("app/jobs.py", "ARC302")]
    assert found(("ALL",)) == [("app/jobs.py", "ARC302")]
    assert found(("ALL", "ARC301")) == [("app/jobs.py", "ARC301"), ("app/jobs.py", "ARC301"), ("app/jobs.py", "ARC302")]
