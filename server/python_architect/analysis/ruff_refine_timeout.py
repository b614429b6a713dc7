"""False-positive judges of S113 (HTTP request without a timeout) in the default tier (issue 21).

Four classes, each read on held-out registry packages:

- **The caller's timeout**: ``requests.get(url, **kwargs)`` where ``kwargs`` is the enclosing
  function's own ``**`` parameter (langchain's ``Requests`` wrapper): the timeout is the caller's
  to give, and the finding belongs where the wrapper is called without one.
- **The timeout in the options handed on**: ``requests.request(**params)`` where every value the
  function binds to ``params`` is a dict display (or ``dict(...)``) with a ``"timeout"`` key
  (OctoPrint's ``params = {"method": ..., "url": ..., "timeout": 3.0}``, twenty-seventh reading):
  ruff cannot see into the dict; we can. A dict bound without one, or from elsewhere, stays.
- **No timeout on purpose**: ``httpx.Client(timeout=None)``. ruff reports an explicit ``None`` like
  a missing timeout, but it is the author's decision, stated in the code: every one read blind
  (chromadb's client, whose five-second httpx default broke large batch writes; bentoml's proxy
  to its own local process; gradio's call to its own start-up endpoint) was deliberate. What
  stays reported is the call that says nothing about a timeout.
- **A one-shot call to the program's own local process**: the URL is written in the function as
  ``http://localhost…`` / ``127.0.0.1`` / ``[::1]`` (google-cloud-aiplatform's
  ``LocalEndpoint.predict`` posting to the container the SDK itself started for local debugging,
  read wrong blind on the twenty-fifth set). The peer is not across a network that can drop a
  packet; it hangs only when the program's own server hangs, and an unbounded prediction is what
  a debugging user asked for. The twins stay reported: a *probe* (in a loop, or in a function named
  for health/ping/alive/ready/wait/probe/status: the same SDK's ``run_health_check``, whose caller's
  deadline a hung request defeats, read right), and any URL not spelled local in the function
  (a host from a variable or configuration may be anywhere).

(S113 inside ``if __name__ == "__main__":`` and in entry-point files is silenced by the context
rules, and inside click/Typer commands by ``ruff_refine_scope``.)
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from .registry import RawFinding
from .ruff_judge_nodes import starts_at

Judge = Callable[[list[ast.AST], list[str], RawFinding], bool]


def _s113_timeout_is_the_callers(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``requests.get(url, **kwargs)`` where ``kwargs`` is the enclosing function's own ``**``
    parameter: a wrapper that forwards its caller's options, so the timeout is the caller's to give
    (the finding belongs where the wrapper is called without one), also through a helper that
    adds to them (``**with_headers(kwargs)``). A ``**`` of anything else (a local dict we cannot
    see into) stays reported."""
    calls = [node for node in near if isinstance(node, ast.Call)
             and (starts_at(node.func, lines, finding.span.line, finding.span.column)
                  or starts_at(node, lines, finding.span.line, finding.span.column))]
    if not calls:
        return False
    # ``**kwargs`` itself, or an expression built from it (``**_with_user_agent(kwargs)``,
    # ``**{**kwargs, "headers": h}``: roboflow's SDK wrappers add a header and pass the rest on).
    forwarded = {node.id for k in calls[0].keywords if k.arg is None
                 for node in ast.walk(k.value) if isinstance(node, ast.Name)}
    if not forwarded:
        return False
    functions = [node for node in near if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and node.lineno <= finding.span.line <= (node.end_lineno or node.lineno)]
    if not functions:
        return False
    innermost = max(functions, key=lambda node: node.lineno)
    if innermost.args.kwarg is not None and innermost.args.kwarg.arg in forwarded:
        return True
    handed = [k.value.id for k in calls[0].keywords if k.arg is None and isinstance(k.value, ast.Name)]
    return any(_always_holds_a_timeout(innermost, name) for name in handed)


def _always_holds_a_timeout(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Every value ``function`` binds to ``name`` is a dict display or ``dict(...)`` call with a
    ``timeout`` key (and there is at least one)."""
    bound = [node.value for node in ast.walk(function) if isinstance(node, (ast.Assign, ast.AnnAssign))
             and any(isinstance(t, ast.Name) and t.id == name
                     for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))]
    return bool(bound) and all(_has_timeout_key(value) for value in bound)


def _has_timeout_key(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Dict):
        return any(isinstance(k, ast.Constant) and k.value == "timeout" for k in value.keys)
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict"
            and any(k.arg == "timeout" for k in value.keywords))


def _s113_none_on_purpose(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """The finding is an explicit ``timeout=None`` keyword (ruff points at the keyword)."""
    return any(isinstance(node, ast.keyword) and node.arg == "timeout"
               and isinstance(node.value, ast.Constant) and node.value.value is None
               and starts_at(node, lines, finding.span.line, finding.span.column)
               for node in near)


_LOOPBACK_URL = re.compile(r"^https?://(?:localhost|127\.0\.0\.1|\[::1\])(?:[:/]|$)", re.IGNORECASE)
_PROBE_NAME = re.compile(r"health|ping|alive|ready|wait|probe|status|poll", re.IGNORECASE)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _s113_own_local_process(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """A one-shot request whose URL the enclosing function spells as a loopback address (see the
    module docstring); a probe (in a loop, or in a function named for one) stays reported."""
    calls = [node for node in near if isinstance(node, ast.Call)
             and (starts_at(node.func, lines, finding.span.line, finding.span.column)
                  or starts_at(node, lines, finding.span.line, finding.span.column))]
    functions = [node for node in near if isinstance(node, _FUNCTIONS)
                 and node.lineno <= finding.span.line <= (node.end_lineno or node.lineno)]
    if not calls or not functions:
        return False
    call, function = calls[0], max(functions, key=lambda node: node.lineno)
    if _PROBE_NAME.search(function.name) or any(
            isinstance(node, _LOOPS) and node.lineno <= finding.span.line <= (node.end_lineno or node.lineno)
            for node in ast.walk(function)):
        return False
    url = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "url"), None)
    if isinstance(url, ast.Name):
        # The one value the function binds to that name (two bindings: we cannot tell which).
        bound = [node.value for node in ast.walk(function) if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == url.id for t in node.targets)]
        url = bound[0] if len(bound) == 1 else None
    return url is not None and _LOOPBACK_URL.match(_literal_start(url)) is not None


def _literal_start(node: ast.expr) -> str:
    """The literal text an URL expression starts with: a string, an f-string's first literal part,
    the left end of a ``+`` concatenation; empty when it starts with a value we cannot see."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_start(node.left)
    return ""


def _s113_not_missing(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    return (_s113_timeout_is_the_callers(near, lines, finding)
            or _s113_none_on_purpose(near, lines, finding)
            or _s113_own_local_process(near, lines, finding))


REFINERS: dict[str, Judge] = {"S113": _s113_not_missing}
"""code -> its false-positive judge (merged into ``ruff_refine.REFINERS``)."""
