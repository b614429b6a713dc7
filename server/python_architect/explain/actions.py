"""Code-action plans: what each action does, as plain data the language server converts.

For a finding, in ruff's order (fixes before suppressions): its quick fix (ruff's or ours, from
``finding.fix``), "Fix all CODE in this file", "Fix with the architect" (the chat asked for a fix
that ends in a proposed edit), "Ask the architect about this", "Suppress CODE on this line",
"Suppress CODE in this file", "Open ADR-011". For a document: "fix all" (every safe fix that does
not overlap another; kind ``source.fixAll.pythonArchitect``, so ``editor.codeActionsOnSave`` can
run it on save). For any selection: "Record a decision", a new MADR file with status
proposed under the knowledge directory's ``adrs/`` with the next free number.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import Finding, Span, TextEdit
from ..knowledge.model import KnowledgeBase

if TYPE_CHECKING:
    from ..engine import Project

QUICKFIX = "quickfix"
FIX_ALL = "source.fixAll.pythonArchitect"
RECORD_DECISION = "refactor.rewrite.python-architect.recordDecision"
OPEN_ADR_COMMAND = "pythonArchitect.openAdr"
ASK_COMMAND = "pythonArchitect.askAboutFinding"
FIX_COMMAND = "pythonArchitect.fixWithArchitect"
RECORD_COMMAND = "pythonArchitect.recordDecision"


@dataclass(frozen=True)
class FileChange:
    """Edits to one file; ``create`` makes the file first (it must not exist)."""

    path: Path
    edits: tuple[TextEdit, ...]
    create: bool = False


@dataclass(frozen=True)
class ActionPlan:
    title: str
    kind: str
    changes: tuple[FileChange, ...] = ()
    command: str | None = None
    arguments: tuple[Any, ...] = ()
    findings: tuple[Finding, ...] = field(default=(), compare=False)
    preferred: bool = False


def quick_fix(finding: Finding) -> ActionPlan | None:
    if finding.fix is None or not finding.fix.edits:
        return None
    return ActionPlan(
        title=finding.fix.title,
        kind=QUICKFIX,
        changes=(FileChange(finding.path, finding.fix.edits),),
        findings=(finding,),
        preferred=finding.fix.safe,
    )


def suppress(finding: Finding, line_text: str) -> ActionPlan:
    from ..analysis.suppression import add_suppression

    line = finding.span.line
    new_line = add_suppression(line_text, finding.code)
    edit = TextEdit(Span(line, 1, line, len(line_text) + 1), new_line)
    return ActionPlan(
        title=f"Suppress {finding.code} on this line",
        kind=QUICKFIX,
        changes=(FileChange(finding.path, (edit,)),),
        findings=(finding,),
    )


def suppress_in_file(finding: Finding, lines: list[str]) -> ActionPlan:
    """``# architect: ignore-file[CODE]`` near the top of the file (or the code added to one)."""
    from ..analysis.suppression import add_file_suppression

    line, old, new = add_file_suppression(lines, finding.code)
    if old is None:
        edit = TextEdit(Span(line, 1, line, 1), new)
    else:
        edit = TextEdit(Span(line, 1, line, len(old) + 1), new)
    return ActionPlan(
        title=f"Suppress {finding.code} in this file",
        kind=QUICKFIX,
        changes=(FileChange(finding.path, (edit,)),),
        findings=(finding,),
    )


def open_adrs(finding: Finding, kb: KnowledgeBase) -> list[ActionPlan]:
    plans = []
    for adr in (kb.get(adr_id) for adr_id in finding.adrs):
        if adr is None:
            continue
        section = adr.decision
        line = section.line if section else adr.body_line
        plans.append(
            ActionPlan(
                title=f"Open {adr.id}: {adr.title}",
                kind=QUICKFIX,
                command=OPEN_ADR_COMMAND,
                arguments=({"uri": adr.path.as_uri(), "line": line - 1, "adr": adr.id},),
                findings=(finding,),
            )
        )
    return plans


def ask_architect(finding: Finding, uri: str, lsp_range: dict[str, Any]) -> ActionPlan:
    return ActionPlan(
        title="Ask the architect about this",
        kind=QUICKFIX,
        command=ASK_COMMAND,
        arguments=(
            {"uri": uri, "range": lsp_range, "code": finding.code, "adrs": list(finding.adrs), "message": finding.message},
        ),
        findings=(finding,),
    )


def fix_with_architect(finding: Finding, uri: str, lsp_range: dict[str, Any], question: str) -> ActionPlan:
    """Opens the chat on the finding with ``question`` (``advisor.proposals.fix_question``)."""
    return ActionPlan(
        title="Fix with the architect",
        kind=QUICKFIX,
        command=FIX_COMMAND,
        arguments=(
            {"uri": uri, "range": lsp_range, "code": finding.code, "adrs": list(finding.adrs),
             "message": finding.message, "question": question},
        ),
        findings=(finding,),
    )


