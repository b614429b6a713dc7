"""Fixtures: language server subprocesses initialized with a client profile over a workspace.

Which fixture a test takes says what it needs, so the three-profile matrix runs only where the
profiles behave differently (push vs pull diagnostics, UTF-16 vs UTF-8 positions):

- ``client``: a fresh server per test, once per profile (visual_studio_code = push + UTF-16,
  neovim = pull + UTF-8, pull_client = pull + UTF-16 with refresh support); not yet initialized.
- ``push_or_pull``: a fresh server per test, push (VS Code) and pull (VS Code declaring pull).
- ``vscode_client``: a fresh server per test, VS Code only (behaviour the profile does not touch).
- ``shared_session_fixture(*profiles)``: one initialized server per profile *per module*, over a
  shop workspace built once. For tests that change nothing on disk and no setting; a test that
  edits text edits its own ``Session.scratch`` copy, never a document another test reads.

Every async test and fixture runs in the one session event loop (``pyproject.toml``), which is
what lets a module-scoped server outlive a single test.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from harness import PROFILES, SERVER_COMMAND, Session, initialize_params, make_client
from workspaces import build_shop

CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)
PUSH_AND_PULL = ("visual_studio_code", "pull_client")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build_shop(tmp_path / "shop")


@pytest_lsp.fixture(config=CONFIG, params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    """A client of each profile, not yet initialized (tests pick folders and options)."""
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG, params=PUSH_AND_PULL)
async def push_or_pull(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG, params=["visual_studio_code"])
async def vscode_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def shared_session_fixture(*profiles: str):
    """A module-scoped fixture giving an initialized ``Session`` on a shop workspace, one server
    per profile for the whole module. Assign it in a test module: ``shared = shared_session_fixture(...)``."""

    # Not ``pytest_lsp.fixture``: it ties the loop scope to the fixture scope, and the module's
    # tests run in the session loop, which the server's reader must share.
    @pytest_asyncio.fixture(scope="module", loop_scope="session", params=list(profiles))
    async def shared_client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
        lsp_client = await CONFIG.start()
        lsp_client.profile = request.param  # type: ignore[attr-defined]
        root = build_shop(tmp_path_factory.mktemp("shared") / "shop")
        lsp_client.session = await start(lsp_client, [root])  # type: ignore[attr-defined]
        yield lsp_client
        await lsp_client.shutdown_session()
        await lsp_client.stop()

    return shared_client


async def start(client: LanguageClient, folders: list[Path], **options) -> Session:
    result = await client.initialize_session(initialize_params(client.profile, folders, options))  # type: ignore[attr-defined]
    return Session(client, client.profile, folders[0], result)  # type: ignore[attr-defined]


async def pull_workspace(client: LanguageClient, shown: dict[str, types.WorkspaceFullDocumentDiagnosticReport],
                         timeout: float = 60) -> None:
    """One workspace pull, merged into ``shown`` (uri -> its latest report), as the client keeps it."""
    previous = [types.PreviousResultId(uri=uri, value=item.result_id) for uri, item in shown.items()]
    report = await asyncio.wait_for(client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(
        previous_result_ids=previous, identifier="python-architect")), timeout)
    shown.update({item.uri: item for item in report.items})
