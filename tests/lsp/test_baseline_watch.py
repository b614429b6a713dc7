"""Issue 8: the configured baseline file is watched. Recording a finding in it (the CLI's
``baseline`` command) hides the finding in the open document; restoring the older file brings it
back. Waits are on the server's publishes after the watched-file notification, never on a timer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness import wait_published, wait_until
from lsp_support import start
from lsprotocol import types
from trees import write_tree

CLEAN = "import requests\n\n\ndef report(url):\n    return requests.get(url, timeout=5)\n"
NO_TIMEOUT = "import requests\n\n\ndef report(url):\n    return requests.get(url)\n"


def _record_baseline(root: Path) -> str:
    completed = subprocess.run([sys.executable, "-m", "python_architect", "baseline"], cwd=root,
                               check=False, capture_output=True, text=True, encoding="utf-8", timeout=120,
                               stdin=subprocess.DEVNULL)
    assert completed.returncode == 0, completed.stderr
    return (root / "ci" / "known.json").read_text(encoding="utf-8")


async def _publish_after(session, uri: str, mark: int, expected) -> list[types.Diagnostic]:
    def found(published):
        for params in published[mark:]:
            if params.uri == uri and expected([d.code for d in params.diagnostics]):
                return [list(params.diagnostics)]
        return None

    [diagnostics] = await wait_published(session.client, found, what=f"the expected diagnostics for {uri}")
    return diagnostics


def _changed(client, path: Path) -> None:
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)]))


async def test_a_changed_baseline_file_refilters_open_documents(vscode_client, tmp_path):
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n\n[tool.python-architect]\nbaseline = "ci/known.json"\n',
        "app/__init__.py": "", "app/report.py": CLEAN})
    (root / "ci").mkdir()
    empty = _record_baseline(root)  # nothing to record yet
    (root / "app" / "report.py").write_text(NO_TIMEOUT, encoding="utf-8")

    session = await start(vscode_client, [root])
    registrations = await wait_until(vscode_client, lambda: vscode_client.registrations, what="a registration")
    watch = next(r for r in registrations if r.method == "workspace/didChangeWatchedFiles")
    patterns = {w["globPattern"] for w in watch.register_options["watchers"]}
    assert "**/ci/known.json" in patterns

    uri = session.open("app/report.py")
    assert "S113" in await session.codes(uri)

    # The finding is recorded: the open document stops showing it.
    mark = session.publish_count()
    recorded = _record_baseline(root)
    assert "S113" in recorded and recorded != empty
    _changed(vscode_client, root / "ci" / "known.json")
    after = await _publish_after(session, uri, mark, lambda codes: "S113" not in codes)
    assert all(d.code != "S113" for d in after)

    # The older baseline comes back: so does the finding.
    mark = session.publish_count()
    (root / "ci" / "known.json").write_text(empty, encoding="utf-8")
    _changed(vscode_client, root / "ci" / "known.json")
    again = await _publish_after(session, uri, mark, lambda codes: "S113" in codes)
    assert [d.code for d in again].count("S113") == 1


async def test_a_renamed_baseline_file_is_watched_from_then_on(vscode_client, tmp_path):
    """``baseline`` renamed in ``pyproject.toml`` while the server runs: the watchers are registered
    again with the new name (the old registration withdrawn), and a change to the new file
    re-filters the open document."""
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n\n[tool.python-architect]\nbaseline = "ci/known.json"\n',
        "app/__init__.py": "", "app/report.py": NO_TIMEOUT})
    (root / "ci").mkdir()
    session = await start(vscode_client, [root])

    def watched() -> set[str]:
        return {w["globPattern"] for r in vscode_client.registrations if r.method == "workspace/didChangeWatchedFiles"
                for w in r.register_options["watchers"]}

    await wait_until(vscode_client, lambda: "**/ci/known.json" in watched(), what="the first registration")
    uri = session.open("app/report.py")
    assert "S113" in await session.codes(uri)

    (root / "pyproject.toml").write_text(
        '[project]\nname = "app"\n\n[tool.python-architect]\nbaseline = "ci/accepted.json"\n', encoding="utf-8")
    _changed(vscode_client, root / "pyproject.toml")
    await wait_until(vscode_client, lambda: "**/ci/accepted.json" in watched(), what="the new file's watcher")
    assert "**/ci/known.json" not in watched() and len(vscode_client.registrations) == 1

    mark = session.publish_count()
    _record_baseline_as(root, "ci/accepted.json")
    _changed(vscode_client, root / "ci" / "accepted.json")
    after = await _publish_after(session, uri, mark, lambda codes: "S113" not in codes)
    assert all(d.code != "S113" for d in after)


def _record_baseline_as(root: Path, relative: str) -> None:
    completed = subprocess.run([sys.executable, "-m", "python_architect", "baseline"], cwd=root,
                               check=False, capture_output=True, text=True, encoding="utf-8", timeout=120,
                               stdin=subprocess.DEVNULL)
    assert completed.returncode == 0, completed.stderr
    assert "S113" in (root / relative).read_text(encoding="utf-8")
