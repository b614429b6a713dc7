"""The workspace index: module name -> ``ModuleFacts`` for every first-party file, and the
first-party import graph built from them.

Only compact facts are kept (never ASTs: long-lived trees cause garbage-collector pauses in the
server). The index is filled by a scan and updated per edited document; a document that stops
parsing keeps its last good facts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..analysis.decoding import read_source
from ..analysis.facts import ImportFact, ModuleFacts
from .roots import SourceRoots
from .scan import facts_from_text, stream_results

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportEdge:
    """A first-party import: ``source`` imports ``target`` through ``fact``."""

    source: str
    target: str
    fact: ImportFact


class WorkspaceIndex:
    """Facts per first-party module, with the import graph derived on demand (and cached)."""

    def __init__(self, roots: SourceRoots) -> None:
        self.roots = roots
        self._facts: dict[str, ModuleFacts] = {}
        self._paths: dict[str, Path] = {}
        self._modules_by_path: dict[Path, str] = {}
        self._graph: dict[str, list[ImportEdge]] | None = None
        self._missing: set[str] = set()
        self._on_disk: set[str] = set()
        """First-party modules ``is_module`` found as files before the index had their facts."""
        self._listings: dict[str, frozenset[str]] = {}
        """Folder -> its entries, for ``is_module``'s misses; a folder's entry is dropped when a
        file in it is updated or removed."""
        self.scanned = False
        self.version = 0
        """Grows whenever the import graph may have changed (for caching graph-wide results)."""
        self._interface_changes: dict[str, int] = {}
        """Module -> how often an update changed what other modules can see of it."""
        self.looked_up: set[str] | None = None
        """While not None, every module name ``lookup_module`` is asked for (the persistent cache
        records them: a file's cross-module findings stay valid only while those modules do)."""

    # --- contents -----------------------------------------------------------------------
    def snapshot(self) -> WorkspaceIndex:
        """A copy that later updates of this index do not touch (the facts themselves are
        immutable and shared): graph-wide checks read it without holding the lock that guards
        this one. Cheap: a few dict copies of the module tables."""
        copy = WorkspaceIndex.__new__(WorkspaceIndex)
        copy.__dict__.update(self.__dict__)
        copy._facts, copy._paths = dict(self._facts), dict(self._paths)
        copy._modules_by_path, copy._missing = dict(self._modules_by_path), set(self._missing)
        copy._on_disk, copy._listings = set(self._on_disk), dict(self._listings)
        copy._interface_changes = dict(self._interface_changes)
        copy.looked_up = None  # the graph (when built) is replaced on change, never edited: shared
        return copy

    def __len__(self) -> int:
        return len(self._facts)

    def __contains__(self, module: str) -> bool:
        return module in self._facts

    def modules(self) -> list[str]:
        return sorted(self._facts)

    def lookup_module(self, name: str) -> ModuleFacts | None:
        """Facts of a first-party module, or None when it is not first-party or not found.

        Before a full scan, a first-party module is read from disk on first use (and cached), so
        cross-module checks give the same answer whatever order files are analysed in.
        """
        if self.looked_up is not None:
            self.looked_up.add(name)
        facts = self._facts.get(name)
        if facts is not None or self.scanned or name in self._missing:
            return facts
        if not self.roots.is_first_party(name):
            return None
        path = self.roots.path_of_module(name)
        if path is not None:
            try:
                facts = self.update(path, read_source(path))
            except OSError:
                facts = None
        if facts is None:
            self._missing.add(name)
        return facts

    def is_module(self, name: str) -> bool:
        """Whether ``name`` is a first-party module (in the index, or a file under a source root),
        without reading it: ``from app import api`` only asks whether ``app.api`` is a module, and
        parsing every such module ahead of its turn was most of a cold run's repeated parses.
        Recorded in ``looked_up`` like a lookup (the answer depends on that file)."""
        if self.looked_up is not None:
            self.looked_up.add(name)
        if name in self._facts or name in self._on_disk:
            return True
        if name in self._missing or not self.roots.is_first_party(name):
            return False
        if self.roots.may_be_module(name, self._listings) and self.roots.path_of_module(name) is not None:
            self._on_disk.add(name)
            return True
        self._missing.add(name)
        return False

    def path_of(self, module: str) -> Path | None:
        return self._paths.get(module)

    def module_at(self, path: Path) -> str | None:
        return self._modules_by_path.get(Path(path))

    # --- building -----------------------------------------------------------------------
    def scan(self, paths: Iterable[Path], *, jobs: int = 1,
             progress: Callable[[int, int], None] | None = None,
             on_facts: Callable[[Path, ModuleFacts | None], None] | None = None,
             in_processes: bool | None = None) -> int:
        """Parses every file and records its facts; returns how many modules were indexed.

        With ``jobs`` > 1 and enough files, the parsing happens in fresh worker processes
        (spawned, so a threaded server is never forked): the caller's thread only receives
        compact facts and keeps answering while the scan runs. ``progress(done, total)`` is
        called from the scanning thread as files are done; ``on_facts`` receives each file's
        facts (None: it does not parse) for the persistent cache. ``in_processes=True`` parses
        in ``jobs`` worker processes even when ``jobs`` is 1 (an editor keeps its own process's
        interpreter lock for the user's keystrokes).
        """
        parallel = jobs > 1 if in_processes is None else in_processes
        for batch in stream_results(self.roots, paths, jobs=jobs if parallel else 1, progress=progress,
                                    in_processes=parallel):
            for path, facts in batch:
                if on_facts is not None:
                    on_facts(path, facts)
                # An entry made meanwhile (an open document's unsaved text) is newer than the disk.
                if facts is not None and path not in self._modules_by_path:
                    self.update(path, facts)
        self.scanned = True
        return len(self._facts)

    def update(self, path: Path, text_or_facts: str | ModuleFacts | None) -> ModuleFacts | None:
        """Records the facts of one file (given, or extracted from its text).

        Text that does not parse leaves the previous facts in place (the last good state).
        """
        path = Path(path)
        module = self.roots.module_name(path)
        if module is None:
            return None
        folder = os.path.dirname(str(path))
        if path.name not in self._listings.get(folder, (path.name,)):
            del self._listings[folder]  # a file is new there: list the folder again when asked
        if isinstance(text_or_facts, str):
            facts = facts_from_text(text_or_facts, path, module, self.roots.is_package(path))
        else:
            facts = text_or_facts
        if facts is None:
            return self._facts.get(module)
        current = self._paths.get(module)
        if current is not None and current != path and current.suffix != path.suffix:
            # A stub beside its module: the module is what runs at import (matplotlib's
            # bezier.py/.pyi, issue 21); the stub's typing-only imports never do. The stub stands
            # for the module only where there is none (a compiled module's).
            if path.suffix == ".pyi":
                return self._facts.get(module)
            self._modules_by_path.pop(current, None)
        self._missing.discard(module)
        previous = self._facts.get(module)
        # Dependants matter once the index is complete (an editor after its scan); a batch that
        # is still filling it skips the comparison.
        if (self.scanned and previous is not None and previous is not facts
                and interface_of(previous) != interface_of(facts)):
            self._interface_changes[module] = self._interface_changes.get(module, 0) + 1
        self._facts[module] = facts
        self._paths[module] = path
        self._modules_by_path[path] = module
        if previous is None or previous.imports != facts.imports or previous.load_order != facts.load_order:
            self._graph = None
            self.version += 1
        return facts

    def interface_version(self, module: str) -> int:
        """Grows each time an update changes what other modules' checks can see of ``module``
        (imports, classes and their bases, defined names; not positions)."""
        return self._interface_changes.get(module, 0)

    def remove(self, path: Path) -> None:
        self._on_disk.discard(self.roots.module_name(Path(path)) or "")
        self._listings.pop(os.path.dirname(str(path)), None)
        module = self._modules_by_path.pop(Path(path), None)
        if module is not None:
            self._interface_changes[module] = self._interface_changes.get(module, 0) + 1
            self._facts.pop(module, None)
            self._paths.pop(module, None)
            self._graph = None
            self.version += 1

    # --- the import graph ---------------------------------------------------------------
    def resolve(self, fact: ImportFact) -> list[str]:
        """The indexed modules one import statement refers to.

        ``from a import b`` names the submodule ``a.b`` when it is indexed, else ``a`` itself;
        ``import a.b.c`` names the deepest indexed prefix.
        """
        targets: list[str] = []
        if fact.is_from:
            for name in fact.names:
                submodule = f"{fact.module}.{name}" if fact.module else name
                if submodule in self._facts:
                    targets.append(submodule)
                elif fact.module in self._facts and fact.module not in targets:
                    targets.append(fact.module)
            if not fact.names and fact.module in self._facts:
                targets.append(fact.module)
            return targets
        parts = fact.module.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self._facts:
                return [candidate]
        return []

    def graph(self, *, include_deferred: bool = True) -> dict[str, list[ImportEdge]]:
        """First-party edges per module; imports under ``TYPE_CHECKING`` never count (they do not
        run), and imports inside functions count unless ``include_deferred`` is false."""
        if include_deferred and self._graph is not None:
            return self._graph
        graph: dict[str, list[ImportEdge]] = {}
        for module, facts in self._facts.items():
            edges: list[ImportEdge] = []
            for fact in facts.imports:
                if fact.type_checking or (fact.deferred and not include_deferred):
                    continue
                if not self.roots.is_first_party(fact.module):
                    continue
                for target in self.resolve(fact):
                    if target != module:
                        edges.append(ImportEdge(module, target, fact))
            graph[module] = edges
        if include_deferred:
            self._graph = graph
        return graph

    def importers_of(self, module: str) -> list[str]:
        """Modules that import ``module`` directly (for re-checking dependants after an edit)."""
        return sorted(
            source for source, edges in self.graph().items() if any(e.target == module for e in edges)
        )


_NOT_INTERFACE = frozenset({"span", "statement_span", "used", "unused"})


def interface_of(facts: ModuleFacts) -> int:
    """A hash of the facts other modules' checks read: positions and usage left out, so an edit
    that only moves lines does not make dependants re-run."""
    def strip(fact: object) -> tuple:
        return tuple(value for name, value in vars(fact).items() if name not in _NOT_INTERFACE)

    return hash((tuple(strip(i) for i in facts.imports), tuple(strip(c) for c in facts.classes), facts.defines))
