"""Loops over a fixed set of names written in the code (ARC502's ``different-statement-per-table``).

``for model in (TaskInstance, DagRun, Log):`` or ``for table in CLEANUP_MODELS:`` where the
constant is bound once, at module or class level, to a literal tuple/list/set of names: the
number of passes is fixed by the code (one per table, model or channel named there), not by the
data, so a statement per pass is schema-bound work, not N+1 (read on airflow, issue 21). A name
bound more than once, to a call, or to anything but names is not fixed. Pure functions of the
module's tree; no state.
"""

from __future__ import annotations

import ast

_SEQUENCES = (ast.Tuple, ast.List, ast.Set)


def walks_fixed_names(loop: ast.AST, tree: ast.AST) -> bool:
    """Whether ``loop`` iterates a literal of names, directly or through a constant bound once."""
    if not isinstance(loop, (ast.For, ast.AsyncFor)):
        return False
    iterable = loop.iter
    if isinstance(iterable, _SEQUENCES):
        return _names_only(iterable)
    if isinstance(iterable, ast.Name):
        return _constant_of_names(tree, iterable.id, attribute=False)
    if isinstance(iterable, ast.Attribute):  # ``self.MODELS``, ``cls.MODELS``, ``Cleanup.MODELS``
        return _constant_of_names(tree, iterable.attr, attribute=True)
    return False


def _names_only(literal: ast.expr) -> bool:
    """``(A, B, models.C)``: every element a name or a dotted name, at least one of them."""
    elements = literal.elts  # type: ignore[attr-defined]
    return bool(elements) and all(_is_dotted(e) for e in elements)


def _is_dotted(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _constant_of_names(tree: ast.AST, name: str, *, attribute: bool) -> bool:
    """``name`` has exactly one binding in the module, a module- or class-level assignment of a
    literal of names (``attribute``: the constant is read as ``self.name``, so it must be a
    class-level one and no ``x.name = ...`` may rebind it)."""
    bindings: list[ast.AST] = []
    constants: list[ast.expr] = []
    # A bare name in a function reads a module constant; ``self.name`` a class attribute.
    scopes: list[list[ast.stmt]] = [] if attribute or not isinstance(tree, ast.Module) else [tree.body]
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and attribute:
            scopes.append(node.body)
        for target in _targets(node):
            if (isinstance(target, ast.Name) and target.id == name) or (
                    isinstance(target, ast.Attribute) and target.attr == name):
                bindings.append(target)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not attribute:
            arguments = node.args
            if any(a.arg == name for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]):
                return False  # a parameter of that name shadows the constant somewhere
    for body in scopes:
        for statement in body:
            value = _assigned(statement, name)
            if value is not None:
                constants.append(value)
    return len(bindings) == 1 and len(constants) == 1 and isinstance(constants[0], _SEQUENCES) \
        and _names_only(constants[0])


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return [t for target in node.targets for t in _unpacked(target)]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
        return _unpacked(node.target)
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [t for item in node.items if item.optional_vars is not None for t in _unpacked(item.optional_vars)]
    if isinstance(node, ast.comprehension):
        return _unpacked(node.target)
    return []


def _unpacked(target: ast.expr) -> list[ast.expr]:
    if isinstance(target, (ast.Tuple, ast.List)):
        return [t for element in target.elts for t in _unpacked(element)]
    return [target.value] if isinstance(target, ast.Starred) else [target]


def _assigned(statement: ast.stmt, name: str) -> ast.expr | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name) \
            and statement.targets[0].id == name:
        return statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
            and statement.target.id == name:
        return statement.value
    return None
