"""Source roots and module names: which files are which first-party modules.

Source roots come from ``[tool.python-architect] src``, else ``source_roots`` of a ``tach.toml``
at the root (Tach users' module paths are relative to them), else ``src/`` when it exists, else
the workspace root. A file's dotted module name is its path relative to the deepest source root that
contains it (``pkg/__init__.py`` is ``pkg``; directories without ``__init__.py`` count as namespace
packages). First-party top-level names are the packages and modules found under the roots.

Roots and module files lie inside the workspace root after resolving symlinks (``root_paths``):
a ``src`` entry that leaves it (``../lib``, or a link out) is dropped with one log line, and
``path_of_module`` never answers with a file that resolves outside, so no import pulls outside
code into the index.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..config import ProjectConfig
from ..knowledge.tach_config import tach_source_roots
from ..root_paths import contained

log = logging.getLogger(__name__)

PYTHON_SUFFIXES = (".py", ".pyi")
EXTENSION_SUFFIXES = (".so", ".pyd")
"""How compiled extension modules end on every platform (``.cpython-311-x86_64-linux-gnu.so``,
``.abi3.so``, ``.cp311-win_amd64.pyd``): only the last suffix, so a Linux host reads a Windows
wheel's modules too."""

# Directories that never hold first-party code even when they sit under a source root.
NEVER_FIRST_PARTY = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build", "dist",
     ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages"}
)

_NAME_MEMO_LIMIT = 200_000
"""Bounds the memo of module names (a server lives long; a workspace rarely has this many files)."""

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"__future__", "__main__"}


def is_stdlib(name: str) -> bool:
    """Whether a dotted module name belongs to the standard library (by its top-level name)."""
    top = name.split(".", 1)[0]
    return top in _STDLIB


def source_roots_for(root: Path, config: ProjectConfig) -> tuple[Path, ...]:
    """The source roots, absolute, deepest first so the most specific root wins."""
    root = root.resolve()
    roots: list[Path] = []
    chosen = config.src or tach_source_roots(root) or (("src",) if (root / "src").is_dir() else ())
    for entry in chosen:
        inside = contained(root / entry, root)
        if inside is not None:
            roots.append(inside)
        elif os.path.normpath(root / entry).startswith(str(root) + os.sep):
            # A link out of the root: discovery names it as skipped already (said once).
            log.info("skipped source root %s: it resolves outside the workspace root", entry)
        else:
            log.warning("skipped source root %s: it is outside the workspace root %s", entry, root)
    roots = roots or [root]
    unique = dict.fromkeys(roots)
    return tuple(sorted(unique, key=lambda p: len(p.parts), reverse=True))


