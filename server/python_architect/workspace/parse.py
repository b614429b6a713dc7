"""The one parse per file version, and the engine's own finding codes.

``parse_python`` turns text into an ``ast.Module`` or a single clear ARC900 finding (syntax
errors, null bytes, nesting too deep for the parser). ``OpenTrees`` keeps the last tree of each
document open in an editor so the next version re-parses only the statements an edit touched
(``analysis.reparse``). ARC006 is how configuration problems in ``[tool.python-architect]`` reach
the same output as every other finding.
"""

from __future__ import annotations

import ast
import gc
import logging
import re
import sys
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..analysis import ruff_bridge
from ..analysis.statement_facts import FactsMemo
from ..codes import ARC006, ARC900
from ..config import MAX_CONFIG_BYTES, ConfigError
from ..findings import Finding, Severity, Span
from ..root_paths import read_bounded

PARSE_ERROR = ARC900
log = logging.getLogger(__name__)
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
    """Parses ``text``; on failure returns ``(None, finding)`` located at the error, or
    ``(None, None)`` when the text is valid for a newer Python than the one running: the failing
    line uses newer grammar and ruff's parser reads the whole file (said once per file in the log:
    the checks that need a syntax tree do not run on it; ruff's still do)."""
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences in user code are not our finding to report.
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=str(path), type_comments=False), None
    except SyntaxError as exc:
        newer = newer_python_syntax(exc, text)
        if newer is not None and ruff_bridge.parses(text, path) is not False:
            _say_newer_once(path, newer)
            return None, None
        return None, syntax_error_finding(exc, text, path)
    except (ValueError, RecursionError, MemoryError) as exc:
        if isinstance(exc, RecursionError):
            message = "expressions are nested too deeply for the parser"
        elif isinstance(exc, MemoryError):
            message = "the file is too large for the parser"
        else:
            message = "source contains null bytes" if "null" in str(exc) else str(exc)
        return None, _finding(path, Span(1, 1, 1, 1), f"File does not parse: {message}")


_NEWER_SYNTAX: tuple[tuple[tuple[int, int], re.Pattern[str], str], ...] = (
    ((3, 12), re.compile(r"^\s*(?:async\s+)?def\s+\w+\s*\["), "type parameters (PEP 695)"),
    ((3, 12), re.compile(r"^\s*class\s+\w+\s*\["), "type parameters (PEP 695)"),
    ((3, 12), re.compile(r"^\s*type\s+\w+\s*(?:\[[^=]*\])?\s*="), "a `type` statement (PEP 695)"),
    ((3, 14), re.compile(r"^\s*except\s*\*?\s*[\w.]+\s*,[^:]*:"), "`except` of several types without parentheses (PEP 758)"),
    ((3, 14), re.compile(r"(?<![\w.'\"])[tT][rR]?['\"]"), "a template string (PEP 750)"),
)
"""Grammar a newer Python accepts, recognised on the line the running parser stops at: a file a
project's own (newer) interpreter runs is no parse problem, only one this server cannot read."""


def newer_python_syntax(exc: SyntaxError, text: str) -> str | None:
    """What newer syntax the failing line uses (``"type parameters (PEP 695), Python 3.12"``),
    or None: a real syntax error for every Python, or one this interpreter already knows."""
    lines = text.splitlines()
    line = lines[exc.lineno - 1] if exc.lineno and 0 < exc.lineno <= len(lines) else ""
    running = sys.version_info[:2]
    for version, pattern, what in _NEWER_SYNTAX:
        if running < version and pattern.search(line):
            return f"{what}, Python {version[0]}.{version[1]}"
    if running < (3, 12) and (exc.msg or "").startswith("f-string"):
        return "an f-string as Python 3.12 reads it (PEP 701), Python 3.12"
    return None


_SAID_NEWER: set[Path] = set()
"""Files already said to use newer syntax. Owner: this module; it only grows by one path per
file, and a set's ``add`` is atomic under the GIL, so no lock: at worst a path is said twice."""


def _say_newer_once(path: Path, newer: str) -> None:
    if path not in _SAID_NEWER:
        _SAID_NEWER.add(path)
        log.warning("%s: not analysed: it uses %s, and this server runs Python %d.%d; ruff's checks "
                    "still run (run the server on that Python to check the rest)", path, newer, *sys.version_info[:2])


_TEMPLATE_MARKUP = re.compile(r"\{\{|\{%")
"""Jinja/cookiecutter markup: ``{{ cookiecutter.x }}``, ``{% if %}``."""
_STRING_LITERAL = re.compile(r"""[rRbBuUfF]{0,2}(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*')""")
_TEMPLATE_FOLDER = re.compile(r"\{\{.*\}\}")


