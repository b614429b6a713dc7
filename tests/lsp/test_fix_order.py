"""Issue 23: code actions in ruff's order and the mechanical fixes behind them, over the protocol.

The fix first (preferred), then "Fix all CODE in this file", the architect, the suppressions for
the line and for the file, and the ADR last. Each fix is applied to the text and compared, then
the fixed text is analysed again to show the finding is gone: the `use:` module of a
forbidden-import rule, and an annotation-only import moved under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

from harness import edits_for
from lsp_support import start
from lsprotocol import types
from trees import write_tree

ADR = """---
id: ADR-001
title: The domain talks HTTP through httpx
status: accepted
tags: [framework-isolation]
rules:
  - id: httpx-not-requests
    kind: forbidden-import
    modules: [requests]
    use: httpx
    paths: ["app/domain/**"]
  - id: layers
    kind: layers
    layers: [app.api, app.domain]
    ignore-type-checking: true
---

# ADR-001: The domain talks HTTP through httpx

## Decision

The domain uses httpx, never requests, and never imports the api layer at run time.
"""

ORDERS = '''from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter

from app.api.routes import Handler


def fetch(url: str, handler: Handler) -> str:
    adapter = HTTPAdapter()
    return requests.get(url, timeout=5).text + str(adapter)
'''


async def _session(vscode_client, tmp_path):
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n',
        ".ai/adrs/0001-httpx.md": ADR,
        "app/__init__.py": "", "app/api/__init__.py": "", "app/api/routes.py": "class Handler:\n    pass\n",
        "app/domain/__init__.py": "", "app/domain/orders.py": ORDERS})
    session = await start(vscode_client, [root])
    uri = session.open("app/domain/orders.py")
    return session, uri


def _at(diagnostics, code: str, line: int) -> types.Diagnostic:
    return next(d for d in diagnostics if d.code == code and d.range.start.line == line)


async def test_actions_come_in_ruffs_order_and_the_fix_replaces_the_module(vscode_client, tmp_path):
    session, uri = await _session(vscode_client, tmp_path)
    diagnostics = await session.diagnostics(uri)
    forbidden = _at(diagnostics, "ARC101", 2)
    actions = await session.actions(uri, [forbidden], only=[types.CodeActionKind.QuickFix])
    assert [a.title for a in actions] == [
        "Import `httpx` instead of `requests`",
        "Fix all ARC101 in this file (2)",
        "Fix with the architect",
        "Ask the architect about this",
        "Suppress ARC101 on this line",
        "Suppress ARC101 in this file",
        "Open ADR-001: The domain talks HTTP through httpx",
    ]
    assert {a.kind for a in actions} == {types.CodeActionKind.QuickFix}
    assert actions[0].is_preferred is True and not any(a.is_preferred for a in actions[1:])
    fixed = session.apply_text_edits(uri, edits_for(actions[0].edit, uri))
    assert fixed == ORDERS.replace("import requests\n", "import httpx as requests\n")

    fixed_all = session.apply_text_edits(uri, edits_for(actions[1].edit, uri))
    assert fixed_all == ORDERS.replace("import requests\n", "import httpx as requests\n").replace(
        "from requests.adapters import", "from httpx.adapters import")
    session.set_text(uri, fixed_all)
    assert "ARC101" not in await session.codes(uri)


async def test_annotation_only_import_moves_under_type_checking(vscode_client, tmp_path):
    session, uri = await _session(vscode_client, tmp_path)
    layer = _at(await session.diagnostics(uri), "ARC102", 5)
    actions = await session.actions(uri, [layer], only=[types.CodeActionKind.QuickFix])
    assert actions[0].title.startswith("Move the import under `if TYPE_CHECKING:`")
    assert actions[1].title.startswith("Fix with the architect")  # one ARC102 only: no "Fix all ARC102"
    fixed = session.apply_text_edits(uri, edits_for(actions[0].edit, uri))
    assert fixed == ORDERS.replace(
        "from app.api.routes import Handler\n",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.api.routes import Handler\n")
    session.set_text(uri, fixed)
    codes = await session.codes(uri)
    assert "ARC102" not in codes and codes.count("ARC101") == 2


async def test_no_type_checking_move_for_an_import_used_at_run_time(vscode_client, tmp_path):
    session, uri = await _session(vscode_client, tmp_path)
    await session.diagnostics(uri)
    session.set_text(uri, ORDERS + "\nDEFAULT = Handler()\n")
    layer = _at(await session.diagnostics(uri), "ARC102", 5)
    actions = await session.actions(uri, [layer], only=[types.CodeActionKind.QuickFix])
    assert not any(a.title.startswith("Move the import") for a in actions), [a.title for a in actions]
    assert actions[0].title == "Fix with the architect"


async def test_file_suppression_silences_the_code_in_the_whole_file(vscode_client, tmp_path):
    session, uri = await _session(vscode_client, tmp_path)
    forbidden = _at(await session.diagnostics(uri), "ARC101", 2)
    actions = await session.actions(uri, [forbidden])
    in_file = next(a for a in actions if a.title == "Suppress ARC101 in this file")
    fixed = session.apply_text_edits(uri, edits_for(in_file.edit, uri))
    assert fixed == "# architect: ignore-file[ARC101]\n" + ORDERS
    session.set_text(uri, fixed)
    codes = await session.codes(uri)
    assert "ARC101" not in codes and "ARC102" in codes


async def test_source_fix_all_kind_is_what_code_actions_on_save_asks_for(vscode_client, tmp_path):
    session, uri = await _session(vscode_client, tmp_path)
    await session.diagnostics(uri)
    # VS Code's editor.codeActionsOnSave {"source.fixAll.pythonArchitect": "explicit"} sends this.
    actions = await session.actions(uri, [], only=["source.fixAll.pythonArchitect"])
    assert [a.kind for a in actions] == ["source.fixAll.pythonArchitect"]
    assert not [a for a in await session.actions(uri, [], only=["source.organizeImports"])]
    resolved = await session.resolved(actions[0])
    fixed = session.apply_text_edits(uri, edits_for(resolved.edit, uri))
    assert "import httpx as requests\n" in fixed and "from httpx.adapters import HTTPAdapter\n" in fixed
    assert "if TYPE_CHECKING:\n    from app.api.routes import Handler\n" in fixed
    session.set_text(uri, fixed)
    assert [c for c in await session.codes(uri) if c in ("ARC101", "ARC102")] == []
