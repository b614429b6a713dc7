"""The words sent to the model: the system prompt (persona + behaviour rules + the team's other
agents; project documents; the ADR corpus) and the user turn (the question with the ADRs, code,
definitions and findings in view).

The behaviour rules restate the decision process and communication style of the team's
architect agent (``.claude/agents``; the example workspace's ``python-architect.md``), so the
built-in persona and an agent file that says less still answer the same way. Every system block
carries ``cache_control``: the first two depend only on the knowledge base, persona and budget;
the corpus on the question's ranking too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..knowledge.model import Adr, AgentDefinition, Document, Section
from .persona import Persona
from .proposals import PROPOSAL_INSTRUCTION

BEHAVIOUR_RULES = """\
How you work (the team's decision process and communication style):
- Start from the ADR context: name the ADRs that apply by id exactly as written (for example
  ADR-011) so the editor can link them, and quote the decision when it settles the question. If
  no ADR covers the question, say so and answer from architectural principles. A rejected,
  superseded or deprecated ADR is history, not a rule: use its reasons, point to what replaced it.
- Ask clarifying questions before making assumptions. When the answer depends on facts you do
  not have and the project context below does not give them — scale (load, data volume, growth),
  performance (latency targets, throughput), consistency (how stale data may be), integration
  points, security constraints (compliance, data sensitivity), team context (size, experience,
  ownership) or timeline (proof of concept or production, migration time) — ask those first,
  briefly, and say what each answer would change. Ask only what changes the answer.
- Present options with their trade-offs (complexity, performance, maintainability, cost), and
  say which you recommend and why.
- Give concrete Python code examples for the recommended option, in the codebase's own terms.
- Include the performance implications (latency, memory, database round trips, load).
- Prioritise every recommendation: 🔴 Critical, 🟡 Important, 🟢 Nice-to-have.
- When structure is the point (modules, layers, data flow), include a mermaid diagram.
- Suggest an incremental migration path in small, reversible steps.
- When code conflicts with an accepted ADR, say which ADR and what the code should do instead.
- Use markdown; keep it as short as the question allows.
""" + "- " + PROPOSAL_INSTRUCTION + "\n"

EPHEMERAL = {"type": "ephemeral"}


def system_blocks(
    persona: Persona,
    knowledge_text: str,
    *,
    others: Sequence[tuple[str, str]] = (),
    corpus: str = "",
) -> list[dict[str, Any]]:
    """The system prompt as text blocks, each marked for prompt caching: the persona with the
    behaviour rules and the other agents of the team; the project documents; the ADR corpus
    (ordered by the question's ranking, so it is cached only while the ranking repeats)."""
    head = f"{persona.text.rstrip()}\n\n{BEHAVIOUR_RULES}"
    if others:
        lines = [f"- `{name}`: {description}" for name, description in others]
        head += (
            "\nOther agents this team defined (.claude/agents/): when one of them is the better "
            "reviewer for the question, say so and name it.\n" + "\n".join(lines) + "\n"
        )
    blocks: list[dict[str, Any]] = [{"type": "text", "text": head, "cache_control": dict(EPHEMERAL)}]
    for text in (knowledge_text, corpus):
        if text.strip():
            blocks.append({"type": "text", "text": text, "cache_control": dict(EPHEMERAL)})
    return blocks


def other_agents(agents: Sequence[AgentDefinition], persona: Persona) -> list[tuple[str, str]]:
    """``(name, description)`` of every agent other than the one answering."""
    chosen = persona.path.resolve() if persona.path is not None else None
    found = []
    for agent in agents:
        if chosen is not None and agent.path.resolve() == chosen:
            continue
        description = " ".join(agent.description.split())[:300]
        found.append((agent.name, description or "(no description)"))
    return found


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


def adr_heading(adr: Adr, root: Path, status: str | None = None) -> str:
    """``### ADR-011: Title (status, date) — path``; ``status`` as shown (``relevance.status_of``)."""
    status = status or adr.status
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
    return _until_subsection(text)


def consequences_text(adr: Adr) -> str:
    """The Consequences section's text (empty when there is none)."""
    section = adr.section("consequences")
    return _until_subsection(section.text) if section is not None else ""


def _until_subsection(text: str) -> str:
    # A section's text runs on through its subsections (MADR's "Positive Consequences"): stop there.
    lines = []
    for line in text.strip().splitlines():
        if line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def render_adr(adr: Adr, root: Path, level: str, status: str | None = None) -> str:
    """An ADR at one of three levels of detail: ``full`` body, ``decision`` only, or ``title``.

    A rejected, superseded or deprecated ADR's ``decision`` level carries its consequences too:
    why it was rejected or replaced is what a question about it needs."""
    heading = adr_heading(adr, root, status)
    if level == "title":
        return heading
    if level == "decision" or not adr.body.strip():
        decision = decision_text(adr)
        text = f"{heading}\nDecision: {decision}" if decision else heading
        consequences = consequences_text(adr) if not adr.binding else ""
        return f"{text}\nConsequences: {consequences}" if consequences else text
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


def corpus_text(adr_texts: Sequence[str], levels: Sequence[str]) -> str:
    """The ADR-corpus block: every ADR at the level the budget gave it, most relevant first."""
    if not adr_texts:
        return ""
    counts = {level: levels.count(level) for level in ("full", "decision", "title") if level in levels}
    detail = ", ".join(f"{count} {name}" for name, count in (("in full", counts.get("full", 0)),
                       ("decision only", counts.get("decision", 0)), ("title only", counts.get("title", 0))) if count)
    header = f"## Architecture decision records (most relevant to this question first; {detail})"
    return header + "\n\n" + "\n\n".join(adr_texts) + "\n"


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
    definitions: Sequence[tuple[str, str]] = (),
) -> str:
    """The user message: context first, the question last (models answer long prompts best so).

    ``relevant`` holds (ADR id, why it applies); ``code`` (label, text); ``definitions``
    (label, source) of the code the question names.
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
    for label, source in definitions:
        parts.append(f"Definition of {label}:\n```python\n{source.rstrip()}\n```")
    if findings:
        parts.append("Current findings for this code:\n" + "\n".join(findings))
    elif code is not None:
        parts.append("Current findings for this code: none.")
    if notes:
        parts.append("Notes:\n" + "\n".join(f"- {note}" for note in notes))
    parts.append(f"Question:\n{question.strip()}")
    return "\n\n".join(parts)
