"""ARC102 over the whole import graph: *indirect* layer violations.

The module check (``analysis.checks_imports``) reports each import statement that goes straight
up from a lower layer to a higher one. This pass finds the other way up, the way import-linter
does: a chain of first-party imports from a module of a lower layer, through modules that belong
to no layer of the rule, to a module of a higher layer. Each offending (lower, higher) pair of
layers is reported once (never once per sibling prefix or glob match of a layer), with the
shortest chain, on the import statement that starts it; a pair that
already has a direct import is left to the module check (one report per pair, never two).

One breadth-first search per lower layer over the index's graph (never through modules of other
layers: a chain through a middle layer is that layer's own violation), so the cost is
``O(layers x (modules + imports))``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.checks_imports import layer_of, layer_prefixes
from ..analysis.registry import RawFinding
from ..codes import ARC102
from ..findings import Related
from .index import ImportEdge, WorkspaceIndex

if TYPE_CHECKING:
    from ..knowledge.model import Adr, RuleSpec
    from .cycles import WorkspaceContext, WorkspaceFinding


@dataclass(frozen=True)
class LayerChain:
    """The shortest import chain from ``lower`` up to ``higher``; ``edges[i]`` links ``chain[i]``
    to ``chain[i + 1]``."""

    lower: str
    higher: str
    chain: tuple[str, ...]
    edges: tuple[ImportEdge, ...]

    @property
    def direct(self) -> bool:
        return len(self.chain) == 2


def layer_chains(graph: dict[str, list[ImportEdge]], layers: list[list[str]]) -> list[LayerChain]:
    """For every (lower layer, higher layer) pair with a path up, the shortest such chain: one
    per pair of layers, never one per sibling prefix or pattern match of either (a layer of 37
    siblings would otherwise repeat one chain 37 times)."""
    placed: dict[str, tuple[int, str]] = {}
    for module in graph:
        where = layer_of(module, layers)
        if where is not None:
            placed[module] = where
    by_level: dict[int, list[str]] = {}
    for module, (level, _) in placed.items():
        by_level.setdefault(level, []).append(module)
    found: list[LayerChain] = []
    for level in sorted(by_level, reverse=True):
        sources = sorted(by_level[level])
        # previous[module] = the edge that reached it first (None for a source).
        previous: dict[str, ImportEdge | None] = dict.fromkeys(sources)
        queue = deque(sources)
        reached: dict[int, str] = {}
        while queue:
            module = queue.popleft()
            for edge in graph.get(module, ()):
                target = edge.target
                if target in previous:
                    continue
                where = placed.get(target)
                if where is not None:
                    if where[0] < level and where[0] not in reached:
                        reached[where[0]] = target
                        previous[target] = edge
                    continue  # never walk through another layer
                previous[target] = edge
                queue.append(target)
        for _level, end in sorted(reached.items()):
            edges: list[ImportEdge] = []
            node = end
            while previous[node] is not None:
                edge = previous[node]
                assert edge is not None
                edges.append(edge)
                node = edge.source
            edges.reverse()
            chain = (edges[0].source, *(edge.target for edge in edges))
            found.append(LayerChain(placed[chain[0]][1], placed[end][1], chain, tuple(edges)))
    return found


def _chains_for_rule(index: WorkspaceIndex, rule: RuleSpec) -> list[LayerChain]:
    layers = layer_prefixes(rule.options.get("layers"))
    if len(layers) < 2:
        return []
    return layer_chains(index.graph(include_deferred=True), layers)


def indirect_layer_violations(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    """ARC102 findings for indirect chains, one per (lower, higher) pair of each layers rule."""
    from ..knowledge.scope import rule_applies_to

    rules: list[tuple[Adr, RuleSpec]] = list(ctx.kb.rules("layers"))
    for adr, rule in rules:
        for found in _chains_for_rule(ctx.index, rule):
            if found.direct:
                continue
            first = found.edges[0]
            path = ctx.index.path_of(first.source)
            if path is None or not rule_applies_to(adr, rule, path, ctx.root):
                continue
            yield path, RawFinding(
                code=ARC102,
                message=rule.message or (
                    f"`{first.source}` (layer `{found.lower}`) reaches the higher layer "
                    f"`{found.higher}` indirectly: {' -> '.join(found.chain)}"
                ),
                span=first.fact.span,
                rule=rule,
                data={
                    "imported": found.chain[-1],
                    "layer": found.lower,
                    "higher_layer": found.higher,
                    "chain": list(found.chain),
                },
                related=chain_hops(ctx.index, found),
            )


def chain_hops(index: WorkspaceIndex, found: LayerChain) -> tuple[Related, ...]:
    """Where each hop of the chain is imported (the editor's related information)."""
    hops = []
    for edge in found.edges:
        path = index.path_of(edge.source)
        if path is not None:
            hops.append(Related(Path(path), edge.fact.span, f"`{edge.source}` imports `{edge.target}`"))
    return tuple(hops)
