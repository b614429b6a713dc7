"""What the MCP tools do, on the same core as the CLI and the language server, without the SDK.

``ArchitectTools`` owns one workspace's ``Project`` for the server's lifetime. Locking rule: every
use of the project goes through ``self._lock`` (the SDK may run tools on worker threads, and the
project, its index and its knowledge base are not thread-safe). The knowledge base is re-read when
a file under the knowledge or agents folder changed since the last call, so edits made by the
agent itself are seen.

Paths from a client are resolved (symlinks included) and refused unless they lie inside the
workspace root; bad arguments raise ``ToolInputError`` with a sentence for the model to read.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
from pathlib import Path
from typing import Any

from ..advisor import context as ctx
from ..advisor.persona import Persona, choose_persona
from ..advisor.prompts import decision_text
from ..analysis.decoding import read_source
from ..knowledge.model import Adr
from ..knowledge.relevance import relevant_adrs
from ..output import relative_path
from ..output.json_format import finding_to_dict

log = logging.getLogger(__name__)

MAX_TEXT = 2_000_000
"""Unsaved text larger than this is refused (a client bug, not a source file)."""
MAX_FIELD = 20_000
QUOTE_CHARS = 600
GRAPH_FORMATS = ("mermaid", "dot", "json")
RECORD_STATUSES = ("proposed", "accepted")


class ToolInputError(ValueError):
    """A bad argument or a refused path: the message is shown to the client as the tool's error."""


