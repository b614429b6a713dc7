"""What the facts pass learned from each statement, replayed when the statement is reused.

An open document's next tree reuses every statement an edit did not touch (the very same node
objects: ``analysis.reparse``). Walking those again would give the same imports, classes,
definitions, read names and node-index entries, so ``extract_facts`` records them per statement
(``StatementFacts``) of the module and of every class body, and replays them for a statement
that is the same object reached in the same state of the walk: the same depths (class, function,
``TYPE_CHECKING``, ``__main__`` guard) and the same import aliases in force (a new import above a
function makes its calls hover candidates: that function is walked again). A statement an edit
moved by some lines is replayed with the spans it recorded moved by as many: its nodes moved
together and its lines' text is unchanged. Everything else the pass keeps across statements is
appended in walk order or merged after the walk, so a replay equals a walk (``tests/analysis/
test_statement_facts.py`` compares them on random edits, node for node).

The decision is taken when the walk reaches the statement (an ``astutil.Expand`` item), because
only then are the aliases in force known. A class statement's record includes its body's records
(``children``), so replaying the class keeps them for the next edit inside it.

Owner: the caller that owns the tree (``workspace.parse.OpenTrees`` keeps one ``FactsMemo`` per
open document, under the project's locking rule).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from ..findings import Span
from .astutil import Expand

_INDEX_LISTS = ("loops", "classes", "strings", "loop_calls", "async_defs", "calls")
_VISITOR_LISTS = ("imports", "classes", "defines", "reads")


@dataclass
class StatementFacts:
    """One statement's part of the facts pass, and the state of the walk it is valid in."""

    statement: ast.stmt
    lines: tuple[int, int]
    state: tuple[int, ...]
    """Class, function, ``TYPE_CHECKING``, ``__main__``-guard and annotation depths."""
    calls_through: dict[str, str]
    """The import aliases in force when the statement was walked (a call of an imported name is a
    hover candidate: this decides which calls the walk records)."""
    visitor_parts: dict[str, list[Any]]
    index_parts: dict[str, list[Any]]
    aliases_added: dict[str, str]
    calls_through_added: dict[str, str]
    children: list[StatementFacts] = field(default_factory=list)
    """The records of a class's body statements, kept when the class itself is replayed."""


@dataclass
class FactsMemo:
    """The ``StatementFacts`` of one document's last tree, for one module name."""

    module: str | None = None
    is_package: bool = False
    by_statement: dict[int, StatementFacts] = field(default_factory=dict)
    _next: dict[int, StatementFacts] = field(default_factory=dict)
    _collecting: list[list[StatementFacts]] = field(default_factory=list)

    def begin(self, module: str | None, is_package: bool) -> None:
        """A walk starts; another module name (or package-ness) starts the memo afresh."""
        if (self.module, self.is_package) != (module, is_package):
            self.module, self.is_package, self.by_statement = module, is_package, {}
        self._next, self._collecting = {}, [[]]

    def end(self) -> None:
        """The walk is over: the memo now describes the statements of the tree just walked."""
        self.by_statement, self._next, self._collecting = self._next, {}, []

    def _keep(self, part: StatementFacts) -> None:
        """A replayed statement's record, and its body's, stay for the next walk."""
        self._collecting[-1].append(part)
        stack = [part]
        while stack:
            kept = stack.pop()
            self._next[id(kept.statement)] = kept
            stack.extend(kept.children)


def statement_items(visitor: Any, statements: list[ast.stmt], memo: FactsMemo) -> list[Expand]:
    """What the walk runs in place of ``statements``: each is replayed or walked and recorded."""
    return [Expand(partial(_reach, visitor, memo, statement)) for statement in statements]


def _state(visitor: Any) -> tuple[int, ...]:
    return (visitor.class_depth, visitor.function_depth, visitor.type_checking, visitor.main_guard,
            visitor.annotation_depth)


def _reach(visitor: Any, memo: FactsMemo, statement: ast.stmt) -> list[Any] | None:
    part = memo.by_statement.get(id(statement))
    if (part is not None and part.statement is statement and part.state == _state(visitor)
            and part.calls_through == visitor.calls_through):
        _replay(visitor, part)
        memo._keep(part)
        return None
    # Walk it, then record what the walk appended (``_record`` runs right after its last node).
    start = (
        {name: len(getattr(visitor, name)) for name in _VISITOR_LISTS},
        {name: len(getattr(visitor.index, name)) for name in _INDEX_LISTS},
        dict(visitor.aliases), dict(visitor.calls_through), _state(visitor),
    )
    memo._collecting.append([])
    return [statement, Expand(partial(_record, visitor, memo, statement, start))]


def _record(visitor: Any, memo: FactsMemo, statement: ast.stmt, start: tuple[Any, ...]) -> None:
    visitor_starts, index_starts, aliases, calls_through, state = start
    children = memo._collecting.pop()
    part = StatementFacts(
        statement=statement,
        lines=(statement.lineno, statement.end_lineno),
        state=state,
        calls_through=calls_through,
        visitor_parts={name: getattr(visitor, name)[at:] for name, at in visitor_starts.items()},
        index_parts={name: getattr(visitor.index, name)[at:] for name, at in index_starts.items()},
        aliases_added=_added(aliases, visitor.aliases),
        calls_through_added=_added(calls_through, visitor.calls_through),
        children=children,
    )
    memo._next[id(statement)] = part
    memo._collecting[-1].append(part)
    return None


def _replay(visitor: Any, part: StatementFacts) -> None:
    moved = part.statement.lineno - part.lines[0]
    if moved:
        _move(part, moved)
    for name, values in part.visitor_parts.items():
        getattr(visitor, name).extend(values)
    for name, values in part.index_parts.items():
        getattr(visitor.index, name).extend(values)
    visitor.aliases.update(part.aliases_added)
    visitor.calls_through.update(part.calls_through_added)


def _move(part: StatementFacts, lines: int) -> None:
    """Moves the spans ``part`` recorded (imports', classes') by ``lines``, as its nodes moved."""
    visitor_parts = part.visitor_parts
    visitor_parts["imports"] = [
        replace(fact, span=_moved(fact.span, lines),
                statement_span=None if fact.statement_span is None else _moved(fact.statement_span, lines))
        for fact in visitor_parts["imports"]
    ]
    visitor_parts["classes"] = [replace(pending, span=_moved(pending.span, lines)) for pending in visitor_parts["classes"]]
    part.lines = (part.lines[0] + lines, part.lines[1] + lines)


def _moved(span: Span, lines: int) -> Span:
    return Span(span.line + lines, span.column, span.end_line + lines, span.end_column)


def _added(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in after.items() if before.get(key) != value}
