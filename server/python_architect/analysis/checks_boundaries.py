"""Module boundaries from ADRs, Tach's per-file rule kinds: ``interface`` (ARC104) and
``deprecated-import`` (ARC106).

``interface``: ``{kind: interface, module: pricing, expose: [pricing.api, pricing.models.Quote]}``
— code outside ``pricing`` may import only the exposed members (a member is a module, which
covers everything inside it, or ``module.Name``; patterns as ``knowledge.module_patterns`` reads
them, so ``module: app.*`` with ``expose: [app.*.api]`` gives every slice its own interface).
Imports inside the module itself are free, and so is ``import pricing`` (the package itself).

``deprecated-import``: ``{kind: deprecated-import, module: legacy.pricing, use: pricing.api}`` —
a warning on each import of the module (or a name from it), naming the replacement; the
deprecated module may still import itself.

Both read each import the way ARC101 does: ``from a import b`` loads ``a.b`` (a module or a name).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..codes import ARC104, ARC106
from ..knowledge.module_patterns import matched_prefix, module_matches
from .facts import ImportFact
from .registry import ModuleContext, RawFinding, check


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return []


def imported_targets(fact: ImportFact) -> list[str]:
    """What one statement reaches: ``import a.b`` -> ``a.b``; ``from a import b, c`` -> ``a.b``,
    ``a.c`` (each a submodule or a name of ``a``); ``from a import *`` -> ``a``."""
    if not fact.is_from:
        return [fact.module]
    return [fact.module if name == "*" else f"{fact.module}.{name}" for name in fact.names] or [fact.module]


def _owner(module: str, pattern: str) -> str | None:
    """The concrete module a pattern names that contains ``module`` (``app.orders`` for
    ``app.*`` and ``app.orders.api``), or None."""
    return matched_prefix(module, pattern)


# -- ARC104 ------------------------------------------------------------------------------------


def interface_breach(importer: str | None, target: str, module: str, expose: list[str]) -> str | None:
    """The guarded module ``target`` reaches past its interface, or None when the import is fine:
    ``target`` lies outside the module, is the module itself, lies inside an exposed member, or
    the importer is inside the same module."""
    owner = _owner(target, module)
    if owner is None or target == owner:
        return None
    if importer is not None and (importer == owner or importer.startswith(owner + ".")):
        return None
    if any(module_matches(target, member) for member in expose):
        return None
    return owner


@check(ARC104)
def interface_violation(ctx: ModuleContext) -> Iterator[RawFinding]:
    for _adr, rule in ctx.rules_for("interface"):
        module = rule.options.get("module")
        expose = _strings(rule.options.get("expose"))
        if not isinstance(module, str) or not module.strip():
            continue
        skip_type_checking = bool(rule.options.get("ignore-type-checking", False))
        for fact in ctx.facts.imports:
            if fact.module.startswith(".") or (skip_type_checking and fact.type_checking):
                continue
            for target in imported_targets(fact):
                owner = interface_breach(ctx.module, target, module.strip(), expose)
                if owner is None:
                    continue
                shown = ", ".join(f"`{member}`" for member in expose[:3])
                if len(expose) > 3:
                    shown += f" and {len(expose) - 3} more"
                yield RawFinding(
                    code=ARC104,
                    message=rule.message or (
                        f"`{target}` is not part of `{owner}`'s interface (rule `{rule.id}` exposes {shown})"),
                    span=fact.span,
                    rule=rule,
                    data={"imported": target, "rule": rule.id, "module": owner,
                          **({"chain": [ctx.module, target]} if ctx.module else {})},
                )
                break  # one finding per statement: the first member past the interface


# -- ARC106 ------------------------------------------------------------------------------------


@check(ARC106)
def deprecated_import(ctx: ModuleContext) -> Iterator[RawFinding]:
    for _adr, rule in ctx.rules_for("deprecated-import"):
        deprecated = _strings(rule.options.get("module"))
        use = rule.options.get("use")
        if not deprecated or not isinstance(use, str):
            continue
        for fact in ctx.facts.imports:
            if fact.module.startswith("."):
                continue
            hit = _deprecated_target(ctx.module, fact, deprecated)
            if hit is None:
                continue
            yield RawFinding(
                code=ARC106,
                message=rule.message or f"`{hit}` is deprecated: use `{use.strip()}` instead (rule `{rule.id}`)",
                span=fact.span,
                rule=rule,
                data={"imported": hit, "use": use.strip(), "rule": rule.id},
            )


def _deprecated_target(importer: str | None, fact: ImportFact, deprecated: list[str]) -> str | None:
    """The deprecated module the statement loads (``from legacy import pricing`` loads
    ``legacy.pricing``), unless the importer is inside that module itself."""
    for target in [fact.module, *imported_targets(fact)]:
        for pattern in deprecated:
            owner = _owner(target, pattern)
            if owner is None:
                continue
            if importer is not None and (importer == owner or importer.startswith(owner + ".")):
                continue
            return owner
    return None