def fix_all_of_code(findings: list[Finding], code: str, path: Path) -> ActionPlan | None:
    """"Fix all CODE in this file": every safe fix of that code, when there are two or more
    (with one, the finding's own fix already says it)."""
    plan = fix_all([f for f in findings if f.code == code], path)
    if plan is None or len(plan.findings) < 2:
        return None
    return ActionPlan(title=f"Fix all {code} in this file ({len(plan.findings)})", kind=QUICKFIX,
                      changes=plan.changes, findings=plan.findings)


def fix_all(findings: list[Finding], path: Path) -> ActionPlan | None:
    """Every safe fix in the document, skipping any that overlaps one already taken."""
    taken: list[TextEdit] = []
    fixed: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.span.line, f.span.column)):
        fix = finding.fix
        if fix is None or not fix.safe or not fix.edits:
            continue
        if any(_overlaps(edit.span, other.span) for edit in fix.edits for other in taken):
            continue
        taken.extend(fix.edits)
        fixed.append(finding)
    if not taken:
        return None
    return ActionPlan(
        title=f"Python Architect: fix all ({len(fixed)})",
        kind=FIX_ALL,
        changes=(FileChange(path, tuple(sorted(taken, key=lambda e: (e.span.line, e.span.column)))),),
        findings=tuple(fixed),
    )


def _overlaps(a: Span, b: Span) -> bool:
    a_start, a_end = (a.line, a.column), (a.end_line, a.end_column)
    b_start, b_end = (b.line, b.column), (b.end_line, b.end_column)
    if a_start == a_end and b_start == b_end:
        return a_start == b_start
    return a_start < b_end and b_start < a_end


_ADR_FILE = re.compile(r"^(\d{1,5})[-_ ]")
_NAMED = re.compile(r"^\s*(?:async\s+def|def|class)\s+([A-Za-z_]\w*)|^\s*(?:from\s+([\w.]+)|import\s+([\w.]+))", re.MULTILINE)


def adr_directory(project: Project) -> Path:
    return project.root / project.config.knowledge_dir / "adrs"


def next_adr_number(directory: Path, kb: KnowledgeBase) -> int:
    """One past the highest number used by an ADR file name or id."""
    numbers = [0]
    try:
        for entry in directory.iterdir():
            match = _ADR_FILE.match(entry.name)
            if match:
                numbers.append(int(match.group(1)))
    except OSError:
        pass
    for adr in kb.adrs:
        digits = re.findall(r"\d+", adr.id)
        if digits:
            numbers.append(int(digits[-1]))
    return max(numbers) + 1


def decision_subject(selection: str) -> str:
    """What the selection is about: the first def/class/import it names, else its first words."""
    match = _NAMED.search(selection)
    if match:
        return next(group for group in match.groups() if group)
    words = re.findall(r"[A-Za-z_][\w.]*", selection)
    return " ".join(words[:5]) or "this code"


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text).lower()).strip("-")
    return slug[:50].rstrip("-") or "decision"


def madr_text(number: int, title: str, selection: str, source: str, today: str) -> str:
    code = selection.strip("\n")
    fence = "```python" if source.endswith(".py") else "```"
    return (
        f"---\nid: ADR-{number:03d}\nstatus: proposed\ndate: {today}\ntags: []\n---\n\n"
        f"# {title}\n\n"
        "## Status\n\nproposed\n\n"
        "## Context and Problem Statement\n\n"
        f"Raised while working on `{source}`:\n\n{fence}\n{code}\n```\n\n"
        "What problem does this code face, and which forces (scale, latency, consistency, team) matter?\n\n"
        "## Considered Options\n\n* Option 1\n* Option 2\n\n"
        "## Decision\n\nChosen option: \"…\", because …\n\n"
        "## Consequences\n\n* Good, because …\n* Bad, because …\n"
    )


def record_decision(project: Project, source_path: Path, selection: str, today: str | None = None) -> ActionPlan:
    """Creates ``<knowledge-dir>/adrs/NNNN-<slug>.md`` holding a proposed MADR for the selection."""
    directory = adr_directory(project)
    number = next_adr_number(directory, project.kb)
    subject = decision_subject(selection)
    title = f"Decision about {subject}"
    path = directory / f"{number:04d}-{slugify(subject)}.md"
    try:
        source = source_path.resolve().relative_to(project.root).as_posix()
    except ValueError:
        source = source_path.name
    text = madr_text(number, title, selection, source, today or _dt.date.today().isoformat())
    return ActionPlan(
        title=f"Record a decision: ADR-{number:03d} {title}",
        kind=RECORD_DECISION,
        changes=(FileChange(path, (TextEdit(Span(1, 1, 1, 1), text),), create=True),),
    )
