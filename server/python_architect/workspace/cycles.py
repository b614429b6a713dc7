"""ARC103: import cycles among first-party modules that can fail at import, over the whole index.

Strongly connected components (Tarjan, iterative so deep graphs cannot hit the recursion limit)
of the import-time graph: module-level imports (never under ``TYPE_CHECKING`` or ``if __name__ ==
"__main__":``), imports in a function the module calls while it is imported, and the packages an
import of a submodule runs first. A component is reported, ONCE, only when importing one of its
members first fails (``import_run`` replays it): stated as that failing cycle from its
alphabetically first module (``a -> b -> a``), anchored on that module's import, with the chain's
lines first and every other import line between members after them as related information.
The ``structural`` option (or ``include-deferred``, which also counts every import inside a
function) reports every component instead, anchored on a shortest cycle through its first module;
the components left when the replays' budget (``REPLAY_RUNS``) is spent are not (unknown to fail).
``find_cycles`` (every edge with its shortest cycle) stays for tools that want edges.

Also defines ``WorkspaceContext``, what every workspace-scope check receives. Workspace checks
yield ``(path, RawFinding)`` pairs because their findings land in many files.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.registry import RawFinding, check
from ..codes import ARC103
from ..findings import Related
from .import_run import ImportFailure, Link, OutOfBudget, ReplayBudget, called_targets, first_failure
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
    kb: KnowledgeBase
    config: ProjectConfig
    roots: SourceRoots
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


def _run_edges(index: WorkspaceIndex) -> dict[str, list[ImportEdge]]:
    """Imports inside functions a module calls while it is imported (``r`` steps of its
    ``load_order``): they run at import time although they are written in a function."""
    edges: dict[str, list[ImportEdge]] = {}
    for module in index.modules():
        facts = index.lookup_module(module)
        if facts is None:
            continue
        for step in facts.load_order:
            if step[0] == "c":  # a function imported by name, called at import: its imports run
                binding, targets = called_targets(index, facts.imports, step[1:])
                if binding is not None:
                    edges.setdefault(module, []).extend(ImportEdge(module, t, binding) for t in targets if t != module)
            if step[0] != "r" or not step[1:].isdigit() or int(step[1:]) >= len(facts.imports):
                continue
            fact = facts.imports[int(step[1:])]
            if index.roots.is_first_party(fact.module):
                edges.setdefault(module, []).extend(
                    ImportEdge(module, target, fact) for target in index.resolve(fact) if target != module)
    return edges



def _with_packages_run_first(simple: dict[str, list[str]], index: WorkspaceIndex) -> dict[str, list[str]]:
    """``import a.b.c`` runs ``a`` and ``a.b`` first: an edge to each package above a target,
    except the importer's own packages (already running before it)."""
    out: dict[str, list[str]] = {}
    for module, targets in simple.items():
        own = {".".join(module.split(".")[:end]) for end in range(1, module.count(".") + 1)}
        extended = set(targets)
        for target in targets:
            parts = target.split(".")
            extended.update(p for p in (".".join(parts[:end]) for end in range(1, len(parts)))
                            if p in index and p not in own and p != module)
        out[module] = sorted(extended)
    return out


def _importers(graph: dict[str, list[str]]) -> dict[str, set[str]]:
    """Reversed edges, plus each package -> its submodules (running a module runs its packages)."""
    reverse: dict[str, set[str]] = {}
    for module, targets in graph.items():
        for target in targets:
            reverse.setdefault(target, set()).add(module)
        parts = module.split(".")
        for end in range(1, len(parts)):
            reverse.setdefault(".".join(parts[:end]), set()).add(module)
    return reverse


def _reaching(members: set[str], importers: dict[str, set[str]]) -> set[str]:
    """Every module from which one of ``members`` can be run (members included)."""
    seen = set(members)
    queue = deque(members)
    while queue:
        for importer in importers.get(queue.popleft(), ()):
            if importer not in seen:
                seen.add(importer)
                queue.append(importer)
    return seen


REPLAY_RUNS = 50_000
"""Module runs the replays of one check may make (Django's groups take ~2,300, ~0.1 s of CPU):
past it (some 2.5 s), the groups not yet replayed have no verdict and are not reported (the
``structural`` option reports every cycle)."""


def failing_cycle_groups(index: WorkspaceIndex, budget: int = REPLAY_RUNS
                         ) -> list[tuple[ImportCycle, ImportFailure | None, tuple[Link, ...]]]:
    """The groups of mutually importing modules in which importing some member first fails,
    each with its shortest failure (``import_run``); groups that import cleanly in every order
    are left out. The links are the failing chain, from the group's first module round. Once
    ``budget`` module runs are spent, the remaining groups come with no failure (None) and no
    links: not replayed, so reported as they are."""
    budget_left = ReplayBudget(budget)
    edges_by_module = index.graph(include_deferred=False)
    for module, extra in _run_edges(index).items():
        edges_by_module = {**edges_by_module, module: [*edges_by_module.get(module, ()), *extra]}
    simple = {module: sorted({edge.target for edge in edges}) for module, edges in edges_by_module.items()}
    actions: dict[str, list[tuple]] = {}
    found: list[tuple[ImportCycle, ImportFailure | None, tuple[Link, ...]]] = []
    unreplayed: set[str] = set()
    run_first = _with_packages_run_first(simple, index)
    importers = _importers(run_first)
    # Smallest groups first: a package's one huge group must not spend the budget the small,
    # checkable ones need (dagster: a 9- and a 28-module group went unreplayed behind a large one).
    for component in sorted(strongly_connected(run_first), key=lambda c: (len(c), sorted(c))):
        if len(component) < 2:
            continue
        members = set(component)
        if budget_left.runs <= 0:
            unreplayed |= members
            continue
        relevant = _reaching(members, importers)
        try:
            failures = [failure for failure in (first_failure(index, entry, actions, members, relevant, budget_left)
                                                for entry in sorted(component))
                        if failure is not None and failure.module in members]
        except OutOfBudget:
            unreplayed |= members
            continue
        if not failures:
            continue
        best = min(failures, key=lambda f: (len(f.cycle), f.cycle, f.entry))
        inside = tuple(
            edge
            for module in sorted(component)
            for edge in sorted(edges_by_module.get(module, ()), key=lambda e: (e.fact.span, e.target))
            if edge.target in members
        )
        # Stated from its alphabetically first module, as every cycle is (stable across runs).
        links = list(best.chain)
        first = min(range(len(links)), key=lambda k: links[k].module)
        links = links[first:] + links[:first]
        anchor = ImportEdge(links[0].module, links[0].loads, links[0].fact or best.fact)
        shortest = (*(link.module for link in links), links[0].module)
        found.append((ImportCycle(tuple(sorted(component)), anchor, shortest, inside), best, tuple(links)))
    if unreplayed:
        found.extend((group, None, ()) for group in import_cycle_groups(index) if unreplayed & set(group.members))
    return sorted(found, key=lambda found_group: found_group[0].members)


