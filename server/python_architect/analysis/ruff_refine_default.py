"""False-positive judges for curated ruff codes of the default (core) tier (issue 21).

Each judge gets the nodes around a finding's line (``ruff_refine.nodes_spanning``), the file's
lines and the finding, and answers True when the finding is a known false positive. The table
``REFINERS`` is merged into ``ruff_refine.REFINERS`` (one table, one entry per code); this module
imports nothing from it, so there is no cycle. The classes, each with a test holding the false
positive and its true twin (``tests/analysis/test_ruff_refine_default.py``):

- **B006** on a default nobody mutates: reported only when the function changes the default
  (a mutating method such as ``append``/``update``/``setdefault``, an item or attribute assigned or
  deleted, ``+=``, ``heapq``/``random.shuffle``/``bisect`` in place), directly, through a local
  alias or a closure, stores it on ``self`` where a method of the class changes that attribute,
  or returns/yields the object itself (every caller then holds the one shared object). That is
  the bug B006 exists for: state that leaks from one call into the next. A default only read,
  copied or passed on (``def __init__(self, integrations=[]): pass`` read by ``inspect``;
  ``env={}`` handed to ``spawnProcess``) changes nothing; a callee that mutates what it is given
  is not seen (one function at a time), and is a miss. A parameter rebound before any other use
  (``body = convert(body)`` or ``body = {}`` as the first statement touching it, slack-sdk's
  ``_urllib_api_call``) is never mutated either: what is changed later is the new object.
- **B006** on a private parameter (``def get_header(self, name, _name_cache={})``): a parameter
  whose name starts with ``_`` is not for callers, so its mutable default is state the function
  keeps on purpose (a memo, a registry), the idiom the Python FAQ gives for a cache. The same body
  with a public name (``name_cache={}``) stays reported: a caller may pass its own and the shared
  default still surprises the next call.

(S506's safe loaders are judged in ``ruff_refine_security``, which follows a loader into the
package; S113's classes in ``ruff_refine_timeout``; S602/S604's constant command line in
``ruff_refine_shell``.)
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from .registry import RawFinding
from .ruff_judge_nodes import starts_at
from .ruff_refine_empty_default import (
    empty_default,
    is_name,
    removes_from,
    true_when_empty,
    truthy_test,
    under_truthy_test,
)

Judge = Callable[[list[ast.AST], list[str], RawFinding], bool]


# --- B006 -------------------------------------------------------------------------------------

_MUTATORS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",  # list
    "update", "setdefault", "popitem",  # dict
    "add", "discard", "difference_update", "intersection_update", "symmetric_difference_update",  # set
    "__setitem__", "__delitem__", "__iadd__",
})
_IN_PLACE_FUNCTIONS = frozenset({
    "heappush", "heappop", "heapify", "heapreplace", "heappushpop", "shuffle", "insort", "insort_left",
    "insort_right",
})
"""Standard-library functions that change their first argument in place (``heapq``, ``random``, ``bisect``)."""


def _b006_never_mutated(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    found = _parameter_of_default(near, lines, finding.span.line, finding.span.column)
    if found is None:
        return False
    function, name = found
    if name.startswith("_"):
        return True  # private: not for callers; a deliberate memo kept across calls
    empty = empty_default(function, name)
    if _rebound_before_use(function.body, name, empty):
        return True  # the name holds a fresh object before anything could touch the default
    return not _mutated(function, name, _enclosing_class(near, function), empty)


def _always_rebinds(statement: ast.stmt, name: str, empty: bool) -> bool:
    """Every path through ``statement`` that keeps the default leaves the name bound to a new
    object: an assignment of a new value; an ``if``/``else`` whose branches both do; ``if not
    name: name = ...`` when the default is empty (the default is always falsy there). scapy's
    ``request(http_headers={})`` replaces it on both branches before ``http_headers.update(...)``."""
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):
        return _rebinds(statement, name) and not _passes_through(statement.value, name, empty)
    if isinstance(statement, ast.Assert):  # ``assert len(x) > 0``: an empty default stops here
        return empty and truthy_test(statement.test, name)
    if isinstance(statement, ast.If):
        body = _block_rebinds_or_leaves(statement.body, name, empty)
        if statement.orelse:
            return body and _block_rebinds_or_leaves(statement.orelse, name, empty)
        return body and empty and true_when_empty(statement.test, name)
    return False


def _block_rebinds_or_leaves(block: list[ast.stmt], name: str, empty: bool) -> bool:
    """The block rebinds the name, or leaves (``raise``/``return``) before the code after it:
    bokeh's ``if headers and creds: raise ... elif not headers: headers = {} else: headers =
    dict(headers)`` (a tuning package)."""
    return any(_always_rebinds(inner, name, empty) or isinstance(inner, (ast.Raise, ast.Return)) for inner in block)


def _rebound_before_use(statements: list[ast.stmt], name: str, empty: bool = False) -> bool | None:
    """Whether, on the straight-line path the body runs first, the parameter is rebound to a new
    object before any other use (``body = convert(body)``, ``body = {}``): later mutations then
    change the new object, never the shared default. Only the value of that assignment may read it.
    True: rebound first; False: another use comes first; None: neither in ``statements``."""
    for statement in statements:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and _rebinds(statement, name):
            return _fresh_rebinding(statement, name, empty)
        if isinstance(statement, ast.If) and _always_rebinds(statement, name, empty):
            return True
        if isinstance(statement, ast.Assert) and _always_rebinds(statement, name, empty):
            return True  # ``assert len(base_features) > 0`` (featuretools)
        if (isinstance(statement, ast.If) and not statement.orelse and not _mentions(statement.test, name)
                and statement.body and all(_fresh_rebinding(inner, name, empty) for inner in statement.body
                                           if _mentions(inner, name))):
            continue  # ``if auto_fill: config = Config(...).merge(config)``: the default, or a new object
        if isinstance(statement, (ast.Try, ast.With, ast.AsyncWith)):  # their body runs first, unconditionally
            head = statement.items if isinstance(statement, (ast.With, ast.AsyncWith)) else []
            if any(_mentions(item, name) for item in head):
                return False
            decided = _rebound_before_use(statement.body, name, empty)
            if decided is not None:
                return decided
        if _mentions(statement, name):
            return False
    return None


def _fresh_rebinding(statement: ast.stmt, name: str, empty: bool) -> bool:
    """``statement`` binds the name to a new object, and its value only reads the default."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or not _rebinds(statement, name):
        return False
    value = statement.value
    parents = _parents([statement])
    reads = [node for node in ast.walk(value) if isinstance(node, ast.Name) and node.id == name]  # type: ignore[arg-type]
    return not _passes_through(value, name, empty) and not any(_mutation_of(node, parents) for node in reads)


