"""What an empty mutable default (``{}``, ``[]``, ``set()``, ``dict()``) never reaches (B006, issue 21).

An empty default is falsy and holds nothing: a test it fails keeps it out of the block
(``if x:``, ``if KEY in x:``, ``for k in x.items():``), a test it passes sends it where the code
leaves or replaces it (``if not x:``, ``if KEY not in x: raise``), and removing from it
(``x.pop(k, None)``) changes nothing. ``ruff_refine_default`` asks these questions of a parameter
whose default it has found empty. Pure functions of the syntax tree; no state.
"""

from __future__ import annotations

import ast


def empty_default(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """The parameter's default is an empty literal (``{}``, ``[]``, ``set()``, ``dict()``): falsy,
    so ``if not name: name = {...}`` always replaces it."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    pairs = [*zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults, strict=True),
             *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)]
    for arg, default in pairs:
        if arg.arg == name and default is not None:
            if isinstance(default, (ast.Dict, ast.List, ast.Set)):
                return not (getattr(default, "keys", None) or getattr(default, "elts", None))
            return (isinstance(default, ast.Call) and not default.args and not default.keywords
                    and getattr(default.func, "id", "") in ("dict", "list", "set"))
    return False


def true_when_empty(test: ast.expr, name: str) -> bool:
    """A test every empty object passes: ``not name``, ``KEY not in name``, ``len(name) == 0``,
    ``not len(name)``. spaCy's ``from_config(config={})`` raises under ``if "nlp" not in config``
    before its writes (issue 21, eleventh reading)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return is_name(test.operand, name) or is_len_of(test.operand, name)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        operator, right = test.ops[0], test.comparators[0]
        if isinstance(operator, ast.NotIn):
            return is_name(right, name)
        return (isinstance(operator, ast.Eq) and is_len_of(test.left, name)
                and isinstance(right, ast.Constant) and right.value == 0)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(true_when_empty(value, name) for value in test.values)
    return False


def is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def is_len_of(node: ast.AST, name: str) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"
            and len(node.args) == 1 and is_name(node.args[0], name))


def under_truthy_test(node: ast.AST, name: str, parents: dict[int, ast.AST]) -> bool:
    """The use sits in the body of ``if name:`` (or ``if name and ...:``, ``if len(name):``), which an
    empty default never enters (mysql-connector's ``if tls_versions: tls_versions.sort()``, issue
    21's eighth reading)."""
    child, parent = node, parents.get(id(node))
    while parent is not None:
        if isinstance(parent, ast.If) and child in parent.body and truthy_test(parent.test, name):
            return True
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child in parent.body and iterates(parent.iter, name):
            return True  # ``for k, v in extra.items(): extra[k] = str(v)``: nothing to iterate (litellm's lunary)
        child, parent = parent, parents.get(id(parent))
    return False


def iterates(node: ast.expr, name: str) -> bool:
    """``name``, ``name.items()``/``keys()``/``values()``, or ``list(...)``/``enumerate(...)``/``sorted(...)`` of one."""
    if is_name(node, name):
        return True
    if isinstance(node, ast.Call) and not node.keywords:
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in ("items", "keys", "values") and not node.args:
            return is_name(function.value, name)
        if isinstance(function, ast.Name) and function.id in ("list", "tuple", "enumerate", "sorted") and len(node.args) == 1:
            return iterates(node.args[0], name)
    return False


def truthy_test(test: ast.expr, name: str) -> bool:
    if isinstance(test, ast.Name):
        return test.id == name
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(truthy_test(value, name) for value in test.values)
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.In)
            and is_name(test.comparators[0], name)):
        return True  # ``if "quantiles" in params:``: an empty default holds no key (gluonts)
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and is_len_of(test.left, name)
            and isinstance(test.comparators[0], ast.Constant) and isinstance(test.comparators[0].value, int)):
        operator, bound = test.ops[0], test.comparators[0].value
        return (isinstance(operator, ast.Gt) and bound >= 0) or (isinstance(operator, (ast.GtE, ast.Eq)) and bound >= 1)
    return is_len_of(test, name)


def removes_from(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """``name.pop(k, None)``, ``name.discard(x)``, ``name.clear()``: removing from an empty default
    leaves it empty (geopandas' ``legend_kwds={}`` only ever popped)."""
    attribute = parents.get(id(node))
    call = parents.get(id(attribute))
    return (isinstance(attribute, ast.Attribute) and attribute.attr in ("pop", "popitem", "remove", "discard", "clear")
            and isinstance(call, ast.Call) and call.func is attribute)
