"""File discovery and the one file classifier: which files under the workspace root are
checked, and as what (``file_kind``: the engine, the CLI's discovery and the editor's file
watcher all ask it, so a file is never a dependency file to one and ignored by another).

Only what resolves inside the root is checked (``root_paths``): a file link, directory link or
named path that leaves it is skipped with one log line and listed in ``skipped`` as
``OUTSIDE_ROOT``. Directory links are never followed; file links inside the root are files.

Honours ``.gitignore`` files (the root's and nested ones, each relative to its own directory)
and ``[tool.python-architect] exclude`` (gitignore-style globs relative to the root), and always
skips tool and environment directories (``workspace.ignore_rules``). Sorts results so every run sees the same order.

Python files under a vendored directory (``workspace.vendored``) go to ``vendored``, not checked
or indexed, unless ``include-vendored = true``; one named on the command line is walked as asked.
Generated ones (``workspace.generated``: protoc output, a do-not-edit header) go to ``generated``
the same way unless ``include-generated = true``, and backup copies (``x.bak.py``) are dropped;
a file named on the command line is checked whatever it is.

Inside ``observing_discovery()`` (``workspace.ignore_rules``) every walk also reports what it read, each with the ``os.stat``
taken *before* the read (the directories it listed with their entry names, the ignore files it
opened or found absent): the CLI's run record (``workspace.run_record``) trusts a later run's
stat of the same paths only if nothing can have changed unseen between that stat and the read.
Outside it the walk takes no extra stat.
"""

from __future__ import annotations

import errno
import fnmatch
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import ProjectConfig
from ..root_paths import contained
from .generated import GeneratedSkip, is_backup_name, is_generated_file
from .ignore_rules import ALWAYS_SKIPPED, IgnoreRules, is_template_name, stat_or_none
from .roots import PYTHON_SUFFIXES
from .vendored import VENDORED_DIRS, VendoredSkip, is_vendored, relative_posix

if TYPE_CHECKING:
    from ..knowledge.globs import GlobSpec

log = logging.getLogger(__name__)

OUTSIDE_ROOT = "outside the workspace root"
"""The ``WorkspaceFiles.skipped`` reason of a path whose resolved target leaves the root."""


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


FILE_KINDS = ("python", "dependencies", "adr", "other")


def file_kind(path: Path, root: Path, config: ProjectConfig) -> str:
    """What ``path`` is checked as: one of ``FILE_KINDS`` (first match wins, in that order)."""
    if is_python_file(path):
        return "python"
    if is_dependency_file(path):
        return "dependencies"
    if is_adr_file(path, root, config):
        return "adr"
    return "other"


