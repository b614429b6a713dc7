"""Whether a logging call's message is built only when it will be emitted, for G004 (issue 21).

Owns two facts ``ruff_judge_logging._g004_one_off`` asks about a ``log.debug(f"...")`` in a loop:
that it sits under a level guard (``if logger.isEnabledFor(logging.DEBUG):``, a name bound from
such a test, or a helper that is that test), and that it runs per failure, not per pass (in an
``except`` handler of a retry loop). Pure functions of (near, lines, call); no state. ``near`` is
the nodes around the finding (``ruff_refine.nodes_spanning``); a batch's tree holds only the
statements around the findings, so a helper defined elsewhere in the file is read from ``lines``.
"""

from __future__ import annotations

import ast
import re

from .ruff_judge_nodes import assigned_values, enclosing_function, name_of

_LEVEL_TEST_METHOD = "isEnabledFor"
_LEVEL_HELPER = re.compile(r"^_*(is_?\w*debug\w*_?enabled|\w*_?enabled_?for)$", re.IGNORECASE)
"""A helper named for the test: ``is_debug_log_enabled``, ``_debug_enabled_for``, ``enabled_for``."""
_STATEMENT_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_LEVEL_NAMES = frozenset({"NOTSET", "DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "TRACE"})
_FLAG_ATTRIBUTE = re.compile(r"debug|trace|verbose", re.IGNORECASE)
"""An attribute the user sets to ask for diagnostics (``self.trace_enabled``, ``options.debug``)."""
_AT_MOST = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Eq: ast.Eq}
"""``level <op> LEVEL`` that means "at least this verbose" -> the same test written the other way round."""


def level_guarded(near: list[ast.AST], lines: list[str], call: ast.Call) -> bool:
    """``call`` is in the body (not the ``else``) of an ``if`` in its own function whose test
    implies the level is on: ``if log.isEnabledFor(logging.DEBUG):`` (any receiver, any level),
    ``if debug:`` where every value the function binds to ``debug`` is such a test (hoisted out of
    the loop), ``if is_debug_log_enabled():`` (a helper named for it, or a module-level function
    of this file whose one statement returns such a test), or any of these as an operand of
    ``and``. A comparison of the logger's level with a level constant guards too
    (``if self.logger.level <= logging.DEBUG:``, ``logger.getEffectiveLevel() < logging.INFO``),
    and so does an attribute flag named for diagnostics (``if self.trace_enabled:``,
    ``if options.debug is True:``: the user's switch, read on slack-sdk). A bare ``if verbose:``
    (a name or parameter, not an attribute), ``if not log.isEnabledFor(...)``, a ``level >
    DEBUG`` test and an ``or`` do not guard."""
    function = enclosing_function(near, call.lineno)
    for node in near:
        if not isinstance(node, ast.If) or not any(_holds(s, call) for s in node.body):
            continue
        if function is not None and not _holds(function, node):
            continue  # an ``if`` around the def guards its definition, not its calls
        if _implies_level_on(node.test, function, lines):
            return True
    return False


def _implies_level_on(test: ast.expr, function: ast.AST | None, lines: list[str]) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_implies_level_on(value, function, lines) for value in test.values)
    if isinstance(test, ast.Call):
        return _is_level_test(test) or _is_level_helper(test, lines)
    if isinstance(test, ast.Name):
        values = assigned_values(function, test.id) if function is not None else [None]
        return bool(values) and all(isinstance(v, ast.Call) and _is_level_test(v) for v in values)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compares_level(test) or (_is_true(test) and _is_flag_attribute(test.left))
    return _is_flag_attribute(test)


def _compares_level(test: ast.Compare) -> bool:
    """``<x>.level <= logging.DEBUG`` (``<``, ``==``; an int too), or the same written the other way."""
    op, left, right = type(test.ops[0]), test.left, test.comparators[0]
    if op in _AT_MOST and _reads_level(left) and _is_level_constant(right):
        return True
    return op in _AT_MOST.values() and _reads_level(right) and _is_level_constant(left)


