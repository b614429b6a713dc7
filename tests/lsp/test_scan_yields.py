"""Keystrokes during the first scan: an open document's diagnostics, first and after an edit,
arrive while the server's index scan is still running (``$/progress`` begun and not ended), and
the scan then finishes with every module indexed. The order of events is the assertion, not a
time: the workspace is large enough for the scan to run in worker processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_lsp
from harness import SERVER_COMMAND, make_client, wait_until
from lsp_support import start
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from trees import write_tree

CACHE_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "python-architect-test-cache"
CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client,
                            server_env={**os.environ, "PYTHON_ARCHITECT_CACHE_DIR": str(CACHE_DIR)})
FILLER_MODULES = 400
"""Enough files for the scan to use worker processes (whose start alone outlasts an analysis)."""
FILLER = "".join(f"def function_{n}(value):\n    return [value * {n} for _ in range(3)]\n\n\n" for n in range(40))


@pytest_lsp.fixture(config=CONFIG, params=["visual_studio_code"])
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param
    yield
    await lsp_client.shutdown_session()


def scan_reports(client: LanguageClient) -> list:
    return next((values for token, values in client.progress_reports.items() if "index" in str(token)), [])


def diagnostics_of(client: LanguageClient, uri: str, version: int) -> list | None:
    for params in reversed(client.published):  # type: ignore[attr-defined]
        if params.uri == uri and params.version == version:
            return [list(params.diagnostics)]
    return None


async def test_an_edit_is_diagnosed_while_the_first_scan_runs(client, tmp_path):
    files = {
        "pyproject.toml": "[project]\nname = 'app'\n",
        "src/app/__init__.py": "",
        "src/app/filler/__init__.py": "",
        "src/app/service.py": "import os\n\n\ndef run():\n    return os.getcwd()\n",
    }
    files.update({f"src/app/filler/m{n}.py": FILLER for n in range(FILLER_MODULES)})
    root = write_tree(tmp_path / "ws", files)
    session = await start(client, [root])
    await wait_until(client, lambda: scan_reports(client), 30.0, what="the indexing progress to begin")
    assert isinstance(scan_reports(client)[0], types.WorkDoneProgressBegin)

    service = session.open("src/app/service.py")
    await session.diagnostics(service)
    session.set_text(service, "import os\nimport sys\n\n\ndef run():\n    return os.getcwd() + sys.prefix\n")
    await wait_until(client, lambda: diagnostics_of(client, service, 2), 30.0, what="the edit's diagnostics")
    reports_then = list(scan_reports(client))

    assert not any(isinstance(value, types.WorkDoneProgressEnd) for value in reports_then)
    ended = await wait_until(client, lambda: isinstance(scan_reports(client)[-1], types.WorkDoneProgressEnd),
                             60.0, what="the end of the indexing progress")
    assert ended and scan_reports(client)[-1].message == f"{FILLER_MODULES + 3} modules indexed"
