"""S602/S604 (``shell=True``): two false-positive classes (issue 21).

S604 "call with ``shell=True``" when the callee runs nothing: ``dict(..., shell=...)``,
``settings.update(shell=...)``, a record's constructor (``Options(shell=True)``). Reported when
the callee's name says it runs something (``run``, ``exec``, ``spawn``, ``popen``, ``system``,
``command``, ``call``, ...) or is a plain function we know nothing about.

And S602/S604 on a constant command line:
The command is a string literal (or a list/tuple of them, or a literal concatenation) with
nothing interpolated but constants named as such (``f"irm {constants.Bun.WINDOWS_INSTALL_URL}|iex"``):
no input reaches the shell, so there is nothing to inject. An f-string with another
value, ``%``/``format`` of a variable, ``+`` of a name or a command held in a variable stay
reported. ``shell=`` as a key of ``dict(...)`` is data, not a flag (ansible's
``MAGIC_VARIABLE_MAPPING = dict(..., shell=(...))``). Tests: ``tests/analysis/test_ruff_refine_default.py``
(its S602/S604 rows). Pure functions of (near, lines, finding); no state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from .registry import RawFinding
from .ruff_judge_nodes import name_of, starts_at

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
        return all(isinstance(value, ast.Constant) or (isinstance(value, ast.FormattedValue) and _named_constant(value.value))
                   for value in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant_text(node.left) and _constant_text(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return bool(node.elts) and all(_constant_text(element) for element in node.elts)
    return False


def _named_constant(node: ast.expr) -> bool:
    """A value named as a constant by convention: ``INSTALL_URL``, ``constants.Bun.WINDOWS_INSTALL_URL``
    (reflex's installer line): set once in the code, not taken from input."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return len(name) > 1 and name.isupper()


def calls_spanning(near: list[ast.AST], line: int) -> list[ast.Call]:
    """Calls whose span holds ``line``, innermost (latest start) first."""
    calls = [n for n in near if isinstance(n, ast.Call) and n.lineno <= line <= (n.end_lineno or n.lineno)]
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset), reverse=True)


_RUNS_SOMETHING = re.compile(r"run|call|exec|spawn|popen|system|command|cmd|check_output|shell|process|launch|"
                             r"invoke|start|partial|sh$", re.IGNORECASE)
_RECORD_BUILDERS = frozenset({"dict", "update", "setdefault", "fromkeys", "defaultdict", "OrderedDict",
                              "SimpleNamespace", "Namespace", "namedtuple", "replace", "_replace", "evolve",
                              "set", "add_argument", "set_defaults", "append", "extend", "get", "pop"})


def s604_runs_nothing(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """True when the call carrying ``shell=`` builds data: a dict, an update, a record."""
    call = next((c for c in calls_spanning(near, finding.span.line) if any(k.arg == "shell" for k in c.keywords)), None)
    if call is None:
        return False
    name = name_of(call.func)
    if not name or _RUNS_SOMETHING.search(name):
        return False
    # A record's constructor (``Options(shell=True)``) or a mapping/namespace builder.
    return name in _RECORD_BUILDERS or name[0].isupper()


def _s604_constant_or_runs_nothing(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    return _shell_constant_command(near, lines, finding) or s604_runs_nothing(near, lines, finding)


REFINERS: dict[str, Judge] = {"S602": _shell_constant_command, "S604": _s604_constant_or_runs_nothing}
"""code -> its false-positive judge (merged into ``ruff_refine.REFINERS``)."""
