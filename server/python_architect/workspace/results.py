"""What an analysis and a check run hand back: ``FileAnalysis`` (one file's text) and
``CheckResult`` (a run over many files). Plain values, built by the engine (``engine.Project``)
and read by every front end (the language server keeps the last good ``FileAnalysis`` of each
open document; the CLI renders ``CheckResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.constructs import Construct
from ..analysis.facts import ModuleFacts
from ..findings import Finding
from .files import VendoredSkip
from .generated import GeneratedSkip


@dataclass
class FileAnalysis:
    """The result of analysing one file's text (saved or not).

    ``kind`` is ``python``, ``dependencies`` (requirements*.txt / pyproject.toml), ``adr``
    (an ADR markdown file) or ``other``. ``syntax_error`` is set (and ``findings`` holds only it
    plus ADR/dependency findings) when Python text does not parse; ``facts`` is None then.
    ``constructs`` are what hover explains (classes with bases, ``async def``s, query calls in
    loops, logging and HTTP calls), from the same parse and walk as the facts.
    """

    path: Path
    kind: str
    findings: list[Finding] = field(default_factory=list)
    syntax_error: Finding | None = None
    facts: ModuleFacts | None = None
    module: str | None = None
    constructs: tuple[Construct, ...] = ()
    statement_starts: tuple[tuple[int, int], ...] = ()
    """First line and column of each top-level and class-body statement, in a batch's workers: a
    later look at a few lines re-parses only the statements around them
    (``analysis.reparse.parse_statements``; the batch's ruff refinements)."""


@dataclass
class CheckResult:
    findings: list[Finding]
    files: int
    adrs: int
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Paths that could not be checked (a symlink loop, a dangling link), with why."""
    vendored: VendoredSkip | None = None
    """The vendored files this run skipped (``include-vendored`` checks them), None: none."""
    generated: GeneratedSkip | None = None
    """The generated files this run skipped (``include-generated`` checks them), None: none."""
    checked: list[Path] | None = None
    """The files a partial run (``--changed-since``) judged in full; None: every file it was
    asked for. A baseline entry is stale only if its file is among them."""
