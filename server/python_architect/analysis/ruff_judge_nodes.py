"""Finding the nodes a ruff finding is about, on the parse the refinements already have.

Owns the small lookups the judgment-tier judges (``ruff_refine_judgment``) share: the call or
handler ruff points at, the function and loops around a line, the names a value is assigned to,
whether a call is a logging call, and whether a handler's branch re-raises. ``near`` is every node whose span holds the finding's line
(``ruff_refine.nodes_spanning``); in a batch the tree holds only the statements around the
findings (a whole function or method), so nothing here looks above the innermost top-level
statement or class member; ``module_tree`` parses the whole file for a judge that must.
Pure functions; no state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
_LOGGER_NAME = re.compile(r"(^|_)(log|logger|logging|_log|_logger)$", re.IGNORECASE)
LOUD_LOG_METHODS = frozenset({"warning", "warn", "error", "exception", "critical", "fatal"})
"""Levels an operator sees by default: a handler logging at one of these leaves a trace."""


def char_column(line: str, byte_offset: int) -> int:
    """1-based character column for an ast byte offset into ``line``."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def starts_at(node: ast.AST, lines: list[str], line: int, column: int) -> bool:
    """Whether ``node`` starts at ruff's 1-based (line, character column)."""
    start = getattr(node, "lineno", None)
    if start != line or not 0 < line <= len(lines):
        return False
    return char_column(lines[line - 1], node.col_offset) == column  # type: ignore[attr-defined]


def calls_at(near: list[ast.AST], lines: list[str], line: int, column: int) -> list[ast.Call]:
    """Calls starting at the position, outermost first (``Path(p).resolve()`` before ``Path(p)``)."""
    found = [n for n in near if isinstance(n, ast.Call) and starts_at(n, lines, line, column)]
    return sorted(found, key=lambda n: (-(n.end_lineno or 0), -(n.end_col_offset or 0)))


def call_at(near: list[ast.AST], lines: list[str], line: int, column: int) -> ast.Call | None:
    found = calls_at(near, lines, line, column)
    return found[0] if found else None


def name_of(node: ast.AST | None) -> str:
    """The last name of a callee or target: ``f`` of ``a.b.f`` and of ``f``; "" otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def dotted(node: ast.AST | None) -> str:
    """``a.b.c`` for a chain of names, "" when the chain holds anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr}" if head else ""
    return ""


def innermost(near: list[ast.AST], line: int, kinds: tuple[type, ...]) -> ast.AST | None:
    """The latest-starting node of ``kinds`` whose span holds ``line``."""
    found = None
    for node in near:
        if not isinstance(node, kinds) or not node.lineno <= line <= (node.end_lineno or node.lineno):  # type: ignore[attr-defined]
            continue
        if found is None or (node.lineno, node.col_offset) >= (found.lineno, found.col_offset):  # type: ignore[attr-defined]
            found = node
    return found


def enclosing_function(near: list[ast.AST], line: int) -> ast.AST | None:
    return innermost(near, line, _FUNCTIONS)


def handler_at(near: list[ast.AST], line: int) -> ast.ExceptHandler | None:
    """The ``except`` clause whose header is on ``line`` (BLE001, S110 point at its type)."""
    found = [n for n in near if isinstance(n, ast.ExceptHandler)
             and n.lineno <= line <= (n.body[0].lineno - 1 if n.body else n.lineno)]
    return max(found, key=lambda n: (n.lineno, n.col_offset)) if found else None


def try_of(near: list[ast.AST], handler: ast.ExceptHandler) -> ast.Try | None:
    return next((n for n in near if isinstance(n, ast.Try) and handler in n.handlers), None)


def in_loop(near: list[ast.AST], node: ast.AST) -> bool:
    """Whether ``node`` runs once per iteration of a loop in its own function (a loop outside
    the function, around its definition, does not make each call repeat)."""
    line = node.lineno  # type: ignore[attr-defined]
    function = enclosing_function(near, line)
    for loop in near:
        if not isinstance(loop, _LOOPS) or not loop.lineno <= line <= (loop.end_lineno or loop.lineno):
            continue
        if function is not None and not _inside(loop, function):
            continue
        if isinstance(loop, (ast.For, ast.AsyncFor, ast.While)) and not any(
                s.lineno <= line <= (s.end_lineno or s.lineno) for s in loop.body):
            continue  # on the loop's own header or in its ``else``: runs once
        return True
    return False


def _inside(node: ast.AST, outer: ast.AST) -> bool:
    return (outer.lineno, outer.col_offset) <= (node.lineno, node.col_offset) and (  # type: ignore[attr-defined]
        (node.end_lineno or 0) <= (outer.end_lineno or 0))  # type: ignore[attr-defined]


