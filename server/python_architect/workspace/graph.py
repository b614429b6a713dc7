"""The module dependency graph for people: collapsed to packages at a depth, violating edges
marked, layers as groups; rendered as JSON, Graphviz ``dot`` or Mermaid.

Owns the shape of ``python-architect graph`` output (the CLI, the chat and the editor command all
render through ``render``). Built from the workspace index only: first-party modules and their
import-time and deferred imports (never ``TYPE_CHECKING`` ones, which do not run).

An edge is marked ``layer`` when one of its imports goes from a lower layer up to a higher one
(ARC102, the first ``layers`` rule of an accepted ADR), ``cycle`` when one of its imports closes an
import-time cycle (the structure: ARC103 reports only the cycles among them that can fail at
import); ``layer`` wins when both apply.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cycles import strongly_connected
from .layers import layer_of, layer_prefixes

if TYPE_CHECKING:
    from ..knowledge.model import KnowledgeBase
    from .index import WorkspaceIndex

FORMATS = ("mermaid", "dot", "json")


@dataclass
class GraphEdge:
    source: str
    target: str
    imports: int = 0
    violation: str | None = None


@dataclass
class ModuleGraph:
    depth: int
    nodes: dict[str, int] = field(default_factory=dict)
    """Collapsed name -> how many modules it stands for."""
    edges: dict[tuple[str, str], GraphEdge] = field(default_factory=dict)
    layers: list[list[str]] = field(default_factory=list)
    layer_source: str | None = None
    """``ADR-005/layers``: the rule the layers come from."""
    collapsed: str | None = None
    """Why the graph is shallower than asked (mermaid's edge limit), shown in the diagram."""

    def layer_of_node(self, node: str) -> str | None:
        where = layer_of(node, self.layers)
        return where[1] if where else None

    def as_json(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "nodes": [{"id": name, "modules": count, "layer": self.layer_of_node(name)}
                      for name, count in sorted(self.nodes.items())],
            "edges": [{"source": e.source, "target": e.target, "imports": e.imports, "violation": e.violation}
                      for _, e in sorted(self.edges.items())],
            "layers": [{"name": " | ".join(prefixes), "prefixes": prefixes} for prefixes in self.layers],
            "layers_from": self.layer_source,
        }


def collapse(module: str, depth: int) -> str:
    return ".".join(module.split(".")[:depth]) if depth > 0 else module


def build_graph(index: WorkspaceIndex, kb: KnowledgeBase | None = None, *, depth: int = 2,
                with_layers: bool = False) -> ModuleGraph:
    """The collapsed graph; ``with_layers`` also groups nodes by the first ``layers`` rule."""
    graph = ModuleGraph(depth=depth)
    layers: list[list[str]] = []
    if kb is not None:
        for adr, rule in kb.rules("layers"):
            layers = layer_prefixes(rule.options.get("layers"))
            if layers:
                graph.layer_source = f"{adr.id}/{rule.id}"
                break
    if with_layers:
        graph.layers = layers
    edges = index.graph(include_deferred=True)
    cyclic = _cycle_edges(index)
    for module in index.modules():
        node = collapse(module, depth)
        graph.nodes[node] = graph.nodes.get(node, 0) + 1
    for module, module_edges in edges.items():
        source_node = collapse(module, depth)
        for edge in module_edges:
            target_node = collapse(edge.target, depth)
            if target_node == source_node:
                continue
            entry = graph.edges.setdefault((source_node, target_node), GraphEdge(source_node, target_node))
            entry.imports += 1
            violation = _violation(module, edge.target, layers, cyclic)
            if violation == "layer" or (violation and entry.violation is None):
                entry.violation = violation
    return graph


MERMAID_MAX_EDGES = 500
"""Mermaid refuses a diagram with more edges by default ("Edge limit exceeded", ``maxEdges``)."""


def mermaid_fitting_graph(index: WorkspaceIndex, kb: KnowledgeBase | None = None, *, depth: int = 2,
                          with_layers: bool = False) -> tuple[ModuleGraph, str | None]:
    """The graph at ``depth``, or collapsed to the deepest depth whose edges mermaid renders, with
    a note saying what was collapsed (None when nothing was). Depth 0 (no collapsing) counts as
    the deepest module name."""
    graph = build_graph(index, kb, depth=depth, with_layers=with_layers)
    if len(graph.edges) <= MERMAID_MAX_EDGES:
        return graph, None
    deepest = max((len(m.split(".")) for m in index.modules()), default=1)
    start = (depth if depth > 0 else deepest + 1) - 1
    for candidate in range(min(start, deepest), 0, -1):
        smaller = build_graph(index, kb, depth=candidate, with_layers=with_layers)
        if len(smaller.edges) <= MERMAID_MAX_EDGES:
            return smaller, (f"{len(graph.edges)} edges at depth {depth} exceed mermaid's {MERMAID_MAX_EDGES}-edge "
                             f"limit: collapsed to --depth {candidate} ({len(smaller.edges)} edges); "
                             f"--format dot or json keeps depth {depth}")
    return graph, (f"{len(graph.edges)} edges exceed mermaid's {MERMAID_MAX_EDGES}-edge limit even at depth 1: "
                   "mermaid will refuse it; use --format dot or json")


def _cycle_edges(index: WorkspaceIndex) -> set[tuple[str, str]]:
    import_time = index.graph(include_deferred=False)
    simple = {module: sorted({e.target for e in edges}) for module, edges in import_time.items()}
    cyclic: set[tuple[str, str]] = set()
    for component in strongly_connected(simple):
        if len(component) < 2:
            continue
        members = set(component)
        for module in component:
            cyclic.update((module, target) for target in simple.get(module, ()) if target in members)
    return cyclic


def _violation(source: str, target: str, layers: list[list[str]], cyclic: set[tuple[str, str]]) -> str | None:
    if layers:
        own, other = layer_of(source, layers), layer_of(target, layers)
        if own is not None and other is not None and other[0] < own[0]:
            return "layer"
    return "cycle" if (source, target) in cyclic else None


# --- rendering -------------------------------------------------------------------------------

def render(graph: ModuleGraph, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(graph.as_json(), indent=2) + "\n"
    if output_format == "dot":
        return _dot(graph)
    if output_format == "mermaid":
        return _mermaid(graph)
    raise ValueError(f"unknown graph format {output_format!r}; expected one of {', '.join(FORMATS)}")


def _grouped(graph: ModuleGraph) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Nodes per layer (top first) and the nodes in no layer."""
    groups: dict[str, list[str]] = {" | ".join(p): [] for p in graph.layers}
    loose: list[str] = []
    for node in sorted(graph.nodes):
        where = layer_of(node, graph.layers) if graph.layers else None
        if where is None:
            loose.append(node)
        else:
            groups[" | ".join(graph.layers[where[0]])].append(node)
    return list(groups.items()), loose


_DOT_COLOURS = {"layer": "#d33", "cycle": "#e69500"}


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot(graph: ModuleGraph) -> str:
    lines = ["digraph modules {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    groups, loose = _grouped(graph)
    for number, (name, nodes) in enumerate(groups):
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(f"    label={_dot_id('layer ' + name)};")
        lines.extend(f"    {_dot_id(node)};" for node in nodes)
        lines.append("  }")
    lines.extend(f"  {_dot_id(node)};" for node in loose)
    for (source, target), edge in sorted(graph.edges.items()):
        attributes = [f"label={_dot_id(str(edge.imports))}"]
        if edge.violation:
            colour = _DOT_COLOURS[edge.violation]
            attributes += [f'color="{colour}"', f'fontcolor="{colour}"', "penwidth=2",
                           f"tooltip={_dot_id('ARC102 layer violation' if edge.violation == 'layer' else 'ARC103 import cycle')}"]
        lines.append(f"  {_dot_id(source)} -> {_dot_id(target)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_MERMAID_LABEL_UNSAFE = re.compile(r'["<>{}\[\]|#;`]')

LABEL_LINE_CHARS = 24
"""A node name longer than this is drawn on several lines, broken after a dot (never mid-word),
so a graph of long dotted names stays narrow enough to read beside an editor."""


def _mermaid_label(text: str) -> str:
    return '"' + _MERMAID_LABEL_UNSAFE.sub("_", text) + '"'


def _node_label(name: str, within: str | None = None) -> str:
    """The node's name, broken into lines after dots once it is longer than LABEL_LINE_CHARS (a
    part longer than that stays whole on its own line): ``<br>`` breaks a mermaid label. Inside a
    layer box named by one package (``within``), a module below it is named from there on
    (``fx_rates`` in the box "layer pricing_service.adapters"): the box says the rest."""
    if within and name.startswith(within + "."):
        name = name[len(within) + 1:]
    parts = _MERMAID_LABEL_UNSAFE.sub("_", name).split(".")
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 1 + len(part) <= LABEL_LINE_CHARS:
            lines[-1] += "." + part
        elif lines:
            lines[-1] += "."
            lines.append(part)
        else:
            lines.append(part)
    return '"' + "<br>".join(lines) + '"'


def _mermaid(graph: ModuleGraph) -> str:
    # Module names hold dots and keywords (``end``) that Mermaid ids cannot: nodes get n0, n1, ...
    ids = {node: f"n{number}" for number, node in enumerate(sorted(graph.nodes))}
    groups, loose = _grouped(graph)
    rank = {node: number for number, (_, nodes) in enumerate(groups) for node in nodes}
    # Layers read top to bottom in their ADR order: a top-down flow, where allowed imports point
    # down; without layers the left-to-right flow suits wide, shallow package graphs better.
    lines = ["flowchart TB" if groups else "flowchart LR"]
    if graph.collapsed:
        lines.append(f"  %% {graph.collapsed}")
    for number, (name, nodes) in enumerate(groups):
        if not nodes:
            continue  # an empty subgraph would be drawn as a box of its own
        lines.append(f"  subgraph layer{number}[{_mermaid_label('layer ' + name)}]")
        within = name if " | " not in name else None  # several packages: full names, never ambiguous
        lines.extend(f"    {ids[node]}[{_node_label(node, within)}]" for node in nodes)
        lines.append("  end")
    lines.extend(f"  {ids[node]}[{_node_label(node)}]" for node in loose)
    styles: list[str] = []
    for number, ((source, target), edge) in enumerate(sorted(graph.edges.items())):
        label = _mermaid_label({"layer": "ARC102 ", "cycle": "ARC103 "}.get(edge.violation or "", "") + str(edge.imports))
        if rank.get(target, -1) >= 0 and rank.get(source, -1) > rank[target]:
            # An import up the layers is drawn from its target (`<---`): the layout then ranks the
            # target above, as the layers are, instead of dragging a lower layer's box up beside
            # a higher one. Its id (``U_`` for up) names it as it goes, source first: the editor's
            # view opens the import from it and puts the arrowhead (which mermaid's `<---` leaves
            # out) back on the target's end.
            edge_id = f"U_{ids[source]}_{ids[target]}_0"
            lines.append(f"  {ids[target]} {edge_id}@<---|{label}| {ids[source]}")
        else:
            lines.append(f"  {ids[source]} -->|{label}| {ids[target]}")
        if edge.violation:
            styles.append(f"  linkStyle {number} stroke:{_DOT_COLOURS[edge.violation]},stroke-width:2px")
    lines.extend(_layer_order(groups, ids, len(graph.edges)))
    return "\n".join(lines + styles) + "\n"


def _layer_order(groups: list[tuple[str, list[str]]], ids: dict[str, str], edges: int) -> list[str]:
    """Invisible links that stack the layer boxes top to bottom in their ADR order: every node of
    a layer links to a blank hub node, which links to every node of the next layer, so the
    layout ranks the whole next layer lower (dagre alone floats a node with no edges to the top).
    They come after the real links (``linkStyle`` numbers count links in order), and only while
    the diagram stays under mermaid's edge limit."""
    filled = [nodes for _, nodes in groups if nodes]
    links = sum(len(upper) + len(lower) for upper, lower in itertools.pairwise(filled))
    if len(filled) < 2 or edges + links > MERMAID_MAX_EDGES:
        return []
    lines: list[str] = []
    for number, (upper, lower) in enumerate(itertools.pairwise(filled)):
        hub = f"hub{number}"
        lines.append(f'  {hub}[" "]')
        lines.append(f"  style {hub} fill:none,stroke:none")
        lines.extend(f"  {ids[node]} ~~~ {hub}" for node in upper)
        lines.extend(f"  {hub} ~~~ {ids[node]}" for node in lower)
    return lines
