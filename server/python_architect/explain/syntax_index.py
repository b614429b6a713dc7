"""A compact index of the constructs hover explains, built once per document version.

One ``ast`` pass records, with character-column spans, the constructs whose governing decisions
hover shows: classes with bases, ``async def``s, query calls inside loops, logging calls and HTTP
calls. The tree itself is dropped afterwards (long-lived ASTs cause GC pauses in the server).
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

from ..findings import Span

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
HTTP_MODULES = ("requests", "httpx", "aiohttp", "urllib3", "urllib.request")
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "urlopen", "stream", "send"})
QUERY_METHODS = frozenset({"execute", "query", "scalars", "scalar", "get", "filter", "filter_by"})
QUERY_RECEIVER = re.compile(r"(session|conn|connection|cursor|repo|repository|db|database)s?$", re.IGNORECASE)
LOGGER_RECEIVER = re.compile(r"(^|_)(log|logger)$", re.IGNORECASE)


@dataclass(frozen=True)
class Construct:
    """One explainable construct: ``kind`` is class, async_def, query_in_loop, logging or http."""

    kind: str
    span: Span
    name: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyntaxIndex:
    constructs: tuple[Construct, ...] = ()

    def at(self, line: int, column: int) -> Construct | None:
        """The innermost construct containing the 1-based position."""
        hits = [c for c in self.constructs if c.span.contains(line, column)]
        if not hits:
            return None
        return min(hits, key=lambda c: (c.span.end_line - c.span.line, c.span.end_column - c.span.column))


def build_index(text: str) -> SyntaxIndex:
    """Indexes ``text``; an empty index when it does not parse (hover then has nothing to add)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return SyntaxIndex()
    visitor = _Visitor(text.split("\n"))
    visitor.visit(tree)
    return SyntaxIndex(tuple(visitor.found))


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call):
        inner = _dotted(node.func)
        return f"{inner}()." + ".".join(reversed(parts)) if inner and parts else None
    return None


class _Visitor(ast.NodeVisitor):
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.aliases: dict[str, str] = {}
        self.loop_depth = 0
        self.found: list[Construct] = []

    def _column(self, line: int, byte_offset: int) -> int:
        """AST columns are UTF-8 byte offsets; spans count characters (1-based)."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) + 1

    def _span(self, node: ast.AST) -> Span:
        line, end_line = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        return Span(
            line,
            self._column(line, node.col_offset),  # type: ignore[attr-defined]
            end_line,
            self._column(end_line, node.end_col_offset or 0),  # type: ignore[attr-defined]
        )

    def _header(self, node: ast.AST) -> Span:
        line = node.lineno  # type: ignore[attr-defined]
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return Span(line, self._column(line, node.col_offset), line, len(text.rstrip("\r")) + 1)  # type: ignore[attr-defined]

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            for alias in node.names:
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = tuple(name for name in (_dotted(base) for base in node.bases) if name)
        if bases:
            resolved = tuple(self._resolve(base) for base in bases)
            self.found.append(Construct("class", self._header(node), node.name, (node.name, *resolved)))
        self._visit_body(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.found.append(Construct("async_def", self._header(node), node.name, (node.name,)))
        self._visit_body(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._visit_body(node)

    def _visit_body(self, node: ast.AST) -> None:
        # A loop around a def does not make calls inside the def "in a loop".
        depth, self.loop_depth = self.loop_depth, 0
        self.generic_visit(node)
        self.loop_depth = depth

    def _loop(self, node: ast.AST) -> None:
        self.loop_depth += 1
        self.generic_visit(node)
        self.loop_depth -= 1

    visit_For = visit_AsyncFor = visit_While = _loop
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _loop

    def _resolve(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return dotted
        return f"{target}.{rest}" if rest else target

    def visit_Call(self, node: ast.Call) -> None:
        dotted = _dotted(node.func)
        if dotted:
            resolved = self._resolve(dotted)
            receiver, _, method = resolved.rpartition(".")
            receiver_name = receiver.rsplit(".", 1)[-1].rstrip("()") if receiver else ""
            kind = self._kind(resolved, receiver_name, method)
            if kind:
                words = tuple(part for part in resolved.replace("()", "").split(".") if part)
                self.found.append(Construct(kind, self._span(node), resolved, words))
        self.generic_visit(node)

    def _kind(self, resolved: str, receiver: str, method: str) -> str | None:
        if method in HTTP_METHODS and any(resolved == m or resolved.startswith(m + ".") for m in HTTP_MODULES):
            return "http"
        if method in LOG_METHODS and (resolved.startswith("logging.") or LOGGER_RECEIVER.search(receiver)):
            return "logging"
        if self.loop_depth and (method in QUERY_METHODS or method.startswith("fetch")) and QUERY_RECEIVER.search(receiver):
            return "query_in_loop"
        return None
