"""Retry loops without backoff or bound (ARC402): an unbounded loop whose handler swallows a
failure and runs the same attempt again at once.

Owns the judgment of what bounds or paces such a loop (a counter, a deadline, the clock, a sleep
or a readiness wait) and of what is not a retry at all (signals and cancellations, re-prompts,
walking pages, a status the loop tests). It reads the loops the facts pass indexed instead of
walking the whole tree again.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ..codes import ARC402
from ..findings import Span
from .astutil import LineIndex, dotted_name, walk_local
from .extract import tree_index
from .registry import ModuleContext, RawFinding, check

_LOOPS = (ast.For, ast.AsyncFor, ast.While)


_PAUSE_WORDS = ("sleep", "backoff", "wait")
# Readiness waits that block until a descriptor is ready or their timeout passes (``select.select``,
# ``selector.select(timeout)``, ``poller.poll(timeout)``): a loop that parks in one each time round
# does not try again at once. ``proc.poll()`` without an argument only peeks, and a one-argument
# ``select(User)`` is SQLAlchemy building a query, so both are told apart by their arguments.
_READINESS_WAITS = ("select", "poll")
_EXITS = (ast.Raise, ast.Return, ast.Break)
# Signals rather than failures: catching them is control flow, not a retry (matched on the last
# part of the caught name, so ``asyncio.CancelledError`` counts). InterruptedError (EINTR) is meant
# to be retried at once. A cancellation caught in a loop that waits again (re-acquiring a lock the
# way ``asyncio.Condition.wait`` must, awaiting the same shielded future) repeats a wait, not an
# operation that failed.
_NOT_FAILURES = frozenset(
    {"StopIteration", "StopAsyncIteration", "KeyboardInterrupt", "GeneratorExit", "InterruptedError",
     "CancelledError", "Cancelled"}
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
            caught = {(dotted_name(t) or "").rsplit(".", 1)[-1] for t in _caught_types(handler)}
            if caught & _NOT_FAILURES or _only_on_interrupt(handler):
                continue
            if caught and caught <= _QUEUE_SIGNALS and _waits_on_a_queue(node.body):  # type: ignore[attr-defined]
                continue
            if _always_leaves(handler.body):
                continue  # raises, returns or breaks on every path: nothing is tried again
            others = [s for s in body if s is not node]
            if _makes_progress(node.body, [*handler.body, *others]):  # type: ignore[attr-defined]
                continue
            if _advances_a_reader([*handler.body, *others], node):
                continue
            if _status_decides_exit(handler, following):
                continue
            return handler
    return None


def _always_leaves(statements: list[ast.stmt]) -> bool:
    """Every path raises, returns, breaks or exits (``if started: raise RuntimeError(...)`` /
    ``else: raise NotXMLError(...)``): nothing falls through to another attempt."""
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, _EXITS) or _exits_process(last):
        return True
    if isinstance(last, ast.If):
        return _always_leaves(last.body) and _always_leaves(last.orelse)
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return _always_leaves(last.body)
    return False


# Calls that move a reader on (a stream's next block or line, an iterator's next item, a parser fed).
_READER_CALLS = frozenset({"read", "read1", "readinto", "readline", "readlines", "recv", "recv_into",
                           "recvfrom", "next", "__next__", "anext", "feed", "parse", "Parse"})


def _advances_a_reader(elsewhere: list[ast.stmt], attempt: ast.AST) -> bool:
    """The loop moves a reader on outside the attempt (``data = stream.read(BLOCK)``, ``line =
    next(lines)``): a streaming read loop whose handler probes state (``except IndexError`` on an
    empty deque) and reads on; each pass works on new input. A read inside the ``try`` is the
    attempt itself and does not count."""
    inside = {id(node) for node in ast.walk(attempt)}
    for node in walk_local(elsewhere, into_loops=False):
        if id(node) in inside or not isinstance(node, ast.Call):
            continue
        if (dotted_name(node.func) or "").rsplit(".", 1)[-1] in _READER_CALLS:
            return True
    return False


# What a queue raises when nothing arrived (or no room freed) within the wait: a timeout, not a failure.
_QUEUE_SIGNALS = frozenset({"Empty", "Full", "QueueEmpty", "QueueFull"})


def _waits_on_a_queue(attempt: list[ast.stmt]) -> bool:
    """``queue.get(timeout=0.5)``, ``q.get(True, 1)``, ``q.put(item, True, 1)``: each pass waits up
    to the timeout for an item, so ``except Empty: continue`` polls, it does not spin
    (``get_nowait()`` in the same loop does)."""
    for node in walk_local(attempt):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "put")):
            continue
        timeout = next((kw.value for kw in node.keywords if kw.arg == "timeout"), None)
        if timeout is None:
            positional = 1 if node.func.attr == "get" else 2
            timeout = node.args[positional] if len(node.args) > positional else None
        if timeout is not None and not (isinstance(timeout, ast.Constant) and timeout.value is None):
            return True
    return False


def _only_on_interrupt(handler: ast.ExceptHandler) -> bool:
    """``except OSError as e: if e.errno != errno.EINTR: raise`` (or ``if e.args[0] == EINTR:
    continue`` / ``else: raise``): the loop re-runs only an interrupted system call, which is
    meant to be repeated at once, and re-raises every real failure."""
    for node in walk_local(handler.body):
        test = node.test if isinstance(node, ast.If) else None
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1) or not any(
            (dotted_name(n) or "").rsplit(".", 1)[-1] == "EINTR"
            for n in ast.walk(test) if isinstance(n, (ast.Name, ast.Attribute))
        ):
            continue
        # The branch the interrupt does not take must re-raise.
        other = node.orelse if isinstance(test.ops[0], (ast.Eq, ast.In, ast.Is)) else node.body
        if other and isinstance(other[-1], ast.Raise):
            return True
    return False


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
    """A sleep/backoff/wait call or a readiness wait (``select``/``poll`` with a timeout), a
    counter that is both advanced and tested in the loop (``attempts += 1`` … ``if attempts >
    limit``, ``left = left - 1`` … ``if not left``, ``for attempt in itertools.count()`` … ``if
    attempt == n``), a test that reads a name stating the bound (``if self.retries >=
    self.max_retries``, ``if time.monotonic() > deadline``), or a comparison against the clock
    (``if time.monotonic() - start > timeout``)."""
    statements = [*loop.body, *getattr(loop, "orelse", [])]  # type: ignore[attr-defined]
    clock_names = _clock_readings(statements)
    advanced = _target_names(loop)
    tested: set[str] = set()
    for node in walk_local(statements):
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").lower()
            # ``get_nowait``/``put_nowait`` say the opposite of a wait.
            waits = name.replace("_nowait", "").replace("nowait", "")
            if any(word in waits for word in _PAUSE_WORDS) or _is_readiness_wait(node, name):
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
            if isinstance(node, ast.Compare) and _compares_with_clock(node, clock_names):
                return True
            names = {dotted_name(n) for n in ast.walk(condition) if isinstance(n, (ast.Name, ast.Attribute))}
            if any(name and _BOUND_NAME.search(name.rsplit(".", 1)[-1]) for name in names):
                return True
            tested.update(name for name in names if name)
    advanced.discard("")
    return bool(advanced & tested)


def _is_readiness_wait(call: ast.Call, name: str) -> bool:
    """``select.select(r, w, x[, timeout])``, ``selector.select(timeout)``,
    ``checker.select(sock, read, write, timeout)``, ``poller.poll(timeout)``: a call that blocks
    until a descriptor is ready. Told from ``proc.poll()`` (a peek) and SQLAlchemy's
    ``select(User)`` (a query) by its receiver or its arguments."""
    last = name.rsplit(".", 1)[-1]
    if last not in _READINESS_WAITS:
        return False
    if any(keyword.arg == "timeout" for keyword in call.keywords):
        return True
    if last == "poll":
        return bool(call.args)
    receiver = name.rpartition(".")[0]
    return len(call.args) >= 3 or any(word in receiver for word in ("select", "poll", "checker"))


# Calls that read the clock; a comparison against one (or a name the loop set from one) is a
# deadline, whatever the names are called.
_CLOCK_CALLS = frozenset({"monotonic", "monotonic_ns", "time", "time_ns", "perf_counter", "perf_counter_ns",
                          "now", "utcnow"})
# Names that hold a time bound; compared with something other than a constant (``elapsed >
# timeout``, not ``timeout == 0``), they are the loop's deadline.
_TIME_BOUND_NAME = re.compile(r"timeout|deadline|elapsed|expir|remaining|time_?left", re.IGNORECASE)


def _is_clock_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call)
            and (dotted_name(node.func) or "").rsplit(".", 1)[-1].lower() in _CLOCK_CALLS)


def _clock_readings(statements: list[ast.stmt]) -> set[str]:
    """Names the loop sets from the clock (``now = time.monotonic()``)."""
    return {dotted_name(target) or "" for node in walk_local(statements)
            if isinstance(node, ast.Assign) and _is_clock_call(node.value)
            for target in node.targets} - {""}


def _compares_with_clock(compare: ast.Compare, clock_names: set[str]) -> bool:
    """``time.monotonic() - start > timeout``, ``now >= deadline``, ``elapsed > self.timeout``."""
    operands = [compare.left, *compare.comparators]
    for operand in operands:
        for node in ast.walk(operand):
            if _is_clock_call(node):
                return True
            if isinstance(node, (ast.Name, ast.Attribute)) and dotted_name(node) in clock_names:
                return True
    # ``timeout == 0``, ``timeout is None``: a mode, not a deadline; the bound must be compared
    # with something the loop measures.
    measured = [operand for operand in operands if not isinstance(operand, ast.Constant)]
    return len(measured) >= 2 and any(_is_time_bound(operand) for operand in measured)


def _is_time_bound(node: ast.AST) -> bool:
    name = dotted_name(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    return bool(name and _TIME_BOUND_NAME.search(name.rsplit(".", 1)[-1]))


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
