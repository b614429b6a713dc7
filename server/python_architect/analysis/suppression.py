"""Suppression comments: ``# architect: ignore[ARC502, ADR-011] reason`` on a finding's line, and
``# architect: ignore-file[ARC101] reason`` on a line of its own, anywhere in the file, for every
finding of the file.

A bare ``# architect: ignore`` silences everything on the line (``ignore-file``: in the file). Inside the brackets, a code is a
prefix (``ARC5`` silences ARC502), and an ADR id silences every finding that cites that ADR.
``add_suppression`` / ``add_file_suppression`` write (or extend) the comments for the quick fixes.
ruff's own ``# noqa`` keeps working for ruff codes: ruff applies it before we see its findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..knowledge.ids import ADR_REFERENCE, normalize_adr_id

_DIRECTIVE = re.compile(
    r"#\s*architect\s*:\s*ignore(?![-\w])(?:\[(?P<items>[^\]]*)\])?(?P<reason>[^#\r\n]*)",
    re.IGNORECASE,
)
_FILE_DIRECTIVE = re.compile(
    r"^\s*#\s*architect\s*:\s*ignore-file(?![-\w])(?:\[(?P<items>[^\]]*)\])?(?P<reason>[^#\r\n]*)",
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


def parse_suppression(line_text: str, pattern: re.Pattern[str] = _DIRECTIVE) -> Suppression | None:
    """The directive on a line, or None. A bracket list that ends up empty means everything."""
    match = pattern.search(line_text)
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


def file_suppressions(lines: Iterable[str]) -> tuple[Suppression, ...]:
    """Every ``# architect: ignore-file[...]`` comment line of a file (a cheap substring test
    first: the regex only runs on lines that mention it)."""
    found = []
    for line in lines:
        if "ignore-file" in line or "IGNORE-FILE" in line:
            directive = parse_suppression(line, _FILE_DIRECTIVE)
            if directive is not None:
                found.append(directive)
    return tuple(found)


def add_file_suppression(lines: list[str], code: str) -> tuple[int, str | None, str]:
    """Where the file-level comment for ``code`` goes: ``(line, old_text, new_text)`` with a
    1-based line; ``old_text`` is None for a new line inserted before ``line``.

    An existing ``ignore-file`` comment is extended; a new one goes after a shebang and an
    encoding line, so those keep working.
    """
    for number, line in enumerate(lines, start=1):
        match = _FILE_DIRECTIVE.search(line)
        if match is None:
            continue
        directive = parse_suppression(line, _FILE_DIRECTIVE)
        if directive is None or directive.everything or directive.covers(code):
            return number, line, line
        items = [item.strip() for item in (match.group("items") or "").split(",") if item.strip()]
        if match.group("items") is None:
            return number, line, line
        start, end = match.span("items")
        return number, line, f"{line[:start]}{', '.join([*items, code])}{line[end:]}"
    at = 1
    while at <= min(len(lines), 2) and (
        (at == 1 and lines[0].startswith("#!")) or re.match(r"^[ \t\f]*#.*?coding[:=]", lines[at - 1])
    ):
        at += 1
    return at, None, f"# architect: ignore-file[{code}]\n"
