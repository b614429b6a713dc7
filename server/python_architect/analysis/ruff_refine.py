"""Ruff findings we know to be wrong, dropped with the parse we already have (issue 8).

Owns three false-positive classes of curated ruff rules, each judged on the syntax tree of the
file ruff looked at (never on ruff's message text):

- TRY400 "use ``logging.exception``" inside a handler whose last statement is a bare ``raise``:
  the exception and its traceback travel on; logging the traceback too would print it twice.
- B019 "``lru_cache`` on a method leaks" when the cache has an explicit, finite ``maxsize``:
  a bounded cache holds at most that many instances alive, which is a choice, not a leak.
  ``functools.cache`` and ``maxsize=None`` stay reported.
- S608 "SQL built from strings" when every interpolated value sits inside identifier quotes
  (``"..."``, `````...````` or ``[...]``) or is the result of a quoting call (``quote_identifier(t)``,
  ``preparer.quote(name)``): a table or column name, not a value. A value in single quotes, or
  bare, stays reported.

More classes live in their own modules and are merged into ``REFINERS`` here: the ruff codes'
(``ruff_refine_default``: B006, opt-in since issue 21, refined where a team adopts it;
``ruff_refine_shell``: S602/S604 constant commands and S604 calls that run nothing;
``ruff_refine_timeout``: S113), security
(``ruff_refine_security``: S506 safe loaders) and the judgment tier's
(``ruff_refine_judgment``: TRY400's ``exc_info=``, S608's text that is no statement, S301,
BLE001, G004, T201, ...; ``ruff_judge_random``: S311). A judge that follows the file's imports (S506) or reads its package's
siblings (``ruff_refine_launched``: S301 in a worker the package launches;
``ruff_refine_cli_helper``: S113 in a helper only command-line code calls) sits in
``WORKSPACE_REFINERS`` and is given the file's path and the workspace root. Before any judge, a
finding whose line carries another linter's suppression of the same check (``# pylint:
disable=method-cache-max-size-none`` on a B019, ``# nosec B307``) is dropped
(``ruff_refine_suppressed``).

Also owns our own fix for S113 (``timeout_fixes``: "add ``timeout=``"), made on the same parse.
``post_process`` is what the engine and the batch call after ruff: this refinement, then that fix. Pure functions of (tree, lines, findings); no state.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from ..findings import Fix, Span, TextEdit
from . import (
    ruff_refine_cli_helper,
    ruff_refine_default,
    ruff_refine_deliberate,
    ruff_refine_driven,
    ruff_refine_launched,
    ruff_refine_scope,
    ruff_refine_security,
    ruff_refine_shell,
    ruff_refine_suppressed,
    ruff_refine_timeout,
)
from . import ruff_refine_judgment as judgment
from .registry import RawFinding

_IDENTIFIER_QUOTES = {'"': '"', "`": "`", "[": "]"}
_QUOTING_CALL = re.compile(r"^(quote(_?(ident|identifier|name|table|column|schema))?s?|"
                           r"format_(table|column|sequence|schema|index|constraint|label|alias))$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdr]|\{[^{}]*\}")


def needs_tree(findings: list[RawFinding]) -> bool:
    """Whether ``post_process`` has work that needs the file's parse."""
    return any(f.code in REFINED or (f.code == "S113" and f.fix is None) for f in findings)


def post_process(tree: ast.AST, lines: list[str], findings: list[RawFinding],
                 path: Path | None = None, root: Path | None = None) -> list[RawFinding]:
    """Ruff's findings for one file judged on its parse: false positives dropped, S113 fixed.
    ``path`` and the workspace ``root``: for judges that follow the file's imports into modules
    inside the root (either None: the file alone)."""
    findings = ruff_refine_suppressed.without_ruff_ignored(lines, findings)  # ruff's own ignore comments naming a rule
    return timeout_fixes(tree, lines, refine(tree, lines, findings, path, root))


