"""Issue 23: one count everywhere. "Check Workspace" answers with the number of problems the
Problems panel lists (the non-hint diagnostics the server hands the client; hints of un-adopted
checks are counted apart), and the first scan's ``$/progress`` has one denominator, the files the
scan indexes, with a count that only goes up."""

from __future__ import annotations

import re

import pytest
import pytest_lsp
from harness import wait_until
from hint_shape import HINT_CODE, HINT_MODULE
from lsp_support import CONFIG, pull_workspace, start
from lsprotocol import types
from pytest_lsp import LanguageClient
from trees import write_tree

ADR = """---
id: ADR-001
title: No HTTP client in the domain
status: accepted
rules:
  - id: no-requests
    kind: forbidden-import
    modules: [requests]
---

# ADR-001: No HTTP client in the domain

## Decision

Nothing imports requests.
"""

FILES = {
    "pyproject.toml": '[project]\nname = "app"\n',
    ".ai/adrs/0001-no-requests.md": ADR,
    "app/__init__.py": "",
    "app/a.py": "import requests\n\nfrom app import b\n",
    "app/b.py": "from app.a import A\n",  # a cycle that fails at import: a workspace-wide finding, in the count too
    # A judgment check nobody adopted here: a hint, which the Problems panel never lists.
    "app/models.py": HINT_MODULE,
    "app/c.py": "import requests\nimport requests.adapters\n",
}


@pytest_lsp.fixture(config=CONFIG, params=["pull_client"])
async def pull_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()




async def test_check_workspace_counts_what_the_problems_panel_lists(pull_client, tmp_path):
    root = write_tree(tmp_path / "ws", FILES)
    await start(pull_client, [root], hints="all")  # hints listed too (the default lists none in closed files)
    shown: dict[str, types.WorkspaceFullDocumentDiagnosticReport] = {}
    while "ARC103" not in {str(d.code) for item in shown.values() for d in item.items}:
        await pull_workspace(pull_client, shown)  # the cycle arrives once the first scan is through
    result = await pull_client.protocol.send_request_async("pythonArchitect/checkWorkspace", {})
    result = result._asdict() if hasattr(result, "_asdict") else result
    await pull_workspace(pull_client, shown)  # what the check added
    diagnostics = [d for item in shown.values() for d in item.items]
    problems = [d for d in diagnostics if d.severity != types.DiagnosticSeverity.Hint]
    hints = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint]
    assert sorted(str(d.code) for d in problems) == ["ARC101", "ARC101", "ARC101", "ARC103"]
    assert [str(d.code) for d in hints] == [HINT_CODE]
    assert (result["findings"], result["hints"]) == (len(problems), len(hints)) == (4, 1)


async def test_scan_progress_has_one_denominator_and_only_goes_up(pull_client, tmp_path):
    files = {f"app/filler/m{n}.py": f"VALUE = {n}\n" for n in range(60)}
    files.update({"app/filler/__init__.py": "", **FILES})
    # Scripts whose names are no module names: on disk, but not indexed, so not in the count.
    files.update({f"tools/run-{n}.py": "print('x')\n" for n in range(7)})
    root = write_tree(tmp_path / "ws", files)
    await start(pull_client, [root])

    def ended() -> list | None:
        # The token's list exists from `workDoneProgress/create` on, empty until the first report.
        reports = [values for token, values in pull_client.progress_reports.items() if "index" in str(token) and values]
        return reports[0] if reports and isinstance(reports[0][-1], types.WorkDoneProgressEnd) else None

    begin, *middle, end = await wait_until(pull_client, ended, 60.0, what="the end of the indexing progress")
    indexed = 60 + 1 + len(FILES) - 2  # fillers, their package, FILES minus pyproject and the ADR
    assert begin.message == f"0/{indexed} files"
    counts = [tuple(map(int, re.fullmatch(r"(\d+)/(\d+) files", v.message).groups())) for v in middle]
    assert counts and {total for _, total in counts} == {indexed}
    done = [count for count, _ in counts]
    assert done == sorted(set(done)) and done[-1] == indexed  # strictly up, ending full
    assert isinstance(end, types.WorkDoneProgressEnd)


async def test_an_open_document_counts_as_shown_unsaved_edits_included(pull_client, tmp_path):
    root = write_tree(tmp_path / "ws", FILES)
    session = await start(pull_client, [root])
    uri = session.open("app/c.py")
    await session.diagnostics(uri)
    session.set_text(uri, FILES["app/c.py"] + "import requests.sessions\n")  # not saved: a third ARC101
    live = await session.diagnostics(uri)
    assert [str(d.code) for d in live].count("ARC101") == 3
    result = await pull_client.protocol.send_request_async("pythonArchitect/checkWorkspace", {})
    result = result._asdict() if hasattr(result, "_asdict") else result
    # a.py's ARC101 and the cycle from the check, c.py's three as the editor shows them.
    assert (result["findings"], result["hints"]) == (5, 1)