def _rebinds(statement: ast.Assign | ast.AnnAssign, name: str) -> bool:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return (statement.value is not None and len(targets) == 1
            and isinstance(targets[0], ast.Name) and targets[0].id == name)


def _passes_through(value: ast.AST | None, name: str, empty: bool = False) -> bool:
    """The value may be the default itself (``x = x``, ``x = x or {}``, ``x = y if c else x``).
    An empty default is falsy, so ``x or {}`` skips it unless it is the last operand (litellm's
    ``hyperparameters = hyperparameters or {}``, issue 21's eleventh reading)."""
    if isinstance(value, ast.Name):
        return value.id == name
    if isinstance(value, ast.BoolOp):
        operands = value.values
        if empty and isinstance(value.op, ast.Or):
            operands = [operand for index, operand in enumerate(operands)
                        if index == len(operands) - 1 or not is_name(operand, name)]
        return any(_passes_through(operand, name, empty) for operand in operands)
    if isinstance(value, ast.IfExp):
        return _passes_through(value.body, name, empty) or _passes_through(value.orelse, name, empty)
    if isinstance(value, ast.NamedExpr):
        return _passes_through(value.value, name, empty)
    return False


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(child, ast.Name) and child.id == name for child in ast.walk(node))


def _parameter_of_default(near: list[ast.AST], lines: list[str], line: int,
                          column: int) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, str] | None:
    for node in near:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults, strict=True))
        pairs += [(arg, default) for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
                  if default is not None]
        for arg, default in pairs:
            if starts_at(default, lines, line, column):
                return node, arg.arg
    return None


def _enclosing_class(near: list[ast.AST], function: ast.AST) -> ast.ClassDef | None:
    for node in near:
        if isinstance(node, ast.ClassDef) and function in node.body:
            return node
    return None


def _mutated(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, owner: ast.ClassDef | None,
             empty: bool = False) -> bool:
    """Whether the default can change between calls: the body (closures included) mutates it,
    directly or through a local alias, or stores it on ``self`` and a method of the class mutates
    that attribute."""
    names = {name}
    attributes: set[str] = set()
    nodes = list(_walk_unshadowed(function.body, name))
    for node in nodes:  # aliases and stores: ``alias = default``, ``self.items = default``
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in names:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.add(target.id)
                elif _is_self_attribute(target):
                    attributes.add(target.attr)  # type: ignore[attr-defined]
    parents = _parents(function.body)
    for node in nodes:
        if isinstance(node, ast.Name) and node.id in names and (
                _mutation_of(node, parents) or (_returned(node, parents) and not _to_local_caller(node, function, parents))):
            if node.id == name and (_fresh_where_used(node, name, parents, function.body, empty)
                                    or (empty and (under_truthy_test(node, name, parents)
                                                   or removes_from(node, parents)))):
                continue
            return True
    if attributes and owner is not None:
        for member in owner.body:
            if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                member_parents = _parents(member.body)
                for node in (n for statement in member.body for n in ast.walk(statement)):
                    if (_is_self_attribute(node) and node.attr in attributes  # type: ignore[attr-defined]
                            and _mutation_of(node, member_parents)):
                        return True
    return False


