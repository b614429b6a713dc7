"""``python-architect graph``: each format, collapsing depth, layers as groups, violating edges
marked; the Mermaid output is parsed by the ``mermaid`` package's own parser under Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from cli_support import REPO, run_cli
from trees import layers_adr, write_tree

LAYERS_ADR = layers_adr("shop")

TREE = {
    "pyproject.toml": "[project]\nname = 'shop'\n",
    ".ai/adrs/0005-layers.md": LAYERS_ADR,
    "shop/__init__.py": "",
    "shop/api/__init__.py": "",
    "shop/api/views.py": "from shop.services import orders\nfrom shop.services import billing\n",
    "shop/services/__init__.py": "",
    "shop/services/orders.py": "from shop.domain import model\n",
    "shop/services/billing.py": "from shop.domain import model\n",
    "shop/domain/__init__.py": "",
    "shop/api/schemas.py": "",
    "shop/domain/model.py": "from shop.api import schemas  # up a layer\n",
    "shop/end/__init__.py": "",  # a package called like a Mermaid keyword
    "shop/end/cycle_a.py": "from shop.end import cycle_b\n",
    "shop/end/cycle_b.py": "from shop.end import cycle_a\n",
}


def workspace(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "ws", TREE)


def test_json_collapses_to_depth_and_marks_layer_and_cycle_edges(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    result = run_cli("graph", "--format", "json", "--depth", "2", "--layers", cwd=root)
    assert result.returncode == 0, result.stderr
    graph = result.json()
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert set(nodes) == {"shop", "shop.api", "shop.services", "shop.domain", "shop.end"}
    assert nodes["shop.api"]["modules"] == 3 and nodes["shop.services"]["modules"] == 3 and nodes["shop.services"]["layer"] == "shop.services"
    edges = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert edges[("shop.api", "shop.services")]["imports"] == 2
    assert edges[("shop.api", "shop.services")]["violation"] is None
    assert edges[("shop.domain", "shop.api")]["violation"] == "layer"
    assert graph["layers_from"] == "ADR-005/layers"
    assert [layer["name"] for layer in graph["layers"]] == ["shop.api", "shop.services", "shop.domain"]


def test_depth_zero_keeps_modules_and_shows_cycles_inside_a_package(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    graph = run_cli("graph", "--format", "json", "--depth", "0", cwd=root).json()
    edges = {(e["source"], e["target"]): e["violation"] for e in graph["edges"]}
    assert edges[("shop.end.cycle_a", "shop.end.cycle_b")] == "cycle"
    assert edges[("shop.end.cycle_b", "shop.end.cycle_a")] == "cycle"
    assert edges[("shop.services.orders", "shop.domain.model")] is None
    assert graph["layers"] == []  # no --layers: no groups


def test_dot_has_a_cluster_per_layer_and_red_violations(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    result = run_cli("graph", "--format", "dot", "--layers", cwd=root)
    assert result.returncode == 0, result.stderr
    dot = result.stdout
    assert dot.startswith("digraph modules {") and dot.rstrip().endswith("}")
    assert dot.count("subgraph cluster_") == 3
    assert re.search(r'"shop\.domain" -> "shop\.api" \[label="1", color="#d33"', dot)
    assert re.search(r'"shop\.api" -> "shop\.services" \[label="2"\];', dot)
    if shutil.which("dot"):  # Graphviz, when installed, must accept it too
        subprocess.run(["dot", "-Tsvg"], input=dot, text=True, check=True, capture_output=True)


def parse_mermaid(*texts: str) -> list[dict]:
    """Each text parsed by the ``mermaid`` package under Node (one Node start for all)."""
    assert shutil.which("node"), "node is needed to parse the Mermaid output"
    completed = subprocess.run(["node", str(REPO / "tests" / "cli" / "mermaid_parse.mjs")],
                               input=json.dumps(texts), text=True, capture_output=True, timeout=120, cwd=REPO,
                               check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_mermaid_output_parses_with_the_mermaid_package(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    texts = []
    for args in (["--layers"], ["--depth", "0"], ["--depth", "1", "--layers"]):
        result = run_cli("graph", *args, cwd=root)
        assert result.returncode == 0, result.stderr
        # Layers stack top to bottom (issue 23); an ungrouped graph keeps the left-to-right flow.
        assert result.stdout.startswith("flowchart TB\n" if "--layers" in args else "flowchart LR\n")
        texts.append(result.stdout)
    # The last text is broken on purpose: the parser in this test must be able to say no.
    *good, bad = parse_mermaid(*texts, "flowchart LR\n  a -->\n")
    for text, parsed in zip(texts, good):
        assert parsed["ok"] and parsed["type"].startswith("flowchart"), f"{parsed}\n{text}"
    assert not bad["ok"] and "Parse error" in bad["error"]
    layered = texts[0]
    assert layered.count("subgraph layer") == 3
    # In the ADR's order (api, services, domain), each layer's box held below the one before it:
    # every node of a layer links (invisibly) to a hub that links to every node of the next one.
    assert layered.index('layer0["layer shop.api"]') < layered.index('layer1["layer shop.services"]') \
        < layered.index('layer2["layer shop.domain"]')
    ids = dict(re.findall(r'^    (n\d+)\["([\w.]+)"\]$', layered, re.M))
    into_hub = {ids[node] for node, hub in re.findall(r"^  (n\d+) ~~~ (hub\d+)$", layered, re.M) if hub == "hub0"}
    out_of_hub = {ids[node] for hub, node in re.findall(r"^  (hub\d+) ~~~ (n\d+)$", layered, re.M) if hub == "hub0"}
    assert (into_hub, out_of_hub) == ({"shop.api"}, {"shop.services"})
    assert "style hub0 fill:none,stroke:none" in layered and "hub2" not in layered
    # The invisible links come after the real ones, whose styles they must not renumber.
    assert layered.index("~~~") > layered.rindex("-->")
    # shop.domain imports shop.api, up the layers: drawn from its target (`<---`, so the layout
    # keeps the domain box below the api box) with an id that names it source first.
    number = {name: node for node, name in ids.items()}
    assert f'  {number["shop.api"]} U_{number["shop.domain"]}_{number["shop.api"]}_0@<---|"ARC102 1"| {number["shop.domain"]}\n' \
        in layered
    assert "linkStyle" in layered


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    assert run_cli("graph", "--depth", "-1", cwd=root).returncode == 2
    missing = run_cli("graph", "nowhere", cwd=root)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    bad = run_cli("graph", "--format", "png", cwd=root)
    assert bad.returncode == 2


def test_layers_without_a_rule_warns_and_still_draws(tmp_path: Path) -> None:
    tree = {k: v for k, v in TREE.items() if not k.startswith(".ai")}
    root = write_tree(tmp_path / "plain", tree)
    result = run_cli("graph", "--layers", "--output", "out/graph.mmd", cwd=root)
    assert result.returncode == 0 and "no ADR has a `layers` rule" in result.stderr
    assert (root / "out" / "graph.mmd").read_text().startswith("flowchart LR")


def test_the_command_offers_exactly_the_formats_the_renderer_knows() -> None:
    from python_architect.cli.graph_command import FORMATS as offered
    from python_architect.workspace.graph import FORMATS as rendered

    assert offered == rendered


def test_mermaid_labels_break_after_dots_and_name_modules_from_their_layer(tmp_path: Path) -> None:
    # Issue 23: beside an editor the graph must stay narrow. A module in a layer box is named from
    # the layer's package on (the box names the rest); a long name breaks into lines after its
    # dots, never inside a word; a name outside any layer keeps every part.
    tree = {**TREE,
            "shop/services/payment_provider_integrations/__init__.py": "",
            "shop/services/payment_provider_integrations/stripe_webhook_handlers.py": "",
            "shop/reporting_and_analytics/__init__.py": "",
            "shop/reporting_and_analytics/quarterly_revenue_dashboards.py": ""}
    root = write_tree(tmp_path / "long", tree)
    layered = run_cli("graph", "--layers", "--depth", "0", cwd=root)
    assert layered.returncode == 0, layered.stderr
    labels = dict(re.findall(r'^\s+(n\d+)\["([^"]*)"\]$', layered.stdout, re.MULTILINE))
    shown = set(labels.values())
    assert "views" in shown and "orders" in shown and "model" in shown  # shop.api.views, ... in their boxes
    assert "shop.api" in shown  # the layer's own package keeps its name
    assert "payment_provider_integrations.<br>stripe_webhook_handlers" in shown
    assert "shop.<br>reporting_and_analytics.<br>quarterly_revenue_dashboards" in shown  # in no layer
    for label in shown:
        for line in label.split("<br>"):
            # Every line is whole parts of the name: it ends at a dot or at the name's end.
            assert line == line.strip() and not line.startswith("."), label
    *parsed, _ = parse_mermaid(layered.stdout, "flowchart LR\n  a -->\n")
    assert parsed[0]["ok"], parsed
