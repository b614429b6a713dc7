"""Parsing one ADR file into an ``Adr``: YAML frontmatter, or plain MADR / Nygard (adr-tools).

Frontmatter fields win; what they leave out comes from the markdown: the id from the file name
(``0011-x.md``) or the H1 (``# 11. Title``, ``# ADR-011: Title``), the status from a ``## Status``
section or a ``Status:`` line, links from ``Superseded by [...](0012-...md)`` lines. Problems
(ARC001 frontmatter, ARC002 unknown values) point at their line in the ``.md`` file.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..findings import Finding
from .adr_frontmatter import AdrDraft, read_frontmatter, status_from_text
from .ids import ADR_REFERENCE, format_adr_id
from .markdown import normalize_text, split_sections
from .model import Adr, Section
from .problems import FRONTMATTER_ERROR, UNKNOWN_VALUE, adr_problem
from .reading import MAX_KNOWLEDGE_BYTES
from .yaml_header import HeaderError, find_header, load_header

_FILE_NUMBER = re.compile(r"^(?:adr[-_ ]?)?0*(\d{1,5})(?=[-_ .]|$)", re.IGNORECASE)
_H1_ADR = re.compile(r"^ADR[-_ ]?0*(\d{1,5})\s*(?:[:.\-\u2013\u2014]\s*)?(.*)$", re.IGNORECASE)
_H1_NUMBER = re.compile(r"^0*(\d{1,5})[.:)]\s+(.*)$")
_STATUS_LINE = re.compile(
    r"^\s*(?:[*+-]\s+)?(?:\*\*|__)?status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$", re.IGNORECASE
)
_LINK_LINE = re.compile(r"^(?:[*+-]\s+)?(superseded by|supersedes)\b(.*)$", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_DATE_LINE = re.compile(
    r"^\s*(?:[*+-]\s+)?(?:\*\*|__)?date(?:\*\*|__)?\s*:\s*(\S.*)$", re.IGNORECASE | re.MULTILINE
)


def parse_adr(path: Path, text: str) -> tuple[Adr | None, list[Finding]]:
    """The ADR in ``text`` (the content of ``path``) and the problems found in it.

    Returns ``(None, [])`` for a blank file, ``(None, [ARC001])`` for one over the size bound. A
    frontmatter that does not parse (or whose aliases expand past ``yaml_header.NODE_BUDGET``)
    gives ARC001 and an ADR read from the body alone (no rules), so a broken header never hides
    the record.
    """
    text = normalize_text(text)
    if not text.strip():
        return None, []
    if len(text) > MAX_KNOWLEDGE_BYTES:
        # The editor's unsaved text gets the loader's bound (``reading``) too.
        message = f"not loaded: {len(text):,} characters, over the {MAX_KNOWLEDGE_BYTES:,}-byte limit"
        return None, [adr_problem(FRONTMATTER_ERROR, path, 1, message)]
    lines = text.split("\n")
    problems: list[Finding] = []
    draft = AdrDraft()
    body, body_line, has_frontmatter = text, 1, False

    header = find_header(lines)
    if header is not None and header.close is None:
        message = "frontmatter opened here is never closed by a `---` line"
        problems.append(adr_problem(FRONTMATTER_ERROR, path, 1, message, lines))
    elif header is not None and header.close is not None:
        has_frontmatter = True
        body = "\n".join(lines[header.body_index :])
        body_line = header.body_index + 1
        try:
            loaded = load_header("\n".join(lines[1 : header.close]))
        except HeaderError as error:
            line = min(error.line, header.close)
            message = f"frontmatter does not parse: {error.message}"
            problem = adr_problem(
                FRONTMATTER_ERROR, path, line, message, lines, column=error.column
            )
            problems.append(problem)
        else:
            read_frontmatter(loaded, path, lines, draft, problems)

    sections = split_sections(body, body_line)
    _read_body(path, body, body_line, sections, lines, draft, problems)
    adr_id = draft.id or path.stem
    rules = tuple(replace(rule, adr_id=adr_id) for rule in draft.rules)
    adr = Adr(
        id=adr_id,
        title=draft.title or _title_from_stem(path.stem),
        path=path,
        status=draft.status or "accepted",
        date=draft.date,
        supersedes=tuple(dict.fromkeys(draft.supersedes)),
        superseded_by=tuple(dict.fromkeys(draft.superseded_by)),
        tags=tuple(dict.fromkeys(draft.tags)),
        applies_to=draft.applies_to,
        rules=rules,
        sections=sections,
        body=body,
        body_line=body_line,
        has_frontmatter=has_frontmatter,
        id_line=draft.id_line,
        references=tuple(draft.references),
        globs=tuple(draft.globs),
    )
    return adr, [p.with_changes(data={"adr": adr_id}) for p in problems]


def _read_body(
    path: Path,
    body: str,
    body_line: int,
    sections: tuple[Section, ...],
    lines: list[str],
    draft: AdrDraft,
    problems: list[Finding],
) -> None:
    """Id, title, status, date and links from the markdown, where the frontmatter left them out."""
    id_from_frontmatter = draft.id is not None
    file_number = _FILE_NUMBER.match(path.stem)
    if draft.id is None and file_number:
        draft.id = format_adr_id(int(file_number.group(1)))
    heading = next((section for section in sections if section.level == 1), None)
    if heading is not None:
        title = heading.title
        numbered = _H1_ADR.match(title) or _H1_NUMBER.match(title)
        if numbered:
            title = numbered.group(2).strip() or title
            if draft.id is None:
                draft.id = format_adr_id(int(numbered.group(1)))
        if draft.title is None:
            draft.title = title
        if not id_from_frontmatter:
            draft.id_line = heading.line

    def unknownstatus_from_text(line: int) -> Any:
        return lambda message: problems.append(
            adr_problem(UNKNOWN_VALUE, path, line, message, lines)
        )

    for number, text in _status_lines(body, body_line, sections):
        if draft.status is None and text.strip():
            draft.status = status_from_text(text, unknownstatus_from_text(number))
        link = _LINK_LINE.match(text.strip())
        if link:
            _read_links(link.group(1).lower(), link.group(2), number, draft)
    if draft.date is None:
        date = _DATE_LINE.search(body)
        if date:
            draft.date = date.group(1).strip().strip("*_ ")


def _status_lines(
    body: str, body_line: int, sections: tuple[Section, ...]
) -> list[tuple[int, str]]:
    """``(file line, text)`` of the Status section's lines, else of a ``Status:`` line."""
    body_lines = body.split("\n")
    for section in sections:
        if section.title.strip().strip("*_:").lower() == "status":
            first, last = section.line + 1, section.end_line
            return [(n, body_lines[n - body_line]) for n in range(first, last + 1)]
    for index, text in enumerate(body_lines):
        match = _STATUS_LINE.match(text)
        if match:
            return [(body_line + index, match.group(1))]
    return []


def _read_links(relation: str, rest: str, line: int, draft: AdrDraft) -> None:
    """``Superseded by [12. Use X](0012-use-x.md)`` and friends, as adr-tools writes them."""
    key = "superseded-by" if relation.startswith("superseded") else "supersedes"
    targets: list[str] = []
    for text, target in _MARKDOWN_LINK.findall(rest):
        number = _FILE_NUMBER.match(Path(target).stem) if target else None
        by_text = ADR_REFERENCE.search(text) or re.match(r"^\s*0*(\d{1,5})\b", text)
        if number:
            targets.append(format_adr_id(int(number.group(1))))
        elif by_text:
            targets.append(format_adr_id(int(by_text.group(1))))
    if not targets:
        targets = [format_adr_id(int(m.group(1))) for m in ADR_REFERENCE.finditer(rest)]
    for target in targets:
        (draft.supersedes if key == "supersedes" else draft.superseded_by).append(target)
        draft.references.append((key, target, line))


def _title_from_stem(stem: str) -> str:
    words = re.sub(r"^\d+[-_ .]*", "", stem).replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else stem