def is_template_file(error: Finding, text: str, relative: Path) -> bool:
    """The parse ``error`` is in a template that is Python only once rendered (issue 21: a
    cookiecutter project's ``{% if cookiecutter.use_x %}`` line): the failing line holds template
    markup outside its string literals (``f"{{"`` and ``"{% raw %}"`` are Python), or the file
    sits under a ``{{cookiecutter.project_slug}}`` folder (``relative``: its path from the root).
    For a workspace check only: a file being edited keeps its ARC900 (a half-typed line)."""
    if any(_TEMPLATE_FOLDER.search(part) for part in relative.parts):
        return True
    lines = text.splitlines()
    line = lines[error.span.line - 1] if 0 < error.span.line <= len(lines) else ""
    return _TEMPLATE_MARKUP.search(_STRING_LITERAL.sub("", line)) is not None


_SAID_TEMPLATES: set[bool] = set()
"""Whether the template skip was said (said once per process, each file in the debug log)."""
_SAID_FIXTURES: set[bool] = set()
"""Whether the skip of test files that do not parse was said (the same way)."""


def say_template_skipped(path: Path) -> None:
    _say_skipped_once(_SAID_TEMPLATES, path, "holds template markup",
                      "%s and any other file holding template markup ({{ }} / {%% %%}) where it fails to parse: "
                      "not analysed, no parse error reported (a template is Python only once rendered; "
                      "the editor still shows the error in an open file)")


def say_test_fixture_skipped(path: Path) -> None:
    _say_skipped_once(_SAID_FIXTURES, path, "test code that does not parse",
                      "%s and any other test file that fails to parse: not analysed, no parse error reported "
                      "(test data broken on purpose; `in-tests = true` in [tool.python-architect.options.ARC900] "
                      "reports them; the editor still shows the error in an open file)")


def _say_skipped_once(said: set[bool], path: Path, why: str, warning: str) -> None:
    """Each file in the debug log; the first of its kind in this process as a warning."""
    log.debug("%s: %s: its parse error is not reported", path, why)
    if not said:
        said.add(True)
        log.warning(warning, path)


class OpenTrees:
    """The last tree parsed for each open document, to splice the next version into.

    Owner: one ``Project``, under its locking rule (one analysis at a time per project: the
    language server holds the folder lock, the MCP server its own). A kept tree is *taken* by the
    parse that uses it, because splicing moves its nodes in place; only the finished analysis
    ``keep``s the new tree, so a failed analysis leaves nothing half-changed behind. A version
    that does not parse keeps the last good tree for the next one. Bounded: at most
    ``MAX_TEXT`` characters of source behind the kept trees (a tree takes ~30x its text), least
    recently used dropped first.
    """

    MAX_TEXT = 1_000_000

    def __init__(self) -> None:
        self._kept: OrderedDict[Path, tuple[Sequence[str], int, ast.Module, FactsMemo]] = OrderedDict()
        self._text_size = 0

    def parse(self, path: Path, text: str, lines: Sequence[str]) -> tuple[ast.Module | None, Finding | None, FactsMemo | None]:
        """``parse_python(text, path)``, re-parsing only what changed since the kept tree, and
        the facts pass's memo of the statements it reuses (empty after a whole parse; None for a
        text too large to keep, whose walk need not record anything)."""
        from ..analysis.reparse import splice_parse

        kept = self._take(path)
        if kept is not None:
            old_lines, size, old_tree, memo = kept
            tree = splice_parse(old_lines, old_tree, lines)
            if tree is not None:
                return tree, None, memo
            # The splice leaves the old tree untouched when it gives up: it stays the last good one.
            self._put(path, old_lines, size, old_tree, memo)
        return (*parse_python(text, path), FactsMemo() if len(text) <= self.MAX_TEXT else None)

    def keep(self, path: Path, text: str, lines: Sequence[str], tree: ast.Module, memo: FactsMemo) -> None:
        """``tree`` is what ``lines`` of ``path`` parse to (``memo`` its facts pass's), and no
        one else will use them."""
        self._take(path)
        if len(text) <= self.MAX_TEXT:
            self._put(path, lines, len(text), tree, memo)

    def forget(self, path: Path) -> None:
        self._take(path)

    def _take(self, path: Path) -> tuple[Sequence[str], int, ast.Module, FactsMemo] | None:
        kept = self._kept.pop(path, None)
        if kept is not None:
            self._text_size -= kept[1]
        return kept

    def _put(self, path: Path, lines: Sequence[str], size: int, tree: ast.Module, memo: FactsMemo) -> None:
        self._kept[path] = (lines, size, tree, memo)
        self._text_size += size
        while self._text_size > self.MAX_TEXT:
            _, (_, dropped, _, _) = self._kept.popitem(last=False)
            self._text_size -= dropped


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
        try:  # bounded, regular files only: the error may be that it is a FIFO (``config``)
            text = read_bounded(finding.path, MAX_CONFIG_BYTES).decode("utf-8", errors="replace")
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
