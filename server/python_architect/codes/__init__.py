"""The neutral home of every finding code: one constant per code, and its metadata.

The bottom layer (it imports only ``findings``): knowledge validates ``check`` rules, workspace
finalises findings, output and the editor explain them, all by reading ``metadata(code)`` here.
Nothing registers itself at import; ``METADATA`` is a read-only mapping built when this module is
imported, so every thread that can see it sees all of it. Implementations are joined to these
records once, in ``python_architect.catalog``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from . import arc_design, arc_structure, ruff
from .arc import (
    ARC001,
    ARC002,
    ARC003,
    ARC004,
    ARC005,
    ARC006,
    ARC101,
    ARC102,
    ARC103,
    ARC104,
    ARC105,
    ARC106,
    ARC110,
    ARC111,
    ARC201,
    ARC202,
    ARC203,
    ARC301,
    ARC302,
    ARC402,
    ARC502,
    ARC701,
    ARC702,
    ARC900,
    RULE_DRIVEN,
)
from .model import PRINCIPLES, SCOPES, CheckInfo

__all__ = [
    "ARC001", "ARC002", "ARC003", "ARC004", "ARC005", "ARC006", "ARC101", "ARC102", "ARC103",
    "ARC104", "ARC105", "ARC106", "ARC110", "ARC111", "ARC201", "ARC202", "ARC203", "ARC301", "ARC302", "ARC402", "ARC502", "ARC701", "ARC702", "ARC900",
    "METADATA", "PRINCIPLES", "RULE_DRIVEN", "SCOPES", "CheckInfo", "metadata",
]


def _index(*groups: tuple[CheckInfo, ...]) -> Mapping[str, CheckInfo]:
    table: dict[str, CheckInfo] = {}
    for group in groups:
        for info in group:
            if info.code in table:
                raise ValueError(f"code {info.code} declared twice")
            table[info.code] = info
    return MappingProxyType(table)


METADATA: Mapping[str, CheckInfo] = _index(arc_structure.ENTRIES, arc_design.ENTRIES, ruff.ENTRIES)
"""Every declared code (ARC and curated ruff codes) -> its record; read-only."""


def metadata(code: str) -> CheckInfo | None:
    """The record for ``code``: declared, else a ruff family record (``ASYNC...``), else None."""
    return METADATA.get(code) or ruff.family_info(code)
