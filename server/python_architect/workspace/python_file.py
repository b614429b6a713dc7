"""The analysis of one Python file's text, as ``Project.analyze`` runs it.

One parse (an open document's next version splices into its kept tree, ``OpenTrees``), one
facts pass recorded into the index, every selected module-scope check of the registry, ruff's
findings (started by the caller, refined here against the same tree) and finalisation
(``Finalizer``: select/ignore, suppression comments, severity caps), sorted. The engine hands in
its collaborators (the registry, the index, the finalizer), so this layer never imports it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..analysis import ruff_bridge, ruff_refine
from ..analysis.decoding import read_source, source_lines
from ..analysis.registry import ModuleContext, RawFinding, Registry
from ..codes import ARC900
from ..config import ProjectConfig
from ..findings import Finding, sort_key
from ..knowledge.model import KnowledgeBase
from .finalize import Finalizer
from .index import WorkspaceIndex
from .parse import OpenTrees, gc_paused, is_template_file, parse_python, say_template_skipped, say_test_fixture_skipped
from .results import FileAnalysis
from .roots import SourceRoots

log = logging.getLogger(__name__)

RUFF_SOURCE = "ruff"
"""The ``source`` of a finding that ruff reported (the others are ``python-architect``'s)."""


@dataclass(frozen=True)
class PythonFileChecks:
    """What a Python file is checked with: one project's state at the time of the analysis."""

    root: Path
    roots: SourceRoots
    index: WorkspaceIndex
    kb: KnowledgeBase
    config: ProjectConfig
    finalizer: Finalizer
    registry: Registry
    in_batch_worker: bool
    """A batch's worker process: analyses carry where statements start (for ruff's refinements)
    instead of hover's constructs (see ``Project.in_batch_worker``)."""

    def finalized(self, raw: list[RawFinding], path: Path, lines: list[str] | None,
                  source: str = "python-architect") -> list[Finding]:
        findings = (self.finalizer.finalize(r, path, lines, source) for r in raw)
        return [f for f in findings if f is not None]


def analyze_python_file(checks: PythonFileChecks, path: Path, text: str | None, ruff_codes: list[str],
                        open_trees: OpenTrees | None) -> FileAnalysis:
    """The analysis of ``path``'s ``text`` (read from disk when None). ``open_trees`` is given
    only for the text of a document an editor has open: it splices into that document's kept
    tree. ``ruff_codes`` empty: ruff is not run."""
    if text is None:
        text = read_source(path)
    # Ruff needs about a second per 5 MB; the margin keeps huge files from timing out.
    pending = ruff_bridge.RuffRun(text, path, ruff_codes, 10.0 + len(text) / 200_000) if ruff_codes else None
    try:
        with gc_paused():
            return _analyze_python_text(checks, path, text, pending, open_trees)
    finally:
        if pending is not None:
            pending.close()


def _analyze_python_text(checks: PythonFileChecks, path: Path, text: str, pending: ruff_bridge.RuffRun | None,
                         open_trees: OpenTrees | None) -> FileAnalysis:
    module = checks.roots.module_name(path)
    analysis = FileAnalysis(path=path, kind="python", module=module)
    lines = source_lines(text)
    # An open document's next version re-parses only the statements its edit touched.
    memo = None
    if open_trees is not None:
        tree, error, memo = open_trees.parse(path, text, lines)
    else:
        tree, error = parse_python(text, path)
    if tree is None:  # no error: syntax of a newer Python (said in the log), nothing to report
        analysis.syntax_error = error
        if error is not None and open_trees is None and _template(error, text, path, checks.root):
            say_template_skipped(path)  # a workspace check's template; an open document keeps it
        elif error is not None and open_trees is None and _broken_on_purpose(checks, path, lines):
            say_test_fixture_skipped(path)
        elif error is not None and checks.finalizer.selected(error.code):
            analysis.findings.append(error)
        return analysis
    from ..analysis.constructs import constructs_of
    from ..analysis.extract import extract_facts, tree_index
    from ..analysis.reparse import statement_starts

    facts = extract_facts(tree, text, module, is_package=checks.roots.is_package(path), lines=lines, memo=memo)
    analysis.facts = facts
    if checks.in_batch_worker:
        analysis.statement_starts = statement_starts(tree)
    else:
        analysis.constructs = constructs_of(tree_index(tree, text))
    checks.index.update(path, facts)
    finalizer = checks.finalizer
    context = ModuleContext(
        root=checks.root, path=path, module=module, text=text, lines=lines, tree=tree,
        facts=facts, kb=checks.kb, config=checks.config,
        is_first_party=checks.roots.is_first_party, is_stdlib=checks.roots.is_stdlib,
        lookup_module=checks.index.lookup_module, is_module=checks.index.is_module,
        options_for=lambda code: finalizer.options_for(code, path),
    )
    raw: list[RawFinding] = []
    for info in checks.registry.by_scope("module"):
        if info.run is None or not finalizer.selected(info.code):
            continue
        if not finalizer.enabled(info, path):
            continue
        try:
            raw.extend(info.run(context))
        except Exception:  # one faulty check must not hide the others' findings
            log.exception("check %s failed on %s", info.code, path)
    analysis.findings.extend(checks.finalized(raw, path, lines))
    if pending is not None:
        ruff_findings = pending.result()
        ruff_findings = ruff_refine.post_process(tree, lines, ruff_findings, path, checks.root)
        analysis.findings.extend(checks.finalized(ruff_findings, path, lines, RUFF_SOURCE))
    analysis.findings.sort(key=sort_key)
    if memo is not None and open_trees is not None:
        open_trees.keep(path, text, lines, tree, memo)
    return analysis


def _broken_on_purpose(checks: PythonFileChecks, path: Path, lines: list[str]) -> bool:
    """A file of test code that does not parse, in a workspace check: a fixture broken on purpose
    (nautobot's ``tests/git_data/02-invalid-files/jobs/syntaxerror.py``, read wrong blind on the
    thirtieth set); a real test file that does not parse fails the test run itself. ``in-tests =
    true`` for ARC900 reports it; an open document always shows it."""
    finalizer = checks.finalizer
    return finalizer.context_of(path, lines).is_test and not finalizer.options_for(ARC900, path).get("in-tests", False)


def _template(error: Finding, text: str, path: Path, root: Path) -> bool:
    """The parse error is in a Jinja/cookiecutter template (``parse.is_template_file``)."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = Path(path.name)
    return is_template_file(error, text, relative)
