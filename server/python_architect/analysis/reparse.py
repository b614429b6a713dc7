"""Re-parsing only the statements an edit touched, splicing them into the previous tree.

A keystroke in a 300-line module changes one statement, yet ``ast.parse`` rebuilds every node of
the file (~3 ms there, ~50 ms for 2,800 lines: most of a keystroke's cost). ``splice_parse`` finds
the lines that differ from the previous version, the smallest run of statements around them, and
parses only that run: at the top level as it stands, inside a class or function body wrapped in
``if 1:`` so its indentation and columns stay as they are. The rest of the previous tree is
reused; statements after an edit that added or removed lines are moved by that many lines.

The result is the tree ``ast.parse`` gives for the new text, node for node and position for
position (``tests/analysis/test_reparse.py`` compares them on random edits of real modules), or
None whenever that cannot be guaranteed cheaply: the run does not parse on its own (an unclosed
bracket or string, a dedent that would join another statement), its statements land at another
indentation than their neighbours, or it holds a form feed (or, indented, a tab). The caller then
parses the whole text, which also produces the syntax error to report.

Reused nodes are moved in place: the caller must own the previous tree outright (no other thread
or later reader may see it). Lines are ``analysis.decoding.source_lines`` of each text.

The same exact-run parse serves ``parse_statements``: the statements around a few lines of a file
whose ``statement_starts`` are known (ruff's refinements in a batch need no more); ``whole_module``
gives a judge that needs the whole file (its imports, every caller) the file again when the tree
it was handed is such a part.
"""

from __future__ import annotations

import ast
import bisect
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache

_SCOPES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
"""Statements whose body an edit can be spliced into (their end is their last statement's)."""
_WRAPPER = "if 1:\n"
_SKIP = ()
_NODE_SHAPES: dict[type, tuple[bool, tuple[str, ...]] | tuple[()]] = {}
"""Per class: whether its nodes carry line numbers and which fields can hold nodes; ``_SKIP``
for what is not a node (strings, numbers, None in a ``Dict``'s keys)."""


def splice_parse(old_lines: Sequence[str], old_tree: ast.Module, new_lines: Sequence[str]) -> ast.Module | None:
    """The tree of ``new_lines``, re-parsing only what changed since ``old_lines`` (whose tree is
    ``old_tree``), or None when the whole text must be parsed."""
    changed = _changed_lines(old_lines, new_lines)
    if changed is None:  # the same text: a new module over the same statements
        return ast.Module(body=list(old_tree.body), type_ignores=[])
    splice = _Splice(new_lines, *changed)
    body = splice.body(old_tree.body, len(old_lines), indent=0)
    return None if body is None else ast.Module(body=body, type_ignores=[])


def _changed_lines(old: Sequence[str], new: Sequence[str]) -> tuple[int, int, int] | None:
    """``(first, last, delta)``: old lines ``first..last`` (1-based, inclusive; ``last`` is
    ``first - 1`` for a pure insertion before ``first``) became other lines, and the text grew by
    ``delta`` lines. None when nothing changed."""
    shorter = min(len(old), len(new))
    prefix = 0
    while prefix < shorter and old[prefix] == new[prefix]:
        prefix += 1
    if prefix == len(old) == len(new):
        return None
    suffix = 0
    while suffix < shorter - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix + 1, len(old) - suffix, len(new) - len(old)


def statement_starts(tree: ast.Module) -> tuple[tuple[int, int], ...]:
    """``(first line, column)`` of each top-level statement and of each statement in a top-level
    class's body (decorators included), in order: what ``parse_statements`` needs to re-parse
    only the statements around a few lines."""
    starts: list[tuple[int, int]] = []
    for statement in tree.body:
        starts.append((_start(statement), 0))
        if isinstance(statement, ast.ClassDef) and statement.body and _start(statement.body[0]) > statement.lineno:
            starts.extend((_start(inner), inner.col_offset) for inner in statement.body)
    return tuple(starts)


