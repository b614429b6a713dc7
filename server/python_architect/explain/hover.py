"""Hover text: the decisions behind what is under the cursor, quoted and short.

Cases, most specific first: an ADR reference (``ADR-011``, ``adr 11``) anywhere; a finding's
range (what is wrong, the governing decision quoted, what to do instead); an import (the ADRs that
forbid, allow or layer that module, and whether this file may use it); a class with bases, an
``async def``, a query call in a loop, a logging call or an HTTP call (at most three ranked ADRs,
one line each). Nothing when nothing is relevant: an empty or generic hover teaches people to
ignore hovers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..analysis.constructs import Construct, SyntaxIndex
from ..codes import ARC201, ARC202, ARC203, ARC402, ARC502, ARC900, CheckInfo, metadata
from ..findings import Finding
from ..knowledge.ids import ADR_REFERENCE
from ..knowledge.model import Adr, KnowledgeBase

if TYPE_CHECKING:
    from ..engine import FileAnalysis, Project

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\"'(\[])")
_MAX_QUOTE = 320

# Which principles, codes and words a construct brings to the relevance ranking.
_CONSTRUCT_SIGNALS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "class": (("composition", "deep-modules"), (ARC201, ARC202, ARC203), "this class"),
    "async_def": (("async",), ("ASYNC", "ASYNC210", "ASYNC251", "RUF006"), "this async function"),
    "query_in_loop": (("data-layer",), (ARC502,), "this query inside a loop"),
    "logging": (("observability",), ("TRY400", "G004", "T201"), "this logging call"),
    "http": (("resilience",), ("S113", ARC402), "this HTTP call"),
}


def hover_markdown(
    project: Project,
    analysis: FileAnalysis | None,
    text: str,
    line: int,
    column: int,
) -> str | None:
    """Markdown for the 1-based ``line``/``column`` (characters) of ``text``, or None.

    Constructs come from ``analysis.constructs`` (the analysis's own parse): hover never parses.
    """
    kb = project.kb
    lines = text.split("\n")
    line_text = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    for match in ADR_REFERENCE.finditer(line_text):
        if match.start() < column <= match.end() + 1:
            adr = kb.get(match.group(0))
            if adr is not None:
                return adr_markdown(kb, adr)
    if analysis is None:
        return None
    findings = [f for f in analysis.findings if f.span.contains(line, column) and f.code != ARC900]
    if findings:
        return "\n\n---\n\n".join(finding_markdown(kb, finding) for finding in findings[:3])
    if analysis.kind != "python":
        return None
    if analysis.facts is not None:
        for fact in analysis.facts.imports:
            if fact.span.contains(line, column):
                return import_markdown(project, analysis, fact.module, tuple(fact.names))
    construct = SyntaxIndex(analysis.constructs).at(line, column)
    if construct is not None:
        return construct_markdown(kb, analysis, construct)
    return None


def adr_link(adr: Adr, label: str | None = None) -> str:
    section = adr.decision
    line = section.line if section else adr.body_line
    return f"[{label or adr.id}]({adr.path.as_uri()}#L{line})"


def quote_decision(adr: Adr, sentences: int = 2) -> str:
    """The first one or two sentences of the Decision section, on one line."""
    section = adr.decision
    if section is None or not section.text.strip():
        return ""
    flat = " ".join(
        line.strip().lstrip("-*> ").strip() for line in section.text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
    quote = " ".join(_SENTENCE.split(flat)[:sentences]).strip()
    if len(quote) > _MAX_QUOTE:
        quote = quote[: _MAX_QUOTE - 1].rsplit(" ", 1)[0] + "…"
    return quote


def _status(adr: Adr) -> str:
    return adr.status + (f", {adr.date}" if adr.date else "")


def adr_markdown(kb: KnowledgeBase, adr: Adr) -> str:
    parts = [f"**{adr.id}: {adr.title}**", "", f"Status: **{adr.status}**" + (f" · Date: {adr.date}" if adr.date else "")]
    if adr.status == "superseded" or adr.superseded_by:
        newer = kb.superseding(adr)
        if newer:
            parts.append("")
            parts.append("Superseded by " + ", ".join(f"{adr_link(n)} *{n.title}* ({n.status})" for n in newer) + ".")
    quote = quote_decision(adr, sentences=3)
    if quote:
        parts += ["", f"> {quote}"]
    parts += ["", adr_link(adr, f"Open {adr.id}")]
    return "\n".join(parts)


def finding_markdown(kb: KnowledgeBase, finding: Finding) -> str:
    info = _check_info(finding.code)
    title = f" · {info.title}" if info else ""
    parts = [f"**{finding.code}**{title}", "", finding.message]
    adrs = [adr for adr in (kb.get(adr_id) for adr_id in finding.adrs) if adr is not None]
    for adr in adrs[:2]:
        quote = quote_decision(adr)
        why = f"**Why:** {adr_link(adr)} *{adr.title}* ({_status(adr)})"
        parts += ["", why + (f": “{quote}”" if quote else "")]
    if not adrs and info and info.rationale:
        parts += ["", f"**Why:** {info.rationale}"]
    if info and info.instead:
        parts += ["", f"**Instead:** {info.instead}"]
    elif finding.fix is not None:
        parts += ["", f"**Instead:** {finding.fix.title}"]
    return "\n".join(parts)


def _check_info(code: str) -> CheckInfo | None:
    return metadata(code)


def import_markdown(project: Project, analysis: FileAnalysis, module: str, names: tuple[str, ...]) -> str | None:
    """The decisions that govern importing ``module`` here."""
    from ..knowledge.relevance import module_matches, relevant_adrs
    from ..knowledge.scope import describe_scope, rule_applies_to, rule_scope

    kb = project.kb
    path = analysis.path
    candidates = [module] + [f"{module}.{name}" for name in names if name != "*"]
    bullets: list[str] = []
    cited: set[str] = set()
    for adr, rule in kb.rules("forbidden-import"):
        options = rule.options
        matched = next((m for m in candidates if any(module_matches(m, str(p)) for p in options.get("modules", ()))), None)
        if matched is None:
            continue
        if any(module_matches(m, str(p)) for m in candidates for p in options.get("allow", ())):
            verdict = "explicitly allowed"
        else:
            applies = rule_applies_to(adr, rule, path, project.root)
            where = describe_scope(*rule_scope(adr, rule))
            verdict = f"forbidden {where}: " + ("**not allowed in this file**" if applies else "allowed in this file")
        bullets.append(f"- {adr_link(adr)} *{adr.title}* ({adr.status}): `{matched}` is {verdict}")
        cited.add(adr.id)
    here = analysis.module
    for adr, rule in kb.rules("layers"):
        layers = _layers(rule.options.get("layers", ()))
        target = next((lvl for lvl in (_level(m, layers, module_matches) for m in candidates) if lvl is not None), None)
        if target is None:
            continue
        mine = _level(here, layers, module_matches) if here else None
        order = " > ".join(_layer_text(prefixes) for prefixes in layers)
        text = (f"- {adr_link(adr)} *{adr.title}* ({adr.status}): `{module}` is in layer "
                f"{_layer_text(layers[target])} of {order}")
        if mine is not None:
            allowed = mine <= target
            text += (f"; this file is in {_layer_text(layers[mine])}, "
                     + ("which may use it" if allowed else "**which may not import from a higher layer**"))
        bullets.append(text)
        cited.add(adr.id)
    for relevant in relevant_adrs(kb, path=path, modules=tuple(candidates), limit=3):
        if relevant.adr.id not in cited and len(bullets) < 3:
            bullets.append(f"- {adr_link(relevant.adr)} *{relevant.adr.title}* ({relevant.adr.status}): {relevant.reason}")
            cited.add(relevant.adr.id)
    if not bullets:
        return None
    return "\n".join([f"**Decisions about importing `{module}`**", "", *bullets[:4]])


def _layers(raw: object) -> list[list[str]]:
    """A ``layers`` option as levels of prefixes, top first (a level may hold siblings)."""
    levels = []
    for entry in raw if isinstance(raw, (list, tuple)) else ():
        prefixes = [str(p).strip() for p in (entry if isinstance(entry, (list, tuple)) else [entry]) if str(p).strip()]
        if prefixes:
            levels.append(prefixes)
    return levels


def _level(module: str, layers: list[list[str]], matches) -> int | None:
    """The level of the most specific prefix that contains ``module`` (as the check decides)."""
    best: tuple[int, int] | None = None
    for level, prefixes in enumerate(layers):
        for prefix in prefixes:
            if matches(module, prefix) and (best is None or len(prefix) > best[1]):
                best = (level, len(prefix))
    return best[0] if best else None


def _layer_text(prefixes: list[str]) -> str:
    return " | ".join(f"`{prefix}`" for prefix in prefixes)


def construct_markdown(kb: KnowledgeBase, analysis: FileAnalysis, construct: Construct) -> str | None:
    topics, codes, label = _CONSTRUCT_SIGNALS[construct.kind]
    modules = (construct.name.split(".")[0],) if construct.kind == "http" else ()
    from ..knowledge.relevance import relevant_adrs

    ranked = relevant_adrs(kb, path=analysis.path, modules=modules, topics=topics, codes=codes, words=construct.words, limit=3)
    if not ranked:
        return None
    lines = [f"**Decisions that concern {label}** (`{construct.name}`)", ""]
    for relevant in ranked[:3]:
        adr = relevant.adr
        lines.append(f"- {adr_link(adr)} *{adr.title}* ({adr.status}): {relevant.reason}")
    quote = quote_decision(ranked[0].adr, sentences=1)
    if quote:
        lines += ["", f"> {ranked[0].adr.id}: {quote}"]
    return "\n".join(lines)
