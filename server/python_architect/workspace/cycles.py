"""ARC103: import cycles among first-party modules, found over the whole workspace index.

Imports under ``TYPE_CHECKING`` and ``if __name__ == "__main__":`` never count; imports inside
functions count only with the ``include-deferred`` option. Strongly connected components (Tarjan,
iterative so deep graphs cannot hit the recursion limit) of the first-party import graph: each
component is ONE finding, anchored on an import of its alphabetically first module that lies on
a shortest cycle (``a -> b -> a``), with every import line between members as related
information. ``find_cycles`` (every edge with its shortest cycle) stays for tools that want edges.

Also defines ``WorkspaceContext``, what every workspace-scope check receives. Workspace checks
yield ``(path, RawFinding)`` pairs because their findings land in many files.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..analysis.registry import RawFinding, check
from ..codes import ARC103
from ..findings import Related
from .index import ImportEdge, WorkspaceIndex

if TYPE_CHECKING:
    from ..config import ProjectConfig
    from ..knowledge.model import KnowledgeBase
    from .roots import SourceRoots

WorkspaceFinding = tuple[Path, RawFinding]


@dataclass
class WorkspaceContext:
    """What a workspace check sees: the index (facts of every module) and the project around it."""

    root: Path
    index: WorkspaceIndex
    kb: "KnowledgeBase"
    config: "ProjectConfig"
    roots: "SourceRoots"
    options_for: Callable[[str], dict[str, Any]]


def strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion; returns components in discovery order."""
    index_of: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index_of:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(graph.get(start, ())))]
        index_of[start] = lowlink[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index_of:
                    index_of[successor] = lowlink[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph.get(successor, ()))))
                    advanced = True
                    break
                if successor in on_stack:
                    lowlink[node] = min(lowlink[node], index_of[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def shortest_path(graph: dict[str, list[str]], start: str, goal: str, allowed: set[str]) -> list[str]:
    """Breadth-first path from ``start`` to ``goal`` staying inside ``allowed``."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for successor in graph.get(node, ()):
            if successor in allowed and successor not in previous:
                previous[successor] = node
                queue.append(successor)
    return []


def find_cycles(index: WorkspaceIndex, *, include_deferred: bool = False) -> list[tuple[ImportEdge, list[str]]]:
    """Each import edge that lies on a cycle, with the shortest cycle through it."""
    edges_by_module = index.graph(include_deferred=include_deferred)
    simple = {module: sorted({edge.target for edge in edges}) for module, edges in edges_by_module.items()}
    found: list[tuple[ImportEdge, list[str]]] = []
    for component in strongly_connected(simple):
        if len(component) < 2:
            continue
        members = set(component)
        back_paths: dict[tuple[str, str], list[str]] = {}
        for module in sorted(component):
            for edge in edges_by_module.get(module, ()):
                if edge.target not in members:
                    continue
                key = (edge.target, module)
                if key not in back_paths:
                    back_paths[key] = shortest_path(simple, edge.target, module, members)
                back = back_paths[key]
                if back:
                    found.append((edge, [module, *back]))
    return found


@dataclass(frozen=True)
class ImportCycle:
    """One strongly connected group of modules: reported once, on ``anchor``.

    ``shortest`` is a shortest cycle through the anchor edge (``a -> b -> a``); ``edges`` every
    import statement between members, each a line that would have to go to break the group.
    """

    members: tuple[str, ...]
    anchor: ImportEdge
    shortest: tuple[str, ...]
    edges: tuple[ImportEdge, ...]


def import_cycle_groups(index: WorkspaceIndex, *, include_deferred: bool = False) -> list[ImportCycle]:
    """Each group of mutually importing modules once, anchored on an edge of its shortest cycle
    through its alphabetically first module (stable across runs and machines)."""
    edges_by_module = index.graph(include_deferred=include_deferred)
    simple = {module: sorted({edge.target for edge in edges}) for module, edges in edges_by_module.items()}
    groups: list[ImportCycle] = []
    for component in strongly_connected(simple):
        if len(component) < 2:
            continue
        members = set(component)
        inside = tuple(
            edge
            for module in sorted(component)
            for edge in sorted(edges_by_module.get(module, ()), key=lambda e: (e.fact.span, e.target))
            if edge.target in members
        )
        first = min(component)
        best: tuple[ImportEdge, list[str]] | None = None
        for edge in inside:
            if edge.source != first:
                continue
            back = shortest_path(simple, edge.target, first, members)
            if back and (best is None or len(back) < len(best[1])):
                best = (edge, back)
        if best is None:  # cannot happen in a component of two or more, but never crash on it
            continue
        groups.append(ImportCycle(tuple(sorted(component)), best[0], (first, *best[1]), inside))
    return sorted(groups, key=lambda group: group.members)


@check(ARC103)
def import_cycles(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    """One finding per group of mutually importing modules, on one import line, stating its
    shortest cycle, with every member's import line in the related information, the cycle's
    first (not one finding per line and both ends)."""
    options = ctx.options_for(ARC103)
    # Imports inside functions run after import time and are the usual way to break a cycle;
    # counting them reported 747 "cycles" in Django against 66 import-time ones.
    include_deferred = bool(options.get("include-deferred", False))
    for group in import_cycle_groups(ctx.index, include_deferred=include_deferred):
        path = ctx.index.path_of(group.anchor.source)
        if path is None:
            continue
        # Every import line of the group is related (the CLI's JSON and SARIF list them all), the
        # stated cycle's first: ``data["explains"]`` counts those, and the editor shows only them
        # (Django's groups made hundreds of rows for nine findings).
        stated = [group.anchor]
        for source, target in zip(group.shortest[1:], group.shortest[2:]):
            edge = next((e for e in group.edges if e.source == source and e.target == target), None)
            if edge is not None:
                stated.append(edge)
        related = []
        for edge in [*stated, *(e for e in group.edges if all(e is not s for s in stated))]:
            where = ctx.index.path_of(edge.source)
            if where is not None:
                related.append(Related(where, edge.fact.span, f"`{edge.source}` imports `{edge.target}`"))
        chain = " -> ".join(group.shortest)
        size = len(group.members)
        more = f"; {size} modules import each other in all" if size > len(group.shortest) - 1 else ""
        yield path, RawFinding(
            code=ARC103,
            message=f"Import cycle: {chain}{more}",
            span=group.anchor.fact.span,
            data={"cycle": list(group.shortest), "target": group.anchor.target, "members": list(group.members),
                  "explains": len(stated)},
            related=tuple(related),
        )
