"""Issue 23: Check Workspace's count equals the Problems panel's on a second, larger workspace
than the example: 100 generated modules in three layers with findings of several kinds (layer
violations ARC102, import cycles ARC103, hard-coded secrets ARC701, and hints of an un-adopted
judgment check, hint_shape.HINT_CODE) and ruff's (S113), under both hint settings. The generator is shared with
the real-editor e2e (`tests/support/big_workspace.py`)."""

from __future__ import annotations

from collections import Counter

import pytest
import pytest_lsp
from hint_shape import HINT_CODE
from big_workspace import FILES, PER_LAYER, RUFF_FINDINGS, big_workspace
from lsp_support import CONFIG, pull_workspace, start
from lsprotocol import types
from pytest_lsp import LanguageClient

@pytest_lsp.fixture(config=CONFIG, params=["pull_client"])
async def pull_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()

@pytest.mark.parametrize("hints", ["all", "editedLine"])
async def test_check_workspace_count_equals_the_panel_on_a_larger_workspace(pull_client, tmp_path, hints):
    root = big_workspace(tmp_path / "big")
    assert len(list(root.rglob("*.py"))) == FILES
    await start(pull_client, [root], hints=hints)
    shown: dict[str, types.WorkspaceFullDocumentDiagnosticReport] = {}
    while "ARC103" not in {str(d.code) for item in shown.values() for d in item.items}:
        await pull_workspace(pull_client, shown)  # the cycles arrive once the first scan is through
    result = await pull_client.protocol.send_request_async("pythonArchitect/checkWorkspace", {})
    result = result._asdict() if hasattr(result, "_asdict") else result
    await pull_workspace(pull_client, shown)  # what the check added
    diagnostics = [d for item in shown.values() for d in item.items]
    problems = Counter(str(d.code) for d in diagnostics if d.severity != types.DiagnosticSeverity.Hint)
    listed_hints = Counter(str(d.code) for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint)
    # Every kind is there, in the numbers the generator made.
    assert problems["ARC102"] == PER_LAYER // 8 and problems["ARC701"] == 3 * len(range(1, PER_LAYER, 10))
    assert problems["ARC103"] >= 2  # s3 <-> s4, and the loops through the layers
    assert problems["S113"] == RUFF_FINDINGS  # ruff's, through the server's ruff
    suggested = 3 * len(range(2, PER_LAYER, 9))
    assert result["files"] >= 100 and result["hints"] == suggested
    # The one number: what Check Workspace says is what the panel lists (hints are not problems).
    assert result["findings"] == sum(problems.values())
    # Hints show in closed files only when the setting asks for all of them.
    assert listed_hints == (Counter({HINT_CODE: suggested}) if hints == "all" else Counter())
