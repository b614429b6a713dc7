"""The editor says once, in its log, which generated files it leaves unchecked (issue 21), and
reports nothing from them in the workspace's diagnostics; a generated document the user opens is
analysed as asked (as a vendored one is)."""

from __future__ import annotations

from lsp_support import pull_workspace, start

_MUTATES = "def remember(seen=[]):\n    seen.append(1)\n    return seen\n"


async def test_generated_files_are_said_once_and_not_reported(vscode_client, shop):
    (shop / "src/shop/api_pb2.py").write_text(_MUTATES, encoding="utf-8")
    (shop / "src/shop/own.py").write_text(_MUTATES, encoding="utf-8")
    session = await start(vscode_client, [shop])
    own = session.open("src/shop/own.py")
    assert "B006" in await session.codes(own)  # the project is loaded and checks the team's own code
    said = [m.message for m in vscode_client.log_messages if m.message.startswith("skipped")]
    assert said == ["skipped 1 generated file (src/shop/api_pb2.py) "
                    "(include them with `include-generated = true` in [tool.python-architect])"]
    if session.pull:
        shown: dict = {}
        await pull_workspace(vscode_client, shown)
        assert not [uri for uri, report in shown.items() if "api_pb2" in uri and report.items]
    stub = session.open("src/shop/api_pb2.py")
    assert "B006" in await session.codes(stub)
