"""Whether an ``eval``'d attribute holds a code object its own class compiled (S307, issue 21).

Owns one question of the S307 judge (``ruff_refine_judgment``): ``eval(self._code, ...)`` where
every value the class ever stores in ``self._code`` is a ``compile(...)`` result, directly, through
a local of the method, or through an ``__init__`` parameter that every construction of the class
in the module (``Expression(text, code)``, ``cls(...)``) fills with one (pytest's
``Expression.compile`` builds the code object from its own syntax tree; ``evaluate`` runs it).
The judge already drops ``eval`` of a local ``compile(...)``; this follows the attribute to the
assignments in its class. Any store we cannot read (an unpacking, ``+=``, a construction with
``*args``, a parameter no construction in the module fills) keeps the finding. Pure functions
of the module's lines; nothing is kept.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .ruff_judge_nodes import assigned_values, module_tree, name_of, walk_statements

_METHODS = (ast.FunctionDef, ast.AsyncFunctionDef)


def holds_compiled_code(lines: list[str], value: ast.expr, line: int) -> bool:
    """``value`` (the first argument of the ``eval`` on ``line``) is ``self.<name>`` and every
    value stored there by the class around ``line`` is compiled code."""
    if not (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "self"):
        return False
    tree = module_tree(lines)
    owner = _class_around(tree, line) if tree is not None else None
    if tree is None or owner is None:
        return False
    stores = list(_stores(owner, value.attr))
    return bool(stores) and all(_compiled_store(tree, owner, method, stored) for method, stored in stores)


def _class_around(tree: ast.Module, line: int) -> ast.ClassDef | None:
    found = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
             and node.lineno <= line <= (node.end_lineno or node.lineno)]
    return max(found, key=lambda node: node.lineno) if found else None


def _stores(owner: ast.ClassDef, attribute: str) -> Iterator[tuple[ast.AST, ast.expr | None]]:
    """(method, value) for each store into ``self.<attribute>`` in the class's methods; None for a
    store whose value is not one expression."""
    for method in owner.body:
        if not isinstance(method, _METHODS):
            continue
        for node in walk_statements(method.body):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if _is_self_attribute(target, attribute):
                        yield method, node.value
                    elif any(_is_self_attribute(part, attribute) for part in ast.walk(target)):
                        yield method, None  # unpacked into it: the value is not one expression
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and _is_self_attribute(node.target, attribute):
                yield method, node.value if isinstance(node, ast.AnnAssign) else None


def _is_self_attribute(node: ast.AST, attribute: str) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == attribute
            and isinstance(node.value, ast.Name) and node.value.id == "self")


def _compiled_store(tree: ast.Module, owner: ast.ClassDef, method: ast.AST, stored: ast.expr | None) -> bool:
    if _is_compiled(stored):
        return True
    if not isinstance(stored, ast.Name):
        return False
    values = assigned_values(method, stored.id)
    if all(_is_compiled(v) for v in values):
        return True
    parameter = _parameter_position(method, stored.id)
    others = [v for v in values if v is not None]
    if parameter is None or getattr(method, "name", "") != "__init__" or not all(_is_compiled(v) for v in others):
        return False
    return _constructions_pass_compiled(tree, owner, stored.id, parameter)


def _parameter_position(method: ast.AST, name: str) -> int | None:
    """The index of parameter ``name`` among the arguments a caller passes (``self`` not counted);
    -1 for keyword-only. None when it is no parameter."""
    arguments = method.args  # type: ignore[attr-defined]
    positional = [*arguments.posonlyargs, *arguments.args][1:]
    for index, argument in enumerate(positional):
        if argument.arg == name:
            return index
    return -1 if any(argument.arg == name for argument in arguments.kwonlyargs) else None


def _constructions_pass_compiled(tree: ast.Module, owner: ast.ClassDef, name: str, position: int) -> bool:
    """Every ``Owner(...)`` in the module, and ``cls(...)`` in its methods, fills the parameter with
    compiled code (at least one such construction)."""
    seen = 0
    for scope in ast.walk(tree):  # the module, each class body and each function: every call once
        if not isinstance(scope, (ast.Module, ast.ClassDef, *_METHODS)):
            continue
        function = scope if isinstance(scope, _METHODS) else None  # a name at the top: unknown
        in_owner = scope in owner.body
        for call in walk_statements(scope.body):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and (call.func.id == owner.name or (in_owner and call.func.id == "cls"))):
                continue
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                return False
            given = next((k.value for k in call.keywords if k.arg == name), None)
            if given is None and 0 <= position < len(call.args):
                given = call.args[position]
            if given is None:
                return False
            if not (_is_compiled(given) or (isinstance(given, ast.Name)
                    and all(_is_compiled(v) for v in assigned_values(function, given.id)))):
                return False
            seen += 1
    return seen > 0


def _is_compiled(value: ast.AST | None) -> bool:
    """A call of the built-in ``compile`` (``compile(tree, "<expr>", "eval")``)."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and name_of(value.func) == "compile"
