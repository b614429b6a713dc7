"""False-positive judges for the error-handling and logging codes of the judgment tier (issue 21).

Owns BLE001, S110, G004, T201 and the TRY400 classes beyond ``ruff_refine``'s bare ``raise``;
merged into ``ruff_refine_judgment.REFINERS``. Each judge's docstring names what it drops and
what stays. Pure functions of (near, lines, finding); no state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from .registry import RawFinding
from .ruff_judge_level_guard import level_guarded, per_failure
from .ruff_judge_nodes import (
    LOUD_LOG_METHODS,
    call_at,
    dotted,
    enclosing_function,
    handler_at,
    in_loop,
    is_logging_call,
    keeps_traceback,
    module_has,
    name_of,
    reraised_after,
    starts_at,
    try_of,
    walk_statements,
)

_EXITS = re.compile(r"(^|_)exit(_|$)|^abort$|^fail$|^die$", re.IGNORECASE)


def is_log_call(call: ast.Call) -> bool:
    return is_logging_call(call)


# --- TRY400 -------------------------------------------------------------------------------------

def try400_travels_on(near: list[ast.AST], handler: ast.ExceptHandler, call: ast.Call | None) -> bool:
    """``logger.error`` in a handler is right when: the call records the traceback anyway
    (``exc_info=e``, ``exc_info=1``, a tuple, a debug flag: a choice made), the handler raises
    (``raise X from exc``: the exception travels on with its cause), or the exception object is
    handed to a call that records it (``self.handle_exception(exc)``), or the handler exits the
    program (its message is for the user). Nor when the same handler already logged the
    traceback before this call (``log.exception(...)`` then a ``log.error`` remediation hint), the
    message carries it (``traceback.format_exc()``, ``sys.exc_info()`` among the arguments), or
    it catches only named exception types (``except ValueError``, ``except
    redis.ConnectionError``, ``except asyncio.TimeoutError``): a failure the code expected, whose
    message states the cause, where a traceback per occurrence is noise (blind readings of issue
    21: the handlers readers judged right all caught ``Exception``, ``BaseException`` or everything;
    the ones of named types were wrong). A broad handler that logs only the message of an
    unexpected error and moves on stays reported."""
    if call is not None and (keeps_traceback(call) or _traceback_logged_before(handler, call)
                             or _traceback_in_arguments(call, handler)):
        return True
    if _catches_only_named_types(handler) or _guards_a_conversion(try_of(near, handler)):
        return True
    if any(isinstance(statement, ast.Raise) for statement in handler.body):
        return True
    if call is not None and reraised_after(handler, call):
        return True
    if _exits(handler, [n for n in walk_statements(handler.body) if isinstance(n, ast.Call)]):
        return True  # a program's last words to its user (``logger.error(exc); sys.exit(1)``)
    return _hands_on(handler, call)


_CONVERSIONS = frozenset({"int", "float", "complex", "bool", "str", "bytes", "Decimal", "Fraction", "UUID",
                          "loads", "fromisoformat", "strptime", "fromtimestamp", "ip_address", "ip_network",
                          "literal_eval", "b64decode", "urlparse", "urlsplit", "unquote"})
_VALIDATING = re.compile(r"^_*(?:sanitize|validate|coerce|convert|parse|normali[sz]e|clean)(?:_|$)", re.IGNORECASE)


def _guards_a_conversion(statement: ast.Try | None) -> bool:
    """The ``try:`` body only converts or validates a value (``status_code = int(status_code)``,
    ``name = sanitize(name)``: newrelic, issue 21's seventh reading): the only failure is a bad
    value, which the message names; a traceback of ``int()`` carries nothing."""
    if statement is None or not statement.body:
        return False
    calls = [node for node in walk_statements(statement.body) if isinstance(node, ast.Call)]
    if not calls or len(statement.body) > 2:
        return False
    simple = all(isinstance(s, (ast.Assign, ast.AnnAssign, ast.Expr, ast.Return)) for s in statement.body)
    return simple and all(name_of(call.func) in _CONVERSIONS or _VALIDATING.match(name_of(call.func))
                          for call in calls)


_BROAD_TYPES = frozenset({"Exception", "BaseException"})


def _catches_only_named_types(handler: ast.ExceptHandler) -> bool:
    """``except ValueError`` / ``except (socket.timeout, requests.Timeout)``: every type caught is
    a named one. A bare ``except``, ``Exception``, ``BaseException`` (by last name, whatever module)
    or a type that is not a plain name (``except errors()``) anywhere in the tuple is not."""
    caught = handler.type
    types = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught is not None else []
    return bool(types) and all(isinstance(t, (ast.Name, ast.Attribute)) and name_of(t) not in _BROAD_TYPES
                               for t in types)


_TRACEBACK_CALLS = frozenset({"sys.exc_info", "traceback.format_exc", "traceback.format_exception",
                              "traceback.format_tb", "traceback.format_stack", "format_exc", "exc_info"})


def _traceback_in_arguments(call: ast.Call, handler: ast.ExceptHandler | None = None) -> bool:
    """The message is built from the traceback itself: ``log.error("%s", traceback.format_exc())``,
    ``serializable_error_info_from_exc_info(sys.exc_info())`` (dagster), or a name the handler
    bound to it first (``tb = traceback.format_exc()`` then ``log.error("%s\n%s", e, tb)``: a
    tuning package, gunicorn's dirty worker)."""
    held = set()
    if handler is not None:
        for node in walk_statements(handler.body):
            if isinstance(node, ast.Assign) and _holds_traceback(node.value):
                held.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return any(_holds_traceback(node) or (isinstance(node, ast.Name) and node.id in held)
               for argument in [*call.args, *(k.value for k in call.keywords)] for node in ast.walk(argument))


def _holds_traceback(node: ast.AST) -> bool:
    return any(isinstance(inner, ast.Call) and dotted(inner.func) in _TRACEBACK_CALLS for inner in ast.walk(node))


def _traceback_logged_before(handler: ast.ExceptHandler, call: ast.Call) -> bool:
    """A logging call earlier in the same handler recorded the traceback (``log.exception``,
    ``exc_info=True``): a later ``log.error`` adds a hint, it does not lose the evidence."""
    return any(isinstance(node, ast.Call) and node is not call and is_logging_call(node)
               and keeps_traceback(node) and (node.lineno, node.col_offset) < (call.lineno, call.col_offset)
               for node in walk_statements(handler.body))


def _hands_on(handler: ast.ExceptHandler, skip: ast.Call | None = None) -> bool:
    """The bound exception goes somewhere that keeps it: an argument of a call other than a
    logging call, a name, attribute or item it is stored in, or a returned value."""
    bound = handler.name
    if not bound:
        return False
    for node in walk_statements(handler.body):
        if isinstance(node, ast.Call) and node is not skip and not is_logging_call(node) \
                and name_of(node.func) not in {"str", "repr", "format", "print", "type"}:
            if any(_is(arg, bound) for arg in [*node.args, *(k.value for k in node.keywords)]):
                return True
        elif isinstance(node, ast.Assign) and _is(node.value, bound):
            return True  # kept for later: ``self._error = exc``, ``pending = exc`` ... ``raise pending``
        elif isinstance(node, ast.Return) and node.value is not None and (
                _is(node.value, bound) or (isinstance(node.value, ast.Tuple) and any(_is(e, bound) for e in node.value.elts))):
            return True  # ``return exc`` / ``return (exc, None)``: the caller gets the error
    return False


def _is(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


# --- BLE001 -------------------------------------------------------------------------------------

def _ble001_boundary(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """A deliberate boundary: the handler logs the traceback (``log.exception``, ``exc_info=``),
    hands the exception on (``future.set_exception(exc)``, ``self._error = exc``), raises a
    domain error in its place (``raise ConfigError(...) from exc``), exits the program
    (``sys.exit``, a CLI's ``exit_with_error``), guards one cleanup call (``conn.close()``), or
    is the per-item boundary of a loop that logs at warning or above and moves on to the next
    item. ``except Exception: pass`` and a
    silent ``return None`` stay reported."""
    handler = handler_at(near, finding.span.line)
    if handler is None:
        return False
    calls = [node for node in walk_statements(handler.body) if isinstance(node, ast.Call)]
    if any(is_logging_call(call) and keeps_traceback(call) for call in calls):
        return True
    if _hands_on(handler) or _exits(handler, calls):
        return True
    statement = try_of(near, handler)
    if statement is not None and _cleanup_only(statement.body):
        return True
    loud = any(is_logging_call(call) and name_of(call.func) in LOUD_LOG_METHODS for call in calls)
    # Outside a loop a logged message is not enough: ``except Exception: log.error("refund
    # failed: %s", exc)`` around one HTTP call should name ``httpx.HTTPError`` (the example's twin).
    return loud and in_loop(near, handler)


def _exits(handler: ast.ExceptHandler, calls: list[ast.Call]) -> bool:
    """The handler ends the failure's journey visibly: it raises (a domain error translating
    this one, ``SystemExit``), re-raises through a helper (``reraise(...)``), or exits."""
    if isinstance(handler.body[-1], ast.Raise):
        return True
    return any(_EXITS.search(name_of(call.func)) or "raise" in name_of(call.func).lower()
               or dotted(call.func) in {"sys.exit", "os._exit"} for call in calls)


# --- S110 ---------------------------------------------------------------------------------------

_CLEANUP = re.compile(
    r"^(a?close\w*|closer|collect|cleanup|clean_up|shutdown|stop|terminate|kill|unlink|remove|rmdir|rmtree|cancel|"
    r"disconnect|release|join|flush|rollback|dispose|unregister|unsubscribe|detach|__exit__|__aexit__|"
    r"drop\w*|_\w*drop\w*|delete\w*|discard|wait)$")


def _s110_best_effort(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``try``/``except``/``pass`` on purpose: a probe with an ``else`` (``try: loads(dumps(x))``
    ... ``else: return x``), best-effort cleanup (``conn.close()``, dropping a test database), or
    computing a value that has a fallback after the handler (``try: return hash(obj)``,
    ``max_groups = os.sysconf(...)``). Swallowing the failure of work done for its effect (a
    notification, a write) stays reported."""
    handler = handler_at(near, finding.span.line)
    statement = try_of(near, handler) if handler is not None else None
    if statement is None:
        return False
    if statement.orelse:
        return True
    body = statement.body
    if all(_fallback_value(s) for s in body):
        return True
    return _cleanup_only(body)


def _cleanup_only(body: list[ast.stmt]) -> bool:
    """One call that releases something (``conn.close()``, ``self.connection.collect()``): a
    failure to clean up has nothing left to protect."""
    if len(body) == 1 and isinstance(body[0], ast.Delete):
        return True  # ``del os.environ[key]``: restoring state that may already be gone
    if len(body) == 1 and isinstance(body[0], ast.Expr):
        value = body[0].value
        value = value.value if isinstance(value, ast.Await) else value
        return isinstance(value, ast.Call) and bool(_CLEANUP.match(name_of(value.func)))
    return False


def _fallback_value(statement: ast.stmt) -> bool:
    """``return f(x)`` or ``name = f(x)`` (under an ``if`` too): a value the code after the
    handler does without. Storing into an attribute or an item is an effect, not a fallback."""
    if isinstance(statement, ast.If):
        return all(_fallback_value(s) for s in [*statement.body, *statement.orelse])
    if isinstance(statement, ast.Return):
        return statement.value is not None
    if isinstance(statement, ast.Assign):
        return all(isinstance(t, (ast.Name, ast.Tuple)) for t in statement.targets)
    return isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value is not None


# --- G004 ---------------------------------------------------------------------------------------

def _g004_one_off(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """An f-string in a logging call costs only where the level is off in production
    (``debug``) and the call repeats (inside a loop): there the message is built for nothing,
    over and over. Reported there; a one-off ``logger.debug(f"Started {name}")`` builds it once,
    and at ``info`` and above the message is built anyway wherever the team reads its logs.
    A call in a loop that is followed, in its block or a block around it, by a ``return`` or
    ``raise`` (or a ``break`` out of the function's only loop) with no ``continue`` before it is
    one-off too: the loop ends where it is logged (``log.debug(f"Found {key}"); return conf``).
    Nor where nothing is built for nothing: under a level guard (``if log.isEnabledFor(DEBUG):``,
    ``if debug:``, ``if is_debug_log_enabled():``) or in an ``except`` handler of the loop (built
    once per error caught, a retry loop's redirect): ``ruff_judge_level_guard``."""
    text = next((n for n in near if isinstance(n, ast.JoinedStr)
                 and starts_at(n, lines, finding.span.line, finding.span.column)), None)
    call = next((n for n in near if isinstance(n, ast.Call) and text is not None
                 and any(arg is text for arg in [*n.args, *(k.value for k in n.keywords)])), None)
    if call is None:
        return False
    if not (_quiet_level(call) and in_loop(near, call)) or _once_per_call(near, call):
        return True
    return level_guarded(near, lines, call) or per_failure(near, call)


_STATEMENT_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_TRIES = (ast.Try, getattr(ast, "TryStar", ast.Try))


def _once_per_call(near: list[ast.AST], call: ast.Call) -> bool:
    """Whether the loop around ``call`` is left right after it: scanning the rest of each block
    from the call's statement out to the innermost loop's body, a ``return``/``raise`` (or an
    ``if`` whose branches both leave) comes before any ``continue``. A ``break`` leaves only when
    that loop is the function's outermost one around the call (else the outer loop repeats it).
    A ``try`` body on the way (an exception in between may be swallowed and the loop go on) and a
    comprehension around the call are not judged: they stay reported."""
    function = enclosing_function(near, call.lineno)
    if any(isinstance(n, _COMPREHENSIONS) and _holds(n, call) and (function is None or _holds(function, n))
           for n in near):
        return False
    loops = [n for n in near if isinstance(n, _STATEMENT_LOOPS) and any(_holds(s, call) for s in n.body)
             and (function is None or _holds(function, n))]
    if not loops:
        return False
    loop = max(loops, key=lambda n: (n.lineno, n.col_offset))  # type: ignore[attr-defined]
    path = _blocks_down(loop.body, call)  # type: ignore[attr-defined]
    if path is None or any(isinstance(owner, _TRIES) and owner.handlers and block is owner.body
                           for block, _, owner in path):
        return False
    outermost = len(loops) == 1
    for block, index, _ in reversed(path):
        verdict = _scan(block[index + 1:], outermost)
        if verdict is not None:
            return verdict
    return False  # the loop's body ends and the next iteration comes


def _blocks_down(body: list[ast.stmt], node: ast.AST) -> list[tuple[list[ast.stmt], int, ast.AST | None]] | None:
    """The blocks from ``body`` down to the statement holding ``node``: (block, index of the
    statement on the way, the statement owning the block or None for ``body``)."""
    path: list[tuple[list[ast.stmt], int, ast.AST | None]] = []
    block, owner = body, None
    while True:
        index = next((i for i, s in enumerate(block) if _holds(s, node)), None)
        if index is None:
            return None
        path.append((block, index, owner))
        statement = block[index]
        if isinstance(statement, _SCOPES):
            return None
        inner = next((sub for sub in _child_blocks(statement) if any(_holds(s, node) for s in sub)), None)
        if inner is None:
            return path
        block, owner = inner, statement


def _child_blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [getattr(statement, field, None) for field in ("body", "orelse", "finalbody")]
    blocks += [handler.body for handler in getattr(statement, "handlers", ())]
    blocks += [case.body for case in getattr(statement, "cases", ())]
    return [block for block in blocks if isinstance(block, list) and block and isinstance(block[0], ast.stmt)]


def _scan(statements: list[ast.stmt], outermost: bool) -> bool | None:
    """True: control leaves the loop here; False: it may go round again; None: falls through."""
    for statement in statements:
        if _goes_round(statement, outermost):
            return False
        if _leaves(statement, outermost):
            return True
    return None


def _leaves(statement: ast.stmt, outermost: bool) -> bool:
    if isinstance(statement, (ast.Return, ast.Raise)):
        return True
    if isinstance(statement, ast.Break):
        return outermost
    if isinstance(statement, ast.If) and statement.orelse:
        return _scan(statement.body, outermost) is True and _scan(statement.orelse, outermost) is True
    return False


def _goes_round(statement: ast.stmt, outermost: bool) -> bool:
    """A ``continue`` of this loop inside ``statement`` (or a ``break`` into an outer loop)."""
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Continue) or (isinstance(node, ast.Break) and not outermost):
            return True
        if isinstance(node, _STATEMENT_LOOPS):
            stack.extend(node.orelse)  # its body's ``continue`` is its own; its ``else`` is ours
            continue
        if isinstance(node, _SCOPES):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def _holds(outer: ast.AST, inner: ast.AST) -> bool:
    """Whether ``inner``'s source span lies within ``outer``'s."""
    return ((outer.lineno, outer.col_offset) <= (inner.lineno, inner.col_offset)  # type: ignore[attr-defined]
            and (outer.end_lineno or 0, outer.end_col_offset or 0)  # type: ignore[attr-defined]
            >= (inner.end_lineno or 0, inner.end_col_offset or 0))  # type: ignore[attr-defined]


def _quiet_level(call: ast.Call) -> bool:
    method = name_of(call.func)
    if method == "log" and call.args:
        return "DEBUG" in ast.unparse(call.args[0])
    return method == "debug"


# --- T201 ---------------------------------------------------------------------------------------

_CLI_MODULE = re.compile(
    r"^\s*(?:import|from)\s+(?:argparse|click|typer|fire|docopt|cleo|curses)\b|"
    r"^\s*@[\w.]*(?:command|group|callback)\(|ArgumentParser\(|\(BaseCommand\)|^\s*def main\(|^\s*@[\w.]*app\.command")
_VERBOSE = re.compile(r"\bverbos(e|ity)\b", re.IGNORECASE)
_OUTPUT_FUNCTION = re.compile(r"^_*(print|show|dump|display|pprint|banner|usage)", re.IGNORECASE)


def _t201_is_output(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``print`` that is the program's output, not a log line: in a command-line module (one
    that builds an ``argparse``/``click``/``typer`` interface, draws a ``curses`` screen or has
    a ``main``), in a function
    whose job is to print (``print_report``, ``_dump_state``), or under ``if verbosity >= 2:``
    (output the user asked for; Django's management commands and their signal handlers). (Ruff itself skips ``print(row,
    file=out)``.) Printing from library code stays reported, to ``sys.stderr`` too."""
    call = call_at(near, lines, finding.span.line, finding.span.column)
    if call is None:
        return False
    function = enclosing_function(near, call.lineno)
    if function is not None and _OUTPUT_FUNCTION.match(getattr(function, "name", "")):
        return True
    if any(isinstance(n, ast.If) and _VERBOSE.search(ast.unparse(n.test)) and any(
            s.lineno <= call.lineno <= (s.end_lineno or s.lineno) for s in n.body) for n in near):
        return True  # ``if verbosity >= 2: print(...)``: output the user asked for
    return module_has(lines, _CLI_MODULE)


Refiner = Callable[[list[ast.AST], list[str], RawFinding], bool]

REFINERS: dict[str, Refiner] = {
    "BLE001": _ble001_boundary,
    "S110": _s110_best_effort,
    "G004": _g004_one_off,
    "T201": _t201_is_output,
}
