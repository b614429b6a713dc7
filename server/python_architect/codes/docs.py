"""Where the rules reference lives once installed, and a link to one code's section in it.

``rules.md`` next to this module is package data, generated from the metadata together with the
repository's ``docs/rules.md`` (``python -m python_architect.cli.rules_doc``; a test keeps both
current). Links point at the installed file, so they work offline and never at a site that may
not exist; a code without a section (or an install without the file) gets no link at all.
"""

from __future__ import annotations

import functools
from pathlib import Path

RULES_DOC = Path(__file__).resolve().with_name("rules.md")


@functools.lru_cache(maxsize=1)
def _section_lines() -> dict[str, int]:
    """Code -> 1-based line of its ``### CODE`` heading; empty when the file is missing.

    Cached once per process: the file is package data and does not change while we run.
    """
    try:
        text = RULES_DOC.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {
        line[4:].strip(): number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.startswith("### ")
    }


def section_line(code: str) -> int | None:
    """The line of ``code``'s section in the installed rules reference, if it has one."""
    return _section_lines().get(code)


def section_uri(code: str) -> str | None:
    """A ``file:`` URI of the installed rules reference at ``code``'s section (``#L<line>``, which
    editors open at that line), or None when there is no such section."""
    line = section_line(code)
    return f"{RULES_DOC.as_uri()}#L{line}" if line is not None else None
