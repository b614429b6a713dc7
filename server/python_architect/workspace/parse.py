"""The one parse per file version, and the engine's own finding codes.

``parse_python`` turns text into an ``ast.Module`` or a single clear ARC900 finding (syntax
errors, null bytes, nesting too deep for the parser). ARC006 is how configuration problems in
``[tool.python-architect]`` reach the same output as every other finding.
"""

from __future__ import annotations

import ast
import gc
import re
import warnings
from contextlib import contextmanager
from typing import Iterator
from pathlib import Path

from ..codes import ARC006, ARC900
from ..config import ConfigError
from ..findings import Finding, Severity, Span

PARSE_ERROR = ARC900
CONFIG_PROBLEM = ARC006


@contextmanager
def gc_paused() -> Iterator[None]:
    """Holds the cyclic garbage collector off while a tree is built and walked.

    A parse allocates millions of nodes that are freed by reference counting anyway; letting the
    collector traverse them on every allocation burst made a 5 MB file take 3-4x longer.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_python(text: str, path: Path) -> tuple[ast.Module | None, Finding | None]:
    """Parses ``text``; on failure returns ``(None, finding)`` located at the error."""
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences in user code are not our finding to report.
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=str(path), type_comments=False), None
    except SyntaxError as exc:
        return None, syntax_error_finding(exc, text, path)
    except (ValueError, RecursionError, MemoryError) as exc:
        if isinstance(exc, RecursionError):
            message = "expressions are nested too deeply for the parser"
        elif isinstance(exc, MemoryError):
            message = "the file is too large for the parser"
        else:
            message = "source contains null bytes" if "null" in str(exc) else str(exc)
        return None, _finding(path, Span(1, 1, 1, 1), f"File does not parse: {message}")


def syntax_error_finding(exc: SyntaxError, text: str, path: Path) -> Finding:
    line = max(exc.lineno or 1, 1)
    lines = text.splitlines()
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    column = max(exc.offset or 1, 1)
    column = min(column, len(line_text) + 1)
    end_column = column + 1 if column <= len(line_text) else column
    reason = exc.msg or "invalid syntax"
    return _finding(path, Span(line, column, line, end_column), f"File does not parse: {reason}")


def config_error_finding(error: ConfigError) -> Finding:
    return Finding(
        code=CONFIG_PROBLEM,
        message=error.message,
        severity=Severity.ERROR,
        path=error.path,
        span=Span(max(error.line, 1), 1, max(error.line, 1), 1),
        principle="knowledge",
    )


def _finding(path: Path, span: Span, message: str) -> Finding:
    return Finding(
        code=PARSE_ERROR,
        message=message,
        severity=Severity.ERROR,
        path=path,
        span=span,
        principle="knowledge",
    )


_KEY_IN_MESSAGE = re.compile(r"`([^`]+)`")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def locate_config_error(finding: Finding, text: str | None) -> Finding:
    """Moves an ARC006 finding onto the line of the key its message names, when it can be found
    inside the ``[tool.python-architect]`` tables of the pyproject text."""
    if text is None:
        try:
            text = Path(finding.path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return finding
    if finding.span.line != 1:
        return finding
    position = _TOML_POSITION.search(finding.message)
    if position is not None:
        line, column = int(position.group(1)), int(position.group(2))
        return finding.with_changes(span=Span(line, column, line, column + 1))
    match = _KEY_IN_MESSAGE.search(finding.message)
    if match is None:
        return finding
    key = match.group(1)
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.strip("[] ").startswith("tool.python-architect")
            continue
        if in_table and re.match(rf"""["']?{re.escape(key)}["']?\s*=""", stripped):
            column = line.index(stripped[0]) + 1
            return finding.with_changes(span=Span(number, column, number, column + len(key)))
    return finding