def left_out(path: Path, root: Path, config: ProjectConfig) -> bool:
    """A walk would leave Python file ``path`` out: a backup copy, vendored or generated code
    (unless included). For one changed file (the editor's watcher), without walking."""
    if is_backup_name(path.name):
        return True
    if not config.include_vendored and is_vendored(path, root):
        return True
    return not config.include_generated and is_generated_file(str(path), path.name)


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
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Paths that looked checkable but are not checked, with why (a symlink loop, a link to
    nothing, ``OUTSIDE_ROOT``): reported as warnings, never a crash."""
    vendored: list[Path] = field(default_factory=list)
    """Python files under a vendored directory, not checked (``include-vendored`` checks them)."""
    vendored_dirs: list[Path] = field(default_factory=list)
    """The outermost vendored directories those files sit in (one per vendored tree)."""

    generated: list[Path] = field(default_factory=list)
    """Python files a generator wrote (``workspace.generated``), not checked
    (``include-generated`` checks them)."""

    def all(self) -> list[Path]:
        return sorted({*self.python, *self.dependencies, *self.adrs})

    def vendored_skip(self, root: Path) -> VendoredSkip | None:
        """What was skipped as vendored (None: nothing), directories relative to ``root``."""
        if not self.vendored:
            return None
        return VendoredSkip(len(self.vendored), tuple(relative_posix(d, root) for d in self.vendored_dirs))

    def generated_skip(self, root: Path) -> GeneratedSkip | None:
        """What was skipped as generated (None: nothing), a few examples relative to ``root``."""
        if not self.generated:
            return None
        return GeneratedSkip(len(self.generated), tuple(relative_posix(p, root) for p in self.generated[:3]))


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
    for given in starts:
        given = given if given.is_absolute() else root / given
        try:
            start = given.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
            found.skipped.append((given, _unreadable(given)))
            continue
        if not start.exists():  # a dangling link given by name
            found.skipped.append((given, _unreadable(given)))
            continue
        if contained(start, root) is None:  # a link (or a path) out of the root
            _skip_outside(found, given)
            continue
        if start.is_file():
            _classify(start, root, config, found, seen)
            continue
        if start != root and rules.ignored(start, is_dir=True):
            continue
        _Walk(root, config, rules, found, seen).run(str(start))
    found.python.sort()
    found.dependencies.sort()
    found.adrs.sort()
    found.vendored.sort()
    found.generated.sort()
    # A vendored tree that held no Python file is not worth naming.
    found.vendored_dirs = sorted(d for d in found.vendored_dirs if any(d in p.parents for p in found.vendored))
    return found


class _Walk:
    """One ``os.scandir`` walk that classifies with string operations.

    A warm ``check`` of a large tree is mostly this walk: ``DirEntry`` answers "file or
    directory" from the listing itself (no stat, except for links), and only the ``.gitignore``
    files that apply to a directory are matched against its entries (``active``: each one with the
    length of its directory's root-relative prefix). Like ``os.walk``, it lists a link to a
    directory but does not follow it. ``file_kind`` gives the same answers for these names; the
    walk just avoids building a ``Path`` for files it does not keep.
    """

    def __init__(self, root: Path, config: ProjectConfig, rules: IgnoreRules, found: WorkspaceFiles,
                 seen: set[Path]) -> None:
        self.root, self.config, self.rules, self.found, self.seen = root, config, rules, found, seen
        self.root_text = str(root)
        try:
            self.adr_dir = str(adr_directory(root, config).resolve())
        except OSError:
            self.adr_dir = None

    def run(self, start: str) -> None:
        relative = start[len(self.root_text) + 1:].replace(os.sep, "/")
        active: list[tuple[int, GlobSpec]] = []
        # The .gitignore files of the directories above the start apply to it as well.
        parts = relative.split("/") if relative else []
        for depth in range(len(parts)):
            spec = self.rules._spec_for("/".join(parts[:depth]))
            if spec is not None:
                base = "/".join(parts[:depth])
                active.append((len(base) + 1 if base else 0, spec))
        self._walk(start, relative, active, vendored=False)

    def _ignored(self, relative: str, is_dir: bool, active: list[tuple[int, GlobSpec]]) -> bool:
        suffix = "/" if is_dir else ""
        exclude = self.rules.exclude
        if exclude is not None and exclude.match_file(relative + suffix):
            return True
        return any(spec.match_file(relative[cut:] + suffix) for cut, spec in active)

    def _walk(self, directory: str, relative: str, active: list[tuple[int, GlobSpec]], *, vendored: bool) -> None:
        """``vendored``: the directory is inside a vendored tree (its files go to ``vendored``)."""
        observer = self.rules.listing
        status = stat_or_none(directory) if observer is not None else None
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # unreadable directory: os.walk skipped it silently too
            if observer is not None:
                observer.directories.append((directory, status, ()))
            return
        if observer is not None:
            recent = observer.racy_after_ns
            keep = recent is None or status is None or max(status.st_mtime_ns, status.st_ctime_ns) >= recent
            observer.directories.append((directory, status, tuple(entry.name for entry in entries) if keep else None))
        if not relative or any(entry.name == ".gitignore" for entry in entries):
            spec = self.rules._spec_for(relative)
            if spec is not None:
                active = [*active, (len(relative) + 1 if relative else 0, spec)]
        else:
            self.rules.note_no_gitignore(relative)
        prefix = relative + "/" if relative else ""
        subdirectories: list[tuple[str, str, bool]] = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_template_name(name):
                continue  # a project template's files (`{{ cookiecutter.repo_name }}/`): not code yet
            if is_dir:
                if name in ALWAYS_SKIPPED:
                    continue
                if entry.is_symlink():
                    # Not followed: a target inside the root is walked where it lives; one
                    # outside is said once (a link back up the tree is no news).
                    if not self._ignored(prefix + name, True, active) and contained(entry.path, self.root) is None:
                        _skip_outside(self.found, Path(entry.path))
                    continue
                if not self._ignored(prefix + name, True, active):
                    inside = vendored or (name in VENDORED_DIRS and not self.config.include_vendored)
                    if inside and not vendored:
                        self.found.vendored_dirs.append(Path(entry.path))
                    subdirectories.append((entry.path, prefix + name, inside))
                continue
            if not _wanted(name) or self._ignored(prefix + name, False, active):
                continue
            path = Path(entry.path)
            # A symlink loop or a dangling link is listed as neither file nor directory: reported,
            # and kept out of everything downstream (ruff, the index, the report).
            try:
                regular = entry.is_file()
            except OSError:
                regular = False
            if not regular:
                self.found.skipped.append((path, _unreadable(path)))
                continue
            if entry.is_symlink() and contained(path, self.root) is None:
                _skip_outside(self.found, path)
                continue
            if vendored:
                # Someone else's code: not checked, and its pyproject/requirements are not ours.
                if name.endswith(PYTHON_SUFFIXES) and path not in self.seen:
                    self.seen.add(path)
                    self.found.vendored.append(path)
                continue
            self._keep(path, name, directory)
        for path, child, inside in subdirectories:
            self._walk(path, child, active, vendored=inside)

    def _keep(self, path: Path, name: str, directory: str) -> None:
        if path in self.seen:
            return
        self.seen.add(path)
        extension = os.path.splitext(name)[1]  # pathlib's suffix: a leading dot is not one
        if extension in PYTHON_SUFFIXES:
            if is_backup_name(name):  # not importable: no module of this workspace
                log.debug("skipped %s: a backup copy, not a module", path)
            elif not self.config.include_generated and is_generated_file(str(path), name):
                log.debug("skipped %s: generated code", path)
                self.found.generated.append(path)
            else:
                self.found.python.append(path)
        elif is_dependency_file(path):
            self.found.dependencies.append(path)
        elif extension == ".md" and directory == self.adr_dir and name[:-3].lower() not in _not_adrs():
            self.found.adrs.append(path)


def _not_adrs() -> frozenset[str]:
    from ..knowledge.loader import NOT_ADRS

    return NOT_ADRS


def _skip_outside(found: WorkspaceFiles, path: Path) -> None:
    """One INFO line (the editor's log shows it; ``check`` and ``graph`` print ``skipped``)."""
    log.info("skipped %s: it resolves %s", path, OUTSIDE_ROOT)
    found.skipped.append((path, OUTSIDE_ROOT))


def _unreadable(path: Path) -> str:
    """Why ``path`` cannot be checked, in a few words."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if os.path.islink(path):
            return "symbolic link to nothing"
        return exc.strerror or "cannot be read"
    return "not a regular file"


def _classify(path: Path, root: Path, config: ProjectConfig, found: WorkspaceFiles, seen: set[Path]) -> None:
    if path in seen:
        return
    seen.add(path)
    kind = file_kind(path, root, config)
    if kind == "python":
        found.python.append(path)
    elif kind == "dependencies":
        found.dependencies.append(path)
    elif kind == "adr":
        found.adrs.append(path)