class ArchitectTools:
    """The tools over one workspace root (see the module docstring for the locking rule)."""

    def __init__(self, root: Path) -> None:
        from ..engine import Project

        self.root = Path(root).resolve()
        self._lock = threading.Lock()
        self.project = Project.load(self.root)
        self._knowledge_stamp = self._stamp()

    # -- paths ------------------------------------------------------------------------------

    def inside(self, raw: str, *, must_exist: bool = True) -> Path:
        """``raw`` (absolute or relative to the root) resolved, refused outside the root."""
        if not isinstance(raw, str) or not raw.strip() or "\x00" in raw:
            raise ToolInputError("a path must be a non-empty string")
        candidate = Path(raw.strip()).expanduser()
        if not candidate.is_absolute():
            candidate = self.root / candidate
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError) as exc:
            raise ToolInputError(f"cannot resolve path {raw!r}: {exc}") from None
        if resolved != self.root and not resolved.is_relative_to(self.root):
            raise ToolInputError(f"refused: {raw!r} is outside the workspace root {self.root}")
        if must_exist and not resolved.exists():
            raise ToolInputError(f"no such file or directory in the workspace: {raw!r}")
        return resolved

    def relative(self, path: Path) -> str:
        return relative_path(path, self.root)

    # -- knowledge freshness ------------------------------------------------------------------

    def _knowledge_files(self) -> list[Path]:
        config = self.project.config
        folders = [self.root / config.knowledge_dir, self.root / config.knowledge_dir / "adrs", self.root / config.agents_dir]
        files: list[Path] = []
        for folder in folders:
            try:
                files.extend(p for p in folder.glob("*.md") if p.is_file())
            except OSError:
                continue
        return sorted(files)

    def _stamp(self) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in self._knowledge_files():
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamp)

    def _fresh(self) -> None:
        """Re-reads the knowledge base when an ADR, document or agent file changed (lock held)."""
        stamp = self._stamp()
        if stamp != self._knowledge_stamp:
            self.project.reload_knowledge()
            self._knowledge_stamp = stamp

    # -- tools ------------------------------------------------------------------------------

    def check(self, paths: list[str] | None, path: str | None, text: str | None, ruff: bool) -> dict[str, Any]:
        """Findings for paths (default: the whole workspace) or for one file's unsaved text."""
        with self._lock:
            self._fresh()
            project = self.project
            if text is not None:
                if path is None:
                    raise ToolInputError("`text` needs `path` (the file the text belongs to)")
                if len(text) > MAX_TEXT:
                    raise ToolInputError(f"`text` is larger than {MAX_TEXT} characters")
                target = self.inside(path, must_exist=False)
                if project.kind_of(target) == "other":
                    raise ToolInputError(f"{path!r} is not a Python, dependency or ADR file")
                analysis = project.analyze(target, text, ruff=ruff)
                self._restore(target)
                findings, files = list(analysis.findings), 1
            else:
                targets = [self.inside(p) for p in ([path] if path else []) + list(paths or [])]
                result = project.check_paths(targets or None, ruff=ruff)
                findings, files = result.findings, result.files
        return self._findings_document(findings, files)

    def _restore(self, path: Path) -> None:
        """One call's unsaved text must not outlive it: the project and its index go back to the
        file on disk (or forget a file that does not exist), or later checks would see a ghost."""
        project = self.project
        project.forget(path)
        if project.kind_of(path) != "python":
            return
        try:
            if path.is_file():
                project.index.update(path, read_source(path))
            else:
                project.index.remove(path)
        except (OSError, AttributeError, KeyError):
            log.warning("could not restore the index entry of %s", path)

    def _findings_document(self, findings: list[Any], files: int) -> dict[str, Any]:
        kb = self.project.kb
        cited = sorted({adr_id for f in findings for adr_id in f.adrs})
        titles = {adr_id: adr.title for adr_id in cited if (adr := kb.get(adr_id)) is not None}
        counts: dict[str, int] = {}
        for finding in findings:
            counts[finding.severity.value] = counts.get(finding.severity.value, 0) + 1
        summary = ", ".join(f"{n} {severity}" for severity, n in sorted(counts.items())) or "no findings"
        return {
            "summary": f"{len(findings)} findings ({summary}) in {files} files",
            "findings": [finding_to_dict(f, self.root) for f in findings],
            "adrs": titles,
            "files": files,
        }

    def relevant_adrs(self, question: str | None, path: str | None, line: int | None, limit: int) -> dict[str, Any]:
        """ADRs for a question and/or a place (path, line), with their Decision quoted and why."""
        question = (question or "").strip()
        if not question and not path:
            raise ToolInputError("give a `question`, or a `path` (and `line`), or both")
        if line is not None and line < 1:
            raise ToolInputError("`line` is 1-based")
        if not 1 <= limit <= 20:
            raise ToolInputError("`limit` must be between 1 and 20")
        with self._lock:
            self._fresh()
            project = self.project
            project.ensure_index()
            target = self.inside(path) if path else None
            text, findings, modules = None, [], []
            if target is not None and target.is_file():
                text = read_source(target)
                analysis = project.analyze(target, ruff=False)
                # A line asks about that line: findings elsewhere in the file would outrank it.
                findings = [f for f in analysis.findings if line is None or f.span.line <= line <= f.span.end_line]
                if analysis.facts is not None:
                    modules = [fact.module for fact in analysis.facts.imports]
            persona = choose_persona(project.kb)
            selection = (line, line) if line else None
            material = ctx.gather(project, persona, question, path=target, text=text, selection=selection,
                                  findings=findings, modules=modules)
        return {
            "adrs": [self._adr_summary(r.adr, r.reason) for r in material.relevant[:limit]],
            "code": [fact.text for fact in material.code_facts],
            "findings": [finding_to_dict(f, self.root) for f in material.findings],
        }

    def _adr_summary(self, adr: Adr, why: str) -> dict[str, Any]:
        return {
            "id": adr.id,
            "title": adr.title,
            "status": adr.status,
            "path": self.relative(adr.path),
            "why": why,
            "decision": _quote(decision_text(adr)),
        }

    def explain_rule(self, code: str) -> dict[str, Any]:
        from ..codes import metadata

        wanted = (code or "").strip().upper()
        if not re.fullmatch(r"[A-Z]+[0-9]*", wanted):
            raise ToolInputError(f"not a rule code: {code!r} (codes look like ARC202 or ASYNC210)")
        info = metadata(wanted)
        if info is None:
            raise ToolInputError(f"unknown rule code {wanted}")
        with self._lock:
            self._fresh()
            governing = relevant_adrs(self.project.kb, codes=(wanted,), limit=5)
        return {
            "code": info.code,
            "title": info.title,
            "principle": info.principle,
            "severity": info.severity.value,
            "rationale": info.rationale,
            "instead": info.instead,
            "adrs": [self._adr_summary(r.adr, r.reason) for r in governing],
        }

    def list_adrs(self, status: str | None) -> dict[str, Any]:
        with self._lock:
            self._fresh()
            kb = self.project.kb
            adrs = [a for a in kb.adrs if status is None or a.status == status]
            return {
                "adrs": [
                    {
                        "id": adr.id,
                        "title": adr.title,
                        "status": adr.status,
                        "date": adr.date,
                        "path": self.relative(adr.path),
                        "tags": list(adr.tags),
                        "superseded_by": [a.id for a in kb.superseding(adr)],
                        "rules": [{"id": r.id, "kind": r.kind} for r in adr.rules],
                    }
                    for adr in adrs
                ],
                "problems": len(kb.problems),
            }

    def graph(self, depth: int, output_format: str) -> str:
        from ..workspace.graph import build_graph, render

        if output_format not in GRAPH_FORMATS:
            raise ToolInputError(f"`format` must be one of {', '.join(GRAPH_FORMATS)}")
        if not 1 <= depth <= 10:
            raise ToolInputError("`depth` must be between 1 and 10")
        with self._lock:
            self._fresh()
            self.project.ensure_index()
            graph = build_graph(self.project.index, self.project.kb, depth=depth, with_layers=True)
            return render(graph, output_format)

    def record_decision(self, title: str, context: str, decision: str, consequences: str, status: str,
                        tags: list[str] | None) -> dict[str, Any]:
        """Writes ``<knowledge-dir>/adrs/NNNN-slug.md`` at the next free number; never overwrites."""
        from .adr_writer import render_adr, slug

        title = " ".join((title or "").split())
        if not title or len(title) > 150:
            raise ToolInputError("`title` must be one line of 1 to 150 characters")
        for name, value in (("context", context), ("decision", decision), ("consequences", consequences)):
            if not (value or "").strip():
                raise ToolInputError(f"`{name}` must not be empty")
            if len(value) > MAX_FIELD:
                raise ToolInputError(f"`{name}` is longer than {MAX_FIELD} characters")
        if status not in RECORD_STATUSES:
            raise ToolInputError(f"`status` must be one of {', '.join(RECORD_STATUSES)}")
        tags = [t.strip() for t in tags or [] if isinstance(t, str) and t.strip()]
        if any(not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,40}", t) for t in tags):
            raise ToolInputError("`tags` are short words: letters, digits, `-` and `_`")
        with self._lock:
            self._fresh()
            folder = self.inside(str(self.root / self.project.config.knowledge_dir / "adrs"), must_exist=False)
            folder.mkdir(parents=True, exist_ok=True)
            number = self._next_number(folder)
            today = datetime.date.today().isoformat()
            text = render_adr(number, title, status, today, tags, context, decision, consequences)
            path = folder / f"{number:04d}-{slug(title)}.md"
            with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
                handle.write(text)
            self.project.reload_knowledge()
            self._knowledge_stamp = self._stamp()
        log.info("recorded %s at %s", f"ADR-{number:03d}", path)
        return {"id": f"ADR-{number:03d}", "path": self.relative(path), "status": status}

    def _next_number(self, folder: Path) -> int:
        used = {int(m.group(1)) for p in folder.glob("*.md") if (m := re.match(r"(\d+)", p.name))}
        used |= {int(m.group(1)) for adr in self.project.kb.adrs if (m := re.search(r"(\d+)$", adr.id))}
        return max(used, default=0) + 1

    # -- resources and the prompt -------------------------------------------------------------

    def documents(self) -> list[Path]:
        """The ``.ai/*.md`` documents (not the ADRs, which are resources of their own)."""
        folder = self.root / self.project.config.knowledge_dir
        try:
            return sorted(p for p in folder.glob("*.md") if p.is_file())
        except OSError:
            return []

    def adrs(self) -> list[Adr]:
        with self._lock:
            self._fresh()
            return list(self.project.kb.adrs)

    def read(self, path: Path) -> str:
        """A knowledge file's text, re-checked against the root at read time."""
        return read_source(self.inside(str(path)))

    def persona(self) -> Persona:
        with self._lock:
            self._fresh()
            return choose_persona(self.project.kb)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARS:
        return text
    cut = text[:QUOTE_CHARS].rsplit(" ", 1)[0]
    return cut + " …"
