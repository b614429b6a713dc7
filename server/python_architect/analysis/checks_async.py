"""Event-loop checks ruff's flake8-async family does not make (issue 21): whole file-tree work
on the loop (ARC301) and busy waits on a zero sleep (ARC302).

- **ARC301**: inside ``async def``, a call that walks or copies a whole directory tree
  (``shutil.copytree``/``rmtree``/``make_archive``/``unpack_archive``, ``os.walk``) runs on the
  event loop and stalls every other task for as long as the disk takes:
  seconds on a real tree. Ruff reports ``open()`` (ASYNC230) and ``subprocess`` (ASYNC221) made
  right there, but nothing for ``shutil``, and nothing behind a call: so a plain (sync) function
  of the same module, or a sync method of the same class called as ``self.name()``, that does
  one of these or runs a process is reported where the ``async def`` calls it (one level deep).
  Handing the work to a thread (``asyncio.to_thread(shutil.rmtree, p)``, ``run_in_executor``, a
  lambda or nested def passed along) calls nothing on the loop and is not reported.
- **ARC302**: a ``while`` loop in ``async def`` whose only awaits are ``sleep(0)`` (or a sleep of
  at most a millisecond) and which otherwise only tests conditions, reads clocks and leaves: it
  spins the CPU until another task changes the condition, with no bound unless it has a
  deadline. A loop that does work between the zero sleeps (a cooperative yield in a batch loop)
  or awaits anything else (a queue, an event, a read) is not a busy wait.

Names are resolved through the module's imports (``from shutil import copytree`` is
``shutil.copytree``) as the facts pass recorded them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..codes import ARC301, ARC302
from .astutil import dotted_name, walk_local
from .extract import TreeIndex, tree_index
from .registry import ModuleContext, RawFinding, check

BLOCKING_TREE_CALLS = frozenset({
    "shutil.copytree", "shutil.rmtree", "shutil.make_archive", "shutil.unpack_archive", "os.walk",
})
"""Whole-tree work with no async form in the standard library. ``shutil.move``/``copy*`` of one
file are left out: mostly a rename or a small copy (prefect's ``shutil.move("Dockerfile", ...)``
in a CLI prompt), and nothing on the syntax tells a tree from a file."""
PROCESS_CALLS = frozenset({
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
    "os.system",
})
"""Blocking process runs: ruff reports them made right in ``async def`` (ASYNC221), not behind a call."""
SLEEPS = frozenset({"asyncio.sleep", "anyio.sleep", "trio.sleep"})
SPIN_SECONDS = 0.001
"""A sleep this short (or zero) between polls is a spin, not a pause."""
_CLOCKS = frozenset({"time", "monotonic", "perf_counter", "monotonic_ns", "time_ns", "perf_counter_ns", "len"})
_EXITS = (ast.Return, ast.Raise, ast.Break, ast.Continue)


def _resolved(call: ast.Call, aliases: dict[str, str]) -> str | None:
    name = dotted_name(call.func)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    target = aliases.get(head, head)
    return f"{target}.{rest}" if rest else target


# -- ARC301 ------------------------------------------------------------------------------------

@check(ARC301)
def blocking_tree_work_in_async(ctx: ModuleContext) -> Iterator[RawFinding]:
    index = tree_index(ctx.tree, ctx.text)
    if not index.async_defs:
        return
    aliases = index.call_aliases
    helpers = _sync_helpers(ctx.tree.body, aliases)
    owners = {id(member): statement for statement in ctx.tree.body if isinstance(statement, ast.ClassDef)
              for member in statement.body}
    by_class: dict[int, dict[str, tuple[str, int]]] = {}  # each class's helpers, found once
    for function in index.async_defs:
        owner = owners.get(id(function))
        methods = {} if owner is None else by_class.setdefault(id(owner), _sync_helpers(owner.body, aliases))
        nodes = list(walk_local(function.body))
        # An awaited call of a sync-looking helper returns an awaitable (a decorator made it one).
        awaited = {id(node.value) for node in nodes if isinstance(node, ast.Await)}
        for node in nodes:
            if not isinstance(node, ast.Call) or id(node) in awaited:
                continue
            name = _resolved(node, aliases)
            if name in BLOCKING_TREE_CALLS:
                yield _finding(index, node, f"`{name}` in `async def {function.name}` works through the "
                                            "whole tree on the event loop")
                continue
            helper = _helper_called(node, helpers, methods)
            if helper is not None:
                callee, blocking, line = helper
                yield _finding(index, node, f"`{callee}()` runs `{blocking}` (line {line}) on the event loop "
                                            f"of `async def {function.name}`")


def _finding(index: TreeIndex, call: ast.Call, what: str) -> RawFinding:
    return RawFinding(
        code=ARC301,
        message=(f"{what}: every other task waits until it returns. Hand it to a thread "
                 "(`await asyncio.to_thread(...)`) or use an async API."),
        span=index.lines.span(call.func),
    )


_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})


def _blocking_call_in(function: ast.FunctionDef, aliases: dict[str, str]) -> tuple[str, int] | None:
    """The first blocking call a plain sync function makes itself (a decorated one may well run
    in a thread or return an awaitable: not judged)."""
    if any(dotted_name(d) not in _PLAIN_DECORATORS for d in function.decorator_list):
        return None
    for node in walk_local(function.body):
        if isinstance(node, ast.Call):
            name = _resolved(node, aliases)
            if name in BLOCKING_TREE_CALLS or name in PROCESS_CALLS:
                return name, node.lineno  # type: ignore[return-value]
    return None


def _sync_helpers(body: list[ast.stmt], aliases: dict[str, str]) -> dict[str, tuple[str, int]]:
    """The sync functions defined in ``body`` (a module's, or a class's whose methods its async
    ones call as ``self.name()``) that do blocking tree or process work: name -> (call, line)."""
    found = {}
    for statement in body:
        if isinstance(statement, ast.FunctionDef):
            blocking = _blocking_call_in(statement, aliases)
            if blocking is not None:
                found[statement.name] = blocking
    return found


def _helper_called(call: ast.Call, helpers: dict[str, tuple[str, int]],
                   methods: dict[str, tuple[str, int]]) -> tuple[str, str, int] | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in helpers:
        return (func.id, *helpers[func.id])
    if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
            and func.attr in methods):
        return (f"self.{func.attr}", *methods[func.attr])
    return None


# -- ARC302 ------------------------------------------------------------------------------------

@check(ARC302)
def busy_wait_in_async(ctx: ModuleContext) -> Iterator[RawFinding]:
    index = tree_index(ctx.tree, ctx.text)
    aliases = index.call_aliases
    for function in index.async_defs:
        for node in walk_local(function.body):
            if isinstance(node, ast.While):
                sleep = _spins(node, aliases)
                if sleep is not None:
                    yield RawFinding(
                        code=ARC302,
                        message=(f"Busy wait in `async def {function.name}`: this loop only checks and "
                                 f"`await {ast.unparse(sleep)}`, so it spins the CPU until another task "
                                 "changes the condition. Wait on an `asyncio.Event`, `Condition` or `Queue` "
                                 "(with `asyncio.timeout`) instead."),
                        span=index.lines.span(node.test),
                    )


def _spins(loop: ast.While, aliases: dict[str, str]) -> ast.Call | None:
    """The spin sleep of a loop that does nothing but poll, else None."""
    sleeps: list[ast.Call] = []
    for node in walk_local(loop.body):
        if isinstance(node, (ast.AsyncFor, ast.AsyncWith)):
            return None  # awaits something real
        if isinstance(node, ast.Await):
            value = node.value
            if not (isinstance(value, ast.Call) and _resolved(value, aliases) in SLEEPS and _tiny(value)):
                return None
            sleeps.append(value)
    if not sleeps or not all(_only_polls(statement, aliases) for statement in loop.body):
        return None
    return sleeps[0]


def _tiny(sleep: ast.Call) -> bool:
    delay = sleep.args[0] if sleep.args else next((k.value for k in sleep.keywords if k.arg in ("delay", "seconds")), None)
    return (isinstance(delay, ast.Constant) and isinstance(delay.value, (int, float))
            and not isinstance(delay.value, bool) and 0 <= delay.value <= SPIN_SECONDS)


def _only_polls(statement: ast.stmt, aliases: dict[str, str]) -> bool:
    """A statement that waits, tests, leaves or reads a clock, and does no work of its own."""
    if isinstance(statement, (ast.Pass, *_EXITS)):
        return True
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Await)  # the sleep itself (checked by the caller)
    if isinstance(statement, ast.If):
        return all(_only_polls(s, aliases) for s in [*statement.body, *statement.orelse])
    if isinstance(statement, ast.Try):
        parts = [*statement.body, *statement.orelse, *statement.finalbody,
                 *(s for handler in statement.handlers for s in handler.body)]
        return all(_only_polls(s, aliases) for s in parts)
    if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        value = statement.value
        return value is None or all(_is_clock(call, aliases) for call in ast.walk(value) if isinstance(call, ast.Call))
    return False


def _is_clock(call: ast.Call, aliases: dict[str, str]) -> bool:
    """``time.monotonic()``, ``loop.time()``, ``len(x)``: reading, not working."""
    name = _resolved(call, aliases) or ""
    return name.rsplit(".", 1)[-1] in _CLOCKS and not call.args[1:]
