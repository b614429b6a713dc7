"""``tach check``'s internal checks over the workspace index: each import of each checked file
judged against ``tach.toml`` (``knowledge.tach_config.TachConfig``) as Tach's
``src/checks/internal_dependency.rs`` and ``interface.rs`` judge it. A function of (index, config),
no state kept.

Per file: its module is the deepest declared module containing it, else ``<root>`` (skipped
entirely with ``root_module = "ignore"``, Tach's default); files matched by ``exclude`` and modules
marked ``unchecked`` are not checked. Per import (``from a import b, c`` is ``a.b`` and ``a.c``):
the imported module is the deepest declared module containing the path; within the same module
nothing is checked. Then, as Tach orders them:

- interfaces: a member (the path below the module) that no interface adopted by the module and
  visible to the importer exposes is private (an ``exclusive`` interface stands alone);
- layers first: importing a lower layer is allowed outright, a higher one is a violation, and
  one across a ``closed`` layer too; same or no layer falls through to
- ``cannot_depend_on`` (wins), then ``depends_on``: absent allows anything, a ``utility`` module
  is always allowed, a ``deprecated`` entry allows with a warning, anything else is undeclared.

Imports under ``TYPE_CHECKING`` are skipped when ``ignore_type_checking_imports`` (the default);
imports inside functions follow ``rules.local_imports`` (error, warn or off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..knowledge.tach_config import ROOT, TachConfig, TachDependency, TachModule

if TYPE_CHECKING:
    from ..analysis.facts import ImportFact
    from .index import WorkspaceIndex


@dataclass(frozen=True)
class TachViolation:
    """One import ``tach check`` would fail (or warn about): ``kind`` is ``dependency``,
    ``layers`` or ``interface``; ``contract`` the id a finding and an ADR name it by;
    ``config_line`` the line of tach.toml that states the broken rule."""

    kind: str
    importer: str
    """The importing file's dotted module name (its file is ``index.path_of(importer)``)."""
    fact: ImportFact
    imported: str
    usage: str
    definition: str
    message: str
    contract: str
    config_line: int
    warning: bool = False


@dataclass
class TachOutcome:
    violations: list[TachViolation] = field(default_factory=list)
    unused: list[tuple[TachModule, TachDependency]] = field(default_factory=list)
    """With ``exact = true``: each declared dependency no checked import uses."""


def check_tach(index: WorkspaceIndex, config: TachConfig, root: Path) -> TachOutcome:
    """Every violation of ``config`` by the first-party imports in ``index``."""
    checker = _Checker(config)
    found: list[TachViolation] = []
    for module in sorted(index.modules()):
        path = index.path_of(module)
        facts = index.lookup_module(module)
        if path is None or facts is None or checker.excluded(path, root):
            continue
        source = checker.nearest(module)
        if (source.path == ROOT and config.root_module == "ignore") or source.unchecked:
            continue
        for fact in facts.imports:
            if fact.type_checking and config.ignore_type_checking_imports:
                continue
            if fact.deferred and config.local_imports == "off":
                continue
            if not index.roots.is_first_party(fact.module):
                continue
            for imported in _dependency_paths(fact):
                found.extend(checker.check(module, fact, imported, source))
    return TachOutcome(found, _unused(config, checker.used) if config.exact else [])


def _unused(config: TachConfig, used: set[tuple[str, str]]) -> list[tuple[TachModule, TachDependency]]:
    """Declared dependencies that match no module the declaring module imports (Tach's
    ``detect_unused_dependencies``: every cross-module import counts, allowed or not)."""
    targets: dict[str, set[str]] = {}
    for usage, definition in used:
        targets.setdefault(usage, set()).add(definition)
    return [(module, dependency) for module in config.modules.values() for dependency in module.depends_on or ()
            if not any(dependency.matches(target) for target in targets.get(module.path, ()))]


def _dependency_paths(fact: ImportFact) -> list[str]:
    if fact.is_from and fact.names:
        return [f"{fact.module}.{name}" if fact.module else name for name in fact.names if name != "*"] or [fact.module]
    return [fact.module]