def refine(tree: ast.AST, lines: list[str], findings: list[RawFinding],
           path: Path | None = None, root: Path | None = None) -> list[RawFinding]:
    """``findings`` without the known false positives above (the same list when none apply)."""
    wanted = [f for f in findings if f.code in REFINED]
    if not wanted:
        return findings
    # One pruned walk for all of them: the nodes around their lines (a whole-tree walk per finding
    # cost tens of milliseconds on a large file with many).
    near = list(nodes_spanning(tree, sorted({f.span.line for f in wanted})))
    where = (path, root) if path is not None and root is not None else None
    false = {id(f) for f in wanted if _is_false_positive(near, lines, f, where)}
    return [f for f in findings if id(f) not in false] if false else findings


def _is_false_positive(near: list[ast.AST], lines: list[str], finding: RawFinding,
                       where: tuple[Path, Path] | None) -> bool:
    """``near``: every node whose span holds the line of a finding being judged."""
    if ruff_refine_suppressed.suppressed_elsewhere(lines, finding):
        return True  # ``# pylint: disable=eval-used``: the team's decision, made with another tool
    judge = REFINERS.get(finding.code)
    if judge is not None and judge(near, lines, finding):
        return True
    follows = WORKSPACE_REFINERS.get(finding.code)
    return follows is not None and follows(near, lines, finding, where)


