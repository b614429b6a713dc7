"""How a check is declared, what it sees and what it yields, and the ``Registry`` type.

A check is a function marked ``@check(ARC201)`` next to its implementation; the code's title,
principle, severity and rationale are declared once in ``python_architect.codes``. Marking does
not register anything: the catalog (``python_architect.catalog``, the composition root above
knowledge, analysis and workspace) builds one immutable ``Registry`` from the metadata and the
marked functions when it is imported, so no caller can ever see a partly built registry.

Check functions by scope:
- ``module``: ``fn(ctx: ModuleContext) -> Iterable[RawFinding]``, once per Python file.
- ``workspace``: ``fn(ctx: WorkspaceContext) -> Iterable[(Path, RawFinding)]`` over the index.
- ``dependencies``: ``fn(ctx: DependencyContext) -> Iterable[RawFinding]`` per requirements/pyproject file.
- ``adr``, ``engine`` and ``ruff``: metadata only; produced by the knowledge loader, the engine
  and the ruff bridge.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from ..codes import METADATA, PRINCIPLES, CheckInfo, metadata
from ..findings import Fix, Related, Severity, Span

if TYPE_CHECKING:
    from ..config import ProjectConfig
    from ..knowledge.model import Adr, KnowledgeBase, RuleSpec
    from .facts import ModuleFacts

__all__ = ["PRINCIPLES", "CheckInfo", "ModuleContext", "RawFinding", "Registry", "check"]

RUNNABLE_SCOPES = ("module", "workspace", "dependencies")
"""Scopes whose codes must have an implementation."""
_MARK = "__architect_check__"
F = TypeVar("F", bound=Callable[..., Any])


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
    rule: RuleSpec | None = None
    data: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None
    related: tuple[Related, ...] = ()
    """Other places that explain the finding (every import line of a cycle)."""


@dataclass
class ModuleContext:
    """What a module check sees: the one parse of the file plus the project around it."""

    root: Path
    path: Path
    module: str | None
    text: str
    lines: list[str]
    tree: ast.Module
    facts: ModuleFacts
    kb: KnowledgeBase
    config: ProjectConfig
    is_first_party: Callable[[str], bool]
    """Whether a dotted module name belongs to this workspace's source roots."""
    is_stdlib: Callable[[str], bool]
    lookup_module: Callable[[str], ModuleFacts | None]
    """Facts of another first-party module from the workspace index (None when unknown)."""
    options_for: Callable[[str], dict[str, Any]]
    """Merged options for a check code: defaults < pyproject options < ADR ``check`` rules."""
    is_module: Callable[[str], bool] | None = None
    """Whether a first-party module of that name exists, without reading it (the workspace
    index's; when None, ``lookup_module`` answers)."""
    shared: dict[str, Any] = field(default_factory=dict)
    """Results one scan of this file yields for checks of several codes (ARC701 and ARC702 share
    the credential scan): computed by the first of them to run, read by the others."""

    def module_exists(self, name: str) -> bool:
        """Whether ``name`` is a first-party module (``from app import api``: is ``app.api`` one?)."""
        return self.is_module(name) if self.is_module is not None else self.lookup_module(name) is not None

    def rules_for(self, kind: str) -> list[tuple[Adr, RuleSpec]]:
        """Binding rules of ``kind`` whose paths/exclude (or their ADR's applies-to) cover this file."""
        from ..knowledge.scope import rule_applies_to

        return [
            (adr, rule)
            for adr, rule in self.kb.rules(kind)
            if rule_applies_to(adr, rule, self.path, self.root)
        ]


def check(code: str) -> Callable[[F], F]:
    """Marks ``fn`` as the implementation of ``code`` (declared in ``python_architect.codes``)."""
    if code not in METADATA:
        raise ValueError(f"@check({code!r}): the code is not declared in python_architect.codes")

    def mark(fn: F) -> F:
        setattr(fn, _MARK, code)
        return fn

    return mark


def implementations(modules: Iterable[ModuleType]) -> dict[str, Callable[..., Any]]:
    """Code -> the function marked ``@check(code)`` in ``modules`` (one function per code)."""
    found: dict[str, Callable[..., Any]] = {}
    for module in modules:
        for value in vars(module).values():
            code = getattr(value, _MARK, None)
            if code is None:
                continue
            if code in found and found[code] is not value:
                raise ValueError(f"{code} is implemented twice: {found[code].__qualname__}, {value.__qualname__}")
            found[code] = value
    return found


class Registry:
    """Every code's record with its implementation; immutable once built.

    Built once by the catalog; to run different checks (a test's exploding check), build another
    one with ``replacing`` and hand it to the ``Project``.
    """

    def __init__(self, entries: Iterable[CheckInfo]) -> None:
        table: dict[str, CheckInfo] = {}
        for info in entries:
            if info.code in table:
                raise ValueError(f"check {info.code} registered twice")
            table[info.code] = info
        missing = [code for code, info in table.items() if info.scope in RUNNABLE_SCOPES and info.run is None]
        if missing:
            raise ValueError(f"checks without an implementation: {', '.join(sorted(missing))}")
        self._entries: Mapping[str, CheckInfo] = dict(sorted(table.items()))
        self._by_scope: dict[str, tuple[CheckInfo, ...]] = {}
        for info in self._entries.values():
            self._by_scope.setdefault(info.scope, ())
            self._by_scope[info.scope] += (info,)

    @classmethod
    def build(cls, declared: Mapping[str, CheckInfo], modules: Iterable[ModuleType]) -> Registry:
        """Joins the declared metadata to the ``@check`` functions found in ``modules``."""
        runs = implementations(modules)
        unknown = sorted(set(runs) - set(declared))
        if unknown:
            raise ValueError(f"implementations of undeclared codes: {', '.join(unknown)}")
        return cls(replace(info, run=runs[code]) if code in runs else info for code, info in declared.items())

    def lookup(self, code: str) -> CheckInfo | None:
        """The record for ``code``: registered, else a ruff family record, else None."""
        return self._entries.get(code) or metadata(code)

    def all(self) -> list[CheckInfo]:
        """Every registered record, in code order."""
        return list(self._entries.values())

    def by_scope(self, scope: str) -> tuple[CheckInfo, ...]:
        """The records of one scope (``module``, ``workspace``, ``ruff``, ...), in code order."""
        return self._by_scope.get(scope, ())

    def replacing(self, code: str, run: Callable[..., Any]) -> Registry:
        """A copy whose ``code`` runs ``run`` instead."""
        return Registry(replace(info, run=run) if info.code == code else info for info in self._entries.values())

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def __iter__(self) -> Iterator[CheckInfo]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)
