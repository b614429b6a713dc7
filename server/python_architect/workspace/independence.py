"""ARC105: modules an ADR's ``independence`` rule declares independent import each other.

``{kind: independence, modules: [billing, shipping, app.plugins.*]}``: no listed module (and
nothing inside it) imports another, directly or through modules that are on neither side. A
pattern (``app.plugins.*``) stands for each module it matches, every one independent of the others.

Every direct import between two of them is reported on its line; an indirect chain is reported
once per ordered pair of modules (the shortest, on the import that starts it), and only when
the pair has no direct import, as ARC102 does for layers. A chain never walks through another
listed module: that module's own import is the finding. Imports under ``TYPE_CHECKING`` do not
count (the index's graph leaves them out: they never run).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..analysis.registry import RawFinding, check
from ..codes import ARC105
from ..knowledge.module_patterns import is_pattern, matched_prefix
from .layers import LayerChain, chain_hops, layer_chains

if TYPE_CHECKING:
    from ..knowledge.model import Adr, RuleSpec
    from .cycles import WorkspaceContext, WorkspaceFinding
    from .index import ImportEdge


def concrete_members(patterns: list[str], modules: list[str]) -> list[str]:
    """Each plain module as written, and each module a pattern matches (``app.plugins.a``,
    ``app.plugins.b`` for ``app.plugins.*``), in order, without repeats."""
    members: dict[str, None] = {}
    for pattern in patterns:
        if not is_pattern(pattern):
            members[pattern] = None
            continue
        for module in modules:
            prefix = matched_prefix(module, pattern)
            if prefix is not None:
                members[prefix] = None
    return list(members)


def _inside(module: str, member: str) -> bool:
    return module == member or module.startswith(member + ".")


def independence_chains(graph: dict[str, list[ImportEdge]], members: list[str]) -> list[LayerChain]:
    """The shortest chain for every ordered pair of members with a path between them: the layer
    search run both ways (each member a layer of its own), so every direction is covered once."""
    layers = [[member] for member in members]
    chains = layer_chains(graph, layers) + layer_chains(graph, layers[::-1])
    unique: dict[tuple[str, str], LayerChain] = {}
    for chain in chains:
        unique.setdefault((chain.lower, chain.higher), chain)
    return [unique[key] for key in sorted(unique)]


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


@check(ARC105)
def independence_violations(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    from ..knowledge.scope import rule_applies_to

    rules: list[tuple[Adr, RuleSpec]] = list(ctx.kb.rules("independence"))
    if not rules:
        return
    graph = ctx.index.graph(include_deferred=True)
    modules = ctx.index.modules()
    for adr, rule in rules:
        members = concrete_members(_strings(rule.options.get("modules")), modules)
        if len(members) < 2:
            continue
        for found in independence_chains(graph, members):
            edges = _direct_edges(graph, found) if found.direct else [found.edges[0]]
            for edge in edges:
                path = ctx.index.path_of(edge.source)
                if path is None or not rule_applies_to(adr, rule, path, ctx.root):
                    continue
                chain = [edge.source, edge.target] if found.direct else list(found.chain)
                if found.direct:
                    default = (f"`{edge.source}` imports `{edge.target}`: `{found.lower}` and "
                               f"`{found.higher}` must stay independent (rule `{rule.id}`)")
                else:
                    default = (f"`{edge.source}` reaches `{found.higher}` indirectly: {' -> '.join(chain)}; "
                               f"`{found.lower}` and `{found.higher}` must stay independent (rule `{rule.id}`)")
                yield path, RawFinding(
                    code=ARC105,
                    message=rule.message or default,
                    span=edge.fact.span,
                    rule=rule,
                    data={"imported": chain[-1], "rule": rule.id, "chain": chain,
                          "module": found.lower, "other": found.higher},
                    related=() if found.direct else chain_hops(ctx.index, found),
                )


def _direct_edges(graph: dict[str, list[ImportEdge]], found: LayerChain) -> list[ImportEdge]:
    """Every import statement from one member straight into the other (each is a line to fix),
    one per statement."""
    edges: dict[tuple[str, int], ImportEdge] = {}
    for source in sorted(graph):
        if not _inside(source, found.lower):
            continue
        for edge in graph[source]:
            if _inside(edge.target, found.higher):
                edges.setdefault((source, edge.fact.span.line), edge)
    return list(edges.values())
