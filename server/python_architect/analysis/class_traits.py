"""How a class's own body says it is meant to be used, for the design checks (``ClassFact.traits``).

Read from the top-level statements of the class body only, during the facts pass: no walk of the
method bodies, so the cost is one look at each ``def`` line.
"""

from __future__ import annotations

import ast

from .astutil import dotted_name


def _does_nothing(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A hook with a default: the body is a docstring, ``pass``, ``...``, ``return`` or ``return None``."""
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return all(
        isinstance(s, ast.Pass)
        or (isinstance(s, ast.Return) and (s.value is None or (isinstance(s.value, ast.Constant) and s.value.value is None)))
        for s in body
    )


def _only_calls_super_init(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The body (after a docstring) is one ``super().__init__(...)`` call: the class only fixes
    the parent's arguments."""
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return len(body) == 1 and _calls_super_init(function)


def _calls_super_init(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``super().__init__(...)`` among the top-level statements of ``__init__``."""
    for statement in function.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
                and isinstance(call.func.value, ast.Call) and dotted_name(call.func.value.func) == "super"):
            return True
    return False


# ``@dataclass``, ``@dataclass(frozen=True)``, attrs' ``@define``/``@frozen``/``@attr.s``.
_DATA_DECORATORS = frozenset({"dataclass", "define", "frozen", "mutable", "s", "attrs"})


def class_traits(node: ast.ClassDef) -> tuple[str, ...]:
    """What a class's own body and decorators say about how it is meant to be used (``ClassFact.traits``), read
    from its top-level statements only (no walk of the method bodies)."""
    methods = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    names = {m.name for m in methods}
    traits: list[str] = []
    if not methods:
        traits.append("no-methods")
        if any(isinstance(st, ast.Assign) or (isinstance(st, ast.AnnAssign) and st.value is not None) for st in node.body):
            traits.append("settings-only")
    elif len(methods) == 1 and methods[0].name == "__init__" and _only_calls_super_init(methods[0]):
        traits.append("settings-only")  # ``def __init__(self): super().__init__(kind=INT)``
    if names & {"__init__", "__new__", "__post_init__"}:
        traits.append("stateful")
    elif methods and all(n.startswith("__") and n.endswith("__") for n in names):
        traits.append("dunders-only")  # ``__repr__``/``__eq__`` helpers without state of their own
    plain = [m for m in methods if not (m.name.startswith("__") and m.name.endswith("__"))]
    empty = [m for m in plain if _does_nothing(m)]
    if empty:
        traits.append("hooks")
        if len(empty) == len(plain) and "__init__" not in names:
            traits.append("interface")  # every method a stub: a contract by convention
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (dotted_name(target) or "").rsplit(".", 1)[-1] in _DATA_DECORATORS:
            traits.append("data")
            break
    if "__init_subclass__" in names:
        traits.append("subclass-hook")
    init = next((m for m in methods if m.name == "__init__"), None)
    if init is not None and not node.bases and _calls_super_init(init):
        traits.append("cooperative")  # passes the rest on along the MRO: written to be mixed in
    return tuple(traits)
