"""The project: one workspace's configuration, knowledge base and module index, and the checks.

This is the single entry point the CLI, the language server and the advisor call. It owns the
order of work: one parse per file version, module checks, the ruff bridge, ADR-rule citations,
severity caps for proposed ADRs, select/ignore and suppression comments (the last three live in
``workspace.finalize``; one Python file's analysis in ``workspace.python_file``, the recording
of a whole scan in ``workspace.recording``). Long-lived state is compact (facts; the only trees kept are those of
documents open in an editor, bounded) and frozen out of the garbage collector's reach after a
full scan.
"""

from __future__ import annotations

import copy
import gc
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .analysis import ruff_bridge
from .analysis.decoding import read_source, source_lines
from .analysis.registry import RawFinding, Registry
from .baseline import Baseline, baseline_for
from .catalog import REGISTRY
from .config import ConfigError, ProjectConfig, load_project_config
from .findings import Finding, sort_key
from .knowledge.model import KnowledgeBase
from .root_paths import contained
from .workspace.batch import default_jobs
from .workspace.files import OUTSIDE_ROOT, WorkspaceFiles, discover_files, file_kind
from .workspace.finalize import Finalizer
from .workspace.index import WorkspaceIndex
from .workspace.other_files import adr_file_analysis, config_findings, dependency_file_analysis
from .workspace.parse import OpenTrees
from .workspace.python_file import RUFF_SOURCE, PythonFileChecks, analyze_python_file
from .workspace.recording import FactsSource, record_whole_scan
from .workspace.results import CheckResult, FileAnalysis
from .workspace.roots import SourceRoots
from .workspace.scan import scan_results

if TYPE_CHECKING:
    from .workspace.cache import CheckCache

log = logging.getLogger(__name__)



def _load_knowledge(root: Path, config: ProjectConfig, files: Callable[[], list[Path]]) -> KnowledgeBase:
    try:
        from .knowledge.loader import load_knowledge

        return load_knowledge(root, config, workspace_files=files)
    except Exception:  # a broken knowledge base must never take the checks down with it
        log.exception("could not load the knowledge base of %s", root)
        return KnowledgeBase(root=root)