class _Checker:
    def __init__(self, config: TachConfig) -> None:
        self.config = config
        self.rank = {layer: position for position, layer in enumerate(config.layers)}
        declared_root = config.modules.get(ROOT)
        implicit = TachModule(ROOT, config.line, depends_on=None if config.root_module == "ignore" else ())
        self.root_module = declared_root or implicit
        self.used: set[tuple[str, str]] = set()
        self._nearest: dict[str, TachModule] = {}
        """Dotted name -> its module: the same few thousand names are asked about per import."""

    def excluded(self, path: Path, root: Path) -> bool:
        if not len(self.config.exclude):
            return False
        try:
            relative = path.relative_to(root).as_posix()
        except ValueError:
            return False
        return self.config.exclude.match_file(relative)

    def nearest(self, name: str) -> TachModule:
        found = self._nearest.get(name)
        if found is None:
            found = self._nearest[name] = self._find_nearest(name)
        return found

    def _find_nearest(self, name: str) -> TachModule:
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            module = self.config.modules.get(".".join(parts[:end]))
            if module is not None and module.path != ROOT:
                return module
        return self.root_module

    def check(self, importer: str, fact: ImportFact, imported: str, source: TachModule) -> list[TachViolation]:
        target = self.nearest(imported)
        if target.path == source.path or (target.path == ROOT and self.config.root_module == "ignore"):
            return []
        self.used.add((source.path, target.path))
        warning = fact.deferred and self.config.local_imports == "warn"

        def violation(kind: str, message: str, contract: str, line: int, warn: bool = warning) -> TachViolation:
            return TachViolation(kind, importer, fact, imported, source.path, target.path,
                                 f"Cannot use `{imported}`: {message}", contract, line, warn)

        found = []
        private = self._interface_violation(imported, source, target)
        if private is not None:
            found.append(violation("interface", f"it is not part of the public interface of `{target.path}`",
                                   f"tach:interfaces:{target.path}", private))
        layered = self._layer_check(source, target)
        if layered == "allowed":
            return found
        if layered is not None:
            found.append(violation("layers", layered, f"tach:layers:{source.path}", self.config.layers_line))
            return found
        contract, line = f"tach:{source.path}", source.line
        if source.forbids(target.path):
            found.append(violation("dependency", f"`{source.path}` cannot depend on `{target.path}` (cannot_depend_on)", contract, line))
        elif source.depends_on is not None and not target.utility:
            allowed = source.allows(target.path)
            if allowed is None:
                found.append(violation("dependency", f"`{source.path}` cannot depend on `{target.path}` (not in its depends_on)",
                                       contract, line))
            elif allowed.deprecated:
                found.append(violation("dependency", f"`{source.path}`'s dependency on `{target.path}` is deprecated",
                                       contract, line, warn=True))
        return found

    def _interface_violation(self, imported: str, source: TachModule, target: TachModule) -> int | None:
        """The line of the first interface that hides ``imported`` from ``source``, or None."""
        member = imported[len(target.path) + 1:] if imported.startswith(target.path + ".") else ""
        if not member or target.path == ROOT:
            return None
        visible = []
        for interface in self.config.interfaces:
            if interface.adopted_by(target.path) and interface.visible_to(source.path):
                if interface.exclusive:
                    visible = [interface]
                    break
                visible.append(interface)
        if not visible or any(interface.exposes(member) for interface in visible):
            return None
        return visible[0].line

    def _layer_check(self, source: TachModule, target: TachModule) -> str | None:
        """"allowed" when a higher layer imports a lower one, a message for a violation, None to
        go on with the dependency rules (same layer, or a module without a layer)."""
        if source.layer not in self.rank or target.layer not in self.rank:
            return None
        high, low = self.rank[source.layer], self.rank[target.layer]
        if high == low:
            return None
        if high > low:
            return (f"layer `{source.layer}` (`{source.path}`) is lower than layer `{target.layer}` "
                    f"(`{target.path}`)")
        for between in self.config.layers[high + 1:low]:
            if between in self.config.closed_layers:
                return (f"layer `{source.layer}` (`{source.path}`) cannot reach layer `{target.layer}` "
                        f"(`{target.path}`) across the closed layer `{between}`")
        return "allowed"
