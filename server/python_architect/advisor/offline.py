"""The answer without a model: deterministic, built from the knowledge base and the findings.

Used when there is no API key, offline mode is on, or the user asks for it. It follows the
architect's structure where a program can: the ADR context first (the ADRs that apply with their
decisions quoted; a rejected or superseded one with its reasons and its replacement; an ADR whose
frontmatter did not parse with its status unknown), then the clarifying questions a senior
architect would ask (scale, latency, consistency, integration, security, team, timeline — unless
``project-context.md`` already answers them), what the code the question names is (a class's
bases and findings, a module's layer, a specifier judged by the pin rules), the findings for the
code in view with their fixes and 🔴/🟡/🟢 priorities, and one line naming the editor's
"Python Architect: Set API Key" command for the full answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..findings import Finding, Severity
from ..knowledge.adr_status import UNKNOWN_STATUS, status_of
from ..knowledge.model import KnowledgeBase
from .context import Material, RankedAdr
from .prompts import consequences_text, decision_text, relative

PRIORITY = {
    Severity.ERROR: "🔴 Critical",
    Severity.WARNING: "🟡 Important",
    Severity.INFO: "🟢 Nice-to-have",
    Severity.HINT: "🟢 Nice-to-have",
}
QUOTE_CHARS = 420


@dataclass(frozen=True)
class Topic:
    """A fact the answer depends on: words in a question that raise it, words in
    project-context.md that settle it, and the question to ask when nothing does."""

    name: str
    raised_by: tuple[str, ...]
    settled_by: tuple[str, ...]
    question: str


TOPICS = (
    Topic(
        "scale",
        ("cache", "redis", "scale", "throughput", "load", "queue", "kafka", "shard", "partition", "replica",
         "microservice", "split", "batch", "performance", "traffic", "volume", "worker", "celery"),
        ("requests per", "req/s", "rps", "qps", "per second", "per minute", "per day", "users", "volume", "peak"),
        "What load must this handle: requests per second at peak, data volume, expected growth?",
    ),
    Topic(
        "latency",
        ("cache", "redis", "latency", "slow", "fast", "performance", "timeout", "real-time", "realtime",
         "async", "sync", "p95", "p99", "response time", "retry", "call"),
        ("latency", "p95", "p99", "response time", " ms", "milliseconds", "slo"),
        "What latency budget applies to this path (a p95/p99 target), and what happens when it is missed?",
    ),
    Topic(
        "consistency",
        ("cache", "redis", "replica", "eventual", "transaction", "database", "db", "event", "queue", "stale",
         "consisten", "sync", "duplicate", "idempot", "write", "store", "kafka", "message", "broker"),
        ("consistency", "consistent", "stale", "eventual", "staleness", "freshness"),
        "How stale may the data be: is eventual consistency acceptable, and what breaks if a reader sees an old value?",
    ),
    Topic(
        "team",
        ("service", "microservice", "split", "framework", "adopt", "introduce", "migrate", "rewrite",
         "library", "technology", "tool", "own", "kafka", "redis", "kubernetes"),
        ("team", "engineers", "developers", "on-call", "oncall", "owner", "owns", "squad"),
        "Who will own and operate it: team size, on-call, experience with this technology?",
    ),
    Topic(
        "integration",
        ("integrate", "integration", "external", "third-party", "third party", "partner", "webhook", "gateway",
         "provider", "upstream", "downstream", "api"),
        ("integration", "integrations", "external", "internal", "provider", "partner"),
        "Which systems does this connect to (internal services, external providers), and what do they guarantee?",
    ),
    Topic(
        "security",
        ("security", "secure", "auth", "token", "password", "secret", "credential", "pii", "personal data",
         "gdpr", "encrypt", "compliance", "permission"),
        ("compliance", "gdpr", "pci", "sensitive", "pii", "security"),
        "What security constraints apply: data sensitivity, compliance (PCI, GDPR), who may call this?",
    ),
    Topic(
        "timeline",
        ("migrate", "migration", "rewrite", "replace", "adopt", "introduce", "mvp", "prototype", "deadline",
         "refactor", "split"),
        ("deadline", "quarter", "timeline", "mvp", "prototype", "by q", "release"),
        "Is this a proof of concept or production, and by when must the change (or migration) be done?",
    ),
)

SET_KEY_COMMAND = "Python Architect: Set API Key"
KEY_LINE = (
    f"_This is the offline answer. For the full answer from Claude — options with trade-offs, Python "
    f"examples, performance implications and a migration path for this exact question — run "
    f"**{SET_KEY_COMMAND}** from the Command Palette (in a terminal: the `ANTHROPIC_API_KEY` "
    f"variable) and leave offline mode off._"
)


def offline_answer(material: Material) -> str:
    """The offline answer in markdown."""
    parts = ["**Offline answer** — from the team's ADRs and the checks, without a model."]
    parts.append(_adr_section(material.relevant, material.kb, material))
    questions = _clarifying_section(material.question, material.kb)
    if questions:
        parts.append(questions)
    if material.code_facts:
        lines = ["### The code you named"]
        lines.extend(f"- {fact.text}" for fact in material.code_facts)
        parts.append("\n".join(lines))
    if material.code_lines:
        parts.append(_findings_section(material.findings))
    parts.append(KEY_LINE)
    return "\n\n".join(parts) + "\n"


def _adr_section(relevant: list[RankedAdr], kb: KnowledgeBase, material: Material) -> str:
    if not relevant:
        return (
            "### ADRs that apply\nNo ADR covers this question directly. Record the decision you reach "
            "(the “Record a decision” action) so the next person finds it."
        )
    lines = ["### ADRs that apply"]
    for ranked in relevant:
        adr = ranked.adr
        status = status_of(kb, adr)
        why = f" — {ranked.reason}" if ranked.reason else ""
        lines.append(f"- **{adr.id}: {adr.title}** ({status}) `{relative(adr.path, material.root)}`{why}")
        if status == UNKNOWN_STATUS:
            lines.append("  Its frontmatter does not parse: fix the header before relying on this record.")
        elif not adr.binding or adr.status == "superseded" or adr.superseded_by:
            replacements = kb.superseding(adr)
            if replacements:
                names = ", ".join(f"{r.id} ({r.title})" for r in replacements)
                lines.append(f"  Superseded by {names}: follow that one instead.")
            else:
                lines.append(f"  Status {adr.status}: history, not a rule.")
        quote = _quote(decision_text(adr))
        if quote:
            lines.append("  > " + quote.replace("\n", "\n  > "))
        reasons = _quote(consequences_text(adr)) if not adr.binding else ""
        if reasons:
            lines.append("  Why (its consequences): " + reasons)
    return "\n".join(lines)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARS:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    quote = ""
    for sentence in sentences:
        if len(quote) + len(sentence) > QUOTE_CHARS:
            break
        quote = f"{quote} {sentence}".strip()
    return quote or text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def _findings_section(findings: list[Finding]) -> str:
    if not findings:
        return "### Findings in the code in view\nNone: the checks find nothing to change here."
    lines = ["### Findings in the code in view"]
    ordered = sorted(findings, key=lambda f: (f.severity.rank, f.span.line, f.code))
    for finding in ordered:
        adrs = f" [{', '.join(finding.adrs)}]" if finding.adrs else ""
        lines.append(
            f"- {PRIORITY[finding.severity]} — line {finding.span.line}, {finding.code}: {finding.message}{adrs}"
        )
        if finding.fix is not None:
            lines.append(f"  Fix: {finding.fix.title}")
    return "\n".join(lines)


def _clarifying_section(question: str, kb: KnowledgeBase) -> str:
    lowered = f" {question.lower()} "
    context = kb.documents.get("project-context")
    context_lines = _statements(context.text) if context is not None else []
    ask: list[str] = []
    known: list[str] = []
    for topic in TOPICS:
        if not any(re.search(rf"\b{re.escape(word)}", lowered) for word in topic.raised_by):
            continue
        fact = next((line for line in context_lines if _settles(line, topic)), None)
        if fact:
            known.append(f"- {topic.name}: “{fact}” (project-context.md)")
        else:
            ask.append(f"- {topic.question}")
    if not ask and not known:
        return ""
    lines = ["### Questions that matter here"]
    if ask:
        lines.append("Before deciding, an architect would ask:")
        lines.extend(ask)
    if known:
        lines.append("Already known from the project context:")
        lines.extend(known)
    return "\n".join(lines)


def _settles(statement: str, topic: Topic) -> bool:
    lowered = statement.lower()
    return any(word in lowered for word in topic.settled_by)


def _statements(markdown: str) -> list[str]:
    """A document's list items and paragraphs as single lines (wrapped lines joined, headings
    dropped), so a quoted fact is whole rather than cut at the line break."""
    statements: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            statements.append(" ".join(current))
            current.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            flush()
        elif re.match(r"^(?:[-*+]|\d+[.)])\s+", line):
            flush()
            current.append(re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line))
        else:
            current.append(line)
    flush()
    return statements