class Project:
    """A workspace root with its configuration, knowledge base and (lazily built) module index."""

    root: Path
    config: ProjectConfig
    config_errors: list[ConfigError]
    kb: KnowledgeBase

    def __init__(self, root: Path, registry: Registry = REGISTRY, *, editor: bool = False) -> None:
        self.root = Path(root).resolve()
        self.registry = registry
        """The checks this project runs (the catalog's; a test may hand in another)."""
        self.editor = editor
        """Serving an editor: un-adopted judgment-tier findings become hints instead of nothing."""
        self.config = ProjectConfig()
        self.config_errors = []
        self.baseline = Baseline()
        """Findings recorded by ``python-architect baseline`` (``baseline = FILE``); front ends
        drop them with ``baseline.filter`` (the CLI over the whole run, the editor per file)."""
        self.kb = KnowledgeBase(root=self.root)
        self.workspace_files = WorkspaceFiles()
        self.roots = SourceRoots(self.root, (self.root,))
        self.index = WorkspaceIndex(self.roots)
        self.finalizer = Finalizer(self.root, self.kb, self.config, editor=editor)
        self.in_batch_worker = False
        """A batch's worker process (``workspace.batch`` sets it in their copies): analyses carry
        where statements start (for ruff's refinements) instead of hover's constructs, which only
        an editor reads; a keystroke computes neither's cost for nothing."""
        self._open_texts: dict[Path, str] = {}
        self._said_outside: set[Path] = set()
        """Paths ``analyze`` refused as outside the root, logged once each (an editor asks again
        on every keystroke)."""
        self._open_trees = OpenTrees()
        self._workspace_raw: tuple[tuple[int, int, int], list[tuple[Path, RawFinding]]] | None = None

    @classmethod
    def load(cls, root: Path, registry: Registry = REGISTRY, *, editor: bool = False) -> Project:
        """Reads config and knowledge base. Does not scan the workspace (see ``ensure_index``)."""
        project = cls(root, registry, editor=editor)
        project.reload_config()
        return project

    def reload_knowledge(self) -> None:
        """Re-reads ``.ai/`` and ``.claude/`` (after an ADR or agent file changed)."""
        self.kb = _load_knowledge(self.root, self.config, self.files)
        self.finalizer = Finalizer(self.root, self.kb, self.config, editor=self.editor)

    def reload_config(self) -> None:
        """Re-reads ``pyproject.toml`` (config, source roots) and then the knowledge base."""
        # ``select = ["PLW0602"]`` may name a rule an ADR asks ruff for: checked against ruff's list.
        self.config, self.config_errors = load_project_config(self.root, ruff_bridge.known_codes)
        self.baseline, problems = baseline_for(self.root, self.config)
        self.config_errors += problems
        self.refresh_files()
        self.reload_knowledge()

    def refresh_files(self) -> None:
        """Re-discovers the workspace's files and first-party names (after files were added)."""
        self.workspace_files = discover_files(self.root, self.config)
        # Discovery has said these once; an editor opening one is not news (``analyze``).
        self._said_outside.update(path for path, why in self.workspace_files.skipped if why == OUTSIDE_ROOT)
        # Vendored files name first-party packages too (``pip._vendor`` is ``pip``'s): a name
        # does not change with ``include-vendored``, and importing one is no unknown package.
        roots = SourceRoots.from_config(self.root, self.config,
                                        [*self.workspace_files.python, *self.workspace_files.vendored,
                                         *self.workspace_files.generated])
        if roots == self.roots:
            if self.index.scanned:
                present = set(self.workspace_files.python)
                for module in self.index.modules():
                    path = self.index.path_of(module)
                    if path is not None and path not in present:
                        self.index.remove(path)
                self.index.scan([p for p in present if self.index.module_at(p) is None])
            return
        # Module names (and so every fact's resolved imports) depend on the roots: start over.
        self.roots = roots
        self.index = WorkspaceIndex(self.roots)
        self._workspace_raw = None

    def ensure_index(
        self,
        jobs: int | None = None,
        *,
        lock: AbstractContextManager[Any] | None = None,
        progress: Callable[[int, int], None] | None = None,
        facts_source: FactsSource | None = None,
    ) -> None:
        """Scans every workspace Python file into the module index (idempotent; slow: off the
        editor's keystroke path).

        ``lock`` is whatever guards this project for other threads (the language server's
        ``FolderState.lock``; see the rule there). Files are read and parsed *without* it; their
        facts are recorded *with* it (``workspace.recording.record_whole_scan``: a reload that
        replaces the index meanwhile starts the scan over on the new one). ``facts_source``
        yields ``(path, facts or None)`` for the files to scan (default
        ``workspace.scan.scan_results``; a persistent cache can answer instead).
        """
        guard = lock if lock is not None else nullcontext()
        if not record_whole_scan(lambda: self.index, lambda: self.workspace_files.python, guard,
                                 facts_source or scan_results,
                                 default_jobs if jobs is None else lambda _count: jobs, progress):
            return
        # Long-lived facts never change after the scan; keeping them out of the collector's
        # generations removed multi-hundred-millisecond GC pauses in the server.
        gc.collect()
        gc.freeze()

    def files(self) -> list[Path]:
        """Every checkable file under the root, respecting .gitignore and ``exclude``."""
        return self.workspace_files.all()

    def module_name(self, path: Path) -> str | None:
        return self.roots.module_name(self._absolute(path))

    def _absolute(self, path: Path) -> Path:
        path = Path(path)
        return path if path.is_absolute() else self.root / path

    def kind_of(self, path: Path) -> str:
        """``python``, ``dependencies``, ``adr`` or ``other`` (``workspace.files.file_kind``)."""
        return file_kind(self._absolute(path), self.root, self.config)

    # --- one file ---------------------------------------------------------------------------
    def analyze(self, path: Path, text: str | None = None, *, ruff: bool | None = None) -> FileAnalysis:
        """Analyses one file's current text (read from disk when ``text`` is None).

        Python files: module checks + ruff bridge; dependency files: ARC110; ADR files: the
        knowledge problems located in that file. Updates the index entry for Python files.
        Never raises on bad input (syntax errors, odd encodings, huge files). A path that
        resolves outside the root is analysed as nothing, with or without ``text``.
        """
        path = self._absolute(path)
        kind = self.kind_of(path)
        if contained(path, self.root) is None:
            # Only what resolves inside the root is this workspace's (``root_paths``): a link out
            # is neither read nor, with an editor's text, indexed as one of its modules.
            if path not in self._said_outside:
                self._said_outside.add(path)
                log.info("skipped %s: it resolves outside the workspace root", path)
            return FileAnalysis(path=path, kind=kind)
        try:
            if kind == "python":
                return self._analyze_python(path, text, ruff=ruff is not False)
            if kind == "dependencies":
                return self._analyze_dependencies(path, text)
            if kind == "adr":
                return self._analyze_adr(path, text)
        except OSError as exc:
            log.warning("cannot read %s: %s", path, exc)
        except (RecursionError, MemoryError) as exc:
            log.warning("gave up on %s: %s", path, type(exc).__name__)
        except Exception:  # the editor and the CLI must survive any file; the log keeps the trace
            log.exception("analysis of %s failed", path)
        return FileAnalysis(path=path, kind=kind)

    def track_open(self, path: Path, text: str) -> None:
        """The editor has ``path`` open with this (maybe unsaved) text: workspace findings in it
        are placed and suppressed by that text, not the disk's. Only open documents belong here
        (``analyze`` records nothing: other callers' texts must never shadow the disk later)."""
        self._open_texts[self._absolute(path)] = text

    def forget(self, path: Path) -> None:
        """The editor closed ``path``: drop its unsaved text and tree (the index keeps its facts)."""
        self._open_texts.pop(self._absolute(path), None)
        self._open_trees.forget(self._absolute(path))

    def _analyze_python(self, path: Path, text: str | None, *, ruff: bool) -> FileAnalysis:
        # The text an editor sent for a document it has open splices into that document's kept
        # tree. A read from disk never does: whole-workspace checks read files outside the editor's
        # hold on the project (``lsp.editor_api``), and the disk is not the document's text.
        editing = text is not None and path in self._open_texts
        codes = self.ruff_codes(path) if ruff else []
        return analyze_python_file(self._python_file_checks(), path, text, codes,
                                   self._open_trees if editing else None)

    def _python_file_checks(self) -> PythonFileChecks:
        return PythonFileChecks(root=self.root, roots=self.roots, index=self.index, kb=self.kb, config=self.config,
                                finalizer=self.finalizer, registry=self.registry,
                                in_batch_worker=self.in_batch_worker)

    def ruff_codes(self, path: Path | None = None) -> list[str]:
        """What ruff is asked for: the curated families (as configured) plus ADR-required codes."""
        codes = ruff_bridge.curated_selection(self.config.ruff)
        extra = [code for code in self.finalizer.ruff_codes_required(path)
                 if not any(code.startswith(c) for c in codes)]
        return codes + (ruff_bridge.usable_codes(extra) if extra else [])

    def _finalize(self, raw: list[RawFinding], path: Path, lines: list[str] | None,
                  source: str = "python-architect") -> list[Finding]:
        findings = (self.finalizer.finalize(r, path, lines, source) for r in raw)
        return [f for f in findings if f is not None]

    def _analyze_dependencies(self, path: Path, text: str | None) -> FileAnalysis:
        return dependency_file_analysis(self.root, path, text, self.kb, self.config, self.finalizer, self.config_errors)

    def _analyze_adr(self, path: Path, text: str | None) -> FileAnalysis:
        return adr_file_analysis(path, text, self.kb, self.finalizer)

    def config_findings(self, text: str | None = None) -> list[Finding]:
        """ARC006 findings for configuration problems, on the offending key's line when found."""
        return config_findings(self.config_errors, self.finalizer, text)

    # --- the whole workspace ----------------------------------------------------------------
    def workspace_findings(self, lock: AbstractContextManager[Any] | None = None) -> list[Finding]:
        """Findings that need the whole index (import cycles ARC103, indirect layer chains),
        grouped by file by callers.

        ``lock`` guards this project for other threads (the server's folder lock, see the rule
        there): only taking a snapshot of the index and remembering the result happen under it;
        the graph-wide checks (tens of milliseconds on a large workspace, again after every
        import-changing edit) run on the snapshot without it, so keystrokes are not held up.
        """
        from .workspace.cycles import WorkspaceContext
        from .workspace.graph_checks import graph_findings

        guard = lock if lock is not None else nullcontext()
        with guard:
            self.ensure_index()
            key = (self.index.version, id(self.index), id(self.finalizer))
            known = self._workspace_raw if self._workspace_raw is not None and self._workspace_raw[0] == key else None
            finalizer, kb, config, roots = self.finalizer, self.kb, self.config, self.roots
            index = self.index.snapshot() if known is None else None  # copied only when checked
        if known is None:
            context = WorkspaceContext(root=self.root, index=index, kb=kb, config=config, roots=roots,
                                       options_for=finalizer.options_for)
            results = graph_findings(context, self.registry, finalizer)
            known = (key, results)
            with guard:
                if (self.index.version, id(self.index), id(self.finalizer)) == key:
                    self._workspace_raw = known
        findings: list[Finding] = []
        lines_of: dict[Path, list[str] | None] = {}
        # Suppression comments can change without the graph changing: finalise every time.
        for path, raw in known[1]:
            if path not in lines_of:
                lines_of[path] = self._lines_of(path)
            finding = finalizer.finalize(raw, path, lines_of[path])
            if finding is not None:
                findings.append(finding)
        return sorted(findings, key=sort_key)

    def _lines_of(self, path: Path) -> list[str] | None:
        text = self._open_texts.get(path)
        if text is None:
            try:
                text = read_source(path)
            except OSError:
                return None
        return source_lines(text)

    def check_paths(
        self,
        paths: list[Path] | None = None,
        *,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        jobs: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        ruff: bool = True,
        cache: CheckCache | None = None,
    ) -> CheckResult:
        """The CLI's ``check``: every file under ``paths`` (default: the root) plus workspace and
        ADR-file findings, sorted. ``ruff=False`` asks ruff for nothing at all (neither the curated
        families nor codes an ADR's ``ruff`` rule wants). With a persistent ``cache``
        (``workspace.cache``), unchanged files are answered from it."""
        return self.selecting(select, ignore)._check_paths(paths, jobs, progress, ruff, cache)

    def selecting(self, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Project:
        """A view of this project that reports only the selected codes.

        It shares the configuration, knowledge base, files and index (a scan through the view
        fills this project's index) and has its own finalizer, so this project, which an editor
        may be using from other threads, is never changed under them.
        """
        view = copy.copy(self)
        view.finalizer = Finalizer(self.root, self.kb, self.config, select, ignore, editor=self.editor)
        view._workspace_raw = None
        return view

    def detached(self, lock: AbstractContextManager[Any] | None = None) -> Project:
        """A view that starts from this project's state as it is now (taken under ``lock``, the
        one that guards this project) and changes only its own copies: its index and open texts
        are copies, it keeps no trees. A whole-workspace check in a background thread runs on one
        and never holds the lock for its seconds of work (``lsp/state.py``'s rule 3)."""
        with lock if lock is not None else nullcontext():
            view = copy.copy(self)
            view.index = self.index.snapshot()
            view._open_texts = dict(self._open_texts)
        view._open_trees = OpenTrees()
        view._workspace_raw = None
        return view

    def _check_paths(self, paths: list[Path] | None, jobs: int | None,
                     progress: Callable[[int, int], None] | None, ruff: bool,
                     cache: CheckCache | None = None) -> CheckResult:
        from .workspace.batch import check_python_files
        from .workspace.cached_run import CachedRun

        whole = paths is None
        files = self.workspace_files if whole else discover_files(self.root, self.config, paths)
        total = len(files.all())
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)

        ruff_codes = self.ruff_codes() if ruff else []
        cached_run = None if cache is None else CachedRun(
            self, cache, select=self.finalizer.extra_select, ignore=self.finalizer.extra_ignore, ruff_codes=ruff_codes)
        findings = check_python_files(
            self, files.python, jobs=jobs, ruff_codes=ruff_codes,
            finalize_ruff=lambda raw, path, lines: self._finalize(raw, path, lines, RUFF_SOURCE),
            record_facts=self.index.update, tick=tick, cache=cached_run,
        )
        if whole:
            # Every workspace file's facts were just recorded: the index is complete.
            self.index.scanned = True
        checked = set(files.python)
        findings.extend(f for f in self.workspace_findings() if whole or f.path in checked)
        for path in files.dependencies:
            findings.extend(self.analyze(path).findings)
            tick()
        if whole:
            # Every ADR problem, even in a file discovery skipped (a gitignored knowledge dir).
            findings.extend(p for p in self.kb.problems if self.finalizer.selected(p.code))
        for path in files.adrs:
            if not whole:
                findings.extend(self.analyze(path).findings)
            tick()
        if whole and self.root / "pyproject.toml" not in files.dependencies:
            findings.extend(self.config_findings())
        findings.sort(key=sort_key)
        return CheckResult(findings=findings, files=total, adrs=len(self.kb.adrs), skipped=list(files.skipped),
                           vendored=files.vendored_skip(self.root), generated=files.generated_skip(self.root))