def _reads_level(node: ast.expr) -> bool:
    """``<x>.level`` or ``<x>.getEffectiveLevel()``."""
    if isinstance(node, ast.Call):
        return not node.args and isinstance(node.func, ast.Attribute) and node.func.attr == "getEffectiveLevel"
    return isinstance(node, ast.Attribute) and node.attr == "level"


def _is_level_constant(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    return name_of(node) in _LEVEL_NAMES


def _is_true(test: ast.Compare) -> bool:
    comparator = test.comparators[0]
    return (isinstance(test.ops[0], (ast.Is, ast.Eq)) and isinstance(comparator, ast.Constant)
            and comparator.value is True)


def _is_flag_attribute(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and bool(_FLAG_ATTRIBUTE.search(node.attr))


def _is_level_test(call: ast.Call) -> bool:
    """``<anything>.isEnabledFor(<level>)``."""
    return isinstance(call.func, ast.Attribute) and call.func.attr == _LEVEL_TEST_METHOD


def _is_level_helper(call: ast.Call, lines: list[str]) -> bool:
    name = name_of(call.func)
    if not name or call.args or call.keywords:
        return False
    return bool(_LEVEL_HELPER.match(name)) or _returns_level_test(name, lines)


def _returns_level_test(name: str, lines: list[str]) -> bool:
    """A module-level ``def name():`` in this file whose body (after a docstring) is one
    ``return <x>.isEnabledFor(...)``. Read from the text: a batch's tree may not hold it."""
    header = re.compile(rf"^(async\s+)?def\s+{re.escape(name)}\s*\(\s*\)\s*(->[^:]*)?:\s*(#.*)?$")
    for index, line in enumerate(lines):
        if not header.match(line):
            continue
        body = "\n".join(lines[index:index + 12])
        try:
            tree = ast.parse(_first_def(body))
        except SyntaxError:
            return False
        function = tree.body[0] if tree.body else None
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        statements = [s for s in function.body
                      if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        return (len(statements) == 1 and isinstance(statements[0], ast.Return)
                and isinstance(statements[0].value, ast.Call) and _is_level_test(statements[0].value))
    return False


def _first_def(text: str) -> str:
    """The first definition of ``text`` alone: its header and the indented lines under it."""
    kept = text.splitlines()[:1]
    for line in text.splitlines()[1:]:
        if line.strip() and not line[:1].isspace():
            break
        kept.append(line)
    return "\n".join(kept)


def per_failure(near: list[ast.AST], call: ast.Call) -> bool:
    """The innermost loop around ``call`` in its function reaches it only through an ``except``
    handler inside that loop (``while ttl > 0: try: ... except MovedError: log.debug(f"...")``):
    the message is built once per error caught, next to which it costs nothing, not once per
    pass. A loop inside the handler around the call repeats it and stays reported."""
    function = enclosing_function(near, call.lineno)
    loops = [n for n in near if isinstance(n, _STATEMENT_LOOPS) and any(_holds(s, call) for s in n.body)
             and (function is None or _holds(function, n))]
    if not loops:
        return False
    loop = max(loops, key=lambda n: (n.lineno, n.col_offset))
    return any(isinstance(n, ast.ExceptHandler) and _holds(loop, n) and _holds(n, call) for n in near)


def _holds(outer: ast.AST, inner: ast.AST) -> bool:
    """Whether ``inner``'s source span lies within ``outer``'s."""
    return ((outer.lineno, outer.col_offset) <= (inner.lineno, inner.col_offset)  # type: ignore[attr-defined]
            and (outer.end_lineno or 0, outer.end_col_offset or 0)  # type: ignore[attr-defined]
            >= (inner.end_lineno or 0, inner.end_col_offset or 0))  # type: ignore[attr-defined]
