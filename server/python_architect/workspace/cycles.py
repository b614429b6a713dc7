"""ARC103: import cycles among first-party modules, found over the whole workspace index.

Imports under ``TYPE_CHECKING`` never count; imports inside functions count only with the
``include-deferred`` option. Strongly connected components (Tarjan, iterative so deep graphs cannot hit the recursion limit)
of the first-party import graph; every import statement whose edge lies inside a component is a
line that closes a cycle, reported with the shortest cycle through it (``a -> b -> a``).

Also defines ``WorkspaceContext``, what every workspace-scope check receives. Workspace checks
yield ``(path, RawFinding)`` pairs because their findings land in many files.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..analysis.registry import RawFinding, check
from ..findings import Severity
from . import parse as _parse  # noqa: F401  registers the engine's own codes with the registry
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


@check(
    "ARC103",
    title="Import cycle among first-party modules",
    principle="layering",
    severity=Severity.WARNING,
    scope="workspace",
    default_options={"include-deferred": False},
    rationale="""
        Modules that import each other cannot be understood, tested or moved one at a time; the
        cycle welds them into one unit and makes import order matter. Dependencies should point
        one way.
    """,
    instead=(
        "Move the shared piece into a lower module both can import, or invert the dependency "
        "with an interface owned by the lower module."
    ),
)
def import_cycles(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    options = ctx.options_for("ARC103")
    # Imports inside functions run after import time and are the usual way to break a cycle;
    # counting them reported 747 "cycles" in Django against 66 import-time ones.
    include_deferred = bool(options.get("include-deferred", False))
    reported: set[tuple[Path, int, str]] = set()
    for edge, cycle in find_cycles(ctx.index, include_deferred=include_deferred):
        path = ctx.index.path_of(edge.source)
        if path is None:
            continue
        span = edge.fact.span
        key = (path, span.line, edge.target)
        if key in reported:
            continue
        reported.add(key)
        chain = " -> ".join(cycle)
        yield path, RawFinding(
            code="ARC103",
            message=f"Import of `{edge.target}` closes an import cycle: {chain}",
            span=span,
            data={"cycle": cycle, "target": edge.target},
        )
