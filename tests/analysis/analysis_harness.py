"""Harness for the per-file analysis tests: parse a snippet, build a ModuleContext around a small
in-memory knowledge base and workspace, and run one registered check on it."""

from __future__ import annotations

import ast
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_architect.analysis.extract import extract_facts
from python_architect.analysis.facts import ModuleFacts
from python_architect.analysis.registry import ModuleContext, RawFinding
from python_architect.catalog import lookup
from python_architect.config import ProjectConfig
from python_architect.findings import Span, TextEdit
from python_architect.knowledge.model import Adr, AppliesTo, KnowledgeBase, RuleSpec

ROOT = Path("/workspace")


def adr_with_rules(*rules: dict[str, Any], adr_id: str = "ADR-011", status: str = "accepted",
                   paths: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> Adr:
    """An ADR holding rule entries written like frontmatter (``id``, ``kind``, options...)."""
    specs = []
    for number, entry in enumerate(rules, start=1):
        entry = dict(entry)
        specs.append(
            RuleSpec(
                id=entry.pop("id", f"rule-{number}"),
                kind=entry.pop("kind"),
                adr_id=adr_id,
                message=entry.pop("message", None),
                options=entry,
            )
        )
    return Adr(
        id=adr_id,
        title="Test decision",
        path=ROOT / ".ai" / "adrs" / "0011-test.md",
        status=status,
        applies_to=AppliesTo(paths=paths, exclude=exclude),
        rules=tuple(specs),
    )


@dataclass
class Workspace:
    """Other first-party modules (name -> source) the check can look up through the index."""

    first_party: tuple[str, ...] = ("app",)
    modules: dict[str, str] = field(default_factory=dict)
    _facts: dict[str, ModuleFacts] = field(default_factory=dict)

    def is_first_party(self, name: str) -> bool:
        return name.split(".")[0] in self.first_party

    def lookup(self, name: str) -> ModuleFacts | None:
        if name not in self._facts and name in self.modules:
            source = textwrap.dedent(self.modules[name])
            is_package = any(other.startswith(name + ".") for other in self.modules)
            self._facts[name] = extract_facts(ast.parse(source), source, name, is_package=is_package)
        return self._facts.get(name)


def make_context(source: str, *, module: str | None = "app.services.orders",
                 path: str | None = None, adrs: tuple[Adr, ...] = (),
                 options: dict[str, dict[str, Any]] | None = None,
                 workspace: Workspace | None = None, dedent: bool = True) -> ModuleContext:
    text = textwrap.dedent(source) if dedent else source
    tree = ast.parse(text)
    facts = extract_facts(tree, text, module)
    workspace = workspace or Workspace()
    if path is None:
        path = "src/" + (module or "script").replace(".", "/") + ".py"
    config = ProjectConfig(options=options or {})

    def options_for(code: str) -> dict[str, Any]:
        info = lookup(code)
        merged = dict(info.default_options) if info else {}
        merged.update(config.options.get(code, {}))
        return merged

    return ModuleContext(
        root=ROOT,
        path=ROOT / path,
        module=module,
        text=text,
        lines=text.splitlines(),
        tree=tree,
        facts=facts,
        kb=KnowledgeBase(root=ROOT, adrs=list(adrs)),
        config=config,
        is_first_party=workspace.is_first_party,
        is_stdlib=lambda name: name.split(".")[0] in sys.stdlib_module_names,
        lookup_module=workspace.lookup,
        options_for=options_for,
    )


def run_check(code: str, source: str, **kwargs: Any) -> list[RawFinding]:
    info = lookup(code)
    assert info is not None and info.run is not None, f"{code} is not registered"
    findings = list(info.run(make_context(source, **kwargs)))
    assert all(finding.code == code for finding in findings)
    return findings


def apply_edits(text: str, edits: tuple[TextEdit, ...]) -> str:
    """Applies edits (1-based, exclusive end column, in characters) back to front."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1 if line <= len(lines) else len(text)

    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        start = offset(edit.span.line, edit.span.column)
        end = offset(edit.span.end_line, edit.span.end_column)
        text = text[:start] + edit.new_text + text[end:]
    return text


def lines_of(findings: list[RawFinding]) -> list[int]:
    return [finding.span.line for finding in findings]


__all__ = ["Span", "Workspace", "adr_with_rules", "apply_edits", "lines_of", "make_context", "run_check"]
