"""The composition root of the checks: every code's metadata joined to its implementation.

Built once, eagerly, when this module is imported; Python's per-module import lock makes every
other thread that imports it wait until ``REGISTRY`` is complete, so nobody sees a partial one.
It sits above knowledge, analysis and workspace (it imports their check modules by name, never
by string) and below the engine, which receives ``REGISTRY`` as a collaborator.
"""

from __future__ import annotations

from . import codes
from .analysis import (
    checks_async,
    checks_boundaries,
    checks_design,
    checks_imports,
    checks_queries,
    checks_retries,
    checks_runtime,
    checks_wrappers,
    dependencies,
)
from .analysis.registry import CheckInfo, Registry
from .workspace import cycles, external_dependencies, independence

CHECK_MODULES = (checks_imports, checks_boundaries, checks_design, checks_runtime, checks_retries, checks_queries,
                 checks_wrappers, checks_async, dependencies, cycles, independence, external_dependencies)

REGISTRY = Registry.build(codes.METADATA, CHECK_MODULES)


def lookup(code: str) -> CheckInfo | None:
    """The record for ``code`` (with its implementation), or None for an unknown code."""
    return REGISTRY.lookup(code)


def all_checks() -> list[CheckInfo]:
    """Every record, in code order."""
    return REGISTRY.all()
