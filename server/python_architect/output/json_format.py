"""``--format json``: exactly ``{"findings": [...], "files": N, "adrs": N}``.

A finding is ``{"code", "message", "severity", "path", "line", "column", "end_line", "end_column",
"adrs", "fix", "related", "rule", "chain"}`` with 1-based positions (end column exclusive) and the path relative to
the workspace root; ``fix`` is null or ``{"title", "safe", "edits": [{"line", "column", "end_line",
"end_column", "new_text"}]}``; ``related`` is a list (often empty) of ``{"message", "path", "line",
"column", "end_line", "end_column"}``: the other places that explain the finding, e.g. every import
line of an ARC103 cycle; ``rule`` is the ADR rule's id or the import-linter contract's id (its
section name after ``importlinter:contract:``), else null; ``chain`` the modules from importer to
imported for an import finding (two for a direct import), else null; ``data`` the check's own
details about the finding, else null: an object of JSON values only (strings, numbers, booleans,
null, lists and objects of them; anything else a check keeps is left out). Its keys are the
check's, not a fixed schema: ARC103 gives ``cycle`` (the stated cycle's modules), ``members``
(every module of the group), ``target``, ``entry`` (the module whose ``import`` fails first) and
``fails`` (why, in words); ARC502 ``receiver`` and ``method``; a ruff code ``ruff_rule`` and
``url``. Scripts depend on this shape: add nothing casually.
When discovery skipped vendored third-party files, a fourth key ``vendored`` says so:
``{"files": N, "directories": ["pip/_vendor"]}`` (absent otherwise); when it skipped generated
files, a key ``generated`` does: ``{"files": N, "examples": ["api/service_pb2.py"]}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import Finding, finding_to_dict, fix_to_dict, related_to_dict  # noqa: F401 - the shape lives with the value

if TYPE_CHECKING:
    from ..workspace.generated import GeneratedSkip
    from ..workspace.vendored import VendoredSkip


def json_data(data: dict[str, Any]) -> dict[str, Any] | None:
    """A finding's ``data`` as JSON values only, or None when nothing is left."""
    safe = {key: value for key, value in ((str(k), _json_value(v)) for k, v in data.items()) if value is not _DROP}
    return safe or None


_DROP = object()


def _json_value(value: Any) -> Any:
    """``value`` when JSON can carry it (tuples become lists), else ``_DROP``."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else _DROP
    if isinstance(value, (list, tuple)):
        return [item for item in map(_json_value, value) if item is not _DROP]
    if isinstance(value, dict):
        return {str(k): v for k, v in ((k, _json_value(v)) for k, v in value.items()) if v is not _DROP}
    return _DROP


def render_json(findings: Sequence[Finding], *, root: Path, files: int, adrs: int,
                vendored: VendoredSkip | None = None, generated: GeneratedSkip | None = None) -> str:
    document: dict[str, Any] = {
        "findings": [{**finding_to_dict(finding, root), "data": json_data(finding.data)} for finding in findings],
        "files": files,
        "adrs": adrs,
    }
    if vendored is not None:
        document["vendored"] = vendored.to_dict()
    if generated is not None:
        document["generated"] = generated.to_dict()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
