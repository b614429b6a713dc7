"""File discovery: which files under the workspace root are checked, and as what.

Honours ``.gitignore`` files (the root's and nested ones, each relative to its own directory)
and ``[tool.python-architect] exclude`` (gitignore-style globs relative to the root), and always
skips tool and environment directories. Sorts results so every run sees the same order.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pathspec

from ..config import ProjectConfig
from .roots import PYTHON_SUFFIXES

ALWAYS_SKIPPED = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox",
     "build", "dist", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs"}
)


def is_dependency_file(path: Path) -> bool:
    """``pyproject.toml`` and ``requirements*.txt`` (also ``*.txt`` inside a ``requirements/`` dir)."""
    name = Path(path).name
    if name == "pyproject.toml":
        return True
    if not name.endswith(".txt"):
        return False
    return fnmatch.fnmatch(name, "requirements*.txt") or Path(path).parent.name == "requirements"


def is_python_file(path: Path) -> bool:
    return Path(path).suffix in PYTHON_SUFFIXES


def adr_directory(root: Path, config: ProjectConfig) -> Path:
    return Path(root) / config.knowledge_dir / "adrs"


def is_adr_file(path: Path, root: Path, config: ProjectConfig) -> bool:
    """An ADR markdown file directly inside ``<knowledge-dir>/adrs``."""
    from ..knowledge.loader import NOT_ADRS

    path = Path(path)
    if path.suffix.lower() != ".md" or path.stem.lower() in NOT_ADRS:
        return False
    try:
        return path.resolve().parent == adr_directory(root, config).resolve()
    except OSError:
        return False


@dataclass
class WorkspaceFiles:
    """The checkable files of a workspace, absolute and sorted."""

    python: list[Path] = field(default_factory=list)
    dependencies: list[Path] = field(default_factory=list)
    adrs: list[Path] = field(default_factory=list)

    def all(self) -> list[Path]:
        return sorted({*self.python, *self.dependencies, *self.adrs})


class IgnoreRules:
    """``.gitignore`` files plus ``exclude`` globs, answering "is this path ignored?".

    Works on root-relative posix strings: a walk over a large tree spends its time here, and
    ``pathlib`` objects made it several times slower.
    """

    def __init__(self, root: Path, exclude: Iterable[str] = ()) -> None:
        self.root = Path(root).resolve()
        self._root_text = str(self.root)
        self.exclude = pathspec.PathSpec.from_lines("gitignore", list(exclude)) if exclude else None
        self._gitignores: dict[str, pathspec.PathSpec | None] = {}

    def _spec_for(self, relative_dir: str) -> pathspec.PathSpec | None:
        """The .gitignore of a root-relative directory (``""`` is the root), cached."""
        if relative_dir not in self._gitignores:
            directory = os.path.join(self._root_text, relative_dir) if relative_dir else self._root_text
            sources = [os.path.join(directory, ".gitignore")]
            if not relative_dir:
                # The repository's untracked-but-private patterns live here, not in .gitignore.
                sources.insert(0, os.path.join(directory, ".git", "info", "exclude"))
            lines: list[str] = []
            for source in sources:
                try:
                    with open(source, encoding="utf-8", errors="replace") as handle:
                        lines += handle.read().splitlines()
                except OSError:
                    pass
            self._gitignores[relative_dir] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._gitignores[relative_dir]

    def note_no_gitignore(self, relative_dir: str) -> None:
        self._gitignores.setdefault(relative_dir, None)

    def ignored_relative(self, relative: str, is_dir: bool = False) -> bool:
        """Whether a root-relative posix path is excluded by config or any .gitignore above it."""
        parts = relative.split("/")
        if any(part in ALWAYS_SKIPPED for part in parts[:-1]) or (is_dir and parts[-1] in ALWAYS_SKIPPED):
            return True
        suffix = "/" if is_dir else ""
        if self.exclude is not None and self.exclude.match_file(relative + suffix):
            return True
        for depth in range(len(parts)):
            spec = self._spec_for("/".join(parts[:depth]))
            if spec is not None and spec.match_file("/".join(parts[depth:]) + suffix):
                return True
        return False

    def ignored(self, path: Path, is_dir: bool = False) -> bool:
        """Whether ``path`` (absolute, under the root) is excluded by config or any .gitignore above it."""
        try:
            relative = Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return False
        return relative != "." and self.ignored_relative(relative, is_dir)


def _wanted(name: str) -> bool:
    return name.endswith((".py", ".pyi", ".md", ".toml", ".txt"))


def discover_files(root: Path, config: ProjectConfig, under: Iterable[Path] | None = None) -> WorkspaceFiles:
    """Walks ``under`` (default: the root) and sorts the checkable files by kind.

    A path given explicitly as a file is always included (like ``ruff check file.py``).
    """
    root = Path(root).resolve()
    rules = IgnoreRules(root, config.exclude)
    found = WorkspaceFiles()
    seen: set[Path] = set()
    starts = [Path(p) for p in under] if under is not None else [root]
    for start in starts:
        start = (root / start).resolve() if not start.is_absolute() else start.resolve()
        if start.is_file():
            _classify(start, root, config, found, seen)
            continue
        if start != root and rules.ignored(start, is_dir=True):
            continue
        root_text = str(root)
        for dirpath, dirnames, filenames in os.walk(start):
            relative_dir = dirpath[len(root_text) + 1:].replace(os.sep, "/")
            prefix = relative_dir + "/" if relative_dir else ""
            if ".gitignore" not in filenames and relative_dir:
                rules.note_no_gitignore(relative_dir)  # saves an open() per directory
            # Prune in place so os.walk never descends into ignored trees.
            dirnames[:] = sorted(
                name for name in dirnames
                if name not in ALWAYS_SKIPPED and not rules.ignored_relative(prefix + name, is_dir=True)
            )
            for name in filenames:
                if _wanted(name) and not rules.ignored_relative(prefix + name):
                    _classify(Path(dirpath, name), root, config, found, seen)
    found.python.sort()
    found.dependencies.sort()
    found.adrs.sort()
    return found


def _classify(path: Path, root: Path, config: ProjectConfig, found: WorkspaceFiles, seen: set[Path]) -> None:
    if path in seen:
        return
    seen.add(path)
    if is_python_file(path):
        found.python.append(path)
    elif is_dependency_file(path):
        found.dependencies.append(path)
    elif is_adr_file(path, root, config):
        found.adrs.append(path)
