"""S602/S604 (``shell=True``) on a constant command line: a false-positive class (issue 21).

The command is a string literal (or a list/tuple of them, or a literal concatenation) with
nothing interpolated: no input reaches the shell, so there is nothing to inject. An f-string with
a value, ``%``/``format`` of a variable, ``+`` of a name or a command held in a variable stay
reported. ``shell=`` as a key of ``dict(...)`` is data, not a flag (ansible's
``MAGIC_VARIABLE_MAPPING = dict(..., shell=(...))``). Tests: ``tests/analysis/test_ruff_refine_default.py``
(its S602/S604 rows). Pure functions of (near, lines, finding); no state.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .registry import RawFinding
from .ruff_judge_nodes import starts_at

Judge = Callable[[list[ast.AST], list[str], RawFinding], bool]


def _shell_constant_command(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    calls = [node for node in near if isinstance(node, ast.Call)
             and any(k.arg == "shell" for k in node.keywords)
             and starts_at(node, lines, finding.span.line, finding.span.column)]
    if not calls:
        return False
    call = min(calls, key=lambda c: (c.end_lineno or 0, c.end_col_offset or 0))  # the innermost
    if isinstance(call.func, ast.Name) and call.func.id == "dict":
        return True  # ``dict(shell=("ansible_shell_type",))``: a key of a mapping, nothing runs
    command = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("args", "cmd")), None)
    return command is not None and _constant_text(command)



def _constant_text(node: ast.expr) -> bool:
    """A command line no value reaches: literals only (implicit and ``+`` concatenation included)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, bytes))
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(value, ast.Constant) for value in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant_text(node.left) and _constant_text(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return bool(node.elts) and all(_constant_text(element) for element in node.elts)
    return False


REFINERS: dict[str, Judge] = {"S602": _shell_constant_command, "S604": _shell_constant_command}
"""code -> its false-positive judge (merged into ``ruff_refine.REFINERS``)."""