def parse_statements(lines: Sequence[str], starts: Sequence[tuple[int, int]], wanted: Iterable[int]) -> ast.Module | None:
    """A module of only the statements around lines ``wanted``, given the whole file's
    ``statement_starts``: for each line the innermost statement starting at or before it (a
    method of a large class rather than the class), parsed on its own by ``parse_run`` exactly as
    in place; None when one does not parse so. What needs the nodes around a few lines of a large
    file (ruff's refinements in a batch) parses that much instead of the file."""
    firsts = [first for first, _ in starts]
    runs: set[tuple[int, int, int]] = set()
    for line in wanted:
        at = bisect.bisect_right(firsts, line) - 1
        if at < 0:
            return None
        first, indent = starts[at]
        # The run ends before the next statement at this depth or shallower.
        after = next((f for f, i in starts[at + 1:] if i <= indent), len(lines) + 1)
        runs.add((first, after - 1, indent))
    # A method's run inside a class's run chosen for another line is already there.
    outer = [r for r in runs if not any(o != r and o[0] <= r[0] and r[1] <= o[1] for o in runs)]
    body: list[ast.stmt] = []
    for first, last, indent in sorted(outer):
        statements = parse_run(lines, first, last, indent)
        if statements is None:
            return None
        body.extend(statements)
    return ast.Module(body=body, type_ignores=[])


def whole_module(module: ast.Module | None, lines: list[str]) -> ast.Module | None:
    """``module`` when it holds every statement of the file; else the file parsed whole. A batch
    judges ruff's findings on only the statements around them (``parse_statements``), where the
    module's imports and the callers of a function are missing: every line outside the top-level
    statements must be blank or a comment for ``module`` to be the whole file. The parse is
    cached per text (``lru_cache`` is safe across the batch's threads; judges only read it)."""
    if module is None:
        return None
    covered = bytearray(len(lines) + 2)
    for statement in module.body:
        start = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        covered[start:(statement.end_lineno or statement.lineno) + 1] = b"\x01" * (
            (statement.end_lineno or statement.lineno) + 1 - start)
    if all(covered[number] or not line.strip() or line.lstrip().startswith("#")
           for number, line in enumerate(lines, 1)):
        return module
    return _parsed_whole("\n".join(lines))


