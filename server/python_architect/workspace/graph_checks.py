"""The graph-wide checks over one index: every workspace-scope check of the registry (import
cycles, ARC103), ARC102's indirect layer chains and the workspace's import-linter contracts, as ``(path, RawFinding)`` pairs (their
findings land in many files). A function of its inputs only: the engine runs it on a snapshot of
the index, without the server's folder lock, and remembers the result per index version."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.registry import RawFinding, Registry
from ..codes import ARC102
from .cycles import WorkspaceContext

if TYPE_CHECKING:
    from .finalize import Finalizer

log = logging.getLogger(__name__)


def graph_findings(context: WorkspaceContext, registry: Registry, finalizer: Finalizer) -> list[tuple[Path, RawFinding]]:
    """The raw findings of the selected workspace checks; one failing check is logged and skipped."""
    results: list[tuple[Path, RawFinding]] = []
    for info in registry.by_scope("workspace"):
        if info.run is None or not finalizer.selected(info.code):
            continue
        try:
            results.extend(info.run(context))
        except Exception:  # one faulty check must not hide the others' findings
            log.exception("workspace check %s failed", info.code)
    if finalizer.selected(ARC102) and context.kb.rules("layers"):
        # ARC102 is a module check; its indirect chains need the whole graph.
        from .layers import indirect_layer_violations

        try:
            results.extend(indirect_layer_violations(context))
        except Exception:  # the direct layer findings stand on their own
            log.exception("indirect layer check failed")
    from .contract_findings import contract_findings

    try:
        results.extend(contract_findings(context))
    except Exception:  # a contract the engine cannot follow must not hide the other findings
        log.exception("import-linter contracts failed")
    return results
