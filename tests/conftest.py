"""Suite-wide set-up: every process the tests start keeps its caches inside the test run.

Caches (analysis packs, run records, the MAC key, conversations) go to ``$PYTHON_ARCHITECT_CACHE_DIR``;
without it, every language server, CLI and MCP server a test starts would write under the user's
``~/.cache`` and leave a folder per temporary workspace there. One folder per pytest process (each
xdist worker configures itself), removed when the run ends; a test that sets its own value
(monkeypatch or an explicit ``env``) still wins.
"""

from __future__ import annotations

import os
import shutil
import tempfile

_OWNED: list[str] = []


def pytest_configure(config) -> None:
    if "PYTHON_ARCHITECT_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="python-architect-test-cache-")
        os.environ["PYTHON_ARCHITECT_CACHE_DIR"] = folder
        _OWNED.append(folder)


def pytest_unconfigure(config) -> None:
    for folder in _OWNED:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get("PYTHON_ARCHITECT_CACHE_DIR") == folder:
            del os.environ["PYTHON_ARCHITECT_CACHE_DIR"]
