"""False-positive judges for the judgment-tier ruff codes a team adopts (issue 21).

When an ADR adopts one of these checks, what it reports must be what that team's reviewer would
act on. Each judge below drops one class of findings read wrong in real packages (see
``docs/rules.md`` and the notes of issue 21), keeping its true-positive twin; the classes are
named in each judge's docstring. ``REFINERS`` (code -> judge) is merged into
``ruff_refine.REFINERS``; the TRY400 and S608 judges there call ``try400_travels_on`` and
``s608_not_injection`` from here. Module-wide facts (does this module write pickles, is it a
command-line tool) are read from the text lines, because a batch refines on a tree of only the
statements around its findings. Pure functions of (near, lines, finding); no state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from . import ruff_judge_logging as logging_judges
from .registry import RawFinding
from .ruff_judge_allowlisted import eval_of_allowlisted
from .ruff_judge_compiled import holds_compiled_code
from .ruff_judge_nodes import (
    assigned_values,
    call_at,
    calls_at,
    dotted,
    enclosing_function,
    innermost,
    module_has,
    name_of,
    name_words,
)
from .ruff_judge_random import s311_not_a_secret

# --- S301: a module reading back the pickles it writes ------------------------------------------

WRITES_PICKLES = re.compile(r"\b(?:c?[pP]ickle|dill|cloudpickle|_pickle)\.dumps?\(|^\s*from\s+(?:c?pickle|dill|cloudpickle)\s+import\s[^#\n]*\bdumps?\b")
FROM_OUTSIDE = re.compile(r"request|recv|socket|body|payload|message|upload|\.content\b|\.data\b|stdin", re.IGNORECASE)
"""What a pickle's source says when it comes from another party: such a load is never dropped."""


