"""The one registry of checks: code, title, principle, default severity, rationale, and the check.

Hover, the CLI's rule docs, SARIF rule metadata and diagnostics all read from here. Own checks
register with ``@check(...)`` next to their implementation; ruff-derived codes register as
metadata-only entries (``scope="ruff"``) whose findings come from the ruff bridge.

Check functions by scope:
- ``module``: ``fn(ctx: ModuleContext) -> Iterable[RawFinding]``, once per Python file.
- ``workspace``: ``fn(ctx: WorkspaceContext) -> Iterable[RawFinding]`` over the whole index.
- ``dependencies``: ``fn(ctx: DependencyContext) -> Iterable[RawFinding]`` per requirements/pyproject file.
- ``adr`` and ``ruff``: metadata only; produced by the knowledge loader / ruff bridge.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..findings import Fix, Severity, Span

if TYPE_CHECKING:
    from ..config import ProjectConfig
    from ..knowledge.model import Adr, KnowledgeBase, RuleSpec
    from .facts import ModuleFacts

PRINCIPLES = (
    "framework-isolation",
    "layering",
    "dependencies",
    "composition",
    "deep-modules",
    "async",
    "resilience",
    "data-layer",
    "observability",
    "security",
    "memory",
    "knowledge",  # the ADR files themselves (ARC001-ARC005)
)

DOCS_BASE = "https://github.com/python-architect/python-architect/blob/main/docs/rules.md"


@dataclass(frozen=True)
class CheckInfo:
    """A registered check and everything people are told about it."""

    code: str
    title: str
    principle: str
    severity: Severity
    rationale: str
    scope: str
    run: Callable[..., Iterable["RawFinding"]] | None = None
    default_enabled: bool = True
    """Runs without configuration (ARC101/102/110 need ADR rules, so they are driven by rules)."""
    default_options: dict[str, Any] = field(default_factory=dict)
    instead: str = ""
    """One sentence: what to do instead (used by hover and SARIF help)."""

    @property
    def docs_url(self) -> str:
        return f"{DOCS_BASE}#{self.code.lower()}"


@dataclass(frozen=True)
class RawFinding:
    """What a check yields; the engine turns it into a ``Finding``.

    The engine fills in severity (rule severity, else the registry default, capped for proposed
    ADRs), the cited ADRs (the rule's ADR, ``check`` rules for the code, ADRs tagged with the
    principle) and the path. A check driven by an ADR rule sets ``rule`` so the citation is exact.
    """

    code: str
    message: str
    span: Span
    fix: Fix | None = None
    rule: "RuleSpec | None" = None
    data: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None


@dataclass
class ModuleContext:
    """What a module check sees: the one parse of the file plus the project around it."""

    root: Path
    path: Path
    module: str | None
    text: str
    lines: list[str]
    tree: ast.Module
    facts: "ModuleFacts"
    kb: "KnowledgeBase"
    config: "ProjectConfig"
    is_first_party: Callable[[str], bool]
    """Whether a dotted module name belongs to this workspace's source roots."""
    is_stdlib: Callable[[str], bool]
    lookup_module: Callable[[str], "ModuleFacts | None"]
    """Facts of another first-party module from the workspace index (None when unknown)."""
    options_for: Callable[[str], dict[str, Any]]
    """Merged options for a check code: defaults < pyproject options < ADR ``check`` rules."""

    def rules_for(self, kind: str) -> list[tuple["Adr", "RuleSpec"]]:
        """Binding rules of ``kind`` whose paths/exclude (or their ADR's applies-to) cover this file."""
        from ..knowledge.scope import rule_applies_to

        return [
            (adr, rule)
            for adr, rule in self.kb.rules(kind)
            if rule_applies_to(adr, rule, self.path, self.root)
        ]


REGISTRY: dict[str, CheckInfo] = {}


def register(info: CheckInfo) -> CheckInfo:
    if info.code in REGISTRY:
        raise ValueError(f"check {info.code} registered twice")
    if info.principle not in PRINCIPLES:
        raise ValueError(f"{info.code}: unknown principle {info.principle!r}")
    REGISTRY[info.code] = info
    return info


def check(
    code: str,
    *,
    title: str,
    principle: str,
    severity: Severity,
    rationale: str,
    scope: str = "module",
    default_enabled: bool = True,
    default_options: dict[str, Any] | None = None,
    instead: str = "",
) -> Callable[[Callable[..., Iterable[RawFinding]]], Callable[..., Iterable[RawFinding]]]:
    """Decorator registering ``fn`` as the implementation of ``code``."""

    def decorate(fn: Callable[..., Iterable[RawFinding]]) -> Callable[..., Iterable[RawFinding]]:
        register(
            CheckInfo(
                code=code,
                title=title,
                principle=principle,
                severity=severity,
                rationale=" ".join(rationale.split()),
                scope=scope,
                run=fn,
                default_enabled=default_enabled,
                default_options=dict(default_options or {}),
                instead=instead,
            )
        )
        return fn

    return decorate


def lookup(code: str) -> CheckInfo | None:
    """The registry entry for a code, loading every check module first."""
    load_all()
    return REGISTRY.get(code)


def all_checks() -> list[CheckInfo]:
    load_all()
    return sorted(REGISTRY.values(), key=lambda info: info.code)


_LOADED = False


def load_all() -> None:
    """Imports every module that registers checks (idempotent)."""
    global _LOADED
    if _LOADED:
        return
    # Set first: check modules may call lookup() while importing (re-entrancy, not a loop).
    _LOADED = True
    import importlib

    try:
        for name in CHECK_MODULES:
            importlib.import_module(name)
    except BaseException:
        _LOADED = False
        raise


CHECK_MODULES = (
    "python_architect.knowledge.problems",
    "python_architect.analysis.checks_imports",
    "python_architect.analysis.checks_design",
    "python_architect.analysis.checks_runtime",
    "python_architect.analysis.dependencies",
    "python_architect.analysis.ruff_bridge",
    "python_architect.workspace.cycles",
)