def _walk_unshadowed(statements: list[ast.stmt], name: str) -> Iterator[ast.AST]:
    """Every node of ``statements`` (closures included) except the bodies of nested functions
    that bind ``name`` themselves, as a parameter or a local: there it is another object
    (bokeh's ``grid(children=[])`` and its inner ``def traverse(children): return children``, a
    tuning package)."""
    stack: list[ast.AST] = list(reversed(statements))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and _binds_own(node, name):
            arguments = node.args
            stack.extend(reversed([*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None),
                                   *getattr(node, "decorator_list", [])]))
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _binds_own(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, name: str) -> bool:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    if any(argument is not None and argument.arg == name for argument in every):
        return True
    if isinstance(function, ast.Lambda):
        return False
    declared = any(isinstance(node, (ast.Nonlocal, ast.Global)) and name in node.names
                   for statement in function.body for node in ast.walk(statement))
    stored = any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
                 for statement in function.body for node in ast.walk(statement))
    return stored and not declared


def _fresh_where_used(node: ast.AST, name: str, parents: dict[int, ast.AST], body: list[ast.stmt],
                      empty: bool = False) -> bool:
    """An earlier statement of the use's own block, or of a block around it, rebinds the parameter
    to a new object (``if new: settings = settings.copy()`` then ``settings[k] = v`` on that branch,
    asyncpg's ``start``, issue 21): that use changes the copy, never the shared default."""
    child: ast.AST = node
    parent = parents.get(id(child))
    while True:
        while parent is not None and not isinstance(child, ast.stmt):
            child, parent = parent, parents.get(id(parent))
        blocks = [body] if parent is None else [
            getattr(parent, field) for field in ("body", "orelse", "finalbody", "handlers")
            if isinstance(getattr(parent, field, None), list)]
        for block in blocks:
            if child in block and any(_always_rebinds(earlier, name, empty)
                                      for earlier in block[:block.index(child)]):
                return True
        if parent is None:
            return False
        child, parent = parent, parents.get(id(parent))


def _is_self_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def _parents(statements: list[ast.stmt]) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for statement in statements:
        for node in ast.walk(statement):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
    return parents


def _to_local_caller(node: ast.AST, function: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """The return is a nested function's, and that function is only ever called where it is
    defined (``def options_fn(): return forecaster_options`` then ``options_fn().get(...)``, pyro):
    the object goes back into this call, not out to a caller. A nested function that escapes
    (returned, stored, passed) hands it out."""
    inner = parents.get(id(node))
    while inner is not None and inner is not function and not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        inner = parents.get(id(inner))
    if not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) or inner is function:
        return False
    uses = [use for use in ast.walk(function) if isinstance(use, ast.Name) and use.id == inner.name  # type: ignore[arg-type]
            and isinstance(use.ctx, ast.Load)]
    return all(isinstance(parents.get(id(use)), ast.Call) and parents[id(use)].func is use for use in uses)  # type: ignore[attr-defined]


def _returned(node: ast.expr, parents: dict[int, ast.AST]) -> bool:
    """The default itself leaves as the result (``return items``, ``return items or None``,
    ``yield items``): every caller gets the one shared object and may change it."""
    parent = parents.get(id(node))
    while isinstance(parent, (ast.BoolOp, ast.IfExp)) and not (isinstance(parent, ast.IfExp) and parent.test is node):
        node, parent = parent, parents.get(id(parent))
    return isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)) and parent.value is node


def _mutation_of(node: ast.expr, parents: dict[int, ast.AST]) -> bool:
    """``node`` (the object, or an item of it: ``d[k].append``) is changed where it is used:
    a mutating method, an item or attribute assigned or deleted, ``+=``, an in-place function."""
    if isinstance(getattr(node, "ctx", None), ast.Del):
        return False  # ``del name`` unbinds; the object is untouched
    while True:
        parent = parents.get(id(node))
        if isinstance(parent, ast.AugAssign) and parent.target is node:
            return True
        if isinstance(parent, ast.Subscript) and parent.value is node:
            if isinstance(parent.ctx, (ast.Store, ast.Del)):
                return True
            node = parent  # an item of it: is the item changed?
            continue
        if isinstance(parent, ast.Attribute) and parent.value is node:
            if isinstance(parent.ctx, (ast.Store, ast.Del)):
                return True
            call = parents.get(id(parent))
            return isinstance(call, ast.Call) and call.func is parent and parent.attr in _MUTATORS
        if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node:
            callee = parent.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
            return name in _IN_PLACE_FUNCTIONS
        return False


REFINERS: dict[str, Judge] = {
    "B006": _b006_never_mutated,
}
"""code -> its false-positive judge (merged into ``ruff_refine.REFINERS``)."""
