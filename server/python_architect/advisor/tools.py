"""The architect's read-only tools over one workspace, on the same core as the CLI and the
language server, without any SDK: the chat's agent loop (``agent``) and the MCP server
(``mcp.server``) both call ``ToolSet.run``, so Claude Code and the chat panel get the same answers.

Locking rule: ``self._lock`` is whatever guards ``project`` for the other threads (the language
server passes its ``FolderState.lock``, the MCP server and the CLI a lock of their own). It is
held only while the project, its index or its knowledge base is read or changed — never while a
file is read, searched or parsed, and never while arguments are validated: ``run`` checks every
argument against ``tool_specs`` first, so an oversized call is refused without waiting.

Every path goes through ``root_paths`` (refused outside the root), every file read through
``read_bounded``, and every result through a ``Redactor`` before it leaves this module.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from ..findings import finding_to_dict
from ..knowledge.model import Adr
from ..knowledge.relevance import relevant_adrs
from ..root_paths import OutsideRoot, relative_path, resolve_in_root
from . import code_tools
from . import context as ctx
from .persona import Persona, choose_persona
from .prompts import decision_text
from .redaction import Redactor
from .tool_specs import ToolInputError, validate

log = logging.getLogger(__name__)

QUOTE_CHARS = 600
MAX_ADR_CHARS = 30_000

__all__ = ["ToolInputError", "ToolSet"]


class _Cancelled(Exception):
    """Raised from a check's progress callback once the caller gave up on the call."""


