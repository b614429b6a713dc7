"""Shallow wrapper classes (ARC203): a class whose every public method only hands its arguments
to the same method of one inner object, and which adapts it to nothing (no async interface over
a sync object, no abstract base it implements, no protocol it speaks through dunders)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..codes import ARC203
from .checks_design import named_as_extension_point, resolve_base, stands_for_a_contract
from .extract import tree_index
from .registry import ModuleContext, RawFinding, check


def _forward_target(method: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """``_client`` when the method only passes its own arguments, unchanged, to the method of the
    same name on ``self._client`` (an adapter that renames or converts is doing real work)."""
    if any(not isinstance(d, ast.Name) or d.id in ("staticmethod", "classmethod", "property") for d in method.decorator_list):
        return None
    body = method.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]  # a docstring
    if len(body) != 1 or not isinstance(body[0], (ast.Return, ast.Expr)) or body[0].value is None:
        return None
    call = body[0].value
    if isinstance(call, ast.Await):
        call = call.value
    elif isinstance(method, ast.AsyncFunctionDef):
        return None  # ``async def`` over a sync call: it turns a sync object into an async interface
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return None
    holder = call.func.value
    if not (isinstance(holder, ast.Attribute) and isinstance(holder.value, ast.Name) and holder.value.id == "self"):
        return None
    arguments = method.args
    params = {a.arg for a in [*arguments.posonlyargs, *arguments.args[1:], *arguments.kwonlyargs]}
    params |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
    passed = [arg.value if isinstance(arg, ast.Starred) else arg for arg in call.args]
    passed += [kw.value for kw in call.keywords]
    if not all(isinstance(arg, ast.Name) and arg.id in params for arg in passed):
        return None
    if call.func.attr.lstrip("_") != method.name.lstrip("_"):
        return None  # renaming into the caller's vocabulary is an adapter's real work
    return holder.attr


# Dunders that make the class speak a protocol (context manager, awaitable, iterator, callable,
# proxy): the class adapts the inner object to it, which is work a caller would otherwise do.
_PROTOCOL_DUNDERS = frozenset({
    "__enter__", "__exit__", "__aenter__", "__aexit__", "__await__", "__iter__", "__next__",
    "__aiter__", "__anext__", "__call__", "__getattr__", "__getitem__", "__contains__", "__len__",
})


def _does_work_elsewhere(node: ast.ClassDef, attribute: str) -> bool:
    """The wrapper's value is outside its forwarding methods: the inner object is a property or
    method of the class itself (created lazily, in the right event loop), or the class speaks a
    protocol through its dunders (``__aenter__`` awaiting the inner coroutine)."""
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            statement.name == attribute or statement.name in _PROTOCOL_DUNDERS
        ):
            return True
    return False


_CONTRACT_BASES = frozenset({"ABC", "Protocol"})


def _implements_a_contract(ctx: ModuleContext, node: ast.ClassDef) -> bool:
    """The class derives from an ABC, a protocol or an interface (``class
    FailureDetectorAsyncWrapper(AsyncFailureDetector)``): callers typed against that contract
    cannot take the inner object, so the class adapts it, whatever its methods do."""
    fact = next((f for f in ctx.facts.classes if f.name == node.name and f.span.line == node.lineno), None)
    for base in fact.bases if fact is not None else ():
        short = base.split("[", 1)[0].rsplit(".", 1)[-1]
        if short in _CONTRACT_BASES or named_as_extension_point(short):
            return True
        resolved = resolve_base(ctx, ctx.facts, base)
        if resolved is not None and stands_for_a_contract(resolved.fact):
            return True
    return False


@check(ARC203)
def shallow_wrapper(ctx: ModuleContext) -> Iterator[RawFinding]:
    try:
        minimum = max(1, int(ctx.options_for(ARC203).get("min-methods", 3)))
    except (TypeError, ValueError):
        minimum = 3
    index = tree_index(ctx.tree, ctx.text)
    for node in index.classes:
        methods = [
            statement
            for statement in node.body
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and not statement.name.startswith("_")
        ]
        if len(methods) < minimum:
            continue
        targets = {_forward_target(method) for method in methods}
        if len(targets) != 1 or None in targets:
            continue
        attribute = targets.pop()
        if _does_work_elsewhere(node, attribute) or _implements_a_contract(ctx, node):
            continue
        yield RawFinding(
            code=ARC203,
            message=f"`{node.name}` is a shallow wrapper: its {len(methods)} public methods only "
            f"forward their arguments to `self.{attribute}`",
            span=index.lines.name_span(node),
            data={"attribute": attribute, "methods": [m.name for m in methods]},
        )
