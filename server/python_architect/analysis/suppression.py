"""Suppression comments: ``# architect: ignore[ARC502, ADR-011] reason`` on a finding's line.

A bare ``# architect: ignore`` silences everything on the line. Inside the brackets, a code is a
prefix (``ARC5`` silences ARC502), and an ADR id silences every finding that cites that ADR.
``add_suppression`` writes (or extends) the comment for the "ignore on this line" quick fix.
ruff's own ``# noqa`` keeps working for ruff codes: ruff applies it before we see its findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..knowledge.ids import ADR_REFERENCE, normalize_adr_id

_DIRECTIVE = re.compile(
    r"#\s*architect\s*:\s*ignore\b(?:\[(?P<items>[^\]]*)\])?(?P<reason>[^#\r\n]*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Suppression:
    """One parsed directive. ``codes`` and ``adrs`` empty means everything on the line."""

    codes: tuple[str, ...]
    adrs: tuple[str, ...]
    reason: str

    @property
    def everything(self) -> bool:
        return not self.codes and not self.adrs

    def covers(self, code: str, adrs: Iterable[str] = ()) -> bool:
        if self.everything:
            return True
        if any(code.upper().startswith(prefix) for prefix in self.codes):
            return True
        cited = {normalize_adr_id(adr) for adr in adrs}
        return any(adr in cited for adr in self.adrs)


def parse_suppression(line_text: str) -> Suppression | None:
    """The directive on a line, or None. A bracket list that ends up empty means everything."""
    match = _DIRECTIVE.search(line_text)
    if match is None:
        return None
    codes: list[str] = []
    adrs: list[str] = []
    for item in (match.group("items") or "").split(","):
        item = item.strip()
        if not item:
            continue
        if ADR_REFERENCE.fullmatch(item):
            adrs.append(normalize_adr_id(item))
        else:
            codes.append(item.upper())
    return Suppression(tuple(codes), tuple(adrs), match.group("reason").strip())


def suppressed(finding_code: str, finding_adrs: Iterable[str], line_text: str) -> bool:
    """Whether the finding is silenced by a directive on its line."""
    directive = parse_suppression(line_text)
    return directive is not None and directive.covers(finding_code, finding_adrs)


def add_suppression(line_text: str, code: str) -> str:
    """The line with ``code`` suppressed: merged into an existing directive, else appended.

    The line ending (``\\n``, ``\\r\\n`` or none) is preserved; a bare directive already silences
    everything and is returned unchanged.
    """
    body = line_text.rstrip("\r\n")
    ending = line_text[len(body):]
    match = _DIRECTIVE.search(body)
    if match is None:
        separator = "  " if body.strip() else ""
        return f"{body.rstrip()}{separator}# architect: ignore[{code}]{ending}"
    directive = parse_suppression(body)
    if directive is None or directive.everything or directive.covers(code):
        return line_text
    items = [item.strip() for item in (match.group("items") or "").split(",") if item.strip()]
    items.append(code)
    start, end = match.span("items")
    return f"{body[:start]}{', '.join(items)}{body[end:]}{ending}"
