"""The words sent to the model: the system prompt (persona + behaviour rules + project knowledge)
and the user turn (the question with the ADRs, code and findings in view).

The system prompt is the stable part of every request in a conversation — it depends on the
knowledge base and the budget, never on the question — so it carries ``cache_control`` and
follow-up turns are read from the prompt cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..knowledge.model import Adr, Document, Section
from .persona import Persona

BEHAVIOUR_RULES = """\
How you answer:
- Ground every recommendation in the team's ADRs. Cite them by id exactly as written (for
  example ADR-011) so the editor can link them; quote the decision when it settles the question.
  If no ADR covers the question, say so and answer from architectural principles.
- When the answer depends on facts you do not have and the project context below does not give
  them — expected scale (requests per second, data volume), latency targets, consistency needs
  (how stale data may be), or team facts (size, ownership, experience) — ask those clarifying
  questions first, briefly, instead of assuming. Ask only what changes the answer.
- Give every recommendation a priority: critical, important or nice-to-have.
- When you propose a change, state the trade-offs and a migration path in small, reversible steps.
- When structure is the point (modules, layers, data flow), include a mermaid diagram.
- When code conflicts with an accepted ADR, say which ADR and what the code should do instead. A
  superseded, rejected or deprecated ADR is history, not a rule: point to what replaced it.
- Be concise: lead with the answer, then the reasoning. Use markdown.
"""

EPHEMERAL = {"type": "ephemeral"}


def system_blocks(persona: Persona, knowledge_text: str) -> list[dict[str, Any]]:
    """The system prompt as text blocks, each stable block marked for prompt caching."""
    blocks: list[dict[str, Any]] = [
        {"type": "text", "text": f"{persona.text.rstrip()}\n\n{BEHAVIOUR_RULES}", "cache_control": dict(EPHEMERAL)},
    ]
    if knowledge_text.strip():
        blocks.append({"type": "text", "text": knowledge_text, "cache_control": dict(EPHEMERAL)})
    return blocks


def relative(path: Path, root: Path) -> str:
    """``path`` relative to the workspace root, ``/``-separated (resolving links only when the
    plain paths do not nest)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.name


def adr_heading(adr: Adr, root: Path) -> str:
    status = adr.status
    if adr.superseded_by:
        status += f", superseded by {', '.join(adr.superseded_by)}"
    date = f", {adr.date}" if adr.date else ""
    return f"### {adr.id}: {adr.title} ({status}{date}) — {relative(adr.path, root)}"


def decision_section(adr: Adr) -> Section | None:
    """The section that states the decision (see ``Adr.decision``)."""
    return adr.decision


def decision_text(adr: Adr) -> str:
    """The Decision section's text, else the start of the body."""
    section = decision_section(adr)
    text = section.text if section is not None else adr.body
    # A section's text runs on through its subsections (MADR's "Positive Consequences"): stop there.
    lines = []
    for line in text.strip().splitlines():
        if line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def render_adr(adr: Adr, root: Path, level: str) -> str:
    """An ADR at one of three levels of detail: ``full`` body, ``decision`` only, or ``title``."""
    heading = adr_heading(adr, root)
    if level == "title":
        return heading
    if level == "decision" or not adr.body.strip():
        decision = decision_text(adr)
        return f"{heading}\nDecision: {decision}" if decision else heading
    return f"{heading}\n{adr.body.strip()}"


def knowledge_text(documents: Sequence[tuple[str, str]], adr_texts: Sequence[str], corpus_level: str) -> str:
    """The project-knowledge block: the architecture documents, then every ADR."""
    parts = ["# Project knowledge"]
    for name, text in documents:
        parts.append(f"## {name}\n{text.strip()}")
    if adr_texts:
        detail = {"full": "full text", "decision": "decisions only", "title": "titles only"}[corpus_level]
        parts.append(f"## Architecture decision records ({detail})")
        parts.extend(adr_texts)
    return "\n\n".join(parts) + "\n"


def summarise_document(document: Document, max_chars: int) -> str:
    """The document whole when it fits; else its outline with each section's opening sentences."""
    text = document.text.strip()
    if len(text) <= max_chars:
        return text
    per_section = max(120, max_chars // max(1, len(document.sections)) - 40)
    lines = [f"(summarised: {len(text)} characters cut to section openings)"]
    for section in document.sections:
        opening = " ".join(section.text.split())
        if len(opening) > per_section:
            opening = opening[:per_section].rsplit(" ", 1)[0] + " …"
        lines.append(f"{'#' * max(section.level, 1)} {section.title}\n{opening}".rstrip())
    summary = "\n".join(lines)
    return summary if len(summary) <= max_chars else summary[: max(0, max_chars - 1)] + "…"


def format_finding(finding: Finding) -> str:
    adrs = f" [{', '.join(finding.adrs)}]" if finding.adrs else ""
    fix = f" — fix: {finding.fix.title}" if finding.fix is not None else ""
    return f"- line {finding.span.line}: {finding.code} ({finding.severity.value}) {finding.message}{adrs}{fix}"


def user_turn(
    question: str,
    *,
    relevant: Sequence[tuple[str, str]],
    adr_texts: Sequence[str],
    code: tuple[str, str] | None,
    findings: Sequence[str],
    notes: Sequence[str],
) -> str:
    """The user message: context first, the question last (models answer long prompts best so).

    ``relevant`` holds (ADR id, why it applies); ``code`` (label, text).
    """
    parts: list[str] = []
    if relevant:
        lines = [f"- {adr_id}: {why}" if why else f"- {adr_id}" for adr_id, why in relevant]
        parts.append("ADRs most relevant to this question (ranked):\n" + "\n".join(lines))
    if adr_texts:
        parts.append("Their text:\n\n" + "\n\n".join(adr_texts))
    if code is not None:
        label, text = code
        parts.append(f"Code in view ({label}):\n```python\n{text.rstrip()}\n```")
    if findings:
        parts.append("Current findings for this code:\n" + "\n".join(findings))
    elif code is not None:
        parts.append("Current findings for this code: none.")
    if notes:
        parts.append("Notes:\n" + "\n".join(f"- {note}" for note in notes))
    parts.append(f"Question:\n{question.strip()}")
    return "\n\n".join(parts)
