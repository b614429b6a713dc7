"""Fixtures: a language server subprocess per test, initialized with a client profile over a
workspace built in ``tmp_path``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from harness import PROFILES, SERVER_COMMAND, Session, initialize_params, make_client
from workspaces import build_shop

CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build_shop(tmp_path / "shop")


@pytest_lsp.fixture(config=CONFIG, params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    """A client of each profile, not yet initialized (tests pick folders and options)."""
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG, params=["visual_studio_code"])
async def vscode_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, folders: list[Path], **options) -> Session:
    result = await client.initialize_session(initialize_params(client.profile, folders, options))  # type: ignore[attr-defined]
    return Session(client, client.profile, folders[0], result)  # type: ignore[attr-defined]
