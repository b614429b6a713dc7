"""False-positive judges for curated ruff codes of the default (core) tier (issue 21).

Each judge gets the nodes around a finding's line (``ruff_refine.nodes_spanning``), the file's
lines and the finding, and answers True when the finding is a known false positive. The table
``REFINERS`` is merged into ``ruff_refine.REFINERS`` (one table, one entry per code); this module
imports nothing from it, so there is no cycle. The classes, each with a test holding the false
positive and its true twin (``tests/analysis/test_ruff_refine_default.py``):

- **B006** on a signature nobody mutates: the body never mutates, returns, yields, stores,
  aliases, captures or hands the argument to a call other than a few pure built-ins (``len``,
  ``sorted``, ``isinstance``...). Reading it by truth test, iteration, ``in``, indexing for a
  comparison or an f-string, copying it (``{**d}``, ``[*xs]``, ``list(xs)``), or read-only methods
  (``get``, ``keys``, ``items``...) is not the
  bug B006 exists for: nothing is shared between calls if nothing changes. A default read only
  by ``inspect`` (the body is ``pass``) is the common case. ``locals()``/``vars()`` in the body
  keep the finding.
- **S602/S604** ``shell=True`` on a constant command line: the command is a string literal (or a
  list/tuple of them, or a literal concatenation) with nothing interpolated: no input reaches
  the shell, so there is nothing to inject. An f-string with a value, ``%``/``format`` of a
  variable, ``+`` of a name or a command held in a variable stay reported.

(S113 inside ``if __name__ == "__main__":`` and in entry-point files is silenced by the context
rules, ``analysis.context.SILENT_IN_SCRIPTS``, like the other script-only codes.)
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .registry import RawFinding

Judge = Callable[[list[ast.AST], list[str], RawFinding], bool]


def _char_column(line: str, byte_offset: int) -> int:
    """1-based character column for an ast byte offset into ``line`` (ruff counts characters)."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


def _starts_at(node: ast.AST, lines: list[str], line: int, column: int) -> bool:
    lineno = getattr(node, "lineno", None)
    if lineno != line or not 0 < line <= len(lines):
        return False
    return _char_column(lines[line - 1], node.col_offset) == column  # type: ignore[attr-defined]


# --- B006 -------------------------------------------------------------------------------------

_PURE_BUILTINS = frozenset({
    "len", "bool", "isinstance", "issubclass", "repr", "str", "hash", "id", "type",
    # These copy or only read what they are given: the default itself is never changed.
    "list", "tuple", "set", "frozenset", "dict", "sorted", "any", "all", "sum", "min", "max",
    "enumerate", "zip", "reversed",
})
_READ_METHODS = frozenset({"get", "keys", "values", "items", "copy", "count", "index", "startswith", "endswith"})
_REFLECTION = frozenset({"locals", "vars", "eval", "exec"})
_TRANSPARENT = (ast.BoolOp, ast.IfExp, ast.Subscript, ast.Starred)
"""Wrappers whose value may be the argument (or a part of it): safe only where they are used safely."""


def _b006_never_mutated(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    found = _parameter_of_default(near, lines, finding.span.line, finding.span.column)
    if found is None:
        return False
    function, name = found
    return _only_read(function, name)


def _parameter_of_default(near: list[ast.AST], lines: list[str], line: int,
                          column: int) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, str] | None:
    for node in near:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
        pairs += [(arg, default) for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults)
                  if default is not None]
        for arg, default in pairs:
            if _starts_at(default, lines, line, column):
                return node, arg.arg
    return None


def _only_read(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether every use of ``name`` in the body leaves the object as it was and keeps it inside
    this call (no alias, no return, no store, no capture, no call that could keep or change it)."""
    parents: dict[int, ast.AST] = {}
    uses: list[ast.Name] = []
    for statement in function.body:
        for node in ast.walk(statement):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
            if isinstance(node, ast.Name) and node.id == name:
                uses.append(node)
            elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
                return False
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in _REFLECTION):
                return False  # ``locals()`` hands every argument on
    return all(_read_only_use(use, parents, function) for use in uses)


def _read_only_use(node: ast.Name, parents: dict[int, ast.AST], function: ast.AST) -> bool:
    if not isinstance(node.ctx, ast.Load):
        return False  # rebinding or deleting the name: too clever to judge, keep the finding
    # A nested function, lambda or class that mentions it captures it (a closure outlives the call).
    scope = parents.get(id(node))
    while scope is not None and scope is not function:
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        scope = parents.get(id(scope))
    return _safe_position(node, parents)


def _safe_position(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    parent = parents.get(id(node))
    if parent is None:
        return False
    if isinstance(parent, (ast.Compare, ast.FormattedValue, ast.Assert)):
        return True
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, (ast.If, ast.While)) and parent.test is node:
        return True
    if isinstance(parent, ast.IfExp) and parent.test is node:
        return True
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
        return True
    if isinstance(parent, ast.comprehension) and node in parent.ifs:
        return True
    if isinstance(parent, ast.Call):
        return (node in parent.args and isinstance(parent.func, ast.Name)
                and parent.func.id in _PURE_BUILTINS)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        call = parents.get(id(parent))
        # ``default.get(key)`` may hand out a part of the default: as safe as its own use.
        return (isinstance(call, ast.Call) and call.func is parent and parent.attr in _READ_METHODS
                and _safe_position(call, parents))
    if isinstance(parent, ast.Dict) and any(key is None and value is node
                                             for key, value in zip(parent.keys, parent.values)):
        return True  # ``{**default}`` is a copy
    if (isinstance(parent, ast.Starred) and isinstance(parents.get(id(parent)), (ast.List, ast.Tuple, ast.Set))):
        return True  # ``[*default]`` is a copy
    if isinstance(parent, ast.Subscript):
        if parent.value is not node:
            return True  # used as an index: ``table[key]`` reads ``key``
        return isinstance(parent.ctx, ast.Load) and _safe_position(parent, parents)
    if isinstance(parent, _TRANSPARENT):
        return _safe_position(parent, parents)
    return False


# --- S602 / S604 -------------------------------------------------------------------------------

def _shell_constant_command(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    calls = [node for node in near if isinstance(node, ast.Call)
             and any(k.arg == "shell" for k in node.keywords)
             and _starts_at(node, lines, finding.span.line, finding.span.column)]
    if not calls:
        return False
    call = min(calls, key=lambda c: (c.end_lineno or 0, c.end_col_offset or 0))  # the innermost
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


REFINERS: dict[str, Judge] = {
    "B006": _b006_never_mutated,
    "S602": _shell_constant_command,
    "S604": _shell_constant_command,
}
"""code -> its false-positive judge (merged into ``ruff_refine.REFINERS``)."""
