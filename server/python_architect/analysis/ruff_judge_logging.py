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
    program (its message is for the user). A handler that logs only the message of an error it
    caught and moves on stays reported, ``except ValueError: log.error("bad %s", x)`` too."""
    if call is not None and keeps_traceback(call):
        return True
    if any(isinstance(statement, ast.Raise) for statement in handler.body):
        return True
    if _exits(handler, [n for n in walk_statements(handler.body) if isinstance(n, ast.Call)]):
        return True  # a program's last words to its user (``logger.error(exc); sys.exit(1)``)
    return _hands_on(handler, call)


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
                _is(node.value, bound) or isinstance(node.value, ast.Tuple) and any(_is(e, bound) for e in node.value.elts)):
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
    and at ``info`` and above the message is built anyway wherever the team reads its logs."""
    text = next((n for n in near if isinstance(n, ast.JoinedStr)
                 and starts_at(n, lines, finding.span.line, finding.span.column)), None)
    call = next((n for n in near if isinstance(n, ast.Call) and text is not None
                 and any(arg is text for arg in [*n.args, *(k.value for k in n.keywords)])), None)
    if call is None:
        return False
    return not (_quiet_level(call) and in_loop(near, call))


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
