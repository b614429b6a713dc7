"""Default-tier findings on a choice the code writes out (issue 21, tuning on unseen packages).

Each judge answers True when the finding is a known false positive; ``ruff_refine`` ors them into
the codes' own judges (``ruff_refine_driven.or_into``). The class, with a test holding the false
positive and its true twin (``tests/analysis/test_ruff_refine_deliberate.py``; S113's
``timeout=None`` written out, the other such choice, is judged in ``ruff_refine_timeout``):

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


REFINERS: dict[str, Judge] = dict.fromkeys(BLOCKING_CODES, exits_right_after)
"""code -> its judge, or'd into the code's own by ``ruff_refine``."""
