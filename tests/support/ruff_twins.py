"""Runs real ruff on one snippet and the project's post-processing after it, for the tests that
pin a false-positive class of a ruff code next to its true-positive twin (issue 21)."""

from __future__ import annotations

import ast
from pathlib import Path

from python_architect.analysis import ruff_bridge
from python_architect.analysis.ruff_refine import post_process


def reported_and_kept(text: str, code: str, path: Path | None = None,
                      root: Path | None = None) -> tuple[list[str], list[str]]:
    """The codes ruff reports for ``code`` on ``text``, and those left after the refinement.
    ``path`` and ``root``: where the file lives, for judges that read its package."""
    raw = ruff_bridge.run_ruff(text, path or Path("mod.py"), [code])
    kept = post_process(ast.parse(text), text.splitlines(), raw, path, root)
    return [f.code for f in raw], [f.code for f in kept]
