"""What a ``class`` statement tells the index about its class: a ``ClassFact``.

Its bases, metaclass keywords and decorators resolved through the module's imports, its public
methods, whether it is abstract (an ``ABC``/``Protocol`` base, ``ABCMeta``, an
``@abstractmethod`` or a method that only raises ``NotImplementedError``) and its traits
(``class_traits``). Built by the facts pass (``extract``) from the node it already visited.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..findings import Span
from .astutil import dotted_name
from .class_traits import class_traits
from .facts import ClassFact

_ABSTRACT_BASES = frozenset({"ABC", "Protocol"})


_ABSTRACT_METACLASSES = frozenset({"ABCMeta"})


_ABSTRACT_DECORATORS = frozenset(
    {"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod"}
)


def _raises_not_implemented(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The body (after a docstring) starts with ``raise NotImplementedError[(...)]`` (what may
    follow is unreachable, such as the ``yield`` that makes an abstract generator a generator)."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    exc = body[0].exc
    name = dotted_name(exc.func if isinstance(exc, ast.Call) else exc)
    return name == "NotImplementedError"


def class_fact(node: ast.ClassDef, span: Span, resolve: Callable[[str | None], str], *, nested: bool,
               type_checking: bool) -> ClassFact:
    """The facts of the class ``node`` (its name at ``span``); ``resolve`` turns a dotted name as
    written into what the module's imports bound it to."""
    bases = tuple(resolve(dotted_name(base)) or ast.unparse(base) for base in node.bases)
    keywords = tuple(
        f"{kw.arg}={resolve(dotted_name(kw.value)) or ast.unparse(kw.value)}"
        for kw in node.keywords
        if kw.arg
    )
    decorators = tuple(resolve(dotted_name(d)) for d in node.decorator_list if dotted_name(d))
    public: list[str] = []
    abstract: list[str] = []
    for statement in node.body:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not statement.name.startswith("_"):
            public.append(statement.name)
        marks = {(dotted_name(d) or "").split(".")[-1] for d in statement.decorator_list}
        if marks & _ABSTRACT_DECORATORS or _raises_not_implemented(statement):
            # ``raise NotImplementedError`` is the informal way to declare an abstract method.
            abstract.append(statement.name)
    metaclasses = {
        kw.partition("=")[2].rsplit(".", 1)[-1] for kw in keywords if kw.startswith("metaclass=")
    }
    is_abstract = (
        bool(abstract)
        or any(base.rsplit(".", 1)[-1] in _ABSTRACT_BASES for base in bases)
        or bool(metaclasses & _ABSTRACT_METACLASSES)
    )
    return ClassFact(
        name=node.name,
        span=span,
        bases=bases,
        keywords=keywords,
        decorators=decorators,
        public_methods=tuple(public),
        abstract_methods=tuple(abstract),
        is_abstract=is_abstract,
        nested=nested,
        type_checking=type_checking,
        traits=class_traits(node),
    )
