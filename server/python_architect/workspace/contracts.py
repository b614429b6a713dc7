"""import-linter's built-in contracts enforced over our own index, with import-linter's semantics.

The graph is grimp's ``ImportGraph`` (the engine under ``lint-imports``) fed from the workspace
index, so unsaved editor text counts and no file is parsed twice: every module under the root
packages, every import of theirs (``TYPE_CHECKING`` ones unless ``exclude_type_checking_imports``,
those inside functions too, as grimp counts them), and with ``include_external_packages`` one
squashed node per third-party top-level name. Each contract gets its own copy of the graph with
its ``ignore_imports`` removed (wildcards matched by grimp), then:

- ``forbidden``: shortest chains from each source to each forbidden module (packages unless
  ``as_packages = False``), only direct imports with ``allow_indirect_imports``;
- ``layers`` / ``independence``: grimp's ``find_illegal_dependencies_for_layers`` (containers,
  ``|`` independent and ``:`` non-independent siblings, optional ``(layer)``), plus ``exhaustive``;
- ``acyclic_siblings``: grimp's cycle breakers between the children of each ancestor, to ``depth``;
- ``protected``: direct importers of the protected modules that are not allowed.

Owns ``ContractOutcome`` (KEPT/BROKEN, each violation as a chain of modules with the line of its
first import) — a function of (index, config), no state kept.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..knowledge.importlinter_config import (
    BUILT_IN_TYPES,
    ContractsConfig,
    ContractSpec,
)

if TYPE_CHECKING:
    from .index import WorkspaceIndex


@dataclass(frozen=True)
class Violation:
    """One way the contract is broken: ``chain`` runs importer -> imported (two modules for a
    direct import); ``line`` is the line of the chain's first import (0 when there is no import,
    e.g. an undeclared module of an exhaustive contract). ``importer``/``imported`` are the
    contract-level names (the layers, packages or siblings) the chain connects."""

    importer: str
    imported: str
    chain: tuple[str, ...]
    line: int

    @property
    def direct(self) -> bool:
        return len(self.chain) == 2


@dataclass
class ContractOutcome:
    spec: ContractSpec
    kept: bool | None
    """None when the contract could not be checked (``problems`` says why)."""
    violations: list[Violation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class ContractError(ValueError):
    """The contract is misconfigured; ``lint-imports`` stops on it too."""


def check_contracts(index: WorkspaceIndex, config: ContractsConfig) -> list[ContractOutcome]:
    """Every contract of ``config``, checked against ``index``."""
    try:
        import grimp  # noqa: F401 - only to know it is there
    except ImportError:
        # grimp 3.20 (the API these contracts use) publishes no wheels for Python 3.10: there the
        # dependency is not installed, and each contract says so rather than passing silently.
        return [ContractOutcome(spec, None, problems=[
            ("grimp is not installed: import-linter contracts cannot be checked "
             "(they need grimp 3.20 or newer, on Python 3.11 or newer: pip install 'grimp>=3.20')")])
                for spec in config.contracts]
    graph = build_graph(index, config)
    outcomes = []
    for spec in config.contracts:
        if spec.type not in BUILT_IN_TYPES:
            message = (f"contract type `{spec.type}` is not one Python Architect enforces "
                       f"(built in: {', '.join(BUILT_IN_TYPES)}); run `lint-imports` for it")
            outcomes.append(ContractOutcome(spec, None, problems=[message]))
            continue
        try:
            outcomes.append(_CHECKS[spec.type](copy.deepcopy(graph), spec, config))
        except ContractError as exc:
            outcomes.append(ContractOutcome(spec, None, problems=[str(exc)]))
        except ValueError as exc:  # grimp's own validation (e.g. no such container)
            outcomes.append(ContractOutcome(spec, None, problems=[str(exc)]))
    return outcomes


# --- the graph -------------------------------------------------------------------------------

def build_graph(index: WorkspaceIndex, config: ContractsConfig) -> Any:
    import grimp

    roots = tuple(config.root_packages)
    graph = grimp.ImportGraph()
    modules = {m for m in index.modules() if _under(m, roots)}
    # Sorted: grimp's choice among equally short chains follows insertion order, so a set's
    # order (PYTHONHASHSEED) would change reported chains and lines from run to run.
    for module in sorted(modules):
        graph.add_module(module)
    externals: set[str] = set()
    for module in sorted(modules):
        facts = index.lookup_module(module)
        if facts is None:
            continue
        for fact in facts.imports:
            if fact.type_checking and config.exclude_type_checking_imports:
                continue
            for target in _targets(fact, modules):
                if target == module:
                    continue
                if target not in modules:
                    if not config.include_external_packages or _under(target, roots):
                        continue
                    target = target.split(".")[0]
                    if target not in externals:
                        externals.add(target)
                        graph.add_module(target, is_squashed=True)
                graph.add_import(importer=module, imported=target, line_number=fact.span.line,
                                 line_contents="")
    return graph


def _under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def _targets(fact: Any, modules: set[str]) -> list[str]:
    """What one statement imports, resolved as grimp does: ``from a import b`` is ``a.b`` when
    that is a module, else ``a``; ``import a.b.c`` the deepest module of its prefixes; a name
    no module matches stays as written (an external import)."""
    if not fact.module:
        return []
    if fact.is_from:
        found: list[str] = []
        for name in fact.names or ("",):
            sub = f"{fact.module}.{name}" if name and name != "*" else fact.module
            target = sub if sub in modules else fact.module
            if target not in found:
                found.append(target)
        return found
    parts = fact.module.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return [candidate]
    return [fact.module]


# --- shared helpers ----------------------------------------------------------------------------

def _remove_ignored(graph: Any, spec: ContractSpec) -> None:
    unmatched = []
    removals: set[tuple[str, str]] = set()
    for expression in spec.values("ignore_imports"):
        if "->" not in expression:
            raise ContractError(f"ignore_imports entry {expression!r} is not `importer -> imported`")
        importer, imported = (part.strip() for part in expression.split("->", 1))
        matches = graph.find_matching_direct_imports(import_expression=f"{importer} -> {imported}")
        if not matches:
            unmatched.append(expression)
        removals.update((m["importer"], m["imported"]) for m in matches)
    alerting = str(spec.value("unmatched_ignore_imports_alerting", "error")).strip().lower()
    if unmatched and alerting == "error":
        raise ContractError("ignore_imports matched no import: " + ", ".join(unmatched))
    for importer, imported in sorted(removals):
        graph.remove_import(importer=importer, imported=imported)


def _expand(graph: Any, expressions: list[str], *, as_packages: bool = False) -> set[str]:
    """Module expressions (``*`` one segment, ``**`` any) to module names, as import-linter."""
    found: set[str] = set()
    for expression in expressions:
        if "*" in expression:
            found |= set(graph.find_matching_modules(expression))
        else:
            found.add(expression)
    if as_packages:
        found |= {d for m in list(found) if m in graph.modules for d in graph.find_descendants(m)}
    return found


def _first_line(graph: Any, importer: str, imported: str) -> int:
    details = graph.get_import_details(importer=importer, imported=imported)
    return min((d["line_number"] for d in details), default=0)


def _chain_violation(graph: Any, importer: str, imported: str, chain: tuple[str, ...]) -> Violation:
    return Violation(importer, imported, tuple(chain), _first_line(graph, chain[0], chain[1]))


def _in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _dependency_violations(graph: Any, dependencies: Any) -> list[Violation]:
    """grimp's ``PackageDependency`` routes as chains: every direct import of a route with no
    middle, and one chain (first head, middle, first tail) per indirect route."""
    found: list[Violation] = []
    for dependency in dependencies:
        for route in dependency.routes:
            if not route.middle:
                for head in sorted(route.heads):
                    for tail in sorted(route.tails):
                        if graph.direct_import_exists(importer=head, imported=tail):
                            found.append(_chain_violation(graph, dependency.importer, dependency.imported, (head, tail)))
                continue
            heads = [h for h in sorted(route.heads) if graph.direct_import_exists(importer=h, imported=route.middle[0])]
            tails = [t for t in sorted(route.tails) if graph.direct_import_exists(importer=route.middle[-1], imported=t)]
            chain = (heads[0] if heads else min(route.heads), *route.middle, tails[0] if tails else min(route.tails))
            found.append(_chain_violation(graph, dependency.importer, dependency.imported, chain))
    return sorted(found, key=lambda v: (v.importer, v.imported, v.chain))


# --- the contract types ------------------------------------------------------------------------

def _forbidden(graph: Any, spec: ContractSpec, config: ContractsConfig) -> ContractOutcome:
    _remove_ignored(graph, spec)
    as_packages = spec.flag("as_packages", True)
    sources = _expand(graph, spec.values("source_modules"))
    forbidden = _expand(graph, spec.values("forbidden_modules"))
    roots = tuple(config.root_packages)
    for module in sorted(sources | {f for f in forbidden if _under(f, roots)}):
        if module not in graph.modules:
            raise ContractError(f"Module '{module}' does not exist.")
    external = sorted(f for f in forbidden if not _under(f, roots))
    if external and not config.include_external_packages:
        raise ContractError("include_external_packages must be True in [importlinter] when there are external forbidden modules")
    for module in external:
        if "." in module:
            raise ContractError(f"Invalid forbidden module {module}: subpackages of external packages are not valid.")
    indirect = not spec.flag("allow_indirect_imports")
    violations: list[Violation] = []
    for source in sorted(sources):
        for target in sorted(f for f in forbidden if f in graph.modules):
            if source == target or (as_packages and (_in_package(source, target) or _in_package(target, source))):
                continue
            if indirect:
                chains = graph.find_shortest_chains(importer=source, imported=target, as_packages=as_packages)
            else:
                chains = _direct_chains(graph, source, target, as_packages)
            violations.extend(_chain_violation(graph, source, target, tuple(chain)) for chain in sorted(chains))
    return ContractOutcome(spec, not violations, violations)


def _direct_chains(graph: Any, source: str, target: str, as_packages: bool) -> set[tuple[str, str]]:
    def members(module: str) -> set[str]:
        if not as_packages or graph.is_module_squashed(module):
            return {module}
        return {module} | set(graph.find_descendants(module))

    targets = members(target)
    return {(importer, imported) for importer in members(source)
            for imported in graph.find_modules_directly_imported_by(importer) if imported in targets}


def _layer_entries(spec: ContractSpec) -> list[tuple[list[tuple[str, bool]], bool]]:
    """Each layer as ``([(tail, optional)], independent)``, top first."""
    parsed = []
    for raw in spec.values("layers"):
        if "|" in raw and ":" in raw:
            raise ContractError(f"layer {raw!r} mixes independent `|` and non-independent `:` siblings")
        separator = "|" if "|" in raw else ":"
        tails = []
        for item in (part.strip() for part in raw.split(separator)):
            optional = item.startswith("(") and item.endswith(")")
            tails.append((item[1:-1] if optional else item, optional))
        parsed.append((tails, separator == "|" or len(tails) == 1))
    return parsed


def _layers(graph: Any, spec: ContractSpec, config: ContractsConfig) -> ContractOutcome:
    import grimp

    _remove_ignored(graph, spec)
    entries = _layer_entries(spec)
    containers = _expand(graph, spec.values("containers"))
    roots = tuple(config.root_packages)
    for container in sorted(containers):
        if not _under(container, roots):
            raise ContractError(f"Invalid container '{container}': a container must be a root package or inside one.")
    for tails, _ in entries:
        for tail, optional in tails:
            if optional:
                continue
            for name in ([f"{c}.{tail}" for c in sorted(containers)] if containers else [tail]):
                if name not in graph.modules:
                    raise ContractError(f"Missing layer: module {name} does not exist.")
    if spec.flag("exhaustive") and not containers:
        raise ContractError("exhaustive is not supported for contracts without containers")
    dependencies = graph.find_illegal_dependencies_for_layers(
        layers=[grimp.Layer(*{tail for tail, _ in tails}, independent=independent) for tails, independent in entries],
        containers=containers)
    violations = _dependency_violations(graph, dependencies)
    if spec.flag("exhaustive"):
        declared = {tail for tails, _ in entries for tail, _ in tails} | set(spec.values("exhaustive_ignores"))
        for container in sorted(containers):
            for child in sorted(graph.find_children(container)):
                if child.rpartition(".")[2] not in declared:
                    violations.append(Violation(child, container, (child,), 0))
    return ContractOutcome(spec, not violations, violations)


def _independence(graph: Any, spec: ContractSpec, config: ContractsConfig) -> ContractOutcome:
    _remove_ignored(graph, spec)
    modules = _expand(graph, spec.values("modules"))
    for module in sorted(modules):
        if module not in graph.modules:
            raise ContractError(f"Module '{module}' does not exist.")
    dependencies = graph.find_illegal_dependencies_for_layers(layers=(modules,))
    violations = _dependency_violations(graph, dependencies)
    return ContractOutcome(spec, not violations, violations)


def _acyclic_siblings(graph: Any, spec: ContractSpec, config: ContractsConfig) -> ContractOutcome:
    ancestors = _expand(graph, spec.values("ancestors"))
    skipped = _expand(graph, spec.values("skip_descendants"))
    for module in sorted(ancestors | skipped):
        if module not in graph.modules:
            raise ContractError(f"Module '{module}' does not exist.")
    depth = int(str(spec.value("depth", "10")).strip() or 10)
    _remove_ignored(graph, spec)
    violations: list[Violation] = []

    def visit(ancestor: str, remaining: int) -> None:
        children = set(graph.find_children(ancestor))
        if len(children) >= 2:
            prefix = len(ancestor.split(".")) + 1
            for importer, imported in sorted(graph.nominate_cycle_breakers(ancestor)):
                below = (".".join(importer.split(".")[:prefix]), ".".join(imported.split(".")[:prefix]))
                violations.append(_chain_violation(graph, *below, (importer, imported)))
        if remaining:
            for child in sorted(children - skipped):
                visit(child, remaining - 1)

    for ancestor in sorted(ancestors):
        visit(ancestor, depth)
    return ContractOutcome(spec, not violations, violations)


def _protected(graph: Any, spec: ContractSpec, config: ContractsConfig) -> ContractOutcome:
    _remove_ignored(graph, spec)
    as_packages = spec.flag("as_packages", True)
    allowed = _expand(graph, spec.values("allowed_importers"), as_packages=as_packages)
    violations: list[Violation] = []
    for top in sorted(_expand(graph, spec.values("protected_modules"))):
        if top not in graph.modules:
            continue
        protected = {top}
        if as_packages and not graph.is_module_squashed(top):
            protected |= set(graph.find_descendants(top))
        importers = graph.find_modules_that_directly_import(top, as_package=as_packages) - allowed - protected
        for importer in sorted(importers):
            for imported in sorted(set(graph.find_modules_directly_imported_by(importer)) & protected):
                violations.append(_chain_violation(graph, importer, top, (importer, imported)))
    return ContractOutcome(spec, not violations, violations)


_CHECKS = {
    "forbidden": _forbidden,
    "layers": _layers,
    "independence": _independence,
    "acyclic_siblings": _acyclic_siblings,
    "protected": _protected,
}
