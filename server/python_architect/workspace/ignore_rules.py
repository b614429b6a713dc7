"""Which paths under a workspace root discovery leaves out, and the record of what it read.

``IgnoreRules`` answers "is this path ignored?" from ``.gitignore`` files (the root's and nested
ones, each relative to its own directory, plus ``.git/info/exclude``), the ``exclude`` setting
and ``ALWAYS_SKIPPED`` tool and environment directories. Ignore files are repository input: read
only inside the root, within a size bound, matched without exponential backtracking.

``observing_discovery()`` makes every walk in its context record what it read (a ``Listing``),
each with the ``os.stat`` taken before the read, for the CLI's run record.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..knowledge.globs import GlobSpec


ALWAYS_SKIPPED = frozenset(
    # The tool's own cache folder is never a source, and a planted link there is the cache's to
    # report (workspace.cache says it once), not discovery's.
    {".python-architect-cache", ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox",
     "build", "dist", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs"}
)


def is_template_name(part: str) -> bool:
    """A path part with a template placeholder (cookiecutter's ``{{ cookiecutter.repo_name }}``,
    copier's ``{{ project }}``, a Jinja ``{% if %}`` name): what lies under it is a template, not the
    project's code (read on kedro's project template, issue 21)."""
    return "{{" in part or "{%" in part


@dataclass
class Listing:
    """What discovery read while observed, each with the stat taken just before reading it (None:
    the path was absent or unreadable then, which is a state too)."""

    racy_after_ns: int | None = None
    """Keep a directory's names only when its mtime or ctime is this late or later (None: always):
    a caller that trusts older directories by their stat needs no copy of thousands of listings."""
    directories: list[tuple[str, os.stat_result | None, tuple[str, ...] | None]] = field(default_factory=list)
    """(directory, its stat before ``scandir``, the names listed, sorted, or None: not kept)."""
    ignore_files: list[tuple[str, os.stat_result | None]] = field(default_factory=list)
    """(``.gitignore`` or ``.git/info/exclude``, its stat before opening it)."""


_OBSERVER: ContextVar[Listing | None] = ContextVar("python_architect_discovery_observer", default=None)


@contextmanager
def observing_discovery(racy_after_ns: int | None = None) -> Iterator[Listing]:
    """Every discovery in this context (and thread) records what it read into the yielded
    ``Listing`` (see ``Listing.racy_after_ns``)."""
    listing = Listing(racy_after_ns)
    token = _OBSERVER.set(listing)
    try:
        yield listing
    finally:
        _OBSERVER.reset(token)


def stat_or_none(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


class IgnoreRules:
    """``.gitignore`` files plus ``exclude`` globs, answering "is this path ignored?".

    Works on root-relative posix strings: a walk over a large tree spends its time here, and
    ``pathlib`` objects made it several times slower.
    """

    def __init__(self, root: Path, exclude: Iterable[str] = ()) -> None:
        self.root = Path(root).resolve()
        self._root_text = str(self.root)
        self.exclude = _compile(list(exclude), gitignore=False) if exclude else None
        self._gitignores: dict[str, GlobSpec | None] = {}
        self.listing = _OBSERVER.get()

    def _spec_for(self, relative_dir: str) -> GlobSpec | None:
        """The .gitignore of a root-relative directory (``""`` is the root), cached."""
        if relative_dir not in self._gitignores:
            directory = os.path.join(self._root_text, relative_dir) if relative_dir else self._root_text
            sources = [os.path.join(directory, ".gitignore")]
            if not relative_dir:
                # The repository's untracked-but-private patterns live here, not in .gitignore.
                sources.insert(0, os.path.join(directory, ".git", "info", "exclude"))
            lines: list[str] = []
            for source in sources:
                if self.listing is not None:
                    self.listing.ignore_files.append((source, stat_or_none(source)))
                lines += _ignore_lines(source, self._root_text)
            self._gitignores[relative_dir] = _compile(lines, gitignore=True, source=sources[-1]) if lines else None
        return self._gitignores[relative_dir]

    def note_no_gitignore(self, relative_dir: str) -> None:
        self._gitignores.setdefault(relative_dir, None)

    def ignored_relative(self, relative: str, is_dir: bool = False) -> bool:
        """Whether a root-relative posix path is excluded by config or any .gitignore above it."""
        parts = relative.split("/")
        if any(part in ALWAYS_SKIPPED for part in parts[:-1]) or (is_dir and parts[-1] in ALWAYS_SKIPPED):
            return True
        if any(is_template_name(part) for part in parts):
            return True  # a project template's file is Python only once the template is filled in
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


MAX_IGNORE_FILE_BYTES = 1 << 20
"""A ``.gitignore`` is a few KiB; one linked to ``/dev/zero`` must not be read forever."""


def _ignore_lines(source: str, root: str) -> list[str]:
    """The lines of an ignore file: a regular file inside the root within the size bound, else
    none (a missing file is the common case; a link out of the root is not read)."""
    # Imported here: the walker's import lines are its own.
    from ..root_paths import contained, read_bounded

    resolved = contained(source, root)
    if resolved is None:
        _log.warning("skipped ignore file %s: it resolves outside the workspace root", source)
        return []
    try:
        data = read_bounded(resolved, MAX_IGNORE_FILE_BYTES, follow_symlinks=False)
    except OSError:
        return []
    return data.decode("utf-8", errors="replace").splitlines()


def _compile(lines: list[str], *, gitignore: bool, source: str = "exclude setting") -> GlobSpec:
    """The ignore patterns of ``lines`` (a ``.gitignore`` or the ``exclude`` setting), matched
    without exponential backtracking (``knowledge.globs``): both are repository input. A pattern
    that cannot be used is skipped, and said once per process and file."""
    # Imported on first need: most workspaces' walks never match a pattern.
    from ..knowledge.globs import GlobSpec

    def skipped(line: str, why: str) -> None:
        if (source, line) not in _REPORTED_PATTERNS:
            _REPORTED_PATTERNS.add((source, line))
            _log.warning("ignored pattern %r in %s: %s", line[:80], source, why)

    return GlobSpec.from_lines(lines, gitignore=gitignore, on_error=skipped)


_REPORTED_PATTERNS: set[tuple[str, str]] = set()
"""(source, pattern) already logged. Owned by ``_compile``; a set's add is atomic under the GIL
and a race at worst logs a line twice, so no lock."""


_log = logging.getLogger("python_architect")
