"""The code the architect is shown: the file in view, and the definitions of the code a question names.

The file in view goes whole when it fits the share of the budget it is given. When it does not,
it is never a window that cuts the imports off: the view keeps the module's top-level imports,
the definition enclosing the selection (the innermost one that fits; for a bare cursor outside
one, the lines around it) and the selection itself,
with a ``# … lines a-b not shown …`` marker at each gap, in file order. Without a selection, the
imports come first, then the first line of each top-level definition (an outline), then whole
top-level statements from the top while they fit.

Definitions (``definitions``) are the source of the classes and functions the question or the
selection names (``retrieval.CodeFact.path``), read through ``root_paths`` (inside the workspace
root, a bounded regular file) or taken from the text in view when they live there. A file that
does not parse falls back to a line-based reading: imports are the lines that start with
``import``/``from``, and no definition is cut out of it.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..analysis.decoding import decode_source
from ..root_paths import NotReadable, contained, read_bounded

log = logging.getLogger(__name__)

MAX_DEFINITION_LINES = 80
"""A longer definition is cut after this many lines, with a marker saying how many are left."""
MAX_DEFINITIONS = 4
CURSOR_CONTEXT = 25
"""A cursor outside any definition that fits shows this many lines either side of it."""
MAX_SOURCE_BYTES = 2_000_000
"""Definitions are not looked for in files larger than this (a generated module, a data dump)."""


@dataclass(frozen=True)
class CodeView:
    label: str
    text: str
    cut: bool


def code_view(
    label: str, lines: Sequence[str], selection: tuple[int, int] | None, max_chars: int
) -> CodeView | None:
    """The file in view within ``max_chars``: whole, else imports + enclosing definition + selection.

    ``selection``: 1-based inclusive lines (equal ends: a cursor line). None when not even the
    selection fits.
    """
    if not lines:
        return None
    total = len(lines)
    span = _clamp(selection, total)
    if _size(lines, [(1, total)]) <= max_chars:
        suffix = f" (selection: lines {span[0]}-{span[1]})" if span is not None and span != (1, total) else ""
        return CodeView(label + suffix, "\n".join(lines), False)
    outline = _Outline.of(lines)
    keep: list[tuple[int, int]] = list(outline.imports)
    if span is not None:
        candidates = outline.enclosing(span)
        if span[0] == span[1]:  # a cursor, not a selection: the lines around it before the line alone
            candidates.append((max(1, span[0] - CURSOR_CONTEXT), min(total, span[0] + CURSOR_CONTEXT)))
        candidates.append(span)
        for block in candidates:
            if _size(lines, _merge([*keep, block])) <= max_chars:
                keep.append(block)
                break
        else:
            keep.append(_trim(lines, span, max_chars - _size(lines, keep)))
        what = "imports, the enclosing definition and the selection"
    else:
        for line in outline.heads:  # the outline first: every definition's first line
            if _size(lines, _merge([*keep, (line, line)])) <= max_chars:
                keep.append((line, line))
        for block in outline.statements:  # then whole statements from the top while they fit
            if _size(lines, _merge([*keep, block])) > max_chars:
                break
            keep.append(block)
        what = "imports, an outline and the top of the file"
    blocks = _merge(keep)
    while blocks and _size(lines, blocks) > max_chars:
        # Even imports and selection do not fit: the imports' tail goes first, the selection last.
        first, last = blocks[0]
        if len(blocks) == 1:
            shorter = _trim(lines, (first, last), max_chars)
            if shorter == (first, last):
                return None
            blocks = [shorter]
        else:
            blocks = ([(first, last - 1)] if last > first else []) + blocks[1:]
    if not blocks:
        return None
    return CodeView(f"{label}, {what} ({total} lines in all)", _render(lines, blocks), True)


def definitions(
    facts: Sequence[object], root: Path, *, in_view: tuple[Path | None, str | None] = (None, None)
) -> list[tuple[str, str]]:
    """``(label, source)`` of each class or function among ``facts`` (``retrieval.CodeFact``)."""
    found: list[tuple[str, str]] = []
    sources: dict[Path, list[str] | None] = {}
    view_path, view_text = in_view
    for fact in facts:
        path = getattr(fact, "path", None)
        name = getattr(fact, "name", "")
        if path is None or getattr(fact, "kind", "") not in ("class", "function"):
            continue
        if path not in sources:
            if view_path is not None and view_text is not None and _same(path, view_path):
                sources[path] = view_text.splitlines()
            else:
                sources[path] = _read(path, root)
        lines = sources[path]
        if lines is None:
            continue
        block = _Outline.of(lines).definition(name)
        if block is None:
            continue
        first, last = block
        shown = min(last, first + MAX_DEFINITION_LINES - 1)
        text = "\n".join(lines[first - 1 : shown])
        if shown < last:
            text += f"\n# … {last - shown} more lines of `{name}` not shown …"
        found.append((f"`{name}` in {_relative(path, root)}, lines {first}-{last}", text))
        if len(found) >= MAX_DEFINITIONS:
            break
    return found


# -- the shape of a module ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Outline:
    imports: tuple[tuple[int, int], ...]
    statements: tuple[tuple[int, int], ...]
    """Every top-level statement that is not an import, with its decorators."""
    heads: tuple[int, ...]
    """The first line of each top-level definition (``def``/``class``)."""
    definitions: tuple[tuple[str, int, int, int], ...]
    """``(name, first, last, depth)`` of every definition, outer ones first."""

    @classmethod
    def of(cls, lines: Sequence[str]) -> _Outline:
        try:
            tree = ast.parse("\n".join(lines))
        except (SyntaxError, ValueError):
            imports = tuple((n, n) for n, line in enumerate(lines, 1) if line.startswith(("import ", "from ")))
            return cls(imports, (), (), ())
        imports, statements, heads = [], [], []
        for node in tree.body:
            block = (_first_line(node), node.end_lineno or node.lineno)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(block)
            else:
                statements.append(block)
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    heads.append(node.lineno)
        found: list[tuple[str, int, int, int]] = []

        def visit(body: list[ast.stmt], depth: int) -> None:
            for node in body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    found.append((node.name, _first_line(node), node.end_lineno or node.lineno, depth))
                    visit(node.body, depth + 1)

        visit(tree.body, 0)
        return cls(tuple(imports), tuple(statements), tuple(heads), tuple(found))

    def enclosing(self, span: tuple[int, int]) -> list[tuple[int, int]]:
        """The definitions containing ``span``, outermost first (the caller takes the first that fits)."""
        return [(first, last) for _, first, last, _ in self.definitions if first <= span[0] and span[1] <= last]

    def definition(self, name: str) -> tuple[int, int] | None:
        """The outermost definition called ``name`` (a top-level one before a method)."""
        matches = sorted((depth, first, last) for n, first, last, depth in self.definitions if n == name)
        return (matches[0][1], matches[0][2]) if matches else None


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)])


# -- helpers -------------------------------------------------------------------------------------


def _clamp(selection: tuple[int, int] | None, total: int) -> tuple[int, int] | None:
    if selection is None:
        return None
    start, end = sorted(selection)
    start, end = max(1, min(start, total)), max(1, min(end, total))
    return start, end


def _merge(blocks: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(blocks):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _size(lines: Sequence[str], blocks: Sequence[tuple[int, int]]) -> int:
    """Characters of the rendered blocks, a gap marker counted for each gap."""
    merged = _merge(blocks)
    chars = sum(len(lines[n - 1]) + 1 for first, last in merged for n in range(first, last + 1))
    return chars + 40 * (len(merged) + 1)


def _trim(lines: Sequence[str], span: tuple[int, int], max_chars: int) -> tuple[int, int]:
    """``span`` shortened around its middle until it fits (at least its first line)."""
    first, last = span
    centre = (first + last) // 2
    while last > first and _size(lines, [(first, last)]) > max_chars:
        if centre - first > last - centre:
            first += 1
        else:
            last -= 1
    return first, last


def _render(lines: Sequence[str], blocks: Sequence[tuple[int, int]]) -> str:
    parts: list[str] = []
    previous = 0
    for first, last in blocks:
        if first > previous + 1:
            parts.append(f"# … lines {previous + 1}-{first - 1} not shown …")
        parts.extend(lines[first - 1 : last])
        previous = last
    if previous < len(lines):
        parts.append(f"# … lines {previous + 1}-{len(lines)} not shown …")
    return "\n".join(parts)


def _read(path: Path, root: Path) -> list[str] | None:
    """The lines of a workspace file, or None when it is outside the root, too large or unreadable."""
    inside = contained(path, root)
    if inside is None:
        return None
    try:
        return decode_source(read_bounded(inside, MAX_SOURCE_BYTES)).splitlines()
    except (NotReadable, OSError, UnicodeDecodeError, SyntaxError) as exc:
        log.info("definition source %s not read: %s", path.name, exc)
        return None


def _same(a: Path, b: Path) -> bool:
    try:
        return a == b or a.resolve() == b.resolve()
    except OSError:
        return False


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name
