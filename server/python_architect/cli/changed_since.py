"""``check --changed-since REV``: the run over the files git says changed since REV, plus the
workspace-wide findings (cycles, indirect layer chains) those changes can affect. What changed
and what is affected are decided in ``workspace.changed``; this composes them with the engine.
"""

from __future__ import annotations

from pathlib import Path

from ..config import code_selected
from ..engine import CheckResult, Project
from ..findings import sort_key
from ..workspace.changed import affected, changed_files


def changes_everything(project: Project, paths: list[Path]) -> bool:
    """A changed configuration or knowledge file can change any finding: check everything."""
    root = project.root
    knowledge = (root / project.config.knowledge_dir).resolve()
    return any(path == root / "pyproject.toml" or knowledge in path.parents for path in paths)


def check_changed(project: Project, revision: str, within: list[Path] | None = None, **options) -> CheckResult:
    """``Project.check_paths`` over the files changed since ``revision`` (limited to ``within``
    when given), plus the workspace-wide findings those changes can affect. Raises
    ``ChangedSinceError`` when git cannot answer."""
    changed = changed_files(project.root, revision)
    if within:
        changed = [p for p in changed if any(p == w or w in p.parents for w in within)]
    if changes_everything(project, changed):
        return project.check_paths(None, **options)
    if not changed:
        return CheckResult(findings=[], files=0, adrs=len(project.kb.adrs), checked=[])
    result = project.check_paths(changed, **options)
    result.checked = list(changed)  # an unchanged file's baselined findings were not looked for
    if not project.index.scanned:
        # Cycles and layer chains need every module's imports: from the cache where it can.
        from ..workspace.batch import default_jobs
        from ..workspace.cached_run import warm_index

        files = list(project.workspace_files.python)
        warm_index(project.index, files, options.get("cache"), jobs=default_jobs(len(files)))
    changed_set = set(changed)
    modules = {m for m in (project.module_name(p) for p in changed) if m is not None}
    seen = {(f.path, f.code, f.span, f.message) for f in result.findings}
    select, ignore = tuple(options.get("select", ())), tuple(options.get("ignore", ()))
    extra = [f for f in affected(project.workspace_findings(), changed_set, modules)
             if (f.path, f.code, f.span, f.message) not in seen
             and code_selected(f.code, project.config, select, ignore)]
    if extra:
        result.findings = sorted([*result.findings, *extra], key=sort_key)
    return result