class ToolSet:
    """The tools over one ``Project`` (see the module docstring for the locking rule).

    ``texts`` gives the editor's unsaved text of an open file (None: read the disk);
    ``watch_knowledge`` re-reads the knowledge base when an ADR, document or agent file changed
    since the last call (the MCP server, where nothing else watches the files)."""

    def __init__(self, project: Any, lock: AbstractContextManager[Any] | None = None, *,
                 texts: code_tools.TextOf | None = None, watch_knowledge: bool = False) -> None:
        self.project = project
        self.root = Path(project.root).resolve()
        self._lock = lock if lock is not None else threading.Lock()
        self.texts = texts
        self._watch = watch_knowledge
        self._knowledge_stamp = self._stamp() if watch_knowledge else ()

    # -- the one entry point ------------------------------------------------------------------

    def run(self, name: str, arguments: Any, *, redactor: Redactor | None = None,
            cancelled: threading.Event | None = None, spec: dict[str, Any] | None = None) -> Any:
        """The tool's result (a dict, or text for ``graph``), redacted; ``ToolInputError`` with a
        sentence for the model when an argument is wrong or a path is refused."""
        args = validate(name, arguments, spec)
        redactor = redactor if redactor is not None else Redactor()
        method = getattr(self, f"_tool_{name}")
        try:
            result = method(cancelled=cancelled, redactor=redactor, **args)
        except code_tools.CodeToolError as exc:
            raise ToolInputError(str(exc)) from None
        except OutsideRoot as exc:
            raise ToolInputError(str(exc)) from None
        return redact_tree(result, redactor)

    @contextmanager
    def locked(self) -> Iterator[Any]:
        """The project, under its lock, with the knowledge base fresh."""
        with self._lock:
            self._fresh()
            yield self.project

    # -- paths ------------------------------------------------------------------------------

    def inside(self, raw: str, *, must_exist: bool = True) -> Path:
        """``raw`` (absolute or relative to the root) resolved, refused outside the root."""
        if not isinstance(raw, str):
            raise ToolInputError("a path must be a string")
        try:
            return resolve_in_root(raw, self.root, must_exist=must_exist)
        except OutsideRoot as exc:
            raise ToolInputError(str(exc)) from None

    def relative(self, path: Path) -> str:
        return relative_path(path, self.root)

    # -- knowledge freshness ------------------------------------------------------------------

    def _stamp(self) -> tuple[tuple[str, int, int], ...]:
        config = self.project.config
        folders = [self.root / config.knowledge_dir, self.root / config.knowledge_dir / "adrs",
                   self.root / config.agents_dir]
        stamp = []
        for folder in folders:
            try:
                for path in sorted(folder.glob("*.md")):
                    info = path.stat()
                    stamp.append((str(path), info.st_mtime_ns, info.st_size))
            except OSError:
                continue
        return tuple(stamp)

    def _fresh(self) -> None:
        """Re-reads the knowledge base when an ADR, document or agent file changed (lock held)."""
        if not self._watch:
            return
        stamp = self._stamp()
        if stamp != self._knowledge_stamp:
            self.project.reload_knowledge()
            self._knowledge_stamp = stamp

    def knowledge_written(self) -> None:
        """After this process wrote a knowledge file (lock held): reload, remember the stamp."""
        self.project.reload_knowledge()
        self._knowledge_stamp = self._stamp() if self._watch else ()

    # -- code tools -----------------------------------------------------------------------------

    def _tool_read_file(self, path: str, start_line: int | None, end_line: int | None, *,
                        redactor: Redactor, cancelled: Any) -> dict[str, Any]:
        return code_tools.read_file(self.root, path, start_line, end_line, redactor, self.texts)

    def _tool_search_code(self, pattern: str, glob: str | None, *, redactor: Redactor,
                          cancelled: threading.Event | None) -> dict[str, Any]:
        with self.locked() as project:
            files = list(project.files())
        return code_tools.search_code(self.root, files, pattern, glob, redactor, self.texts, cancelled)

    def _tool_find_symbol(self, name: str, *, redactor: Redactor, cancelled: Any) -> dict[str, Any]:
        name = name.strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", name):
            raise ToolInputError(f"not a Python name: {name!r} (give `QuoteCache` or `shop.cache.QuoteCache`)")
        self.project.ensure_index(lock=self._lock)  # scans without the lock, records with it
        with self.locked() as project:
            candidates, importers = code_tools.symbol_candidates(project.index, name)
        return code_tools.find_symbol(self.root, None, name, redactor, self.texts, candidates, importers)

    # -- project tools --------------------------------------------------------------------------

    def _tool_check(self, paths: list[str] | None, path: str | None = None, text: str | None = None,
                    ruff: bool | None = None, *, redactor: Redactor,
                    cancelled: threading.Event | None) -> dict[str, Any]:
        """Findings for paths (default: the whole workspace) or for one file's unsaved text."""
        ruff = True if ruff is None else ruff
        if text is not None:
            if path is None:
                raise ToolInputError("`text` needs `path` (the file the text belongs to)")
            target = self.inside(path, must_exist=False)
            with self.locked() as project:
                if project.kind_of(target) == "other":
                    raise ToolInputError(f"{path!r} is not a Python, dependency or ADR file")
                analysis = project.analyze(target, text, ruff=ruff)
                self._restore(target)
                return self._findings_document(list(analysis.findings), 1, {target: text})
        targets = [self.inside(p) for p in ([path] if path else []) + list(paths or [])]  # outside the lock

        def progress(done: int, total: int) -> None:
            if cancelled is not None and cancelled.is_set():
                raise _Cancelled

        with self.locked():
            pass  # the knowledge base fresh before the copy
        # The seconds of checking run on a copy taken under the lock, never holding it (a
        # whole-workspace check would otherwise stall the editor's keystrokes and every MCP call).
        view = self.project.detached(self._lock)
        try:
            progress(0, len(targets))
            result = view.check_paths(targets or None, ruff=ruff, progress=progress)
        except _Cancelled:
            raise ToolInputError("cancelled") from None
        return self._findings_document(result.findings, result.files)

    def _restore(self, path: Path) -> None:
        """One call's unsaved text must not outlive it: the project and its index go back to the
        file on disk (or forget a file that does not exist), or later checks would see a ghost."""
        project = self.project
        project.forget(path)
        if project.kind_of(path) != "python":
            return
        try:
            if path.is_file():
                project.index.update(path, code_tools.file_text(path))
            else:
                project.index.remove(path)
        except (code_tools.CodeToolError, AttributeError, KeyError):
            log.warning("could not restore the index entry of %s", path)

    def _findings_document(self, findings: list[Any], files: int,
                           texts: dict[Path, str] | None = None) -> dict[str, Any]:
        """The findings the configured baseline does not record (as ``check`` reports them), with
        how many it hid."""
        baseline = self.project.baseline
        hidden = 0
        if baseline.entries:
            from ..baseline import lines_reader

            kept = baseline.filter(findings, self.root, lines_reader(texts)).new
            hidden, findings = len(findings) - len(kept), kept
        kb = self.project.kb
        cited = sorted({adr_id for f in findings for adr_id in f.adrs})
        titles = {adr_id: adr.title for adr_id in cited if (adr := kb.get(adr_id)) is not None}
        counts: dict[str, int] = {}
        for finding in findings:
            counts[finding.severity.value] = counts.get(finding.severity.value, 0) + 1
        summary = ", ".join(f"{n} {severity}" for severity, n in sorted(counts.items())) or "no findings"
        hidden_note = f"; {hidden} hidden by the baseline" if hidden else ""
        return {
            "summary": f"{len(findings)} findings ({summary}) in {files} files{hidden_note}",
            "hidden_by_baseline": hidden,
            "findings": [finding_to_dict(f, self.root) for f in findings],
            "adrs": titles,
            "files": files,
        }

    def _tool_relevant_adrs(self, question: str | None, path: str | None, line: int | None,
                            limit: int | None, **_: Any) -> dict[str, Any]:
        """ADRs for a question and/or a place (path, line), with their Decision quoted and why."""
        question = (question or "").strip()
        limit = limit or 5
        if not question and not path:
            raise ToolInputError("give a `question`, or a `path` (and `line`), or both")
        target = self.inside(path) if path else None
        text = code_tools.file_text(target, self.texts) if target is not None and target.is_file() else None
        self.project.ensure_index(lock=self._lock)
        with self.locked() as project:
            findings, modules = [], []
            if text is not None:
                analysis = project.analyze(target, text, ruff=False)
                # A line asks about that line: findings elsewhere in the file would outrank it.
                findings = [f for f in analysis.findings if line is None or f.span.line <= line <= f.span.end_line]
                if analysis.facts is not None:
                    modules = [fact.module for fact in analysis.facts.imports]
            persona = choose_persona(project.kb)
            selection = (line, line) if line else None
            material = ctx.gather(project, persona, question, path=target if text is not None else None, text=text,
                                  selection=selection, findings=findings, modules=modules)
            return {
                "adrs": [self._adr_summary(r.adr, r.reason) for r in material.relevant[:limit]],
                "code": [fact.text for fact in material.code_facts],
                "findings": [finding_to_dict(f, self.root) for f in material.findings],
            }

    def _adr_summary(self, adr: Adr, why: str) -> dict[str, Any]:
        return {"id": adr.id, "title": adr.title, "status": adr.status, "path": self.relative(adr.path),
                "why": why, "decision": _quote(decision_text(adr))}

    def _tool_explain_rule(self, code: str, **_: Any) -> dict[str, Any]:
        from ..codes import metadata

        wanted = code.strip().upper()
        if not re.fullmatch(r"[A-Z]+[0-9]*", wanted):
            raise ToolInputError(f"not a rule code: {code!r} (codes look like ARC202 or ASYNC210)")
        info = metadata(wanted)
        if info is None:
            raise ToolInputError(f"unknown rule code {wanted}")
        with self.locked() as project:
            governing = relevant_adrs(project.kb, codes=(wanted,), limit=5)
            adrs = [self._adr_summary(r.adr, r.reason) for r in governing]
        return {"code": info.code, "title": info.title, "principle": info.principle,
                "severity": info.severity.value, "rationale": info.rationale, "instead": info.instead,
                "adrs": adrs}

    def _tool_list_adrs(self, status: str | None, **_: Any) -> dict[str, Any]:
        with self.locked() as project:
            kb = project.kb
            return {
                "adrs": [
                    {"id": adr.id, "title": adr.title, "status": adr.status, "date": adr.date,
                     "path": self.relative(adr.path), "tags": list(adr.tags),
                     "superseded_by": [a.id for a in kb.superseding(adr)],
                     "rules": [{"id": r.id, "kind": r.kind} for r in adr.rules]}
                    for adr in kb.adrs if status is None or adr.status == status
                ],
                "problems": len(kb.problems),
            }

    def _tool_read_adr(self, id: str, **_: Any) -> dict[str, Any]:
        with self.locked() as project:
            adr = project.kb.get(id.strip()) or project.kb.get(id.strip().upper())
            if adr is None:
                known = ", ".join(a.id for a in project.kb.adrs[:40])
                raise ToolInputError(f"no ADR {id!r} in this workspace (the ADRs: {known or 'none'})")
            kb = project.kb
            head = {"id": adr.id, "title": adr.title, "status": adr.status, "path": self.relative(adr.path),
                    "superseded_by": [a.id for a in kb.superseding(adr)]}
            path = adr.path
        text = code_tools.file_text(self.inside(str(path)))
        if len(text) > MAX_ADR_CHARS:
            text = text[:MAX_ADR_CHARS] + "\n… (cut)"
        return {**head, "text": text}

    def _tool_graph(self, depth: int | None, format: str | None, **_: Any) -> str:
        from ..workspace.graph import build_graph, render

        self.project.ensure_index(lock=self._lock)
        with self.locked() as project:
            graph = build_graph(project.index, project.kb, depth=depth or 2, with_layers=True)
        return render(graph, format or "mermaid")

    # -- for the MCP resources and prompt --------------------------------------------------------

    def documents(self) -> list[Path]:
        """The ``.ai/*.md`` documents (not the ADRs, which are resources of their own)."""
        folder = self.root / self.project.config.knowledge_dir
        try:
            return sorted(p for p in folder.glob("*.md") if p.is_file())
        except OSError:
            return []

    def adrs(self) -> list[Adr]:
        with self.locked() as project:
            return list(project.kb.adrs)

    def read(self, path: Path) -> str:
        """A knowledge file's text, re-checked against the root at read time."""
        return code_tools.file_text(self.inside(str(path)))

    def persona(self) -> Persona:
        with self.locked() as project:
            return choose_persona(project.kb)


def redact_tree(value: Any, redactor: Redactor) -> Any:
    """Every string in a result (dict, list or text) redacted; paths and numbers unchanged."""
    if isinstance(value, str):
        return redactor(value)
    if isinstance(value, dict):
        return {key: redact_tree(item, redactor) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_tree(item, redactor) for item in value]
    return value


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARS:
        return text
    return text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
