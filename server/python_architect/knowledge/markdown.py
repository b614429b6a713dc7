"""Markdown reading for the knowledge base: robust decoding and splitting into sections.

Everything here works on already-decoded text with ``\\n`` line ends; ``decode_text`` is the one
place that turns a file's bytes (BOM, CRLF, Latin-1, cp1252) into such text without ever failing.
Line numbers are 1-based and counted in the file, so callers pass the line the body starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Section

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def decode_text(data: bytes) -> str:
    """Bytes of a text file as text with ``\\n`` line ends, whatever its encoding.

    UTF-8 (with or without BOM) first; files saved by older Windows editors fall back to cp1252,
    and anything else to Latin-1, which maps every byte, so this never raises.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    return normalize_text(text)


def normalize_text(text: str) -> str:
    """Drops a leading BOM and turns CRLF / CR line ends into ``\\n`` (line count unchanged)."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


@dataclass(frozen=True)
class Heading:
    """An ATX heading found outside code blocks; ``index`` is its 0-based line in the text."""

    index: int
    level: int
    title: str


def find_headings(lines: list[str]) -> list[Heading]:
    """ATX headings (``#`` .. ``######``), skipping fenced code blocks (``` and ~~~)."""
    headings: list[Heading] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        opening = _FENCE_OPEN.match(line)
        if opening:
            marker = opening.group(1)
            # A backtick fence's info string may not contain backticks (CommonMark).
            if not (marker[0] == "`" and "`" in opening.group(2)):
                fence = marker
                continue
        match = _ATX_HEADING.match(line)
        if match:
            title = (match.group(2) or "").strip()
            title = _CLOSING_HASHES.sub("", title).strip()
            headings.append(Heading(index, len(match.group(1)), title))
    return headings


def split_sections(text: str, first_line: int = 1) -> tuple[Section, ...]:
    """Every heading with the text under it, up to the next heading of the same or higher level.

    ``first_line`` is the file line of ``text``'s first line (the line after the frontmatter),
    so section lines point into the file. A section's ``text`` excludes its heading line and
    surrounding blank lines; ``end_line`` is the last line before the section ends.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    headings = find_headings(lines)
    sections: list[Section] = []
    for position, heading in enumerate(headings):
        end = len(lines)
        for later in headings[position + 1 :]:
            if later.level <= heading.level:
                end = later.index
                break
        last = end - 1
        while last > heading.index and not lines[last].strip():
            last -= 1
        body = "\n".join(lines[heading.index + 1 : last + 1]).strip("\n")
        sections.append(
            Section(
                title=heading.title,
                level=heading.level,
                line=heading.index + first_line,
                end_line=last + first_line,
                text=body,
            )
        )
    return tuple(sections)


def first_heading(text: str, level: int = 1) -> Heading | None:
    """The first heading of ``level`` outside code blocks, if any."""
    for heading in find_headings(text.split("\n")):
        if heading.level == level:
            return heading
    return None


def first_paragraph(text: str) -> str:
    """The first paragraph of prose (not a heading, fence or frontmatter rule), joined on spaces."""
    paragraph: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith(("#", "```", "~~~", "---")):
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    return " ".join(paragraph)
