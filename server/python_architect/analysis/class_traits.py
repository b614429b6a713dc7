"""How a class's own body says it is meant to be used, for the design checks (``ClassFact.traits``).

Read from the top-level statements of the class body, during the facts pass: the method bodies
are walked only for a class without a constructor (to tell a stateless capability mixin from a
class that keeps state anyway), so the usual cost is one look at each ``def`` line.
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


# Methods whose first parameter is the class, not an instance.
_CLASS_LEVEL_METHODS = frozenset({"__init_subclass__", "__new__", "__class_getitem__"})
_NOT_INSTANCE_DECORATORS = frozenset({"classmethod", "staticmethod"})


def _assigns_instance_state(methods: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> bool:
    """Whether an instance method stores something on ``self`` (``self.cache = {}``,
    ``self.count += 1``, ``setattr(self, name, value)``): state of its own, so not a mixin that
    only lends behaviour. Class methods writing to ``cls`` keep class-level tables, not instance
    state."""
    for method in methods:
        marks = {(dotted_name(d) or "").rsplit(".", 1)[-1] for d in method.decorator_list}
        if method.name in _CLASS_LEVEL_METHODS or marks & _NOT_INSTANCE_DECORATORS or not method.args.args:
            continue
        me = method.args.args[0].arg
        for node in ast.walk(method):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif (isinstance(node, ast.Call) and dotted_name(node.func) in ("setattr", "object.__setattr__")
                  and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == me):
                return True
            for target in targets:
                for part in ast.walk(target):
                    if (isinstance(part, (ast.Attribute, ast.Subscript)) and isinstance(part.value, ast.Name)
                            and part.value.id == me):
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
    if (methods and not node.keywords
            and not names & {"__init__", "__new__", "__post_init__"} and "data" not in traits
            and not _assigns_instance_state(methods)):
        # Lends behaviour to whatever it is mixed into. Whether its bases are mixins too is for
        # the checks to resolve (``checks_design._stateless_mixin``): a body cannot say.
        traits.append("stateless")
    return tuple(traits)