def _try400_traceback_travels_on(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    handler = _innermost_handler(near, finding.span.line)
    if handler is None:
        return False
    call = judgment.call_at(near, lines, finding.span.line, finding.span.column)
    return _ends_in_bare_raise(handler) or judgment.try400_travels_on(near, handler, call)


def _b019_bounded(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    return any(_bounded_cache(decorator) or judgment.b019_default_bound(decorator)
               for decorator in _decorators_on(near, finding.span.line)) or judgment.b019_class_level(near, finding.span.line)


def _s608_identifiers_only(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    node = _expression_at(near, lines, finding.span.line, finding.span.column)
    return node is not None and (_only_quoted_identifiers(node) or judgment.s608_not_injection(node, near, lines))


Refiner = Callable[[list[ast.AST], list[str], RawFinding], bool]
"""Judges one finding on the nodes around its line: True when it is a known false positive."""

REFINERS: dict[str, Refiner] = {
    "TRY400": _try400_traceback_travels_on,
    "B019": _b019_bounded,
    "S608": _s608_identifiers_only,
}
"""code -> its false-positive judge. One entry per code; a code's judge may consult several classes."""
REFINERS.update(ruff_refine_default.REFINERS)  # the default tier's classes (issue 21)
REFINERS.update(ruff_refine_timeout.REFINERS)  # S113: the caller's timeout, or none on purpose
REFINERS.update(ruff_refine_shell.REFINERS)  # S602/S604: a constant command line
REFINERS.update(judgment.REFINERS)  # the judgment tier's codes (issue 21)


REFINERS.update(ruff_refine_driven.with_driven(REFINERS))  # blocking calls in a coroutine run alone
REFINERS.update(ruff_refine_driven.or_into(REFINERS, ruff_refine_deliberate.REFINERS))  # os._exit next
REFINERS.update(ruff_refine_scope.with_scope(REFINERS))  # S113 in a CLI command, B006 of a nested def

WorkspaceRefiner = Callable[[list[ast.AST], list[str], RawFinding, "tuple[Path, Path] | None"], bool]
"""A judge that may also read modules the file imports from its own package, given ``(path, root)``
(None: the file alone); it reads nothing outside the root."""

WORKSPACE_REFINERS: dict[str, WorkspaceRefiner] = {**ruff_refine_security.WORKSPACE_REFINERS,
                                                   **ruff_refine_launched.WORKSPACE_REFINERS,
                                                   **ruff_refine_cli_helper.WORKSPACE_REFINERS}

REFINED = frozenset(REFINERS) | frozenset(WORKSPACE_REFINERS) | ruff_refine_suppressed.SUPPRESSIBLE
"""Codes whose findings are worth a parse to refine (the batch parses again only for these)."""


# --- TRY400 -----------------------------------------------------------------------------------

def _innermost_handler(near: list[ast.AST], line: int) -> ast.ExceptHandler | None:
    found = None
    for node in near:
        if (isinstance(node, ast.ExceptHandler) and node.body
                and node.body[0].lineno <= line <= (node.end_lineno or node.lineno)
                and (found is None or node.lineno >= found.lineno)):
            found = node  # the innermost handler: the latest-starting one around the line
    return found


def _ends_in_bare_raise(handler: ast.ExceptHandler) -> bool:
    last = handler.body[-1]
    return isinstance(last, ast.Raise) and last.exc is None


# --- B019 -------------------------------------------------------------------------------------

def _decorators_on(near: list[ast.AST], line: int) -> Iterator[ast.expr]:
    for node in near:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if decorator.lineno <= line <= (decorator.end_lineno or decorator.lineno):
                    yield decorator


def _bounded_cache(decorator: ast.expr) -> bool:
    """``lru_cache(maxsize=N)`` / ``lru_cache(N)`` with N a finite number (not None, not a name
    we cannot see: a variable may well hold None)."""
    if not isinstance(decorator, ast.Call) or _name_of(decorator.func) != "lru_cache":
        return False
    size = next((k.value for k in decorator.keywords if k.arg == "maxsize"), None)
    if size is None and decorator.args:
        size = decorator.args[0]
    return (isinstance(size, ast.Constant) and isinstance(size.value, int)
            and not isinstance(size.value, bool))


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


# --- S608 -------------------------------------------------------------------------------------

def _expression_at(near: list[ast.AST], lines: list[str], line: int, column: int) -> ast.expr | None:
    """The outermost expression starting at ruff's 1-based character position."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    best = None
    for node in near:
        if isinstance(node, ast.expr) and node.lineno == line:
            start = len(text.encode("utf-8")[:node.col_offset].decode("utf-8", errors="replace")) + 1
            if start == column and (best is None or _size(node) > _size(best)):
                best = node
    return best


def _size(node: ast.expr) -> tuple[int, int]:
    return (node.end_lineno or node.lineno, node.end_col_offset or 0)


def _only_quoted_identifiers(node: ast.expr) -> bool:
    """Whether every value put into the SQL text is an identifier in quotes (at least one)."""
    if isinstance(node, ast.JoinedStr):
        return _pieces_quoted(list(node.values))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces_quoted(_flatten_add(node))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_str(node.left):
        return _placeholders_quoted(node.left.value)  # type: ignore[attr-defined]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and _is_str(node.func.value)):
        return _placeholders_quoted(node.func.value.value)  # type: ignore[attr-defined]
    return False


def _flatten_add(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _flatten_add(node.left) + _flatten_add(node.right)
    if isinstance(node, ast.JoinedStr):
        return list(node.values)
    return [node]


def _pieces_quoted(pieces: list[ast.expr]) -> bool:
    """Literal text and values in order: each value needs identifier quotes around it in the
    neighbouring text, or must come out of a quoting call."""
    values = 0
    for index, piece in enumerate(pieces):
        if _is_str(piece):
            continue
        values += 1
        value = piece.value if isinstance(piece, ast.FormattedValue) else piece
        if isinstance(value, ast.Call) and _QUOTING_CALL.match(_name_of(value.func)):
            continue
        before = pieces[index - 1] if index > 0 else None
        after = pieces[index + 1] if index + 1 < len(pieces) else None
        if not (_is_str(before) and _is_str(after)):
            return False
        # The quotes must touch the value: `"{t}"`, not `"x" {t} "y"`.
        opening, closing = before.value[-1:], after.value[:1]  # type: ignore[union-attr]
        if not opening or _IDENTIFIER_QUOTES.get(opening) != closing:
            return False
    return values > 0


def _placeholders_quoted(template: str) -> bool:
    found = list(_PLACEHOLDER.finditer(template))
    if not found:
        return False
    for match in found:
        opening = template[match.start() - 1:match.start()]
        closing = template[match.end():match.end() + 1]
        if not opening or _IDENTIFIER_QUOTES.get(opening) != closing:
            return False
    return True


def _is_str(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


# --- our own fix for S113 -----------------------------------------------------------------

def _char_column(line: str, byte_offset: int) -> int:
    """1-based character column for an ast byte offset into ``line``."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def timeout_fixes(tree: ast.AST, lines: list[str], findings: list[RawFinding], seconds: int = 10) -> list[RawFinding]:
    """Adds "add `timeout=`" fixes to S113 findings that have none (one walk, only when needed)."""
    wanted = {(f.span.line, f.span.column): f for f in findings if f.code == "S113" and f.fix is None}
    if not wanted:
        return findings
    fixes: dict[tuple[int, int], Fix] = {}
    for node in _calls_on_lines(tree, sorted({line for line, _ in wanted})):
        # Ruff points at the callee, or at ``timeout=None`` when the keyword is there.
        anchors = [node.func, *(k for k in node.keywords if k.arg == "timeout")]
        for anchor in anchors:
            key = (anchor.lineno, _char_column(lines[anchor.lineno - 1], anchor.col_offset))
            if key in wanted:
                fix = _timeout_fix(node, lines, seconds)
                if fix is not None:
                    fixes[key] = fix
    return [replace(f, fix=fixes[(f.span.line, f.span.column)])
            if f.code == "S113" and (f.span.line, f.span.column) in fixes else f for f in findings]


def _calls_on_lines(tree: ast.AST, lines: list[int]) -> Iterator[ast.Call]:
    """Calls in subtrees that span one of ``lines`` (sorted)."""
    return (node for node in nodes_spanning(tree, lines) if isinstance(node, ast.Call))


def nodes_spanning(tree: ast.AST, lines: list[int]) -> Iterator[ast.AST]:
    """Every node whose span (decorators included) holds one of ``lines`` (sorted), and the module.
    This runs on every keystroke of a file with findings to judge, so subtrees far from them are
    skipped instead of walking it all."""
    stack = [tree]
    while stack:
        node = stack.pop()
        start = getattr(node, "lineno", None)
        if start is not None:
            end = getattr(node, "end_lineno", None) or start
            # Decorators sit above a definition's own line.
            start = min([start, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            at = bisect_left(lines, start)
            if at == len(lines) or lines[at] > end:
                continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _timeout_fix(call: ast.Call, lines: list[str], seconds: int) -> Fix | None:
    def position(line: int, offset: int) -> tuple[int, int]:
        return line, _char_column(lines[line - 1], offset)

    for keyword in call.keywords:
        if keyword.arg == "timeout":
            if isinstance(keyword.value, ast.Constant) and keyword.value.value is None:
                start = position(keyword.value.lineno, keyword.value.col_offset)
                end = position(keyword.value.end_lineno or keyword.value.lineno, keyword.value.end_col_offset or 0)
                return Fix(f"Set `timeout={seconds}`", (TextEdit(Span(*start, *end), str(seconds)),), safe=False)
            return None
    arguments = [*call.args, *call.keywords]
    if arguments:
        last = max(arguments, key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0))
        at = position(last.end_lineno or last.lineno, last.end_col_offset or 0)
        new_text = f", timeout={seconds}"
    else:
        if call.end_lineno is None or call.end_col_offset is None:
            return None
        at = position(call.end_lineno, call.end_col_offset - 1)
        new_text = f"timeout={seconds}"
    # Unsafe: the right timeout is a judgement call, so "fix all" leaves it to a person.
    return Fix(f"Add `timeout={seconds}`", (TextEdit(Span(*at, *at), new_text),), safe=False)
