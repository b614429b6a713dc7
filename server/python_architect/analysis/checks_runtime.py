"""Runtime-behaviour checks: retry loops without backoff (ARC402), N+1 queries (ARC502) and
hard-coded credentials (ARC701).

They read the node index the facts pass gathered (loops, query-shaped calls inside loops, string
literals) instead of walking the whole tree again.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ..findings import Severity, Span
from .astutil import LineIndex, dotted_name, walk_local
from .extract import tree_index
from .registry import ModuleContext, RawFinding, check
from .secrets import is_secret_name, known_token_kind, looks_like_secret_value

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


# -- ARC402 ------------------------------------------------------------------------------------

_PAUSE_WORDS = ("sleep", "backoff", "wait")
_EXITS = (ast.Raise, ast.Return, ast.Break)
# Signals rather than failures: catching them is control flow, not a retry.
# InterruptedError (EINTR) is meant to be retried at once.
_NOT_FAILURES = frozenset(
    {"StopIteration", "StopAsyncIteration", "KeyboardInterrupt", "GeneratorExit", "InterruptedError"}
)


def _is_unbounded(loop: ast.AST) -> bool:
    if isinstance(loop, ast.While):
        test = loop.test
        if isinstance(test, ast.Constant):
            return bool(test.value)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test = test.operand
        # A flag loop (``while not connected:``) has no bound of its own either.
        return isinstance(test, (ast.Name, ast.Attribute))
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        name = dotted_name(loop.iter.func) if isinstance(loop.iter, ast.Call) else None
        return name is not None and name.rsplit(".", 1)[-1] in ("count", "cycle", "repeat")
    return False


def _retrying_handler(loop: ast.AST) -> ast.ExceptHandler | None:
    """A handler that swallows a failure so the loop runs the attempt again.

    It is a retry only when success leaves the loop (a ``return``/``break`` in the ``try``, its
    ``else``, or after it in the loop body; for a flag loop such as ``while not connected`` the
    condition does that) and the handler does not leave it. A ``while True`` that merely survives
    an error while doing other work (reading input, parsing) is not a retry loop.
    """
    body: list[ast.stmt] = loop.body  # type: ignore[attr-defined]
    flag_loop = isinstance(loop, ast.While) and not isinstance(loop.test, ast.Constant)
    for node in walk_local(body, into_loops=False):
        if not (isinstance(node, ast.Try) or type(node).__name__ == "TryStar"):
            continue
        following = body[body.index(node) + 1 :] if node in body else []
        if not flag_loop and not _leaves_loop([*node.body, *node.orelse, *following]):  # type: ignore[attr-defined]
            continue
        for handler in node.handlers:  # type: ignore[attr-defined]
            caught = {(dotted_name(t) or "") for t in _caught_types(handler)}
            if caught & _NOT_FAILURES:
                continue
            last = handler.body[-1]
            if not isinstance(last, _EXITS) and not _exits_process(last):
                return handler
    return None


def _caught_types(handler: ast.ExceptHandler) -> list[ast.expr]:
    if handler.type is None:
        return []
    return list(handler.type.elts) if isinstance(handler.type, ast.Tuple) else [handler.type]


def _leaves_loop(statements: list[ast.stmt]) -> bool:
    return any(isinstance(node, (ast.Return, ast.Break)) for node in walk_local(statements, into_loops=False))


def _exits_process(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        name = dotted_name(statement.value.func) or ""
        return name in ("sys.exit", "exit", "os._exit")
    return False


def _pauses_or_bounds(loop: ast.AST) -> bool:
    """A sleep/backoff/wait call, or a counter that is both advanced and compared in the loop."""
    advanced: set[str] = set()
    compared: set[str] = set()
    for node in walk_local([*loop.body, *getattr(loop, "orelse", [])]):  # type: ignore[attr-defined]
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").lower()
            if any(word in name for word in _PAUSE_WORDS):
                return True
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            advanced.add(node.target.id)
        elif isinstance(node, ast.Compare):
            compared.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    return bool(advanced & compared)


def _header_span(lines: LineIndex, loop: ast.AST) -> Span:
    start = lines.span(loop)
    header_end = getattr(loop, "test", None) or getattr(loop, "iter", None)
    end = lines.span(header_end) if header_end is not None else start
    return Span(start.line, start.column, end.end_line, end.end_column)


@check(
    "ARC402",
    title="Retry loop without backoff or bound",
    principle="resilience",
    severity=Severity.WARNING,
    rationale="""A loop that catches a failure and immediately tries again turns one outage into a
    storm: it hammers the failing service as fast as the CPU allows, never gives up, and hides the
    error from whoever could act on it. Retries need a pause that grows between attempts and a limit
    after which the error is raised.""",
    instead="Retry a bounded number of times with exponential backoff and jitter (for example with "
    "tenacity or backoff), then re-raise.",
)
def retry_without_backoff(ctx: ModuleContext) -> Iterator[RawFinding]:
    index = tree_index(ctx.tree, ctx.text)
    for loop in index.loops:
        if not isinstance(loop, _LOOPS) or not _is_unbounded(loop):
            continue
        handler = _retrying_handler(loop)
        if handler is None or _pauses_or_bounds(loop):
            continue
        caught = ast.unparse(handler.type) if handler.type is not None else "every exception"
        yield RawFinding(
            code="ARC402",
            message=f"Retry loop catches {caught} and tries again at once, with no backoff and no "
            "attempt limit",
            span=_header_span(index.lines, loop),
            data={"handler_line": handler.lineno},
        )


# -- ARC502 ------------------------------------------------------------------------------------

_DATA_OBJECT = re.compile(
    r"^(?:.*_)?(?:session|sess|db|database|conn|connection|cursor|cur|repo|repository|uow)s?$"
)


def _receiver_is_data_object(func: ast.Attribute) -> str | None:
    """The dotted receiver when some part of it names a session, connection, cursor or repository."""
    node: ast.AST = func.value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value  # session.query(User).filter(...) -> session
    name = dotted_name(node)
    if name is None:
        return None
    parts = [part.lstrip("_").lower() for part in name.split(".")]
    return name if any(_DATA_OBJECT.match(part) for part in parts if part not in ("self", "cls")) else None


def _loop_variables(loop: ast.AST) -> set[str]:
    names: set[str] = set()
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        names.update(n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name))
    elif isinstance(loop, _COMPREHENSIONS):
        for generator in loop.generators:
            names.update(n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name))
    if isinstance(loop, _LOOPS):
        # Values derived from the loop variable (``cid = order.customer_id``) count as it too.
        for statement in loop.body:
            if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is None:
                continue
            if _uses(statement.value, names) or isinstance(loop, ast.While):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _uses(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


@check(
    "ARC502",
    title="N+1 query: a query per loop iteration",
    principle="data-layer",
    severity=Severity.WARNING,
    rationale="""Issuing one query per item of a loop makes the number of round trips grow with the
    data: fast with ten rows in a test, slow with ten thousand in production. The database can
    answer the whole question at once, and the repository is the place to ask it that way.""",
    instead="Load everything the loop needs in one query (an IN clause, a join, selectinload, or a "
    "repository method that takes many ids) before the loop.",
)
def n_plus_one_query(ctx: ModuleContext) -> Iterator[RawFinding]:
    index = tree_index(ctx.tree, ctx.text)
    variables_of: dict[int, set[str]] = {}
    for call, loops in index.loop_calls:
        func = call.func
        assert isinstance(func, ast.Attribute)
        receiver = _receiver_is_data_object(func)
        if receiver is None:
            continue
        variables: set[str] = set()
        for loop in loops:
            if id(loop) not in variables_of:
                variables_of[id(loop)] = _loop_variables(loop)
            variables |= variables_of[id(loop)]
        arguments = [*call.args, *(kw.value for kw in call.keywords)]
        if not any(_uses(argument, variables) for argument in arguments):
            continue
        yield RawFinding(
            code="ARC502",
            message=f"`{receiver}.{func.attr}(...)` runs once per loop iteration (N+1 queries)",
            span=index.lines.span(call),
            data={"receiver": receiver, "method": func.attr},
        )


# -- ARC701 ------------------------------------------------------------------------------------


@check(
    "ARC701",
    title="Hard-coded credential",
    principle="security",
    severity=Severity.ERROR,
    rationale="""A secret written into the source is shared with everyone who can read the
    repository, its history, its forks and every log or model prompt the code passes through, and it
    cannot be rotated without a deploy. Credentials belong in the environment or a secret store.""",
    instead="Read the secret from the environment or a secret manager at start-up, and rotate the "
    "one that was committed.",
)
def hard_coded_credential(ctx: ModuleContext) -> Iterator[RawFinding]:
    index = tree_index(ctx.tree, ctx.text)
    for literal, name in index.strings:
        value = literal.value
        kind = known_token_kind(value)
        if kind is not None:
            message = f"Hard-coded credential: this literal contains a {kind}"
        elif name is not None and is_secret_name(name) and looks_like_secret_value(value):
            kind = "secret"
            message = f"Hard-coded credential: a secret-looking value is assigned to `{name}`"
        else:
            continue
        # The message and data never carry the value itself.
        yield RawFinding(code="ARC701", message=message, span=index.lines.span(literal), data={"kind": kind})
