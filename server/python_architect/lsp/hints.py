"""Where hints of un-adopted judgment checks show in the editor (issue 23): on Django they
underlined most files while the team had adopted none of them. The setting
``pythonArchitect.hints`` decides:

- ``off``: nowhere;
- ``editedLine`` (the default): only on the lines the user's latest edit of that document
  touched, so a suggestion appears where someone is writing code and nowhere else;
- ``all``: everywhere, closed files too once "Check Workspace" has run.

A hint here is a finding the engine made a hint (an un-adopted judgment check). A code the user
gave a severity in ``severityOverrides`` is the user's choice and always shows, ``"hint"`` too.

Owns the policy and reading an edit's lines. The lines live in ``DocumentState.edited_lines``,
written only by ``didChange`` on the event loop (the one owner; no lock needed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..findings import Finding, Severity


def edited_lines(changes: Iterable[Any]) -> frozenset[int]:
    """The 0-based lines of the edited text that a ``didChange``'s changes wrote, in the new text.
    A change of the whole text names no line in particular: nothing."""
    lines: set[int] = set()
    for change in changes:
        where = getattr(change, "range", None)
        if where is None:
            return frozenset()
        start = where.start.line
        lines.update(range(start, start + str(getattr(change, "text", "")).count("\n") + 1))
    return frozenset(lines)


def visible(findings: Sequence[Finding], mode: str, edited: frozenset[int],
            overridden: Iterable[str] = ()) -> list[Finding]:
    """The findings to show under ``mode`` for a document whose latest edit wrote ``edited``."""
    if mode == "all":
        return list(findings)
    chosen = set(overridden)

    def shown(finding: Finding) -> bool:
        if finding.severity is not Severity.HINT or finding.code in chosen:
            return True
        if mode == "off":
            return False
        first, last = finding.span.line - 1, max(finding.span.end_line, finding.span.line) - 1
        return any(first <= line <= last for line in edited)

    return [finding for finding in findings if shown(finding)]
