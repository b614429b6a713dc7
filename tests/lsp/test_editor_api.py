"""The server API behind the VS Code client's status item and commands (``lsp/editor_api.py``):
``pythonArchitect/status``, ``pythonArchitect/listAdrs``, ``pythonArchitect/checkWorkspace`` and
the ``workspace/diagnostic`` pull that puts a workspace check into the Problems panel."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import CONFIG, start
from lsprotocol import types
from pytest_lsp import LanguageClient
from python_architect.engine import Project
from python_architect.lsp.convert import path_of
from python_architect.workspace.graph import build_graph, render

STATUS = "pythonArchitect/status"
TIMEOUT = 30


@pytest_lsp.fixture(config=CONFIG, params=["pull_client"])
async def editor_client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    lsp_client.statuses = []  # type: ignore[attr-defined]
    lsp_client.status_arrived = asyncio.Event()  # type: ignore[attr-defined]

    @lsp_client.feature(STATUS)
    def on_status(client: LanguageClient, params) -> None:
        client.statuses.append(_plain(params))  # type: ignore[attr-defined]
        client.status_arrived.set()  # type: ignore[attr-defined]

    yield
    await lsp_client.shutdown_session()


async def _next_status(client: LanguageClient, count: int):
    """The ``count``-th status notification (1-based), awaited."""
    while len(client.statuses) < count:  # type: ignore[attr-defined]
        client.status_arrived.clear()  # type: ignore[attr-defined]
        await asyncio.wait_for(client.status_arrived.wait(), TIMEOUT)  # type: ignore[attr-defined]
    return client.statuses[count - 1]  # type: ignore[attr-defined]


def _workspace_pull(client: LanguageClient, previous: dict[str, str] | None = None) -> asyncio.Task:
    params = types.WorkspaceDiagnosticParams(
        previous_result_ids=[types.PreviousResultId(uri=uri, value=value) for uri, value in (previous or {}).items()],
        identifier="python-architect",
    )
    return asyncio.ensure_future(client.workspace_diagnostic_async(params))


def _plain(value):
    """Custom results arrive as dicts or as pygls' namedtuples, depending on their shape."""
    return value._asdict() if hasattr(value, "_asdict") else value


def _decision_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(index for index, line in enumerate(lines) if line.strip() == "## Decision")


async def test_list_adrs_gives_every_adr_with_its_decision_line(editor_client, shop):
    await start(editor_client, [shop])
    adrs = [_plain(adr) for adr in await editor_client.protocol.send_request_async("pythonArchitect/listAdrs", {})]
    files = sorted((shop / ".ai/adrs").glob("*.md"))
    assert len(adrs) == len(files) == 8
    by_uri = {adr["uri"]: adr for adr in adrs}
    for path in files:
        entry = by_uri[path.resolve().as_uri()]
        assert entry["id"] == f"ADR-{path.name[:4][-3:]}"
        assert entry["line"] == _decision_line(path)
        assert entry["title"] and entry["status"]
    assert by_uri[(shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md").resolve().as_uri()]["title"] == (
        "Timeouts on every outbound call"
    )


async def test_status_is_sent_on_load_and_again_when_the_knowledge_base_reloads(editor_client, shop):
    await start(editor_client, [shop])
    # No request is needed first: the folder's load itself sends the status.
    first = await _next_status(editor_client, 1)
    assert (first["state"], first["adrs"], first["folderUri"]) == ("ready", 8, shop.resolve().as_uri())
    removed = shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md"
    removed.unlink()
    editor_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=removed.resolve().as_uri(), type=types.FileChangeType.Deleted)])
    )
    second = await _next_status(editor_client, 2)
    assert (second["state"], second["adrs"]) == ("ready", 7)


