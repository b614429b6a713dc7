"""Settings changes over the protocol, and the ``serve`` command's transports."""

from __future__ import annotations

import asyncio
import socket
import subprocess

from lsp_support import start
from harness import SERVER_COMMAND, initialize_params, wait_published
from lsprotocol import types
from pygls.lsp.client import LanguageClient


async def test_configuration_changes_apply_to_open_documents(vscode_client, shop):
    session = await start(vscode_client, [shop])
    uri = session.open("src/shop/services/billing.py")
    assert "S113" in await session.codes(uri)
    vscode_client.set_configuration({"severityOverrides": {"S113": "off", "TRY400": "hint"}}, section="pythonArchitect")
    vscode_client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

    def latest_shows(expected):
        def found(published):
            mine = [p for p in published if p.uri == uri]
            return [mine[-1].diagnostics] if mine and expected(mine[-1].diagnostics) else None

        return found

    [shown] = await wait_published(
        vscode_client, latest_shows(lambda ds: "TRY400" in {d.code for d in ds} and "S113" not in {d.code for d in ds})
    )
    assert next(d for d in shown if d.code == "TRY400").severity == types.DiagnosticSeverity.Hint
    vscode_client.set_configuration({"enable": False}, section="pythonArchitect")
    vscode_client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"pythonArchitect": {"enable": False}}))
    assert await wait_published(vscode_client, latest_shows(lambda ds: not ds), what="no diagnostics once disabled")
    assert await session.hover(uri, "requests.post", offset=3) is None


def test_serve_rejects_a_bad_tcp_address():
    result = subprocess.run([*SERVER_COMMAND, "--tcp", "nowhere"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "HOST:PORT" in result.stderr


async def test_serve_over_tcp_answers_initialize(shop):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(*SERVER_COMMAND, "--tcp", f"127.0.0.1:{port}")
    client = LanguageClient("tcp-test", "1")
    try:
        for _ in range(200):
            try:
                await client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.1)
        result = await asyncio.wait_for(client.initialize_async(initialize_params("visual_studio_code", [shop])), 30)
        assert result.server_info.name == "python-architect"
        assert result.capabilities.hover_provider
        assert result.capabilities.diagnostic_provider.identifier == "python-architect"
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
        if process.returncode is None:
            process.terminate()
        await process.wait()

