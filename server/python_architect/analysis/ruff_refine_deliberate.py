"""Default-tier findings on a choice the code writes out (issue 21, tuning on unseen packages).

Each judge answers True when the finding is a known false positive; ``ruff_refine`` ors them into
the codes' own judges (``ruff_refine_driven.or_into``). The classes, each with a test holding the
false positive and its true twin (``tests/analysis/test_ruff_refine_deliberate.py``):

- **S113** with ``timeout=None`` written out (clearml's reverse proxy keeps
  ``httpx.AsyncClient(timeout=None)`` for long model-serving requests; gradio's own start-up call
  waits for user start-up events): S113 exists for the timeout nobody thought of, and there the
  author chose "no limit" where the reader sees it. A call with no ``timeout=`` at all stays
  reported, as does ``timeout=`` of any other value ruff flags.
- **ASYNC2xx/ASYNC251** on a blocking call the process dies right after: the next statement of
  the same block is ``os._exit(...)`` (jupyterlab's browser check sleeps two seconds after it
  stopped its loop, then exits). No task on the loop runs again, so there is nothing to stall.
  ``sys.exit`` raises ``SystemExit``, which the loop may catch and go on: still reported.

Pure functions of (near, lines, finding); no state.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .registry import RawFinding
from .ruff_judge_nodes import dotted
from .ruff_refine_driven import BLOCKING_CODES

Judge = Callable[[list[ast.AST], list[str], RawFinding], bool]


def timeout_none_written(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """A ``timeout=None`` keyword on the finding's line, in a call that spans it."""
    line = finding.span.line
    return any(isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or node.lineno)
               and any(keyword.arg == "timeout" and keyword.lineno == line
                       and isinstance(keyword.value, ast.Constant) and keyword.value.value is None
                       for keyword in node.keywords)
               for node in near)


def exits_right_after(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """The statement holding the finding is followed, in its own block, by ``os._exit(...)``."""
    line = finding.span.line
    for node in near:
        for block in _blocks(node):
            for position, statement in enumerate(block[:-1]):
                if statement.lineno <= line <= (statement.end_lineno or statement.lineno):
                    following = block[position + 1]
                    if (isinstance(following, ast.Expr) and isinstance(following.value, ast.Call)
                            and dotted(following.value.func) == "os._exit"):
                        return True
    return False


def _blocks(node: ast.AST) -> list[list[ast.stmt]]:
    """The statement lists directly under ``node`` (bodies, ``else``, ``finally``, handlers)."""
    blocks = [value for field in ("body", "orelse", "finalbody")
              if isinstance(value := getattr(node, field, None), list) and value and isinstance(value[0], ast.stmt)]
    blocks += [handler.body for handler in getattr(node, "handlers", ()) if handler.body]
    return blocks


REFINERS: dict[str, Judge] = {"S113": timeout_none_written, **dict.fromkeys(BLOCKING_CODES, exits_right_after)}
"""code -> its judge, or'd into the code's own by ``ruff_refine``."""
