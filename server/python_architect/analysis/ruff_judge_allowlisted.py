"""Whether an ``eval``'d value is one of a fixed list the code wrote (S307, issue 21).

Owns one question of the S307 judge (``ruff_refine_judgment._s307_evaluates_code``):
``if node.id in ("True", "False", "None", "__debug__"): return eval(node.id)`` evaluates one of
four constants written in the source, never data. Pure functions of (near, call); no state.
"""

from __future__ import annotations

import ast

from .ruff_judge_nodes import enclosing_function

_CONTAINERS = (ast.Tuple, ast.List, ast.Set)


def eval_of_allowlisted(near: list[ast.AST], call: ast.Call) -> bool:
    """``eval(x)`` in the body (not the ``else``) of an ``if`` in its own function whose test
    (or an operand of its ``and``) is ``x in <literal tuple/list/set of constants>`` or
    ``x == <constant>``, with ``x`` not rebound between the test and the call. ``x in ALLOWED``
    (a name that could hold anything), ``x not in (...)``, an ``or`` and a guard in the
    ``else`` do not dominate the call and stay reported."""
    if not call.args:
        return False
    value = _dump(call.args[0])
    function = enclosing_function(near, call.lineno)
    for node in near:
        if not isinstance(node, ast.If) or not any(_holds(s, call) for s in node.body):
            continue
        if function is not None and not _holds(function, node):
            continue
        if _allows_only_literals(node.test, value) and not _rebound(node.body, call.args[0], call):
            return True
    return False


def _allows_only_literals(test: ast.expr, value: str) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_allows_only_literals(operand, value) for operand in test.values)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and _dump(test.left) == value):
        return False
    operator, right = test.ops[0], test.comparators[0]
    if isinstance(operator, ast.In):
        return isinstance(right, _CONTAINERS) and bool(right.elts) and all(
            isinstance(e, ast.Constant) for e in right.elts)
    return isinstance(operator, ast.Eq) and isinstance(right, ast.Constant)


def _rebound(body: list[ast.stmt], value: ast.expr, call: ast.Call) -> bool:
    """A name of ``value`` is assigned in ``body`` before the call (``x = data; eval(x)``)."""
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names \
                    and (node.lineno, node.col_offset) < (call.lineno, call.col_offset):
                return True
    return False


def _dump(node: ast.expr) -> str:
    return ast.dump(node, include_attributes=False)


def _holds(outer: ast.AST, inner: ast.AST) -> bool:
    return ((outer.lineno, outer.col_offset) <= (inner.lineno, inner.col_offset)  # type: ignore[attr-defined]
            and (outer.end_lineno or 0, outer.end_col_offset or 0)  # type: ignore[attr-defined]
            >= (inner.end_lineno or 0, inner.end_col_offset or 0))  # type: ignore[attr-defined]
