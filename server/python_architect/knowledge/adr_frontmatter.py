"""Reading an ADR's YAML frontmatter into a draft: id, title, status, date, links, tags,
applies-to and rules, with ARC002 for unknown values at the line of the offending key.

The draft is completed from the markdown body by ``adr_parser`` for whatever the frontmatter
leaves out (plain MADR and Nygard records have no frontmatter at all).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding, Severity
from .ids import format_adr_id, normalize_adr_id
from .model import ADR_STATUSES, AppliesTo, RuleSpec
from .problems import (
    COMMON_RULE_KEYS,
    FRONTMATTER_ERROR,
    UNKNOWN_VALUE,
    adr_problem,
    normalize_rule_options,
    rule_problems,
)
from .scope import glob_problem
from .yaml_header import Header, Position, line_of, normalize_key

STATUS_SYNONYMS = {
    "draft": "proposed",
    "proposal": "proposed",
    "approved": "accepted",
    "adopted": "accepted",
    "superceded": "superseded",
    "declined": "rejected",
    "obsolete": "deprecated",
}
APPLIES_TO_KEYS = ("paths", "exclude", "keywords")
FRONTMATTER_KEYS = (
    "id",
    "title",
    "status",
    "date",
    "supersedes",
    "superseded-by",
    "tags",
    "applies-to",
    "rules",
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class AdrDraft:
    """What is known about the ADR so far, filled by the frontmatter then by the body."""

    id: str | None = None
    id_line: int = 1
    title: str | None = None
    status: str | None = None
    date: str | None = None
    supersedes: list[str] = field(default_factory=list)
    superseded_by: list[str] = field(default_factory=list)
    references: list[tuple[str, str, int]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    rules: list[RuleSpec] = field(default_factory=list)
    globs: list[tuple[str, str, int]] = field(default_factory=list)


def read_frontmatter(
    loaded: Header,
    path: Path,
    lines: list[str],
    draft: AdrDraft,
    problems: list[Finding],
) -> None:
    meta, positions = loaded.value, loaded.lines
    if meta is None:
        return
    if not isinstance(meta, dict):
        problems.append(
            adr_problem(
                FRONTMATTER_ERROR, path, 2, "frontmatter must be a mapping of keys to values", lines
            )
        )
        return
    meta = {normalize_key(k): v for k, v in meta.items()}

    def report(message: str, *where: Any) -> None:
        problems.append(
            adr_problem(UNKNOWN_VALUE, path, line_of(positions, *where), message, lines)
        )

    for key in meta:
        near = _near_miss(key)
        if near:
            report(f"unknown key `{key}` (did you mean `{near}`?)", key)

    raw_id = meta.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (int, str, type(None))):
        report("`id` must be a string such as ADR-011", "id")
    elif raw_id is not None and str(raw_id).strip():
        draft.id = _adr_reference(raw_id, loaded.scalars.get(("id",)))
        draft.id_line = line_of(positions, "id")
    if isinstance(meta.get("title"), (str, int, float)):
        draft.title = str(meta["title"]).strip()
    if meta.get("status") is not None:
        draft.status = status_from_text(
            str(meta["status"]), lambda message: report(message, "status")
        )
    if meta.get("date") is not None:
        draft.date = str(meta["date"])
    for key in ("supersedes", "superseded-by"):
        for index, value in _listed(meta.get(key)):
            where = (key,) if index is None else (key, index)
            target = _adr_reference(value, loaded.scalars.get(where))
            (draft.supersedes if key == "supersedes" else draft.superseded_by).append(target)
            draft.references.append((key, target, line_of(positions, key, index)))
    draft.tags = [
        str(v).strip().lower()
        for _, value in _listed(meta.get("tags"))
        for v in str(value).split(",")
        if str(v).strip()
    ]
    if "applies-to" in meta:
        draft.applies_to = _applies_to(meta["applies-to"], positions, draft, report)
    if "rules" in meta:
        if isinstance(meta["rules"], list):
            for index, entry in enumerate(meta["rules"]):
                _read_rule(entry, index, positions, draft, report)
        elif meta["rules"] is not None:
            report("`rules` must be a list of rule entries", "rules")


def _adr_reference(value: Any, source: str | None) -> str:
    """An id as written: ``11``, ``011`` (YAML reads it as octal 9, so the source text is used),
    ``ADR-0011`` or ``adr 11`` all give ``ADR-011``."""
    if source is not None and source.strip().isdigit():
        return format_adr_id(int(source.strip()))
    if isinstance(value, int) and not isinstance(value, bool):
        return format_adr_id(value)
    return normalize_adr_id(str(value))


def _near_miss(key: Any) -> str | None:
    """The known key a misspelt one was meant to be (``rule`` -> ``rules``), else None.

    Keys that are merely unknown are left alone: MADR and log4brains add their own (deciders,
    consulted, informed, ...). A near miss of ours would silently drop rules or scope.
    """
    if not isinstance(key, str) or key in FRONTMATTER_KEYS:
        return None
    matches = difflib.get_close_matches(key, FRONTMATTER_KEYS, n=1, cutoff=0.75)
    return matches[0] if matches else None


def _listed(value: Any) -> list[tuple[int | None, Any]]:
    """A scalar or a list as ``(index, item)`` pairs (index None for a scalar)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [(i, v) for i, v in enumerate(value) if v is not None]
    return [(None, value)]


