"""Runtime-behaviour checks: retry loops without backoff (ARC402) and hard-coded credentials
(ARC701). N+1 queries (ARC502) live in ``checks_queries``.

They read the node index the facts pass gathered (loops, query-shaped calls inside loops, string
literals) instead of walking the whole tree again.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ..codes import ARC402, ARC701
from ..findings import Severity, Span
from .astutil import LineIndex, dotted_name, walk_local
from .context import is_test_path, relative_to_root
from .extract import TreeIndex, tree_index
from .registry import ModuleContext, RawFinding, check
from .secret_shapes import AWS_SECRET_KEY, URL_KINDS
from .secrets import (
    LESS_CERTAIN_KINDS,
    STRUCTURAL_KINDS,
    chosen_url_password,
    find_split_secrets,
    is_password_name,
    is_secret_name,
    is_weak_secret_name,
    known_token_kind,
    looks_like_secret_value,
    names_documentation,
)

_LOOPS = (ast.For, ast.AsyncFor, ast.While)


# -- ARC402 ------------------------------------------------------------------------------------

_PAUSE_WORDS = ("sleep", "backoff", "wait")
_EXITS = (ast.Raise, ast.Return, ast.Break)
# Signals rather than failures: catching them is control flow, not a retry.
# InterruptedError (EINTR) is meant to be retried at once.
_NOT_FAILURES = frozenset(
    {"StopIteration", "StopAsyncIteration", "KeyboardInterrupt", "GeneratorExit", "InterruptedError"}
)


def _is_unbounded(loop: ast.AST) -> bool:
    """``while True``, ``while not <flag>`` or ``for _ in itertools.count()``.

    ``while queue:`` / ``while url:`` loops drain or walk something (work queues, redirects,
    pages): each pass does different work, so they are not retry loops.
    """
    if isinstance(loop, ast.While):
        test = loop.test
        if isinstance(test, ast.Constant):
            return bool(test.value)
        # A flag loop (``while not connected:``) has no bound of its own either.
        return (
            isinstance(test, ast.UnaryOp)
            and isinstance(test.op, ast.Not)
            and isinstance(test.operand, (ast.Name, ast.Attribute))
            and _assigned_in(loop.body, dotted_name(test.operand))
        )
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        name = dotted_name(loop.iter.func) if isinstance(loop.iter, ast.Call) else None
        return name is not None and name.rsplit(".", 1)[-1] in ("count", "cycle", "repeat")
    return False


def _assigned_in(statements: list[ast.stmt], name: str | None) -> bool:
    """The loop itself sets its flag (``connected = True`` after success, or a call on the flag's
    owner): a retry's shape; a server loop's ``while not self._closing`` is flipped elsewhere."""
    if name is None:
        return False
    owner = name.rpartition(".")[0]
    for node in walk_local(statements, into_loops=False):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(dotted_name(t) == name for t in targets):
                return True
        # ``while not bus.connected: bus.connect()``: the attempt flips its owner's flag.
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and owner
              and owner not in ("self", "cls") and dotted_name(node.func.value) == owner):
            return True
    return False


def _retrying_handler(loop: ast.AST) -> ast.ExceptHandler | None:
    """A handler that swallows a failure so the loop runs the same attempt again.

    It is a retry only when success leaves the loop (a ``return``/``break`` in the ``try``, its
    ``else``, or after it in the loop body; for a flag loop such as ``while not connected`` the
    condition does that) and the handler does not leave it. A ``while True`` that merely survives
    an error while doing other work (reading input, parsing) is not a retry loop, nor is one that
    moves on between attempts (the next redirect, page, address or smaller argument) or asks a
    person again (re-prompting).
    """
    body: list[ast.stmt] = loop.body  # type: ignore[attr-defined]
    flag_loop = isinstance(loop, ast.While) and not isinstance(loop.test, ast.Constant)
    for node in walk_local(body, into_loops=False):
        if not (isinstance(node, ast.Try) or type(node).__name__ == "TryStar"):
            continue
        following = body[body.index(node) + 1 :] if node in body else []
        if not flag_loop and not _leaves_loop([*node.body, *node.orelse, *following]):  # type: ignore[attr-defined]
            continue
        if _asks_a_person(node.body):  # type: ignore[attr-defined]
            continue
        for handler in node.handlers:  # type: ignore[attr-defined]
            caught = {(dotted_name(t) or "") for t in _caught_types(handler)}
            if caught & _NOT_FAILURES:
                continue
            last = handler.body[-1]
            if isinstance(last, _EXITS) or _exits_process(last):
                continue
            others = [s for s in body if s is not node]
            if _makes_progress(node.body, [*handler.body, *others]):  # type: ignore[attr-defined]
                continue
            if _status_decides_exit(handler, following):
                continue
            return handler
    return None


def _status_decides_exit(handler: ast.ExceptHandler, following: list[ast.stmt]) -> bool:
    """The handler turns the error into a status the loop then tests to leave
    (``except pycurl.error as e: ret = e.args[0]`` … ``if ret != PERFORM: break``): the loop
    repeats on one status code, not on any failure."""
    bound = {t.id for node in walk_local(handler.body) if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name)}
    if not bound:
        return False
    for statement in following:
        if isinstance(statement, ast.If) and _uses_name(statement.test, bound) and _leaves_loop(statement.body):
            return True
    return False


def _uses_name(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


_PROMPT_WORDS = ("input", "prompt", "ask", "confirm", "getpass", "readline", "choice", "getkey", "getch", "getwch")
_LOGGING_WORDS = ("log", "warn", "print", "debug", "info", "error", "exception", "echo")


def _asks_a_person(attempt: list[ast.stmt]) -> bool:
    for node in walk_local(attempt):
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
            if any(word in name for word in _PROMPT_WORDS):
                return True
    return False


def _makes_progress(attempt: list[ast.stmt], elsewhere: list[ast.stmt]) -> bool:
    """Whether the loop changes what the attempt works on between passes: it assigns or mutates
    a name the attempt reads (``url = response.next``, ``groups[:] = groups[:-1]``,
    ``self.cursor.nextset()``, ``pop(addr_infos)``)."""
    read: set[str] = set()
    for node in walk_local(attempt):
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            name = dotted_name(node)
            if name and name not in ("self", "cls"):
                read.add(name)
    if not read:
        return False
    for node in walk_local(elsewhere):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(dotted_name(t) in read for t in targets):
                return True
        elif isinstance(node, ast.Call):
            callee = (dotted_name(node.func) or "").lower()
            if any(word in callee.rsplit(".", 1)[-1] for word in _LOGGING_WORDS):
                continue
            receiver = dotted_name(node.func.value) if isinstance(node.func, ast.Attribute) else None
            if receiver in read or any(isinstance(a, ast.Name) and a.id in read for a in node.args):
                return True
    return False


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


# A name that states the bound itself: ``max_retries``, ``self.attempts``, ``retries_left``, a
# ``deadline``; an ``if`` that reads one is the loop's way out.
_BOUND_NAME = re.compile(r"retr(?:y|ies)|attempt|tries|budget|deadline|give_?up|exhaust", re.IGNORECASE)


def _pauses_or_bounds(loop: ast.AST) -> bool:
    """A sleep/backoff/wait call, a counter that is both advanced and tested in the loop
    (``attempts += 1`` … ``if attempts > limit``, ``left = left - 1`` … ``if not left``,
    ``for attempt in itertools.count()`` … ``if attempt == n``), or a test that reads a name
    stating the bound (``if self.retries >= self.max_retries``, ``if time.monotonic() > deadline``)."""
    advanced = _target_names(loop)
    tested: set[str] = set()
    for node in walk_local([*loop.body, *getattr(loop, "orelse", [])]):  # type: ignore[attr-defined]
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").lower()
            if any(word in name for word in _PAUSE_WORDS):
                return True
            if name == "next" and node.args:  # ``attempt = next(counter)``
                advanced.add(dotted_name(node.args[0]) or "")
        elif isinstance(node, ast.AugAssign):
            advanced.add(dotted_name(node.target) or "")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.BinOp):
            operands = {dotted_name(node.value.left), dotted_name(node.value.right)}
            advanced.update(t for t in (dotted_name(target) for target in node.targets) if t in operands)
        elif isinstance(node, (ast.If, ast.IfExp, ast.Assert, ast.Compare)):
            condition = node.test if isinstance(node, (ast.If, ast.IfExp, ast.Assert)) else node
            names = {dotted_name(n) for n in ast.walk(condition) if isinstance(n, (ast.Name, ast.Attribute))}
            if any(name and _BOUND_NAME.search(name.rsplit(".", 1)[-1]) for name in names):
                return True
            tested.update(name for name in names if name)
    advanced.discard("")
    return bool(advanced & tested)


def _target_names(loop: ast.AST) -> set[str]:
    """The counter a ``for attempt in itertools.count()`` loop advances."""
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        return {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    return set()


def _header_span(lines: LineIndex, loop: ast.AST) -> Span:
    start = lines.span(loop)
    header_end = getattr(loop, "test", None) or getattr(loop, "iter", None)
    end = lines.span(header_end) if header_end is not None else start
    return Span(start.line, start.column, end.end_line, end.end_column)


@check(ARC402)
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
            code=ARC402,
            message=f"Retry loop catches {caught} and tries again at once, with no backoff and no "
            "attempt limit",
            span=_header_span(index.lines, loop),
            data={"handler_line": handler.lineno},
        )


# -- ARC701 ------------------------------------------------------------------------------------


@check(ARC701)
def hard_coded_credential(ctx: ModuleContext) -> Iterator[RawFinding]:
    index = tree_index(ctx.tree, ctx.text)
    # Test code is full of made-up DSNs, JWTs and passwords; a vendor-format key there is still
    # a leak (it may be live), so only those are reported in tests.
    in_tests = is_test_path(_relative(ctx))
    reported: set[int] = set()
    for literal, name in index.strings:
        value = literal.value
        kind = known_token_kind(value)
        if kind is not None and kind in STRUCTURAL_KINDS and _made_up(name, value, kind, in_tests):
            continue  # a DSN in a docstring or EXAMPLES, a JWT in a test fixture
        if kind is not None:
            message = f"Hard-coded credential: this literal contains a {kind}"
        elif not in_tests and name is not None and is_secret_name(name) and _secret_value(name, value):
            kind = "secret"
            message = f"Hard-coded credential: a secret-looking value is assigned to `{name}`"
        else:
            continue
        reported.add(id(literal))
        yield _credential(index.lines.span(literal), kind, message)
    yield from _split_credentials(ctx, index, reported, in_tests)


def _made_up(name: str | None, value: str, kind: str, in_tests: bool) -> bool:
    """A shape-only credential in test code, or in documentation (a docstring, ``EXAMPLES``) unless
    it is a URL whose password looks chosen: a real one pasted into the docs is still a leak."""
    if in_tests:
        return True
    documentation = names_documentation(name) and _is_prose(value)
    return documentation and not (kind in URL_KINDS and chosen_url_password(value))


def _secret_value(name: str, value: str) -> bool:
    if is_weak_secret_name(name):  # ``auth = "bearer"`` names a scheme: only a random value counts
        return looks_like_secret_value(value, name=name)
    return looks_like_secret_value(value, password=is_password_name(name), name=name)


def _credential(span: Span, kind: str, message: str) -> RawFinding:
    # ``error`` is for what a reviewer blocks a merge on: a vendor key, a private key, a
    # database URL with its password. A token recognised by shape alone, or a value judged
    # by the name it is bound to, may be a fixture or an id: a warning.
    severity = Severity.WARNING if kind in LESS_CERTAIN_KINDS or kind == "secret" else None
    # The message and data never carry the value itself.
    return RawFinding(code=ARC701, message=message, span=span, data={"kind": kind}, severity=severity)


def _split_credentials(ctx: ModuleContext, index: TreeIndex, reported: set[int], in_tests: bool) -> Iterator[RawFinding]:
    """Credentials no single literal shows: a token split over concatenated literals
    (``"sk_live_" + "…"``) and an AWS secret access key beside its key id (``("AKIA…", "…")``).
    The text scanner finds them; each is reported on the literal it starts in, once."""
    for hit in find_split_secrets(ctx.text):
        if in_tests and hit.kind in STRUCTURAL_KINDS:
            continue
        for literal, _ in index.strings:
            span = index.lines.span(literal)
            if id(literal) not in reported and span.contains(hit.span.line, hit.span.column):
                reported.add(id(literal))
                message = (f"Hard-coded credential: these concatenated literals hold a {hit.kind}"
                           if hit.kind != AWS_SECRET_KEY else
                           "Hard-coded credential: an AWS secret access key beside its access key id")
                yield _credential(span, hit.kind, message)
                break


def _relative(ctx: ModuleContext) -> str:
    return relative_to_root(ctx.path, ctx.root) or ctx.path.name


def _is_prose(value: str) -> bool:
    """Documentation rather than a value: several lines, or a sentence of words."""
    return "\n" in value.strip() or len(value.split()) > 3