def statement_around(near: list[ast.AST], node: ast.AST) -> ast.stmt | None:
    """The innermost statement holding ``node``."""
    best = None
    for candidate in near:
        scope = isinstance(candidate, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if isinstance(candidate, ast.stmt) and not scope and _inside(node, candidate) and (
                best is None or _inside(candidate, best)):
            best = candidate
    return best


def is_logging_call(call: ast.Call) -> bool:
    """``logger.error(...)``, ``self.log.warning(...)``, ``logging.info(...)``, or a bare
    ``error(...)`` / ``warning(...)`` imported from a logger (celery's ``error = logger.error``)."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS:
        return bool(_LOGGER_NAME.search(name_of(func.value))) or func.attr != "log"
    return isinstance(func, ast.Name) and func.id in _LOG_METHODS - {"log"}


def keeps_traceback(call: ast.Call) -> bool:
    """A logging call that records the traceback: ``.exception(...)`` or ``exc_info=`` something
    other than a false constant (``exc_info=e``, ``=1``, a tuple, ``=DEBUG_MODE``: a choice)."""
    if name_of(call.func) == "exception":
        return True
    for keyword in call.keywords:
        if keyword.arg == "exc_info":
            value = keyword.value
            return not (isinstance(value, ast.Constant) and not value.value)
    return False


def walk_statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node under ``body`` except inside nested functions and classes."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def assigned_values(function: ast.AST | None, name: str) -> list[ast.expr | None]:
    """Every value bound to the local ``name`` in ``function`` (None for a binding whose value is
    not one expression: a ``for`` target, an augmented assignment, a parameter...)."""
    if function is None or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [None]
    values: list[ast.expr | None] = []
    arguments = function.args
    if any(a.arg == name for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]):
        values.append(None)
    for node in walk_statements(function.body):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    values.append(node.value)
                elif any(isinstance(t, ast.Name) and t.id == name for t in ast.walk(target)):
                    values.append(None)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            values.append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr, ast.With, ast.AsyncWith)) and any(
                isinstance(t, ast.Name) and t.id == name for t in ast.walk(_bound_part(node))):
            values.append(None)
    return values


def _bound_part(node: ast.AST) -> ast.AST:
    if isinstance(node, (ast.For, ast.AsyncFor, ast.AugAssign, ast.NamedExpr)):
        return node.target
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return ast.Tuple(elts=[i.optional_vars for i in node.items if i.optional_vars is not None], ctx=ast.Load())
    return node


_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def name_words(name: str) -> set[str]:
    """Lower-case words of an identifier: ``api_key`` and ``apiKey`` both give {api, key}."""
    return {word.lower() for word in _WORD.findall(name)}


_LAST_SCAN: dict[str, tuple[list[str], bool]] = {}
"""pattern -> (the lines last scanned, whether a line matched). Owned by ``module_has``; one entry
per pattern, replaced whole (a tuple assignment), so threads refining different files at once
only ever redo a scan, never read a mixed answer."""


def module_has(lines: list[str], pattern: re.Pattern[str]) -> bool:
    """Whether any line of the module matches ``pattern``: a module-wide fact a judge needs for
    each of many findings in one file (every ``print`` of a module asks whether it is a CLI), so
    the answer for the last lines scanned is kept."""
    cached = _LAST_SCAN.get(pattern.pattern)
    if cached is not None and cached[0] is lines:
        return cached[1]
    found = any(pattern.search(line) for line in lines)
    _LAST_SCAN[pattern.pattern] = (lines, found)
    return found



def module_tree(lines: list[str]) -> ast.Module | None:
    """The whole module's parse, for a judge that must look past the statements around a finding
    (a batch refines on a tree of only those). Not kept: the judges that need it are rare (an
    ``eval`` of an attribute), and a long-lived server should not hold trees. None when the text
    does not parse."""
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def reraised_after(handler: ast.ExceptHandler, call: ast.Call) -> bool:
    """The branch that logs goes on to re-raise the caught exception (``else: log.error(...);
    raise e``, a bare ``raise`` or ``raise <the handler's own name>``, at any level between the call
    and the handler): the exception travels on with its traceback, logging it here would print it
    twice. ``raise OtherError(...)`` (no cause) and a re-raise on another branch stay reported."""
    def reraises(statement: ast.stmt) -> bool:
        return isinstance(statement, ast.Raise) and statement.cause is None and (
            statement.exc is None or (handler.name is not None and isinstance(statement.exc, ast.Name)
                                      and statement.exc.id == handler.name))

    def search(block: list[ast.stmt]) -> bool | None:  # None: the call is not in this block
        for index, statement in enumerate(block):
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if not any(node is call for node in ast.walk(statement)):
                continue
            for inner in _blocks_of(statement):
                found = search(inner)
                if found is not None:
                    return found or any(reraises(later) for later in block[index + 1:])
            return any(reraises(later) for later in block[index + 1:])
        return None

    return bool(search(handler.body))


def _blocks_of(statement: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [getattr(statement, field, None) for field in ("body", "orelse", "finalbody")]
    blocks += [h.body for h in getattr(statement, "handlers", [])]
    blocks += [case.body for case in getattr(statement, "cases", [])]
    return [block for block in blocks if isinstance(block, list) and block and isinstance(block[0], ast.stmt)]
