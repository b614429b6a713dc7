"""The knowledge base's values: ADRs, their rules and sections, documents and agent definitions.

Plain frozen data, built by ``knowledge.loader`` and read by checks, hover, CLI and chat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding, Severity

ADR_STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
RULE_KINDS = (
    "forbidden-import", "layers", "interface", "independence", "deprecated-import",
    "pinned-dependencies", "external-dependencies", "check", "ruff",
)


@dataclass(frozen=True)
class Section:
    """A markdown heading and the text under it, up to the next heading of the same or higher level.

    ``line`` is the 1-based line of the heading in the file; ``end_line`` the last line of its text.
    """

    title: str
    level: int
    line: int
    end_line: int
    text: str


@dataclass(frozen=True)
class AppliesTo:
    """Where an ADR applies: gitignore-style globs relative to the workspace root, and keywords."""

    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSpec:
    """One enforceable rule from an ADR's frontmatter ``rules`` list.

    ``options`` holds every key of the entry other than id/kind/severity/message (for example
    ``modules``, ``allow``, ``layers``, ``policy``, ``check``, ``codes``, ``paths``). ``line`` is
    the 1-based line of the entry in the ADR file, for ADR-file diagnostics.
    """

    id: str
    kind: str
    adr_id: str
    severity: Severity | None = None
    message: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    line: int = 1


@dataclass(frozen=True)
class Adr:
    """An architecture decision record."""

    id: str
    title: str
    path: Path
    status: str = "accepted"
    date: str | None = None
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    applies_to: AppliesTo = AppliesTo()
    rules: tuple[RuleSpec, ...] = ()
    sections: tuple[Section, ...] = ()
    body: str = ""
    body_line: int = 1
    """1-based line in the file where the markdown body starts (after the frontmatter)."""
    has_frontmatter: bool = False
    id_line: int = 1
    """1-based line that declares the id (frontmatter ``id:`` or the H1), for ARC004."""
    references: tuple[tuple[str, str, int], ...] = ()
    """``(relation, adr_id, line)`` for every supersedes / superseded-by link, for ARC003."""
    globs: tuple[tuple[str, str, int], ...] = ()
    """``(pattern, where, line)`` for every ``paths`` glob (applies-to and rules), for ARC005."""

    @property
    def binding(self) -> bool:
        """Whether its rules apply at all (accepted or proposed)."""
        return self.status in ("accepted", "proposed")

    @property
    def severity_ceiling(self) -> Severity:
        """Proposed ADRs report at most ``info`` ("proposed, not yet binding")."""
        return Severity.INFO if self.status == "proposed" else Severity.ERROR

    def section(self, *names: str) -> Section | None:
        """The first section whose title starts with one of ``names`` (case-insensitive)."""
        wanted = tuple(n.lower() for n in names)
        for section in self.sections:
            if section.title.lower().startswith(wanted):
                return section
        return None

    @property
    def decision(self) -> Section | None:
        """The section stating the decision: ``Decision`` (Nygard), ``Decision Outcome`` (MADR),
        else another ``Decision …`` heading that is not MADR's "Decision Drivers"."""
        by_title = {section.title.strip().lower(): section for section in self.sections}
        for title in ("decision", "decision outcome"):
            if title in by_title:
                return by_title[title]
        return next(
            (
                section
                for section in self.sections
                if section.title.lower().startswith("decision")
                and "driver" not in section.title.lower()
            ),
            None,
        )


@dataclass(frozen=True)
class Document:
    """One of the architecture documents (``architecture-decisions.md`` and the like)."""

    name: str
    path: Path
    title: str
    sections: tuple[Section, ...]
    text: str


@dataclass(frozen=True)
class AgentDefinition:
    """An agent from ``.claude/agents/*.md``: frontmatter plus the persona text."""

    name: str
    description: str
    path: Path
    tools: tuple[str, ...] = ()
    model: str | None = None
    persona: str = ""


@dataclass
class KnowledgeBase:
    """Everything read from a workspace's ``.ai/`` and ``.claude/`` folders.

    ``problems`` are ARC001-ARC005 findings located in the ADR files themselves.
    """

    root: Path
    adrs: list[Adr] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    agents: list[AgentDefinition] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Derived structures built on demand (the search index); dropped with the knowledge base."""

    def get(self, adr_id: str) -> Adr | None:
        """The ADR with this id; accepts loose spellings like ``adr 11`` or ``ADR-0011``."""
        from .ids import normalize_adr_id

        wanted = normalize_adr_id(adr_id)
        for adr in self.adrs:
            if adr.id == wanted:
                return adr
        return None

    @property
    def binding_adrs(self) -> list[Adr]:
        return [adr for adr in self.adrs if adr.binding]

    def rules(self, kind: str | None = None) -> list[tuple[Adr, RuleSpec]]:
        """Rules of binding ADRs (accepted or proposed), optionally of one kind."""
        return [
            (adr, rule)
            for adr in self.binding_adrs
            for rule in adr.rules
            if kind is None or rule.kind == kind
        ]

    def adrs_for_principle(self, principle: str) -> list[Adr]:
        """Accepted ADRs tagged with a check's principle (they govern its findings)."""
        return [adr for adr in self.adrs if adr.status == "accepted" and principle in adr.tags]

    def superseding(self, adr: Adr) -> list[Adr]:
        """The ADRs that supersede ``adr`` (from either side of the link)."""
        found = {a.id: a for a in (self.get(i) for i in adr.superseded_by) if a}
        for other in self.adrs:
            if adr.id in other.supersedes:
                found.setdefault(other.id, other)
        return list(found.values())
