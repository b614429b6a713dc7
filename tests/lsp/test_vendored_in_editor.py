"""The editor says once, in its log, which vendored files it leaves unchecked (issue 21), and
reports nothing from them in the workspace's diagnostics."""

from __future__ import annotations

from lsp_support import pull_workspace, start

_MUTATES = "def remember(seen=[]):\n    seen.append(1)\n    return seen\n"


async def test_vendored_files_are_said_once_and_not_reported(vscode_client, shop):
    (shop / "src/shop/_vendor/lib").mkdir(parents=True)
    (shop / "src/shop/_vendor/__init__.py").write_text("", encoding="utf-8")
    (shop / "src/shop/_vendor/lib/__init__.py").write_text(_MUTATES, encoding="utf-8")
    (shop / "src/shop/own.py").write_text(_MUTATES, encoding="utf-8")
    session = await start(vscode_client, [shop])
    own = session.open("src/shop/own.py")
    assert "B006" in await session.codes(own)  # the project is loaded and checks the team's own code
    said = [m.message for m in vscode_client.log_messages if m.message.startswith("skipped")]
    assert said == ["skipped 2 vendored files under src/shop/_vendor "
                    "(include them with `include-vendored = true` in [tool.python-architect])"]
    if session.pull:
        shown: dict = {}
        await pull_workspace(vscode_client, shown)
        assert not [uri for uri, report in shown.items() if "_vendor" in uri and report.items]