@dataclass
class SourceRoots:
    """The workspace's source roots and the first-party names they define."""

    root: Path
    roots: tuple[Path, ...]
    first_party: frozenset[str] = field(default_factory=frozenset)
    _names: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    """Path -> module name, remembered (paths do not change their module while roots stay)."""

    @classmethod
    def from_config(cls, root: Path, config: ProjectConfig, files: Iterable[Path] | None = None) -> SourceRoots:
        """Builds roots; first-party names come from ``files`` when given, else a shallow scan."""
        roots = cls(root.resolve(), source_roots_for(root, config))
        roots.first_party = frozenset(
            roots._names_from_files(files) if files is not None else roots._names_from_listing()
        )
        return roots

    def module_name(self, path: Path) -> str | None:
        """Dotted module name of a Python file, or None when it is outside every source root."""
        text = str(path)
        if text in self._names:
            return self._names[text]
        name = self._module_name(path)
        if len(self._names) < _NAME_MEMO_LIMIT:
            self._names[text] = name
        return name

    def _module_name(self, path: Path) -> str | None:
        # String operations first: a warm ``check`` asks this for every file, and pathlib's
        # parsing cost more than everything else the cache does per file.
        text = str(path)
        suffix = next((s for s in PYTHON_SUFFIXES if text.endswith(s)), None)
        if suffix is None:
            return None
        if os.path.isabs(text):
            for source_root in self.roots:
                prefix = str(source_root) + os.sep
                if text.startswith(prefix):
                    parts = text[len(prefix):-len(suffix)].split(os.sep)
                    if parts and parts[-1] == "__init__":
                        parts.pop()
                    if parts and all(part.isidentifier() for part in parts):
                        return ".".join(parts)
                    return None
        path = Path(path)
        if not path.is_absolute():
            path = self.root / path
        if path.suffix not in PYTHON_SUFFIXES:
            return None
        for source_root in self.roots:
            try:
                relative = path.relative_to(source_root)
            except ValueError:
                continue
            return _dotted(relative)
        resolved = path.resolve()
        if resolved != path:
            return self.module_name(resolved)
        return None

    def path_of_module(self, name: str) -> Path | None:
        """The file that defines a dotted module name under the source roots, if any."""
        parts = name.split(".")
        for source_root in self.roots:
            base = source_root.joinpath(*parts)
            for candidate in (base.with_name(base.name + ".py"), base / "__init__.py",
                              base.with_name(base.name + ".pyi"), base / "__init__.pyi"):
                if (candidate.is_file() and self.module_name(candidate) == name
                        and contained(candidate, self.root) is not None):
                    return candidate
        return None

    def may_be_module(self, name: str, listings: dict[str, frozenset[str]]) -> bool:
        """False when no file or folder named like ``name`` is in its parent folder under any
        source root (then ``path_of_module`` finds nothing); True when one might be. Most names
        asked about are classes or functions (``app.models.Order``): one listing per folder,
        cached in ``listings`` by the caller (who drops a folder's entry when it changes), rules
        them out where ``path_of_module`` stats four candidates for each."""
        *parents, last = name.split(".")
        return any(last in names or f"{last}.py" in names or f"{last}.pyi" in names
                   for names in self._sibling_listings(parents, listings))

    def _sibling_listings(self, parents: list[str], listings: dict[str, frozenset[str]]) -> Iterator[frozenset[str]]:
        """The names in the folder of ``parents`` under each source root, listed once per folder
        into the caller's ``listings`` cache (an unreadable folder lists nothing)."""
        for source_root in self.roots:
            folder = os.path.join(str(source_root), *parents)
            names = listings.get(folder)
            if names is None:
                try:
                    names = listings[folder] = frozenset(os.listdir(folder))
                except OSError:
                    names = listings[folder] = frozenset()
            yield names

    def is_compiled_module(self, name: str, listings: dict[str, frozenset[str]]) -> bool:
        """Whether ``name`` is a compiled extension module in its package's folder under a source
        root (``_speedups.cpython-311-x86_64-linux-gnu.so``, ``_speedups.abi3.so``,
        ``_speedups.cp311-win_amd64.pyd``): a submodule the import system loads, although no
        source of it is indexed. Any platform's tag counts: a package ships one per platform.
        ``listings`` is the same per-folder cache ``may_be_module`` takes."""
        *parents, last = name.split(".")
        if not parents:
            return False
        for names in self._sibling_listings(parents, listings):
            for entry in names:
                if entry.startswith(last + ".") and entry.endswith(EXTENSION_SUFFIXES) \
                        and entry.count(".") <= 2:
                    return True
        return False

    def is_unindexed_module(self, name: str, listings: dict[str, frozenset[str]]) -> bool:
        """Whether ``name`` is a module the import system finds that the index does not hold: a
        compiled extension (``is_compiled_module``) or a source file discovery left out (generated
        by a tool, ``FlowchartCtrlTemplate_generic.py`` from pyuic; vendored)."""
        if self.is_compiled_module(name, listings):
            return True
        *parents, last = name.split(".")
        return bool(parents) and any(last + ".py" in names for names in self._sibling_listings(parents, listings))

    def is_package(self, path: Path) -> bool:
        return Path(path).stem == "__init__"

    def is_first_party(self, name: str) -> bool:
        """Whether a dotted module name belongs to this workspace (by its top-level name)."""
        return bool(name) and name.split(".", 1)[0] in self.first_party

    def is_stdlib(self, name: str) -> bool:
        return is_stdlib(name)

    def _names_from_files(self, files: Iterable[Path]) -> set[str]:
        names: set[str] = set()
        for path in files:
            module = self.module_name(path)
            if module:
                names.add(module.split(".", 1)[0])
        return names

    def _names_from_listing(self) -> set[str]:
        """Top-level packages and modules directly under each root (no deep walk)."""
        names: set[str] = set()
        for source_root in self.roots:
            try:
                entries = list(source_root.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.name in NEVER_FIRST_PARTY or entry.name.startswith("."):
                    continue
                if entry.is_symlink() and contained(entry, self.root) is None:
                    continue  # a name is no reason to look outside the root
                if entry.is_file() and entry.suffix in PYTHON_SUFFIXES and entry.stem.isidentifier():
                    names.add(entry.stem)
                elif entry.is_dir() and entry.name.isidentifier() and _holds_python(entry):
                    names.add(entry.name)
        return names


def _holds_python(directory: Path, depth: int = 3) -> bool:
    """A package, or a namespace package with Python files within ``depth`` levels."""
    try:
        children = list(directory.iterdir())
    except OSError:
        return False
    if any(child.suffix in PYTHON_SUFFIXES and child.is_file() for child in children):
        return True
    return depth > 1 and any(
        child.is_dir() and not child.is_symlink() and child.name.isidentifier() and child.name not in NEVER_FIRST_PARTY
        and _holds_python(child, depth - 1)
        for child in children
    )


def _dotted(relative: Path) -> str | None:
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)
