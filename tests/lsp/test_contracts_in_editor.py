"""Issue 20: import-linter contracts in the editor, through a real client. A contract broken by
unsaved text shows on the import line as you type; a changed ``.importlinter`` (a watched file)
re-checks the open documents. Waits are on the server's publishes, never on a timer."""

from __future__ import annotations

from pathlib import Path

from harness import wait_published, wait_until
from lsp_support import start
from lsprotocol import types
from trees import write_tree

CONFIG = """[importlinter]
root_package = app

[importlinter:contract:pure-domain]
name = The domain does not import the api
type = forbidden
source_modules =
    app.domain
forbidden_modules =
    {forbidden}
"""


async def _publish_after(session, uri: str, mark: int, expected) -> list[types.Diagnostic]:
    def found(published):
        for params in published[mark:]:
            if params.uri == uri and expected(params.diagnostics):
                return [list(params.diagnostics)]
        return None

    [diagnostics] = await wait_published(session.client, found, what=f"the expected diagnostics for {uri}")
    return diagnostics


def _contract(diagnostics) -> list[types.Diagnostic]:
    return [d for d in diagnostics if "pure-domain" in d.message]


async def test_contracts_follow_unsaved_text_and_a_changed_config(vscode_client, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {
        ".importlinter": CONFIG.format(forbidden="app.api"),
        "app/__init__.py": "", "app/api.py": "", "app/db.py": "",
        "app/domain.py": "import os\n",
    })
    session = await start(vscode_client, [root])
    await wait_until(vscode_client, lambda: vscode_client.registrations, what="a registration")
    uri = session.open("app/domain.py")
    assert _contract(await session.diagnostics(uri)) == []

    mark = session.publish_count()
    session.set_text(uri, "import os\nfrom app import api, db\n")  # typed, not saved
    [broken] = _contract(await _publish_after(session, uri, mark, _contract))
    assert broken.code == "ARC101" and broken.range.start.line == 1
    assert "`app.domain` imports `app.api`" in broken.message

    # The team forbids the database instead: the watched config re-checks the open document.
    (root / ".importlinter").write_text(CONFIG.format(forbidden="app.db"), encoding="utf-8")
    mark = session.publish_count()
    vscode_client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(root / ".importlinter").as_uri(), type=types.FileChangeType.Changed)]))
    shown = await _publish_after(session, uri, mark, lambda ds: any("`app.db`" in d.message for d in _contract(ds)))
    assert [d.message.split(": ", 1)[1] for d in _contract(shown)] == ["`app.domain` imports `app.db`"]


async def test_a_changed_tach_toml_source_roots_renames_the_modules_it_judges(vscode_client, tmp_path: Path) -> None:
    # `source_roots` decides what `app.domain` is: a watched tach.toml that moves it re-reads the
    # source roots (a config change), not only the contracts.
    tach = '[[modules]]\npath = "app.domain"\ndepends_on = []\n\n[[modules]]\npath = "app.api"\ndepends_on = []\n'
    root = write_tree(tmp_path / "ws", {
        "tach.toml": 'source_roots = ["."]\n\n' + tach,
        "lib/app/__init__.py": "", "lib/app/api.py": "",
        "lib/app/domain.py": "from app import api\n",
    })
    session = await start(vscode_client, [root])
    await wait_until(vscode_client, lambda: vscode_client.registrations, what="a registration")
    uri = session.open("lib/app/domain.py")
    assert [d for d in await session.diagnostics(uri) if d.code == "ARC101"] == []  # `lib.app.domain` is no Tach module

    (root / "tach.toml").write_text('source_roots = ["lib"]\n\n' + tach, encoding="utf-8")
    mark = session.publish_count()
    vscode_client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(root / "tach.toml").as_uri(), type=types.FileChangeType.Changed)]))
    shown = await _publish_after(session, uri, mark, lambda ds: any(d.code == "ARC101" for d in ds))
    [undeclared] = [d for d in shown if d.code == "ARC101"]
    assert undeclared.range.start.line == 0 and "app.api" in undeclared.message
