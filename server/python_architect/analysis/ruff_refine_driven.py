"""The blocking-call codes in a coroutine nothing runs beside (issue 21, seventh reading).

``ASYNC2xx``/``ASYNC251`` say a blocking call in ``async def`` stalls every other task on the
loop. A coroutine defined inside a plain function and driven to completion right there, by a call
that runs one coroutine on a loop of its own (``asyncio.run(touch())``, ``runner.run(work())``,
snakemake's ``self.workflow.async_run(touch())``, ``loop.run_until_complete(main())``, or a
thread that runs it so: ``pool.submit(asyncio.run, main(path))``), is the only task on that loop: the blocking call blocks its caller, as it would in plain code. Reported
still when the coroutine is also handed elsewhere (``create_task``, ``gather``, returned, stored)
or is driven by anything else (a call with arguments that is no runner). Pure functions of (near, lines, finding); no state.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .registry import RawFinding
from .ruff_judge_nodes import name_of

_DRIVERS = frozenset({"run", "async_run", "run_until_complete", "run_sync", "run_coroutine"})
BLOCKING_CODES = ("ASYNC210", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230", "ASYNC240",
                  "ASYNC250", "ASYNC251")

Judge = Callable[[list[ast.AST], list[str], RawFinding], bool]


def driven_alone(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """The finding's innermost ``async def`` is nested in a plain function that only drives it."""
    line = finding.span.line
    functions = sorted((node for node in near if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and node.lineno <= line <= (node.end_lineno or node.lineno)),
                       key=lambda node: node.lineno)
    coroutine = next((node for node in reversed(functions) if isinstance(node, ast.AsyncFunctionDef)), None)
    if coroutine is None:
        return False
    owner = next((node for node in reversed(functions) if node is not coroutine
                  and isinstance(node, ast.FunctionDef) and _defines(node, coroutine)), None)
    if owner is None:
        module = next((node for node in near if isinstance(node, ast.Module)), None)
        return module is not None and _only_driven_in(module, coroutine)
    uses = [node for node in _own_nodes(owner.body, coroutine)
            if isinstance(node, ast.Name) and node.id == coroutine.name]
    if not uses:
        return False
    parents = {id(child): node for node in _own_nodes(owner.body, coroutine) for child in ast.iter_child_nodes(node)}
    for use in uses:
        call = parents.get(id(use))
        if not (isinstance(call, ast.Call) and call.func is use):
            return False  # referenced otherwise: handed on, stored
        if not _driven(call, parents.get(id(call))):
            return False
    return True


def _driven(call: ast.Call, driver: ast.AST | None) -> bool:
    """``call`` (a coroutine) is run on a loop of its own: ``asyncio.run(call)``, or handed with
    the runner to a thread (``pool.submit(asyncio.run, call)``, nbconvert's webpdf exporter;
    ``loop.run_in_executor(None, asyncio.run, call)``): the runner is passed just before it."""
    if not isinstance(driver, ast.Call) or call not in driver.args:
        return False
    position = driver.args.index(call)
    if position == 0:
        return name_of(driver.func) in _DRIVERS
    runner = driver.args[position - 1]
    return isinstance(runner, (ast.Name, ast.Attribute)) and name_of(runner) in _DRIVERS


def _only_driven_in(module: ast.Module, coroutine: ast.AsyncFunctionDef) -> bool:
    """A module-level coroutine or a method whose every mention in the module is a call driven at
    once on a loop of its own (flytekit's ``local_connector_loop.run_until_complete(self._get(...))``
    on a private loop, issue 21's ninth reading). A private name (``_get``) only: a public one may
    be awaited by other modules, beside other tasks."""
    if not coroutine.name.startswith("_") or coroutine.name.startswith("__"):
        return False
    parents = {id(child): node for node in ast.walk(module) for child in ast.iter_child_nodes(node)}
    mentions = [node for node in ast.walk(module)
                if (isinstance(node, ast.Name) and node.id == coroutine.name)
                or (isinstance(node, ast.Attribute) and node.attr == coroutine.name)]
    if not mentions:
        return False
    for mention in mentions:
        call = parents.get(id(mention))
        driver = parents.get(id(call))
        if not (isinstance(call, ast.Call) and call.func is mention and isinstance(driver, ast.Call)
                and driver.args and driver.args[0] is call and name_of(driver.func) in _DRIVERS):
            return False
    return True


def _defines(function: ast.FunctionDef, coroutine: ast.AsyncFunctionDef) -> bool:
    """``coroutine`` is defined in ``function``'s own body (in any block, not in a nested def)."""
    return any(node is coroutine for node in _own_nodes(function.body, None))


def _own_nodes(statements: list[ast.stmt], skip: ast.AST | None):
    """Every node of ``statements`` outside nested function bodies (a nested def itself is
    yielded); ``skip``'s subtree is left out."""
    stack: list[ast.AST] = list(reversed(statements))
    while stack:
        node = stack.pop()
        if node is skip:
            continue
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def with_driven(judges: dict[str, Judge]) -> dict[str, Judge]:
    """``judges`` with ``driven_alone`` added for each blocking code (or'd with its own judge)."""
    return or_into(judges, dict.fromkeys(BLOCKING_CODES, driven_alone))


def or_into(judges: dict[str, Judge], extra: dict[str, Judge]) -> dict[str, Judge]:
    """``judges`` with each of ``extra``'s judges or'd into the same code's own (the refiner
    modules that add a class to codes other modules already judge merge through this)."""
    merged = dict(judges)
    for code, judge in extra.items():
        own = merged.get(code)
        merged[code] = judge if own is None else _either(own, judge)
    return merged


def _either(first: Judge, second: Judge) -> Judge:
    def judge(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
        return first(near, lines, finding) or second(near, lines, finding)
    return judge
