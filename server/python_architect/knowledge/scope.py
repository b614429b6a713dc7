"""Where an ADR or one of its rules applies: gitignore-style globs relative to the workspace root.

This runs on the editor's keystroke path (every rule, every analysed file, every keystroke), so
compiled specs, relative paths and answers are cached: the same file is asked about again and
again. A path is made relative without touching the file system when it can.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .globs import GlobError, GlobSpec, compile_glob
from .model import Adr, RuleSpec


@lru_cache(maxsize=1024)
def compiled_spec(patterns: tuple[str, ...]) -> GlobSpec:
    """One compiled spec per distinct pattern list (gitignore semantics, as in ``.gitignore``),
    matched without exponential backtracking (``globs``).

    A leading ``./`` (common in hand-written ADRs, meaningless to gitignore) is dropped. A
    pattern that cannot be used matches nothing here; the ADR reader reports it (ARC002).
    """
    return GlobSpec.from_lines(clean_pattern(p) for p in patterns)


def clean_pattern(pattern: str) -> str:
    return pattern.strip().removeprefix("./")


def glob_problem(pattern: str) -> str | None:
    """Why an ADR glob cannot be used, or None when it can."""
    try:
        compile_glob(clean_pattern(pattern))
    except GlobError as error:
        return str(error)
    return None


@lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    return root.resolve()


@lru_cache(maxsize=8192)
def relative_posix(path: Path | str, root: Path) -> str | None:
    """``path`` relative to ``root`` with ``/`` separators; None when it lies outside the root."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return candidate.as_posix()
    try:
        return candidate.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        # Symlinked roots and "/private/var" style aliases: compare real paths.
        return Path(os.path.realpath(candidate)).relative_to(_resolved(root)).as_posix()
    except (ValueError, OSError):
        return None


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(v for v in value if isinstance(v, str) and v)
    return ()


@lru_cache(maxsize=16384)
def _covered(relative: str | None, paths: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    if relative is None:
        # Outside the workspace only unscoped decisions apply.
        return not paths
    if paths and not compiled_spec(paths).match_file(relative):
        return False
    return not (exclude and compiled_spec(exclude).match_file(relative))


def adr_applies_to(adr: Adr, path: Path, root: Path) -> bool:
    """Whether ``path`` is inside the ADR's ``applies-to`` (no paths means everywhere)."""
    scope = adr.applies_to
    return _covered(relative_posix(path, root), scope.paths, scope.exclude)


def rule_scope(adr: Adr, rule: RuleSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rule's effective ``(paths, exclude)``: its own options override the ADR's, key by key."""
    options = rule.options
    paths = _strings(options["paths"]) if "paths" in options else adr.applies_to.paths
    exclude = _strings(options["exclude"]) if "exclude" in options else adr.applies_to.exclude
    return paths, exclude


def rule_applies_to(adr: Adr, rule: RuleSpec, path: Path, root: Path) -> bool:
    """Whether ``rule`` covers ``path``: the rule's paths/exclude, else its ADR's applies-to."""
    paths, exclude = rule_scope(adr, rule)
    return _covered(relative_posix(path, root), paths, exclude)


def glob_matches_any(pattern: str, files: Iterable[Path | str], root: Path | None = None) -> bool:
    """Whether the glob matches one of ``files`` (absolute ones are made relative to ``root``)."""
    spec = compiled_spec((pattern,))
    for file in files:
        if isinstance(file, str) and root is None:
            relative: str | None = file  # already relative: the loader's fast path
        elif root is not None:
            relative = relative_posix(file, root)
        else:
            relative = Path(file).as_posix()
        if relative is not None and spec.match_file(relative):
            return True
    return False


def describe_scope(paths: tuple[str, ...], exclude: tuple[str, ...] = ()) -> str:
    """``in `app/domain/**``` / ``everywhere``: for hover texts and relevance reasons."""
    if not paths:
        where = "everywhere"
    else:
        where = "in " + ", ".join(f"`{p}`" for p in paths)
    if exclude:
        where += " except " + ", ".join(f"`{p}`" for p in exclude)
    return where
