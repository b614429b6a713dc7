"""The constructs hover explains, taken from the facts pass's node index (no parse of their own).

Classes with bases, ``async def``s, query calls inside loops, logging calls and HTTP calls, each
with a character-column span and the ``words`` the relevance ranking reads. ``extract_facts``
records the candidate nodes while it walks the tree (a set lookup per call); ``constructs_of``
turns them into ``Construct``s, which outlive the tree: the language server keeps the last good
analysis's constructs while the user types a syntax error.

The method and receiver vocabularies live here once; the N+1 check and hover share them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import Span

if TYPE_CHECKING:
    from .node_index import TreeIndex

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
HTTP_MODULES = ("requests", "httpx", "aiohttp", "urllib3", "urllib.request")
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "urlopen", "stream", "send"})
QUERY_METHODS = frozenset({"execute", "query", "scalars", "scalar", "get", "filter", "filter_by"})
"""Method names that run a query (plus any ``fetch*``) when called on a session-like object."""
QUERY_RECEIVER = re.compile(r"(session|conn|connection|cursor|repo|repository|db|database)s?$", re.IGNORECASE)
LOGGER_RECEIVER = re.compile(r"(^|_)(log|logger)$", re.IGNORECASE)
CALL_METHODS = LOG_METHODS | HTTP_METHODS
"""Attribute calls the facts pass keeps as logging/HTTP candidates (decided in ``constructs_of``)."""


def is_query_method(name: str) -> bool:
    return name in QUERY_METHODS or name.startswith("fetch")


@dataclass(frozen=True)
class Construct:
    """One explainable construct: ``kind`` is class, async_def, query_in_loop, logging or http."""

    kind: str
    span: Span
    name: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyntaxIndex:
    """A document's constructs, for finding the one under the cursor."""

    constructs: tuple[Construct, ...] = ()

    def at(self, line: int, column: int) -> Construct | None:
        """The innermost construct containing the 1-based position."""
        hits = [c for c in self.constructs if c.span.contains(line, column)]
        if not hits:
            return None
        return min(hits, key=lambda c: (c.span.end_line - c.span.line, c.span.end_column - c.span.column))


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c``, and ``f().c`` for a call's result (``get_session().execute``); None otherwise."""
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


def _resolve(dotted: str, aliases: dict[str, str]) -> str:
    head, _, rest = dotted.partition(".")
    target = aliases.get(head)
    if target is None:
        return dotted
    return f"{target}.{rest}" if rest else target


def _call_kind(resolved: str, receiver: str, method: str, in_loop: bool) -> str | None:
    # Most specific first: an HTTP library's ``get`` inside a loop is an HTTP call, not a query.
    if method in HTTP_METHODS and any(resolved == m or resolved.startswith(m + ".") for m in HTTP_MODULES):
        return "http"
    if method in LOG_METHODS and (resolved.startswith("logging.") or LOGGER_RECEIVER.search(receiver)):
        return "logging"
    if in_loop and is_query_method(method) and QUERY_RECEIVER.search(receiver):
        return "query_in_loop"
    return None


def _header(index: TreeIndex, node: ast.ClassDef | ast.AsyncFunctionDef) -> Span:
    """From the ``class``/``async`` keyword to the end of its line (the signature, not the body)."""
    lines = index.lines
    return Span(node.lineno, lines.column(node.lineno, node.col_offset), node.lineno, len(lines.line(node.lineno)) + 1)


def constructs_of(index: TreeIndex) -> tuple[Construct, ...]:
    """The constructs of the tree ``index`` was recorded from (by ``extract_facts``)."""
    aliases = index.call_aliases
    found: list[Construct] = []
    for node in index.classes:
        bases = tuple(name for name in (_dotted(base) for base in node.bases) if name)
        if bases:
            words = (node.name, *(_resolve(base, aliases) for base in bases))
            found.append(Construct("class", _header(index, node), node.name, words))
    for node in index.async_defs:
        found.append(Construct("async_def", _header(index, node), node.name, (node.name,)))
    # A call can be both a candidate and a loop call (``session.get`` in a loop): decide once.
    calls: dict[int, tuple[ast.Call, bool]] = {id(call): (call, in_loop) for call, in_loop in index.calls}
    calls.update((id(call), (call, True)) for call, _ in index.loop_calls)
    for call, in_loop in calls.values():
        dotted = _dotted(call.func)
        if not dotted:
            continue
        resolved = _resolve(dotted, aliases)
        receiver, _, method = resolved.rpartition(".")
        receiver_name = receiver.rsplit(".", 1)[-1].rstrip("()") if receiver else ""
        kind = _call_kind(resolved, receiver_name, method, in_loop)
        if kind:
            words = tuple(part for part in resolved.replace("()", "").split(".") if part)
            found.append(Construct(kind, index.lines.span(call), resolved, words))
    found.sort(key=lambda c: (c.span.line, c.span.column, c.span.end_line, c.span.end_column))
    return tuple(found)