def status_from_text(raw: str, report: Callable[[str], None]) -> str:
    """The status named by the first word of ``raw``; an unknown one is reported and read as
    accepted (the documented default)."""
    words = _WORD.findall(raw)
    word = words[0].lower() if words else ""
    word = STATUS_SYNONYMS.get(word, word)
    if word in ADR_STATUSES:
        return word
    report(
        f"unknown status `{raw.strip()}` (expected {', '.join(ADR_STATUSES)}); treated as accepted"
    )
    return "accepted"


def _applies_to(
    value: Any, positions: dict[Position, int], draft: AdrDraft, report: Any
) -> AppliesTo:
    if isinstance(value, (list, str)):
        value = {"paths": value}  # a bare list of globs is the common shorthand
    if not isinstance(value, dict):
        report("`applies-to` must be a mapping with paths, exclude and keywords", "applies-to")
        return AppliesTo()
    found: dict[str, tuple[str, ...]] = {}
    for raw_key, items in value.items():
        key = normalize_key(raw_key)
        if key not in APPLIES_TO_KEYS:
            report(
                f"unknown key `{raw_key}` in applies-to (known: {', '.join(APPLIES_TO_KEYS)})",
                "applies-to",
                key,
            )
            continue
        entries = [(i, str(v).strip()) for i, v in _listed(items) if str(v).strip()]
        if key != "keywords":
            entries = _usable_globs(entries, f"applies-to {key}", ("applies-to", key), report)
        found[key] = tuple(v for _, v in entries)
        if key == "paths":
            # Only scopes are checked against the workspace (ARC005): excluding a folder that
            # does not exist yet (migrations, generated code) is legitimate.
            for index, pattern in entries:
                draft.globs.append(
                    (pattern, f"applies-to {key}", line_of(positions, "applies-to", key, index))
                )
    keywords = tuple(k.lower() for k in found.get("keywords", ()))
    return AppliesTo(found.get("paths", ()), found.get("exclude", ()), keywords)


def _usable_globs(
    entries: list[tuple[int | None, str]], where: str, position: Position, report: Any
) -> list[tuple[int | None, str]]:
    """The globs that can be used; each one that cannot (too long, a dangling backslash, a bad
    range) is reported (ARC002) and left out, so it neither matches nor fails ARC005."""
    usable = []
    for index, pattern in entries:
        why = glob_problem(pattern)
        if why is None:
            usable.append((index, pattern))
        else:
            where_item = (*position, index) if index is not None else position
            report(f"`{pattern[:80]}` in {where} cannot be used ({why}); ignored", *where_item)
    return usable


def _read_rule(
    entry: Any, index: int, positions: dict[Position, int], draft: AdrDraft, report: Any
) -> None:
    line = line_of(positions, "rules", index)
    if not isinstance(entry, dict):
        report("a rule entry must be a mapping with at least `kind`", "rules", index)
        return
    entry = {str(k).strip(): v for k, v in entry.items()}
    kind = str(entry.get("kind") or "").strip().lower()
    rule_id = str(entry.get("id") or "").strip() or f"rule-{index + 1}"
    if not kind:
        report(f"rule `{rule_id}` has no `kind`", "rules", index)
        return
    severity: Severity | None = None
    if entry.get("severity") is not None:
        try:
            severity = Severity.parse(str(entry["severity"]))
        except ValueError as error:
            report(str(error), "rules", index, "severity")
    message = str(entry["message"]).strip() if entry.get("message") is not None else None
    options = normalize_rule_options({k: v for k, v in entry.items() if k not in COMMON_RULE_KEYS})
    fatal = False
    for problem in rule_problems(kind, options):
        key = (problem.key,) if isinstance(problem.key, str) else problem.key or ()
        where = ("rules", index, *key)
        report(f"rule `{rule_id}`: {problem.message}", *where)
        fatal = fatal or problem.fatal
    if fatal:
        return
    if kind == "check":
        options["check"] = str(options["check"]).strip().upper()
    for key in ("paths", "exclude"):
        if key not in options:
            continue
        listed: list[tuple[int | None, str]] = list(enumerate(options[key]))
        usable = _usable_globs(listed, f"rule `{rule_id}` {key}", ("rules", index, key), report)
        options[key] = [pattern for _, pattern in usable]
        for item_index, pattern in usable if key == "paths" else ():
            where_line = line_of(positions, "rules", index, "paths", item_index)
            draft.globs.append((pattern, f"rule `{rule_id}` paths", where_line))
    draft.rules.append(RuleSpec(rule_id, kind, draft.id or "", severity, message, options, line))