def _s301_own_pickles(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``pickle.loads(pickle.dumps(x))`` (a deep copy or a picklability probe), and a load in a
    module that itself writes pickles (its own cache or save file) of data that does not come
    visibly from a request, a socket or an upload. ``pickle.loads(request.body)`` stays."""
    call = call_at(near, lines, finding.span.line, finding.span.column)
    if call is None or not call.args:
        return False
    source = call.args[0]
    if isinstance(source, ast.Call) and name_of(source.func) in {"dumps", "dump"}:
        return True
    if FROM_OUTSIDE.search(ast.unparse(source)):
        return False
    return module_has(lines, WRITES_PICKLES)


# --- S307: eval of code, not of data ------------------------------------------------------------

_CODE_NAMESPACE = re.compile(r"globals\(\)|__globals__|\bvars\(|__dict__|sys\.modules|namespace", re.IGNORECASE)


def _s307_evaluates_code(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``eval`` of code, not data: a literal string (``eval("__IPYTHON__")`` probes a name), a
    value just checked to be one of a literal list (``ruff_judge_allowlisted``), or
    resolving annotations and forward references: the expression is a code object
    the program compiled from a syntax tree (a local, or an attribute its class only ever fills
    with ``compile(...)``: ``ruff_judge_compiled``), or it is evaluated in a module's namespace
    (``globals()``, ``module.__dict__``, ``sys.modules[...]``, a namespace loaded from source).
    ``eval(text)`` with no namespace, or with a literal dict (a "sandbox" that is none), stays."""
    call = call_at(near, lines, finding.span.line, finding.span.column)
    if call is None or not call.args:
        return False
    if isinstance(call.args[0], ast.Constant):
        return True  # ``eval("__IPYTHON__")``: code written in the source, no data in it
    if eval_of_allowlisted(near, call):
        return True  # ``if x in ("True", "None"): eval(x)``: one of the values the code listed
    function = enclosing_function(near, call.lineno)
    if any(_is_compiled(value) for value in _values_of(call.args[0], function)):
        return True
    if holds_compiled_code(lines, call.args[0], call.lineno):
        return True  # ``eval(self._code)``: the class stores only code it compiled (pytest's -k/-m)
    namespace = call.args[1] if len(call.args) > 1 else next(
        (k.value for k in call.keywords if k.arg in {"globals", "__globals"}), None)
    if namespace is None or isinstance(namespace, ast.Dict):
        return False
    return all(value is not None and not isinstance(value, ast.Dict) and _CODE_NAMESPACE.search(ast.unparse(value))
               for value in _values_of(namespace, function))


def _values_of(node: ast.expr, function: ast.AST | None) -> list[ast.expr | None]:
    if isinstance(node, ast.Name):
        return assigned_values(function, node.id) or [None]
    return [node]


def _is_compiled(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Call) and name_of(value.func) == "compile"


# --- ASYNC240: path functions that do no I/O ----------------------------------------------------

NO_IO_PATH_CALLS = frozenset({
    # os.path: string work, the working directory or the environment only
    "join", "basename", "dirname", "split", "splitext", "splitdrive", "normpath", "normcase", "isabs",
    "commonpath", "commonprefix", "relpath", "abspath", "expanduser", "expandvars", "realpath",
    # pathlib: the same, and resolve() (which reads only the path's own links, not a file or a folder)
    "absolute", "resolve", "cwd", "home", "joinpath", "with_name", "with_suffix", "with_stem",
    "relative_to", "as_posix", "as_uri", "match", "is_relative_to",
})
"""What ASYNC240 flags that does no file or folder I/O. ``exists``, ``stat``, ``is_file``,
``glob``, ``iterdir``, ``read_text``... read the disk and stay reported."""


def _async240_no_io(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``os.path.expanduser``, ``os.path.normpath``, ``Path(".").resolve()``: no file is read and
    no folder listed, so there is nothing to move off the loop."""
    for call in calls_at(near, lines, finding.span.line, finding.span.column):
        method = name_of(call.func)
        if method in NO_IO_PATH_CALLS:
            return True
        if method not in {"Path", "PurePath", "PosixPath", "WindowsPath"}:
            return False  # the outermost call with a name of its own decides
    return False


# --- ASYNC110 / ASYNC115: sleeping for ever, and one finding per busy-wait -----------------------

def _sleeps_only(loop: ast.While) -> bool:
    return len(loop.body) == 1 and isinstance(loop.body[0], ast.Expr) and isinstance(loop.body[0].value, ast.Await) \
        and isinstance(loop.body[0].value.value, ast.Call) and name_of(loop.body[0].value.value.func) == "sleep"


def _async110_sleeps_forever(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``while True: await asyncio.sleep(3600)``: keeping a task alive, with nothing to wait for
    (no condition an Event could signal). Nor a poll bounded by a deadline its test reads
    (``while x is None and monotonic() < deadline``, ``while not try_unlink(p, deadline=d)``): a
    wait for state outside the loop (a file handle another process holds), given up on purpose.
    An unbounded poll of a condition stays reported."""
    loop = innermost(near, finding.span.line, (ast.While,))
    if not isinstance(loop, ast.While):
        return False
    if isinstance(loop.test, ast.Constant):
        return bool(loop.test.value) and _sleeps_only(loop)
    return any(_DEADLINE_WORDS & name_words(name) for name in _names_in(loop.test))


def _names_in(test: ast.expr) -> Iterator[str]:
    for node in ast.walk(test):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.keyword) and node.arg:
            yield node.arg


_DEADLINE_WORDS = frozenset({"deadline", "timeout", "monotonic", "perf_counter", "expires", "expiry"})
"""Words of a name in a ``while`` test that bound the wait (a deadline, a clock read against one)."""


def _async115_part_of_busy_wait(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``while not ready: await sleep(0)``: the busy-wait is ASYNC110's finding; the zero sleep
    in it is the same problem and not reported twice."""
    loop = innermost(near, finding.span.line, (ast.While,))
    return isinstance(loop, ast.While) and not isinstance(loop.test, ast.Constant) and _sleeps_only(loop)


# --- B019: a bounded cache ----------------------------------------------------------------------

def b019_default_bound(decorator: ast.expr) -> bool:
    """``@lru_cache`` and ``@lru_cache()`` keep at most 128 entries (the default ``maxsize``):
    bounded like an explicit size. ``@cache`` and ``maxsize=None`` are not."""
    if isinstance(decorator, ast.Call):
        return name_of(decorator.func) == "lru_cache" and not decorator.args and not decorator.keywords
    return name_of(decorator) == "lru_cache"


def b019_class_level(near: list[ast.AST], line: int) -> bool:
    """A cache on a ``classmethod`` or ``staticmethod``: keyed by the class (which lives as long
    as the program anyway) or by nothing of an instance; no instance is kept alive."""
    for node in near:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                d.lineno <= line <= (d.end_lineno or d.lineno) for d in node.decorator_list):
            kinds = {name_of(d) for d in node.decorator_list}
            first = node.args.posonlyargs[:1] or node.args.args[:1]
            return bool(kinds & {"classmethod", "staticmethod"}) or (bool(first) and first[0].arg == "cls")
    return False


# --- S608: text that is not a statement an attacker could extend ------------------------------------

_SQL_STATEMENT = re.compile(
    r"^\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*(?:\(\s*)?(?:"
    r"SELECT\b.*?\bFROM\b|INSERT\s+(?:OR\s+\w+\s+)?INTO\b|REPLACE\s+INTO\b|UPDATE\b\s*\S+.*?\bSET\b|"
    r"DELETE\s+FROM\b|WITH\b.*?\bAS\s*\(|MERGE\s+INTO\b|SELECT\b.*?\bWHERE\b)",
    re.IGNORECASE | re.DOTALL)
_PROSE = re.compile(r"^\s*(?:Select|Insert|Update|Delete|With)\s+[a-z]+\s+[a-z]+\s+[a-z]+\b")
"""A sentence, not a statement: "Select the best answer from ..." (a keyword in sentence case,
then plain words; SQL's keyword is all capitals or all lower case, followed by a column list)."""
_MESSAGE_CALL = re.compile(r"(Error|Exception|Warning|warn|warning|deprecated|_msg|message)$", re.IGNORECASE)
_MIGRATION = re.compile(r"^down_revision\s*[:=]")
_UPGRADE = re.compile(r"^def upgrade\(")


def s608_not_injection(node: ast.expr, near: list[ast.AST], lines: list[str]) -> bool:
    """Query text that cannot be injected: text that is not an SQL statement (an error message
    naming a table, an LLM instruction mentioning "SELECT 1"), a message handed to an exception
    or a warning, an Alembic migration (no input reaches it), or text whose every interpolated
    value is a constant of the function (``view = "sys.views"`` ... ``f"... FROM {view}"``)."""
    template = _template_of(node)
    if template is None:
        return False
    if not _SQL_STATEMENT.search(template) or _PROSE.match(template):
        return True
    if _is_message(near, node):
        return True
    if module_has(lines, _MIGRATION) and module_has(lines, _UPGRADE):
        return True
    function = enclosing_function(near, node.lineno)
    values = _interpolated(node)
    return bool(values) and all(_constant(value, function) for value in values)


def _template_of(node: ast.expr) -> str | None:
    """The literal text of the query with each interpolated value as ``?``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "?" for v in node.values)  # type: ignore[misc]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left = _template_of(node.left)
        if isinstance(node.op, ast.Mod):
            return left
        right = _template_of(node.right)
        return (left if left is not None else "?") + (right if right is not None else "?")
    if isinstance(node, ast.Call) and name_of(node.func) == "format" and isinstance(node.func, ast.Attribute):
        return _template_of(node.func.value)
    return None


def _interpolated(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_interpolated_piece(node.left), *_interpolated_piece(node.right)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        right = node.right
        if isinstance(right, ast.Tuple):
            return list(right.elts)
        if isinstance(right, ast.Dict):
            return list(right.values)
        return [right]
    if isinstance(node, ast.Call):
        return [*node.args, *(k.value for k in node.keywords)]
    return []


def _interpolated_piece(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, (ast.JoinedStr, ast.BinOp)):
        return _interpolated(node)
    return [node]


_QUOTED = re.compile(r"^(quote\w*|format_(table|column|sequence|schema|index|constraint|label|alias))$")


def _constant(value: ast.expr | None, function: ast.AST | None, depth: int = 0) -> bool:
    """A value no caller chooses: literals, identifiers out of a quoting call, and text or names
    made only of those (every binding of a name in the function, wherever it happens)."""
    if value is None or depth > 4:
        return False

    def again(v: ast.expr | None) -> bool:
        return _constant(v, function, depth + 1)

    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.IfExp):
        return again(value.body) and again(value.orelse)
    if isinstance(value, ast.JoinedStr):
        return all(again(v.value if isinstance(v, ast.FormattedValue) else v) for v in value.values)
    if isinstance(value, (ast.Tuple, ast.List)):
        return all(again(v) for v in value.elts)
    if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Mod)):
        return again(value.left) and again(value.right)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):  # ``["%s"] * len(keys)``
        repeated = next((side for side in (value.left, value.right)
                         if isinstance(side, (ast.List, ast.Tuple)) or _is_text(side)), None)
        return repeated is not None and again(repeated)
    if isinstance(value, (ast.GeneratorExp, ast.ListComp)):
        return again(value.elt)
    if isinstance(value, ast.Call):
        if _QUOTED.match(name_of(value.func)):
            return True
        return name_of(value.func) == "join" and again(getattr(value.func, "value", None)) and all(again(a) for a in value.args)
    if isinstance(value, ast.Name):
        bound = assigned_values(function, value.id)
        return bool(bound) and all(again(v) for v in bound)
    return False


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_message(near: list[ast.AST], node: ast.expr) -> bool:
    for candidate in near:
        if isinstance(candidate, ast.Call) and any(arg is node for arg in [*candidate.args, *(k.value for k in candidate.keywords)]):
            callee = dotted(candidate.func) or name_of(candidate.func)
            return bool(_MESSAGE_CALL.search(callee)) or logging_judges.is_log_call(candidate)
    return False


Refiner = Callable[[list[ast.AST], list[str], RawFinding], bool]

REFINERS: dict[str, Refiner] = {
    "S301": _s301_own_pickles,
    "S311": s311_not_a_secret,
    "S307": _s307_evaluates_code,
    "ASYNC240": _async240_no_io,
    "ASYNC110": _async110_sleeps_forever,
    "ASYNC115": _async115_part_of_busy_wait,
    **logging_judges.REFINERS,
}
"""code -> its false-positive judge, for the judgment-tier codes (TRY400, S608, B019: see
``ruff_refine``, which calls the functions above)."""

try400_travels_on = logging_judges.try400_travels_on
__all__ = ["REFINERS", "b019_class_level", "b019_default_bound", "call_at", "s608_not_injection", "try400_travels_on"]