async def test_check_workspace_fills_the_problems_of_closed_files_once(editor_client, shop):
    session = await start(editor_client, [shop])
    open_uri = session.open("src/shop/domain/orders.py")
    assert {d.code for d in await session.diagnostics(open_uri)} >= {"ARC101"}
    pending = _workspace_pull(editor_client)  # nothing to report yet: it waits for a change

    result = _plain(await editor_client.protocol.send_request_async("pythonArchitect/checkWorkspace", {}))
    report = await asyncio.wait_for(pending, TIMEOUT)

    expected = Project.load(shop).check_paths()
    assert result["files"] == expected.files
    assert result["findings"] == len(expected.findings)
    by_uri = {item.uri: item for item in report.items}
    assert open_uri not in by_uri  # the open file is pulled per document: no double entries
    closed: dict[str, set[str]] = {}
    for finding in expected.findings:
        uri = Path(finding.path).resolve().as_uri()
        if uri != open_uri:
            closed.setdefault(uri, set()).add(finding.code)
    assert {uri: {str(d.code) for d in item.items} for uri, item in by_uri.items()} == closed
    billing = by_uri[(shop / "src/shop/services/billing.py").resolve().as_uri()]
    s113 = next(d for d in billing.items if d.code == "S113")
    assert s113.message.endswith("[ADR-002]")

    # Asked again with those result ids, the server answers only when something changes:
    # here the user opens billing.py, so its workspace entry is cleared (the document pull owns it).
    again = _workspace_pull(editor_client, {uri: item.result_id for uri, item in by_uri.items()})
    session.open("src/shop/services/billing.py")
    cleared = await asyncio.wait_for(again, TIMEOUT)
    assert [(item.uri, list(item.items)) for item in cleared.items] == [(billing.uri, [])]


async def test_check_workspace_answers_with_no_folder_loaded(editor_client, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    await start(editor_client, [empty])
    result = _plain(await editor_client.protocol.send_request_async("pythonArchitect/checkWorkspace", {}))
    assert (result["folders"], result["files"], result["findings"]) == (1, 0, 0)
    assert await editor_client.protocol.send_request_async("pythonArchitect/listAdrs", {}) == []


async def test_graph_gives_the_mermaid_graph_and_its_violations(editor_client, shop):
    await start(editor_client, [shop])
    answer = _plain(await editor_client.protocol.send_request_async(
        "pythonArchitect/graph", {"folderUri": shop.resolve().as_uri(), "depth": 3, "layers": True}))
    project = Project.load(shop)
    project.ensure_index()
    expected = build_graph(project.index, project.kb, depth=3, with_layers=True)
    assert answer["mermaid"] == render(expected, "mermaid")
    assert 'subgraph layer0["layer shop.api"]' in answer["mermaid"]
    orders = (shop / "src/shop/domain/orders.py").resolve()
    importing = orders.read_text().split("\n").index("from shop.services import billing")
    # Issue 23: each violation carries its import line, each node its file, for the view's clicks.
    assert [_plain(v) for v in answer["violations"]] == [
        {"source": "shop.domain.orders", "target": "shop.services.billing", "kind": "layer", "imports": 1,
         "uri": orders.as_uri(), "line": importing}]
    nodes = sorted(expected.nodes)  # the mermaid ids n0, n1, ... number them in this order
    assert len(answer["modules"]) == len(nodes)
    assert answer["modules"][nodes.index("shop.domain.orders")] == orders.as_uri()
    assert answer["modules"][nodes.index("shop.api")] == (shop / "src/shop/api/__init__.py").resolve().as_uri()
    assert (answer["nodes"], answer["edges"]) == (len(expected.nodes), len(expected.edges))
    # Every drawn edge has its first import line, for a click on the edge (the violating one too).
    links = {tuple(link["edge"]): link for link in map(_plain, answer["links"])}
    assert set(links) == {(nodes.index(s), nodes.index(t)) for s, t in expected.edges}
    violating = links[(nodes.index("shop.domain.orders"), nodes.index("shop.services.billing"))]
    assert (violating["uri"], violating["line"]) == (orders.as_uri(), importing)
    for link in links.values():
        source = path_of(link["uri"])
        line = source.read_text().split("\n")[link["line"]]
        assert "import" in line and nodes[link["edge"][1]].rsplit(".", 1)[-1] in line, (link, line)

    # No params at all: the first folder, depth 2, no layer groups; a bad depth is the default.
    default = _plain(await editor_client.protocol.send_request_async("pythonArchitect/graph", {}))
    odd = _plain(await editor_client.protocol.send_request_async("pythonArchitect/graph", {"depth": "deep"}))
    assert default["mermaid"] == odd["mermaid"] == render(build_graph(project.index, project.kb, depth=2), "mermaid")
    assert "subgraph" not in default["mermaid"]
