"""Settings changes over the protocol, and the ``serve`` command's transports."""

from __future__ import annotations

import asyncio
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
    """Port 0: the server picks a free port and says which on stderr once it listens; the client
    connects to that (no probing for a free port, no connect-and-retry loop)."""
    process = await asyncio.create_subprocess_exec(*SERVER_COMMAND, "--tcp", "127.0.0.1:0",
                                                   stderr=asyncio.subprocess.PIPE)
    client = LanguageClient("tcp-test", "1")
    try:
        line = ""
        while "listening on" not in line:
            raw = await asyncio.wait_for(process.stderr.readline(), 60)
            assert raw, "the server exited without listening"
            line = raw.decode()
        host, port = line.rsplit(" ", 1)[1].strip().rsplit(":", 1)
        assert host == "127.0.0.1" and int(port) > 0
        await client.start_tcp(host, int(port))
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

