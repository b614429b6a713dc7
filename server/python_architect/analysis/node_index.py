"""The transient node index the facts pass leaves for the module checks.

``extract_facts`` records, in its one walk, the nodes the checks need (loops, classes, string
literals with the name they are bound to, query-shaped calls inside loops) and the candidates for
hover's constructs (``async def``s, logging- and HTTP-shaped calls; see ``constructs``). The index
is kept in a weak cache keyed by the tree, so it dies with the tree and never lives in the
long-lived facts.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from .astutil import IterativeVisitor, LineIndex
from .constructs import CALL_METHODS, QUERY_METHODS


@dataclass
class TreeIndex:
    """Nodes the module checks need, gathered during the facts pass (transient, never cached long)."""

    lines: LineIndex
    loops: list[ast.AST] = field(default_factory=list)
    """``for``/``while``/``async for`` statements and comprehensions, outermost first."""
    classes: list[ast.ClassDef] = field(default_factory=list)
    strings: list[tuple[ast.Constant, str | None]] = field(default_factory=list)
    """Every ``str`` literal with the name it is bound to (assignment target, keyword, dict key)."""
    loop_calls: list[tuple[ast.Call, tuple[ast.AST, ...]]] = field(default_factory=list)
    """Query-shaped method calls (``x.get(...)``, ``x.fetch_all(...)``) that run once per iteration
    of the loops listed (outermost first): the candidates for N+1 queries."""
    async_defs: list[ast.AsyncFunctionDef] = field(default_factory=list)
    calls: list[tuple[ast.Call, bool]] = field(default_factory=list)
    """Logging/HTTP candidates (``x.info(...)``, ``requests.get(...)``, a call of an imported
    name) and whether they run once per loop iteration; ``constructs_of`` decides what they are."""
    call_aliases: dict[str, str] = field(default_factory=dict)
    """What the names imported so far stand for, at any depth, absolute imports only (``r`` is
    ``requests`` after ``import requests as r``): how hover names calls and class bases."""


TREE_INDEXES: weakref.WeakKeyDictionary[ast.AST, TreeIndex] = weakref.WeakKeyDictionary()


def tree_index(tree: ast.Module, text: str) -> TreeIndex:
    """The node index of ``tree``; runs the facts pass when it has not run on this tree yet."""
    index = TREE_INDEXES.get(tree)
    if index is None:
        from .extract import extract_facts

        extract_facts(tree, text, None)
        index = TREE_INDEXES[tree]
    return index


class LoopIndexer(IterativeVisitor):
    """The part of the facts pass that records loops and the query-shaped calls inside them.

    Subclasses set ``self.index`` (a ``TreeIndex``) before running.
    """

    index: TreeIndex

    def __init__(self) -> None:
        super().__init__()
        self.loop_stack: list[ast.AST] = []
        self.saved_loop_stacks: list[list[ast.AST]] = []
        self.calls_through = self.index.call_aliases

    # What runs once per iteration is visited while the loop is on ``loop_stack``: the body and a
    # ``while`` test, but not a ``for`` loop's iterable or ``else``, nor a comprehension's first
    # iterable. A nested def or class starts a frame of its own (its body does not run per
    # iteration of the loop around its definition).
    def _push_loop(self, node: ast.AST) -> Callable[[], None]:
        return lambda: self.loop_stack.append(node)

    def _pop_loop(self) -> None:
        self.loop_stack.pop()

    def _new_frame(self) -> None:
        self.saved_loop_stacks.append(self.loop_stack)
        self.loop_stack = []

    def _end_frame(self) -> None:
        self.loop_stack = self.saved_loop_stacks.pop()

    def _visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        self.index.loops.append(node)
        self.visit(node.iter)
        self.visit(node.target)
        self.later(self._push_loop(node))
        for statement in node.body:
            self.visit(statement)
        self.later(self._pop_loop)
        for statement in node.orelse:
            self.visit(statement)

    visit_For = _visit_for
    visit_AsyncFor = _visit_for

    def visit_While(self, node: ast.While) -> None:
        self.index.loops.append(node)
        self.later(self._push_loop(node))
        self.visit(node.test)
        for statement in node.body:
            self.visit(statement)
        self.later(self._pop_loop)
        for statement in node.orelse:
            self.visit(statement)

    def _visit_comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        self.index.loops.append(node)
        first = node.generators[0]
        self.visit(first.iter)
        self.later(self._push_loop(node))
        for generator in node.generators:
            self.visit(generator.target)
            if generator is not first:
                self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for part in ("elt", "key", "value"):
            child = getattr(node, part, None)
            if child is not None:
                self.visit(child)
        self.later(self._pop_loop)

    visit_ListComp = _visit_comprehension
    visit_SetComp = _visit_comprehension
    visit_DictComp = _visit_comprehension
    visit_GeneratorExp = _visit_comprehension

    def visit_Call(self, node: ast.Call) -> None:
        # Set lookups only: a call is the commonest node, and most are neither queries, logging
        # nor HTTP. Everything else about a candidate is decided after the walk.
        func = node.func
        if func.__class__ is ast.Attribute:
            attr = func.attr  # type: ignore[attr-defined]
            if self.loop_stack and (attr in QUERY_METHODS or attr.startswith("fetch")):
                self.index.loop_calls.append((node, tuple(self.loop_stack)))
            if attr in CALL_METHODS:
                self.index.calls.append((node, bool(self.loop_stack)))
        elif func.__class__ is ast.Name and func.id in self.calls_through:  # type: ignore[attr-defined]
            self.index.calls.append((node, bool(self.loop_stack)))
        self.generic_visit(node)
