"""Another linter's suppression of the same defect on a finding's line, honoured (issue 21).

Owns the table of equivalents: a ruff code and the names other well-known linters give the SAME
check (pylint's ``method-cache-max-size-none``/W1518 for B019, bandit's B307 for S307). A
``# pylint: disable=eval-used`` (or ``disable-next=`` on the line above) or ``# nosec B307`` (a
bare ``# nosec`` too, for bandit's codes) is the team's recorded decision about that line, made
with another tool, and ruff would have been silenced the same way with ``# noqa``. A suppression
of a different check (``# pylint: disable=too-many-branches``) keeps the finding. Reads only the
comments of the line (and the one above), and standalone ``# pylint: disable=`` comments at
column 0, which pylint applies to the rest of the module; one inside a block (indented) is not
read (a finding kept, never one lost). Pure functions of (lines,
finding); no state.

Also ruff's own newer inline suppression, ``# ruff: ignore[error-instead-of-exception]`` (or
``# ruff:ignore[...]``), naming rules by code or by NAME: the bundled ruff honours the codes but
not the names (tox writes names), so ``ruff_ignored`` drops a finding whose line names its rule.
The names come from the bundled ruff itself (``ruff_bridge.rule_names``, read once per process).
"""

from __future__ import annotations

import io
import re
import tokenize

from . import ruff_bridge
from .registry import RawFinding

PYLINT_EQUIVALENTS: dict[str, frozenset[str]] = {
    "B019": frozenset({"method-cache-max-size-none", "W1518"}),
    "S307": frozenset({"eval-used", "W0123"}),
    "BLE001": frozenset({"broad-exception-caught", "broad-except", "W0718", "W0703"}),
    "G004": frozenset({"logging-fstring-interpolation", "W1203"}),
    "B006": frozenset({"dangerous-default-value", "W0102"}),
    "S113": frozenset({"missing-timeout", "W3101"}),
}
"""ruff code -> pylint's message names and ids for the same check."""

BANDIT_EQUIVALENTS: dict[str, str] = {
    code: "B" + code[1:]
    for code in ("S110", "S113", "S301", "S307", "S311", "S501", "S506", "S602", "S604", "S608")
}
"""ruff's flake8-bandit codes we ship -> bandit's test id (ruff took the numbers from bandit)."""

SUPPRESSIBLE = frozenset(PYLINT_EQUIVALENTS) | frozenset(BANDIT_EQUIVALENTS)

_PYLINT = re.compile(r"pylint:\s*disable(-next)?\s*=\s*([\w\-]+(?:\s*,\s*[\w\-]+)*)")
_NOSEC = re.compile(r"#\s*nosec\b(.*)$")
_BANDIT_ID = re.compile(r"\bB\d{3}\b")
_RUFF_IGNORE = re.compile(r"#\s*ruff\s*:\s*ignore\[([^\]]*)\]", re.IGNORECASE)


def without_ruff_ignored(lines: list[str], findings: list[RawFinding]) -> list[RawFinding]:
    """``findings`` without those whose line carries ``# ruff: ignore[<its code or name>]`` (the
    same list when none do). Reads only lines that mention ``ruff``; no parse needed."""
    if not any(0 < f.span.line <= len(lines) and "ruff" in lines[f.span.line - 1] for f in findings):
        return findings
    return [f for f in findings if not ruff_ignored(lines, f)]


def ruff_ignored(lines: list[str], finding: RawFinding) -> bool:
    """Whether the finding's line names its rule in a ``# ruff: ignore[...]`` comment."""
    line = finding.span.line
    if not 0 < line <= len(lines) or "ruff" not in lines[line - 1]:
        return False
    wanted = {finding.code.casefold()}
    name = ruff_bridge.rule_names().get(finding.code)
    if name:
        wanted.add(name.casefold())
    for comment in _comments(lines[line - 1]):
        for listed in _RUFF_IGNORE.findall(comment):
            if any(item.strip().casefold() in wanted for item in listed.split(",")):
                return True
    return False


def suppressed_elsewhere(lines: list[str], finding: RawFinding) -> bool:
    """Whether the finding's line carries another linter's suppression of the same check."""
    names = PYLINT_EQUIVALENTS.get(finding.code, frozenset())
    bandit = BANDIT_EQUIVALENTS.get(finding.code)
    if not names and bandit is None:
        return False
    line = finding.span.line
    if not 0 < line <= len(lines):
        return False
    for comment in _comments(lines[line - 1]):
        if names and any(not nxt and _lists(listed, names) for nxt, listed in _PYLINT.findall(comment)):
            return True
        nosec = _NOSEC.search(comment)
        if bandit is not None and nosec is not None:
            ids = _BANDIT_ID.findall(nosec.group(1))
            if not ids or bandit in ids:
                return True  # bandit reads a ``# nosec`` naming no test as every test
    above = lines[line - 2].strip() if line > 1 else ""
    if names and above.startswith("#") and any(nxt and _lists(listed, names) for nxt, listed in _PYLINT.findall(above)):
        return True
    return bool(names) and _disabled_for_the_module(lines, line, names)


_PYLINT_ENABLE = re.compile(r"pylint:\s*enable\s*=\s*([\w\-]+(?:\s*,\s*[\w\-]+)*)")


def _disabled_for_the_module(lines: list[str], line: int, names: frozenset[str]) -> bool:
    """A standalone ``# pylint: disable=dangerous-default-value`` at column 0 above the finding,
    with no ``enable=`` of it in between: pylint applies it to the rest of the module (apache-beam's
    ``pipeline_graph.py``, issue 21's sixteenth reading). One inside a block (indented) applies to
    that block only and is not read."""
    disabled = False
    for text in lines[:line - 1]:
        if not text.startswith("#") or "pylint" not in text:
            continue
        if any(not nxt and _lists(listed, names) for nxt, listed in _PYLINT.findall(text)):
            disabled = True
        elif any(_lists(listed, names) for listed in _PYLINT_ENABLE.findall(text)):
            disabled = False
    return disabled


def _lists(listed: str, names: frozenset[str]) -> bool:
    return any(name.strip() in names for name in listed.split(","))


def _comments(line: str) -> list[str]:
    """The comments of one source line (a ``#`` inside a string is not one). A line that does not
    tokenize alone (inside a triple-quoted string, an open bracket) gives the comments read
    before the error."""
    if "#" not in line:
        return []
    found: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if token.type == tokenize.COMMENT:
                found.append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found
