"""Output formats of ``python-architect check``: text (like ruff), JSON, SARIF 2.1.0 and GitHub
workflow commands.

Every format reads the same plain findings and renders paths relative to the workspace root with
``/`` separators; none recomputes or filters anything. ``render`` is the one entry point.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..root_paths import relative_path  # noqa: F401 - the formats' (and front ends') import

if TYPE_CHECKING:  # annotations only: ``check`` answered from its run record never loads findings
    from ..findings import Finding
    from ..knowledge.model import KnowledgeBase
    from ..workspace.generated import GeneratedSkip
    from ..workspace.vendored import VendoredSkip

FORMATS = ("text", "json", "sarif", "github")


def render(
    output_format: str,
    findings: Sequence[Finding],
    *,
    root: Path,
    files: int,
    adrs: int,
    kb: KnowledgeBase | None = None,
    vendored: VendoredSkip | None = None,
    generated: GeneratedSkip | None = None,
) -> str:
    """The whole report in ``output_format`` (one of ``FORMATS``), ending with a newline.
    ``vendored``/``generated``: what discovery skipped as vendored or generated (JSON carries it; the others leave it to
    the caller's stderr line)."""
    if output_format == "text":
        from .text import render_text

        return render_text(findings, root=root, files=files, adrs=adrs)
    if output_format == "json":
        from .json_format import render_json

        return render_json(findings, root=root, files=files, adrs=adrs, vendored=vendored, generated=generated)
    if output_format == "sarif":
        from .sarif import render_sarif

        return render_sarif(findings, root=root, kb=kb)
    if output_format == "github":
        from .github import render_github

        return render_github(findings, root=root)
    raise ValueError(f"unknown output format {output_format!r} (expected one of {', '.join(FORMATS)})")