def _link_row(link: Link, index: WorkspaceIndex) -> str:
    """The related row of one link of a failing chain."""
    if link.fact is not None and link.loads not in index.resolve(link.fact):
        if link.via_call and not any(t.startswith(f"{link.loads}.") for t in index.resolve(link.fact)):
            return (f"`{link.module}` calls a function of `{link.fact.module}` while it is imported, "
                    f"which imports `{link.loads}`")
        return f"`{link.module}` imports `{link.fact.module}`, which runs `{link.loads}` first"
    if link.via_call:
        return f"`{link.module}` imports `{link.loads}` in a function it calls while it is imported"
    return f"`{link.module}` imports `{link.loads}`"


@check(ARC103)
def import_cycles(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    """One finding per group of mutually importing modules that can fail at import, on one
    import line, stating the cycle that fails, with every member's import line in the related
    information, the failing cycle's first (not one finding per line and both ends)."""
    options = ctx.options_for(ARC103)
    # Imports inside functions run after import time and are the usual way to break a cycle;
    # counting them reported 747 "cycles" in Django against 66 import-time ones.
    include_deferred = bool(options.get("include-deferred", False))
    if include_deferred or options.get("structural", False):
        yield from _structural_cycles(ctx, include_deferred)
        return
    for group, failure, links in failing_cycle_groups(ctx.index):
        path = ctx.index.path_of(group.anchor.source)
        if path is None:
            continue
        if failure is None:
            # Too large to replay within the budget: not known to fail, so not reported by
            # default (precision before recall; read on dagster, issue 21). `structural = true`
            # reports every cycle.
            continue
        related = []
        stated = []
        for link in links:
            where = ctx.index.path_of(link.module)
            if where is not None and link.fact is not None:
                stated.append(link.fact)
                related.append(Related(where, link.fact.span, _link_row(link, ctx.index)))
        for edge in group.edges:
            if all(edge.fact is not fact for fact in stated):
                where = ctx.index.path_of(edge.source)
                if where is not None:
                    related.append(Related(where, edge.fact.span, f"`{edge.source}` imports `{edge.target}`"))
        yield path, RawFinding(
            code=ARC103,
            message=f"{_cycle_message(group)}; {failure.short()}",
            span=group.anchor.fact.span,
            data={"cycle": list(group.shortest), "target": group.anchor.target, "members": list(group.members),
                  "explains": len(stated), "fails": failure.explain(),
                  "entry": failure.entry},
            related=tuple(related),
        )


def _cycle_message(group: ImportCycle) -> str:
    """``Import cycle: a -> b -> a``, and how many modules the group holds when that is more."""
    size = len(group.members)
    more = f"; {size} modules import each other in all" if size > len(group.shortest) - 1 else ""
    return f"Import cycle: {' -> '.join(group.shortest)}{more}"


def _structural_cycles(ctx: WorkspaceContext, include_deferred: bool) -> Iterator[WorkspaceFinding]:
    """Every group of mutually importing modules, whether or not it can fail (the ``structural``
    and ``include-deferred`` options: a team that wants no cycles at all)."""
    for group in import_cycle_groups(ctx.index, include_deferred=include_deferred):
        path = ctx.index.path_of(group.anchor.source)
        if path is not None:
            yield _structural_finding(ctx, group, path)


def _structural_finding(ctx: WorkspaceContext, group: ImportCycle, path: Path) -> WorkspaceFinding:
    """A group reported as a cycle, stated by a shortest cycle through its first module."""
    # Every import line of the group is related (the CLI's JSON and SARIF list them all), the
    # stated cycle's first: ``data["explains"]`` counts those, and the editor shows only them
    # (Django's groups made hundreds of rows for nine findings).
    stated = [group.anchor]
    for source, target in itertools.pairwise(group.shortest[1:]):
        edge = next((e for e in group.edges if e.source == source and e.target == target), None)
        if edge is not None:
            stated.append(edge)
    related = []
    for edge in [*stated, *(e for e in group.edges if all(e is not s for s in stated))]:
        where = ctx.index.path_of(edge.source)
        if where is not None:
            related.append(Related(where, edge.fact.span, f"`{edge.source}` imports `{edge.target}`"))
    return path, RawFinding(
        code=ARC103,
        message=_cycle_message(group),
        span=group.anchor.fact.span,
        data={"cycle": list(group.shortest), "target": group.anchor.target, "members": list(group.members),
              "explains": len(stated)},
        related=tuple(related),
    )
