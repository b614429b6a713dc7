"""What is known about a finding code before anything runs: ``CheckInfo`` and the principles.

This is the bottom of the package (it imports only ``findings``): knowledge, analysis,
workspace, output and the editor all read code metadata through it, so none of them has to
import the layer that implements a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..findings import Severity

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
    "knowledge",  # the ADR files themselves (ARC001-ARC006) and the engine's own codes
)

CORE = "core"
"""Reported by default: findings a senior reviewer would almost always agree with."""
JUDGMENT = "judgment"
"""Reported only when the team adopts the check: an accepted ADR tagged with its principle, a
``kind: check`` / ``kind: ruff`` rule naming it, or ``select`` in the configuration naming it.
Otherwise silent in ``check`` and at most a hint in the editor."""
OPT_IN = "opt-in"
"""Off unless asked for by name: reported only when its exact code is named (``select`` /
``--select``, the ``ruff`` list or an ``options`` table for it in the configuration, or a binding
ADR's ``kind: check`` / ``kind: ruff`` rule), or adopted by an accepted ADR tagged with its
principle (``workspace.finalize``). ``ALL`` and a prefix do not turn it on, and the editor shows no
hint for it. For checks that cannot be made precise on real code."""
TIERS = (CORE, JUDGMENT, OPT_IN)

OPTION_TYPES = ("bool", "int", "string", "strings")
"""Types an option schema may name: ``strings`` is a list of strings."""
CONTEXT_OPTIONS = {"in-tests": "bool", "in-scripts": "bool"}
"""Options every check accepts: report it in test code / command-line entry points too (or not)."""

SCOPES = ("module", "workspace", "dependencies", "adr", "engine", "ruff")
"""``module``/``workspace``/``dependencies`` checks have an implementation (``run``); ``adr``,
``engine`` and ``ruff`` codes are metadata only (the knowledge loader, the engine and the ruff
bridge produce their findings)."""


@dataclass(frozen=True)
class CheckInfo:
    """A finding code and everything people are told about it.

    The metadata is declared once per code in ``codes.arc_structure`` / ``codes.arc_design`` / ``codes.ruff``; the catalog
    (``python_architect.catalog``) returns the same record with ``run`` set to the check's
    implementation.

    Per-check extensions (a ``tier``, an option schema) belong here as further fields with
    defaults, declared next to ``default_options`` in those modules.
    """

    code: str
    title: str
    principle: str
    severity: Severity
    rationale: str
    scope: str = "module"
    run: Callable[..., Iterable[Any]] | None = None
    default_enabled: bool = True
    """Runs without configuration (ARC101/102/110 need ADR rules, so they are driven by rules)."""
    default_options: dict[str, Any] = field(default_factory=dict)
    instead: str = ""
    """One sentence: what to do instead (used by hover and SARIF help)."""
    not_reported: str = ""
    """The look-alike shapes the check deliberately leaves alone (a judgment check's precision
    rules), listed in ``docs/rules.md`` and ``--explain`` so a team knows what adopting it means."""

    tier: str = CORE
    """``core`` (reported by default), ``judgment`` (reported once adopted) or ``opt-in`` (reported
    only when named exactly); see ``TIERS``."""
    option_types: dict[str, str] = field(default_factory=dict)
    """The option schema: name -> one of ``OPTION_TYPES``. ``[tool.python-architect.options.CODE]``
    and ADR ``kind: check`` rules are validated against it (plus ``CONTEXT_OPTIONS``)."""

    @property
    def option_schema(self) -> dict[str, str]:
        """Every option this code accepts, with its type."""
        return {**CONTEXT_OPTIONS, **self.option_types}

    def __post_init__(self) -> None:
        if self.tier not in TIERS:
            raise ValueError(f"{self.code}: unknown tier {self.tier!r}")
        if set(self.default_options) - set(self.option_types):
            raise ValueError(f"{self.code}: default options without a type in option_types")
        if set(self.option_types.values()) - set(OPTION_TYPES):
            raise ValueError(f"{self.code}: unknown option type in {self.option_types}")
        if self.principle not in PRINCIPLES:
            raise ValueError(f"{self.code}: unknown principle {self.principle!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"{self.code}: unknown scope {self.scope!r}")
