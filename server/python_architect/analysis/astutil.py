"""Small shared helpers over source text and ``ast`` nodes: character spans, dotted names,
relative-import resolution and a frame-local walk.

``ast`` reports columns as UTF-8 byte offsets; everything the product shows counts characters,
so every span is made here, by ``LineIndex``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from ..findings import Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# One pattern for every definition: compiling per call cost ~10% of a Django check.
_DEFINITION_NAME = re.compile(r"(?:class|def)\s+([^\W\d]\w*)")


class LineIndex:
    """The text's lines split exactly as the tokenizer splits them, and byte-to-character columns."""

    def __init__(self, text: str, lines: list[str] | None = None) -> None:
        if lines is None:
            # ``str.split`` is several times faster than the regex and equal when there is no CR.
            lines = text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)
        self.lines: list[str] = lines
        self.ascii = text.isascii()
        """Byte offsets are character offsets on every line: no per-line check needed."""

    def line(self, lineno: int) -> str:
        return self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""

    def column(self, lineno: int, byte_offset: int) -> int:
        """The 1-based character column of a 0-based UTF-8 byte offset on ``lineno``."""
        if self.ascii:
            return byte_offset + 1
        text = self.line(lineno)
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8", errors="surrogatepass")[:byte_offset].decode("utf-8", errors="ignore")) + 1

    def span(self, node: ast.AST) -> Span:
        """The node's whole range (for statements: every line they cover)."""
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        end = self.column(end_line, end_col) if end_col is not None else len(self.line(end_line)) + 1
        return Span(line, self.column(line, getattr(node, "col_offset", 0)), end_line, end)

    def name_span(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> Span:
        """The span of a definition's name token (falls back to the keyword when not on the line)."""
        text = self.line(node.lineno)
        start = self.column(node.lineno, node.col_offset) - 1
        match = _DEFINITION_NAME.search(text, start)
        if match is None or match.group(1) != node.name:
            keyword = "class" if isinstance(node, ast.ClassDef) else "def"
            return Span(node.lineno, start + 1, node.lineno, start + 1 + len(keyword))
        return Span(node.lineno, match.start(1) + 1, node.lineno, match.end(1) + 1)


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain; the callee of a Subscript (``Generic[T]`` -> ``Generic``)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def resolve_relative(module: str | None, level: int, target: str | None, is_package: bool) -> str:
    """Absolute name of ``from <dots><target> import ...`` inside ``module``.

    When the module is unknown or the dots climb above the top package the name is kept as
    written (``..x``) so it never collides with a real absolute module.
    """
    if level == 0:
        return target or ""
    parts = module.split(".") if module else []
    keep = len(parts) - level + (1 if is_package else 0)
    if not module or keep < 0 or (keep == 0 and not target):
        return "." * level + (target or "")
    base = parts[:keep]
    if target:
        base.append(target)
    return ".".join(base)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def walk_local(nodes: Iterable[ast.AST], *, into_loops: bool = True) -> Iterator[ast.AST]:
    """Every node under ``nodes`` that runs in the same frame (not in nested defs or classes)."""
    stack = list(nodes)[::-1]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPES) or (not into_loops and isinstance(node, _LOOPS)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


# Fields that only hold load/store markers, operators or plain values: nothing below them matters
# here. (Only a speed-up: anything else that is not a node is skipped when popped.)
_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind", "id", "attr", "arg", "asname", "level", "conversion", "is_async", "simple"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in _LEAF_FIELDS)  # type: ignore[attr-defined]
    return fields


# What ``run`` does with a popped item besides calling a ``visit_`` method.
_GENERIC, _CALL, _SKIP, _EXPAND = object(), object(), object(), object()


class Expand:
    """An item ``run`` calls when it is reached; what the call returns (items, in order) is run
    next. Lets a decision wait for the state the walk has at that point (``statement_facts``)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], list[Any] | None]) -> None:
        self.make = make


class IterativeVisitor:
    """A visitor without recursion: ``visit`` schedules a node and ``later`` a context change,
    both run in order after the current handler returns.

    Deeply nested expressions that ``ast.parse`` still accepts (a sum of a thousand terms) would
    overflow a recursive ``ast.NodeVisitor``. Subclasses define ``visit_<NodeType>`` methods.
    """

    _handler_tables: ClassVar[dict[type, dict[type, Any]]] = {}
    """Per visitor class: what to do with each item class (the unbound ``visit_`` function or a
    marker), worked out once per process rather than once per file."""

    def __init__(self) -> None:
        self.pending: list[Any] = []
        self.handlers = IterativeVisitor._handler_tables.setdefault(type(self), {})

    def _handler(self, item: Any) -> Any:
        cls = item.__class__
        if isinstance(item, ast.AST):
            method = getattr(type(self), "visit_" + cls.__name__, None)
            handler = _GENERIC if method is None else method
        elif cls is Expand:
            handler = _EXPAND
        else:
            handler = _CALL if callable(item) else _SKIP
        self.handlers[cls] = handler
        return handler

    names_read: Callable[[str], None] | None = None
    """When set, called with the id of every ``Name`` that is read (not assigned) in place of a
    ``visit_Name`` method: names are a third of a module's nodes, and a method call each was a
    tenth of the facts pass."""

    def run(self, roots: list[ast.stmt]) -> None:
        # The hot loop of the facts pass (a node in a large module is visited in well under a
        # microsecond): one dict lookup per item decides between a handler, the generic descent
        # (children pushed straight onto the stack, no intermediate list), an action or a skip.
        stack: list[Any] = list(reversed(roots))
        pop, push, push_one = stack.pop, stack.extend, stack.append
        handlers = self.handlers
        fields_of = _CHILD_FIELDS
        names_read = self.names_read
        name_class, store_class = ast.Name, ast.Store
        while stack:
            item = pop()
            cls = item.__class__
            if cls is name_class and names_read is not None:
                if item.ctx.__class__ is not store_class:
                    names_read(item.id)
                continue
            handler = handlers.get(cls)
            if handler is None:
                handler = self._handler(item)
            if handler is _GENERIC:
                fields = fields_of[cls] if cls in fields_of else _child_fields(cls)
                if len(fields) == 1:  # Attribute, Expr, Return, Await...: no list to build
                    value = getattr(item, fields[0], None)
                    if value.__class__ is list:
                        push(reversed(value))
                    elif value is not None:
                        push_one(value)
                    continue
                children: list[Any] = []
                for name in fields:
                    value = getattr(item, name, None)
                    if value.__class__ is list:
                        children += value
                    elif value is not None:
                        children.append(value)
                if children:
                    children.reverse()
                    push(children)
            elif handler is _CALL:
                item()
            elif handler is _EXPAND:
                items = item.make()
                if items:
                    push(reversed(items))
            elif handler is not _SKIP:
                self.pending = pending = []
                handler(self, item)
                if pending:
                    pending.reverse()
                    push(pending)

    def visit(self, node: ast.AST) -> None:
        self.pending.append(node)

    def later(self, action: Callable[[], None]) -> None:
        self.pending.append(action)

    def generic_visit(self, node: ast.AST) -> None:
        pending = self.pending
        for name in _child_fields(node.__class__):
            value = getattr(node, name, None)
            if value.__class__ is list:
                pending += value
            elif value is not None:
                pending.append(value)

    def _enter(self, attribute: str, step: int) -> Callable[[], None]:
        def change() -> None:
            setattr(self, attribute, getattr(self, attribute) + step)

        return change
