"""Issue 23: Check Workspace's count equals the Problems panel's on a second, larger workspace
than the example: 100 generated modules in three layers with findings of several kinds (layer
violations ARC102, import cycles ARC103, hard-coded secrets ARC701, and hints of an un-adopted
judgment check, ARC201), under both hint settings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import CONFIG, pull_workspace, start
from lsprotocol import types
from pytest_lsp import LanguageClient
from trees import layers_adr, write_tree

LAYERS = ("api", "services", "domain")  # top to bottom, as ADR-005 orders them
PER_LAYER = 32


def big_workspace(root: Path) -> Path:
    """3 x 32 modules and 4 packages. Each api module imports a service, each service a domain
    module; every 8th domain module imports the api (ARC102, and a cycle through the layers);
    s3 and s4 import each other's names before they are bound (ARC103, as the loops through the
    layers); every 10th module has a secret (ARC701) and every 9th
    a subclass the un-adopted ARC201 hints at."""
    files = {"pyproject.toml": '[project]\nname = "big"\n', ".ai/adrs/0005-layers.md": layers_adr("big"),
             "big/__init__.py": ""}
    for layer in LAYERS:
        files[f"big/{layer}/__init__.py"] = ""
        for i in range(PER_LAYER):
            body = []
            if layer == "api":
                body.append(f"from big.services import s{i}")
            if layer == "services":
                body.append(f"from big.domain import d{i}")
            if layer == "domain" and i % 8 == 0:
                body.append(f"from big.api.a{i} import VALUE_{i}")
            if layer == "services" and i in (3, 4):
                body.append(f"from big.services.s{7 - i} import VALUE_{7 - i}")
            if i % 10 == 1:
                body.append('API_KEY = "8fJ3kLm92PqR7sTu4VwX"')
            if i % 9 == 2:
                body += ["", "", "class Engine:", "    pass", "", "", "class Turbo(Engine):", "    pass"]
            body.append(f"VALUE_{i} = {i}")
            files[f"big/{layer}/{layer[0]}{i}.py"] = "\n".join(body) + "\n"
    return write_tree(root, files)


@pytest_lsp.fixture(config=CONFIG, params=["pull_client"])
async def pull_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()




@pytest.mark.parametrize("hints", ["all", "editedLine"])
async def test_check_workspace_count_equals_the_panel_on_a_larger_workspace(pull_client, tmp_path, hints):
    root = big_workspace(tmp_path / "big")
    assert len(list(root.rglob("*.py"))) == 100
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
    suggested = 3 * len(range(2, PER_LAYER, 9))
    assert result["files"] >= 100 and result["hints"] == suggested
    # The one number: what Check Workspace says is what the panel lists (hints are not problems).
    assert result["findings"] == sum(problems.values())
    # Hints show in closed files only when the setting asks for all of them.
    assert listed_hints == (Counter({"ARC201": suggested}) if hints == "all" else Counter())
