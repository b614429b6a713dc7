"""Column conversions between the core's character columns and the editor's code units.

The core counts columns in characters (code points), 1-based. LSP positions are 0-based and, by
default, counted in UTF-16 code units; clients may negotiate UTF-8 or UTF-32 instead. Characters
outside the Basic Multilingual Plane (emoji) are two UTF-16 units and four UTF-8 units.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Span

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def _units(char: str, encoding: str) -> int:
    point = ord(char)
    if encoding == UTF8:
        if point < 0x80:
            return 1
        if point < 0x800:
            return 2
        return 3 if point < 0x10000 else 4
    if encoding == UTF16:
        return 2 if point >= 0x10000 else 1
    return 1


def units_before(line_text: str, character: int, encoding: str = UTF16) -> int:
    """Code units of the first ``character`` characters of ``line_text`` (0-based character)."""
    prefix = line_text[: max(character, 0)]
    if encoding == UTF32 or prefix.isascii():
        return len(prefix)
    return sum(_units(char, encoding) for char in prefix)


def character_at(line_text: str, units: int, encoding: str = UTF16) -> int:
    """The 0-based character index at ``units`` code units (clamped to the line's end; a position
    inside a multi-unit character lands on that character)."""
    if encoding == UTF32 or line_text.isascii():
        return min(max(units, 0), len(line_text))
    seen = 0
    for index, char in enumerate(line_text):
        if seen >= units:
            return index
        seen += _units(char, encoding)
        if seen > units:
            return index
    return len(line_text)


@dataclass(frozen=True)
class ZeroBasedRange:
    """An editor range: 0-based lines, columns in the negotiated code units, end exclusive."""

    start_line: int
    start_character: int
    end_line: int
    end_character: int


class LineIndex:
    """The lines of one text, for converting spans to and from editor positions."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines = text.split("\n")
        self.encoding = encoding

    def line_text(self, zero_based_line: int) -> str:
        if 0 <= zero_based_line < len(self.lines):
            return self.lines[zero_based_line].rstrip("\r")
        return ""

    def to_editor(self, span: Span) -> ZeroBasedRange:
        """A core span (1-based, character columns) as an editor range (clamped into the text)."""
        start_line = min(max(span.line - 1, 0), max(len(self.lines) - 1, 0))
        end_line = min(max(span.end_line - 1, start_line), max(len(self.lines) - 1, 0))
        start_text = self.line_text(start_line)
        end_text = self.line_text(end_line)
        start = units_before(start_text, span.column - 1, self.encoding)
        end = units_before(end_text, span.end_column - 1, self.encoding)
        if end_line == start_line and end < start:
            end = start
        return ZeroBasedRange(start_line, start, end_line, end)

    def to_core(self, line: int, units: int) -> tuple[int, int]:
        """An editor position as a core (1-based line, 1-based character column)."""
        return line + 1, character_at(self.line_text(line), units, self.encoding) + 1

    def span_from_editor(self, start_line: int, start_units: int, end_line: int, end_units: int) -> Span:
        line, column = self.to_core(start_line, start_units)
        end, end_column = self.to_core(end_line, end_units)
        return Span(line, column, end, end_column)

    def text_in(self, span: Span) -> str:
        """The text a span covers (used for selections)."""
        if span.line == span.end_line:
            return self.line_text(span.line - 1)[span.column - 1 : span.end_column - 1]
        parts = [self.line_text(span.line - 1)[span.column - 1 :]]
        parts.extend(self.line_text(index) for index in range(span.line, span.end_line - 1))
        parts.append(self.line_text(span.end_line - 1)[: span.end_column - 1])
        return "\n".join(parts)
