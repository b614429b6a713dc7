"""False-positive judges of S113 (HTTP request without a timeout) in the default tier (issue 21).

Two classes, each read on held-out registry packages:

- **The caller's timeout**: ``requests.get(url, **kwargs)`` where ``kwargs`` is the enclosing
  function's own ``**`` parameter (langchain's ``Requests`` wrapper): the timeout is the caller's
  to give, and the finding belongs where the wrapper is called without one.
- **No timeout on purpose**: ``httpx.Client(timeout=None)``. ruff reports an explicit ``None`` like
  a missing timeout, but it is the author's decision, stated in the code: every one read blind
  (chromadb's client, whose five-second httpx default broke large batch writes; bentoml's proxy
  to its own local process; gradio's call to its own start-up endpoint) was deliberate. What
  stays reported is the call that says nothing about a timeout.

(S113 inside ``if __name__ == "__main__":`` and in entry-point files is silenced by the context
rules, and inside click/Typer commands by ``ruff_refine_scope``.)
"""

from __future__ import annotations

import ast
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
    return innermost.args.kwarg is not None and innermost.args.kwarg.arg in forwarded


def _s113_none_on_purpose(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """The finding is an explicit ``timeout=None`` keyword (ruff points at the keyword)."""
    return any(isinstance(node, ast.keyword) and node.arg == "timeout"
               and isinstance(node.value, ast.Constant) and node.value.value is None
               and starts_at(node, lines, finding.span.line, finding.span.column)
               for node in near)


def _s113_not_missing(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    return (_s113_timeout_is_the_callers(near, lines, finding)
            or _s113_none_on_purpose(near, lines, finding))


REFINERS: dict[str, Judge] = {"S113": _s113_not_missing}
"""code -> its false-positive judge (merged into ``ruff_refine.REFINERS``)."""