@lru_cache(maxsize=8)
def _parsed_whole(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def move_lines(nodes: Sequence[ast.AST], lines: int) -> None:
    """``ast.increment_lineno`` on each of ``nodes``, about twice as fast: one pass over the nodes
    with the per-class work (which fields to descend, whether it has lines) looked up once."""
    stack = list(nodes)
    pop, push, push_one = stack.pop, stack.extend, stack.append
    shapes = _NODE_SHAPES
    while stack:
        node = pop()
        cls = node.__class__
        shape = shapes.get(cls)
        if shape is None:
            shape = shapes[cls] = _shape(cls)
        if shape is _SKIP:
            continue
        has_lines, fields = shape
        if has_lines:
            node.lineno += lines
            if node.end_lineno is not None:
                node.end_lineno += lines
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                push(value)
            elif value is not None:
                push_one(value)


def _shape(cls: type) -> tuple[bool, tuple[str, ...]] | tuple[()]:
    if not issubclass(cls, ast.AST):
        return _SKIP
    # Markers (``Load``, operators) are shared singletons without lines or children.
    fields = tuple(name for name in cls._fields if name not in ("ctx", "op", "ops"))
    return "lineno" in cls._attributes, fields


def _start(statement: ast.stmt) -> int:
    """A statement's first line: its first decorator's for a decorated definition."""
    decorators = getattr(statement, "decorator_list", None)
    return decorators[0].lineno if decorators else statement.lineno


class _Splice:
    """One edit applied to one tree, level by level from the module down."""

    def __init__(self, new_lines: Sequence[str], first: int, last: int, delta: int) -> None:
        self.new_lines = new_lines
        self.first = first
        self.last = last
        self.delta = delta
        self.insertion = last < first

    def body(self, statements: list[ast.stmt], region_end: int, indent: int) -> list[ast.stmt] | None:
        """``statements`` (a body at column ``indent`` whose lines run to ``region_end`` in the
        old text, trailing comments included) with the edit applied, or None."""
        starts = [_start(s) for s in statements]
        # The statement the edit starts in or after (an insertion may extend the one before it:
        # new indented lines join a def's body), through the first one wholly after it.
        lo = bisect.bisect_right(starts, self.first - 1 if self.insertion else self.first) - 1
        hi = bisect.bisect_right(starts, self.last)
        if lo < 0 and indent:
            return None  # before the body's first statement: the enclosing header changed
        # ``a = 1; b = 2`` share a line: they go together or not at all.
        while lo > 0 and statements[lo - 1].end_lineno >= starts[lo]:
            lo -= 1
        window_start = starts[lo] if lo >= 0 else 1  # before the first statement: from line 1
        lo = max(lo, 0)
        while 0 < hi < len(statements) and statements[hi - 1].end_lineno >= starts[hi]:
            hi += 1
        window_end = starts[hi] - 1 if hi < len(statements) else region_end
        replaced = None
        if hi - lo == 1:
            replaced = self._inside(statements[lo], window_end)
        if replaced is None:
            replaced = self._parse(window_start, window_end + self.delta, indent)
            if replaced is None:
                return None
        tail = statements[hi:]
        if self.delta:
            move_lines(tail, self.delta)
        return statements[:lo] + replaced + tail

    def _inside(self, statement: ast.stmt, region_end: int) -> list[ast.stmt] | None:
        """``[statement]`` with the edit spliced into its body, when the edit lies there."""
        if not isinstance(statement, _SCOPES) or not statement.body:
            return None
        body_start = _start(statement.body[0])
        # A body on the header's line (``def f(): return 1``) has no lines of its own.
        if body_start <= statement.lineno or self.first < body_start:
            return None
        indent = statement.body[0].col_offset
        body = self.body(statement.body, region_end, indent)
        if body is None:
            return None
        copy = type(statement)(**{name: getattr(statement, name) for name in statement._fields})
        copy.body = body
        copy.lineno, copy.col_offset = statement.lineno, statement.col_offset
        copy.end_lineno, copy.end_col_offset = body[-1].end_lineno, body[-1].end_col_offset
        return [copy]

    def _parse(self, start: int, end: int, indent: int) -> list[ast.stmt] | None:
        """The statements of new lines ``start..end`` at column ``indent``, or None."""
        return parse_run(self.new_lines, start, end, indent)


def parse_run(lines: Sequence[str], start: int, end: int, indent: int) -> list[ast.stmt] | None:
    """The statements of ``lines`` ``start..end`` (1-based, whole statements of one body at column
    ``indent``) exactly as they parse in place, or None when that cannot be guaranteed."""
    chunk = "\n".join(lines[start - 1:end])
    if "\x0c" in chunk or (indent and "\t" in chunk):
        # A form feed resets the tokenizer's column count, and tabs are judged against the
        # enclosing lines' indentation, which a wrapped run does not have.
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes are reported by the full parse
            if indent == 0:
                statements, offset = ast.parse(chunk).body, start - 1
            else:
                wrapped = ast.parse(_WRAPPER + chunk).body
                if len(wrapped) != 1 or wrapped[0].orelse:
                    return None  # a line at column 0 (a new statement, an ``else:``) left the body
                statements, offset = wrapped[0].body, start - 2
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if indent and any(s.col_offset != indent for s in statements):
        return None  # deeper than its neighbours: it belongs to the statement before
    if offset:
        move_lines(statements, offset)
    return statements
