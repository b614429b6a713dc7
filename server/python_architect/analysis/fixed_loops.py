"""Loops whose number of passes the code fixes, not the data (ARC502's ``different-statement-per-table``,
``small-bounded-loop`` and ``loop-returns-first-pass``).

``for model in (TaskInstance, DagRun, Log):``, ``for privilege in ["INSERT", "UPDATE"]:`` or
``for table in CLEANUP_MODELS:`` where the constant is bound once, at module or class level, to a
literal tuple/list/set of names or constants: the number of passes is fixed by the code (one per
table, model, setting or value written there), not by the data, so a statement per pass does not
grow with the data and is not N+1 (read on airflow and ckan, issue 21). A name bound more than
once, to a call, or to anything the code does not spell out is not fixed. Pure functions of the
module's tree; no state.

``exits_on_first_pass``: a loop whose body reaches an unconditional ``return``/``break``/``raise``
at its top level, with no ``continue`` before it, runs its body at most once
(``for row in rows: conn.execute(delete(row)); return True``, read on slack-sdk, issue 21): a
query in it is one round trip, not one per item.

``walks_batches``: a loop over chunks of the data (``chunks(ids, 500)``, ``range(0, n, step)``),
whose statement per pass serves many items.
"""

from __future__ import annotations

import ast
import re

from .astutil import dotted_name

_SEQUENCES = (ast.Tuple, ast.List, ast.Set)
_BATCHING_CALL = re.compile(r"batch|chunk|page|partition|group|window|split|slice", re.IGNORECASE)
_BATCH_NAME = re.compile(r"batch|chunk|page|slice|group", re.IGNORECASE)


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


def exits_on_first_pass(loop: ast.AST) -> bool:
    """Whether ``loop`` (a ``for`` or ``while``) leaves on its first pass whatever the data: a
    top-level ``return``, ``break`` or ``raise`` in its body and no ``continue`` of this loop
    anywhere before it (``if skip: continue`` would start a second pass)."""
    if not isinstance(loop, (ast.For, ast.AsyncFor, ast.While)):
        return False
    for statement in loop.body:
        if _continues(statement):
            return False
        if isinstance(statement, (ast.Return, ast.Break, ast.Raise)):
            return True
    return False


def _continues(node: ast.AST) -> bool:
    """A ``continue`` in ``node`` that belongs to the enclosing loop (not to a loop nested in it,
    nor to a function defined in it)."""
    if isinstance(node, ast.Continue):
        return True
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
        return False
    if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
        return any(_continues(child) for child in node.orelse)  # its body's ``continue`` is its own
    return any(_continues(child) for child in ast.iter_child_nodes(node))


def walks_batches(loop: ast.AST) -> bool:
    """``for chunk in chunks(ids, 500)``, ``itertools.batched``, ``groupby``, ``range(0, n, step)``,
    or a target named as a batch."""
    iters = [loop.iter] if isinstance(loop, (ast.For, ast.AsyncFor)) else [
        g.iter for g in getattr(loop, "generators", [])
    ]
    for iterable in iters:
        if isinstance(iterable, ast.Call):
            name = (dotted_name(iterable.func) or "").rsplit(".", 1)[-1]
            if _BATCHING_CALL.search(name) or (name == "range" and len(iterable.args) == 3):
                return True
    targets = [loop.target] if isinstance(loop, (ast.For, ast.AsyncFor)) else [
        g.target for g in getattr(loop, "generators", [])
    ]
    return any(isinstance(n, ast.Name) and _BATCH_NAME.search(n.id) for t in targets for n in ast.walk(t))


def _names_only(literal: ast.expr) -> bool:
    """``(A, B, models.C)`` or ``["INSERT", "UPDATE"]``: every element a name, a dotted name, a
    constant or a tuple of those (``(("a", 1), ("b", 2))``), at least one of them."""
    elements = literal.elts  # type: ignore[attr-defined]
    return bool(elements) and all(_is_written(e) for e in elements)


def _is_written(node: ast.AST) -> bool:
    """An element the code spells out: its value does not come from the data."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Tuple):
        return bool(node.elts) and all(_is_written(e) for e in node.elts)
    return _is_dotted(node)


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
