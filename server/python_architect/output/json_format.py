"""``--format json``: exactly ``{"findings": [...], "files": N, "adrs": N}``.

A finding is ``{"code", "message", "severity", "path", "line", "column", "end_line", "end_column",
"adrs", "fix", "related", "rule", "chain"}`` with 1-based positions (end column exclusive) and the path relative to
the workspace root; ``fix`` is null or ``{"title", "safe", "edits": [{"line", "column", "end_line",
"end_column", "new_text"}]}``; ``related`` is a list (often empty) of ``{"message", "path", "line",
"column", "end_line", "end_column"}``: the other places that explain the finding, e.g. every import
line of an ARC103 cycle; ``rule`` is the ADR rule's id or the import-linter contract's id (its
section name after ``importlinter:contract:``), else null; ``chain`` the modules from importer to
imported for an import finding (two for a direct import), else null. Scripts depend on this shape: add nothing casually.
When discovery skipped vendored third-party files, a fourth key ``vendored`` says so:
``{"files": N, "directories": ["pip/_vendor"]}`` (absent otherwise).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..findings import Finding, finding_to_dict, fix_to_dict, related_to_dict  # noqa: F401 - the shape lives with the value


if TYPE_CHECKING:
    from ..workspace.vendored import VendoredSkip


def render_json(findings: Sequence[Finding], *, root: Path, files: int, adrs: int,
                vendored: "VendoredSkip | None" = None) -> str:
    document: dict[str, Any] = {
        "findings": [finding_to_dict(finding, root) for finding in findings],
        "files": files,
        "adrs": adrs,
    }
    if vendored is not None:
        document["vendored"] = vendored.to_dict()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
