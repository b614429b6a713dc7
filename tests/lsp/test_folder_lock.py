"""The folder lock is never taken on the event loop: a settings change that reloads the
knowledge base waits for the lock in the pool while the loop keeps running.

In-process (no transport needed for the handlers involved). A thread holds the folder's lock
until the event loop itself releases it: if the reload ran on the loop, the loop could not do
that and the holder's bounded wait would run out instead (reported as a failure, not a hang).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

from lsprotocol import types
from python_architect.lsp import diagnostics
from python_architect.lsp.server import ArchitectServer
from trees import write_tree

ADR = """---
id: ADR-007
title: Knowledge kept under docs
status: accepted
---

# ADR-007: Knowledge kept under docs

## Decision
The knowledge base lives in docs/kb.
"""


async def test_a_settings_override_reloads_off_the_event_loop(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app.py": "x = 1\n", "docs/kb/adrs/0007-docs.md": ADR})
    ls = ArchitectServer()
    try:
        ls.loop = asyncio.get_running_loop()
        folder = ls.add_folder(root)
        project = await ls.project_of(folder)
        assert project is not None and project.kb.adrs == []
        holding, release = threading.Event(), threading.Event()
        released_by_the_loop: list[bool] = []

        def hold_the_lock() -> None:
            with folder.lock:  # a long analysis, say
                holding.set()
                released_by_the_loop.append(release.wait(timeout=10))

        holder = threading.Thread(target=hold_the_lock)
        holder.start()
        await asyncio.to_thread(holding.wait)
        params = types.DidChangeConfigurationParams(settings={"pythonArchitect": {"knowledgeDir": "docs/kb"}})
        change = asyncio.ensure_future(diagnostics.configuration_changed(ls, params))
        await asyncio.sleep(0)  # one loop turn: the handler runs up to its first await
        release.set()
        await change
        await asyncio.to_thread(holder.join)
        assert released_by_the_loop == [True]
        assert [adr.id for adr in project.kb.adrs] == ["ADR-007"]  # and the override did apply
    finally:
        logging.getLogger("python_architect").removeHandler(ls.log_handler)
        for pool in (ls.analysis_pool, ls.background_pool):
            pool.shutdown(wait=True)
