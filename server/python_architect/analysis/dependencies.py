"""Dependency files: ARC110, requirements that are not pinned the way an ADR's
``pinned-dependencies`` rule asks.

Reads ``requirements*.txt`` (comments, continuation lines, per-line options, markers, extras and
URLs) and ``pyproject.toml`` (``[project] dependencies`` and ``[project.optional-dependencies]``,
each string located on its line by scanning the text). Specifiers are judged with ``packaging``.
Policies: ``exact`` needs ``==`` (no wildcard) or ``===``; ``bounded`` needs an upper bound.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..codes import ARC110
from ..findings import Fix, Severity, Span, TextEdit
from .registry import RawFinding, check

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    # ``packaging`` and ``importlib.metadata`` cost ~60 ms to import and only dependency files need
    # them, so they are imported inside the functions that use them (warm ``check`` start-up).
    from packaging.requirements import Requirement
    from packaging.version import Version

    from ..config import ProjectConfig
    from ..knowledge.model import Adr, KnowledgeBase, RuleSpec

POLICIES = ("exact", "bounded")
_UPPER_BOUND_OPERATORS = frozenset({"<", "<=", "==", "~=", "==="})
_URL_OR_PATH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git\+|hg\+|svn\+|bzr\+|\.{0,2}/|file:)", re.IGNORECASE)
_INLINE_OPTION = re.compile(r"\s+--?[a-z][a-z-]*(?:[= ]\S+)?")


@dataclass
class DependencyContext:
    """What the ARC110 check sees: one dependency file and the rules that cover it."""

    root: Path
    path: Path
    text: str
    kb: KnowledgeBase
    config: ProjectConfig
    rules: list[tuple[Adr, RuleSpec]]


@dataclass(frozen=True)
class DependencyEntry:
    """One requirement string and where it sits; ``span`` covers just the requirement text."""

    text: str
    span: Span
    requirement: Requirement | None
    error: str | None = None


def _parse(text: str, line: int, column: int, span: Span | None = None) -> DependencyEntry:
    from packaging.requirements import InvalidRequirement, Requirement

    span = span or Span(line, column, line, column + len(text))
    try:
        return DependencyEntry(text, span, Requirement(text))
    except InvalidRequirement as exc:
        return DependencyEntry(text, span, None, str(exc).splitlines()[0] if str(exc) else "invalid")


def requirements_txt_entries(text: str) -> list[DependencyEntry]:
    """Requirement lines of a pip requirements file; options, includes and URLs are skipped."""
    entries: list[DependencyEntry] = []
    lines = re.split(r"\r\n|\r|\n", text)
    number = 0
    while number < len(lines):
        start = number
        raw = lines[number]
        # A trailing backslash continues the requirement on the next line (reported on the first).
        while raw.endswith("\\") and number + 1 < len(lines):
            number += 1
            raw = raw[:-1] + " " + lines[number].strip()
        number += 1
        content = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0]
        content = _INLINE_OPTION.split(content, maxsplit=1)[0] if " -" in content else content
        stripped = content.strip()
        if not stripped or stripped.startswith("-") or _URL_OR_PATH.match(stripped):
            continue
        column = len(raw) - len(raw.lstrip()) + 1
        span = None
        if number - 1 > start:
            # Continued over several lines: the span (and a fix) covers all of them.
            span = Span(start + 1, column, number, len(lines[number - 1]) + 1)
        entries.append(_parse(stripped.rstrip(), start + 1, column, span))
    return entries


def _toml_string_position(text: str, value: str, anchor: int) -> tuple[int, int] | None:
    """Offset of ``value``'s characters inside a quoted TOML string, searching from ``anchor``."""
    for quote in ('"', "'"):
        for written in (value, value.replace("\\", "\\\\").replace('"', '\\"')):
            found = text.find(f"{quote}{written}{quote}", anchor)
            if found >= 0:
                return found + 1, len(written)
    return None


def _section_anchor(text: str, table: str, key: str) -> int:
    """Offset of ``key =`` inside ``[table]`` (or of the table header), else 0."""
    header = re.search(rf"^\s*\[\s*{re.escape(table)}\s*\]\s*$", text, re.MULTILINE)
    if header is None:
        return 0
    key_pattern = rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=" if key else None
    if key_pattern:
        next_header = re.search(r"^\s*\[", text[header.end():], re.MULTILINE)
        limit = header.end() + next_header.start() if next_header else len(text)
        found = re.compile(key_pattern, re.MULTILINE).search(text, header.end(), limit)
        if found:
            return found.start()
    return header.start()


def pyproject_entries(text: str) -> list[DependencyEntry]:
    """``[project] dependencies`` and every ``[project.optional-dependencies]`` group, in order."""
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return []  # the configuration loader reports a pyproject that does not parse
    project = document.get("project")
    if not isinstance(project, dict):
        return []
    groups: list[tuple[int, Any]] = [(_section_anchor(text, "project", "dependencies"), project.get("dependencies"))]
    optional = project.get("optional-dependencies")
    if isinstance(optional, dict):
        inline = _section_anchor(text, "project", "optional-dependencies")
        has_table = re.search(r"^\s*\[\s*project\.optional-dependencies\s*\]", text, re.MULTILINE)
        for group, values in optional.items():
            anchor = _section_anchor(text, "project.optional-dependencies", group) if has_table else inline
            groups.append((anchor, values))
    entries: list[DependencyEntry] = []
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    from bisect import bisect_right

    for anchor, values in groups:
        cursor = anchor
        for value in values if isinstance(values, list) else []:
            if not isinstance(value, str):
                continue
            found = _toml_string_position(text, value, cursor) or _toml_string_position(text, value, 0)
            if found is None:
                entries.append(_parse(value, 1, 1))
                continue
            offset, length = found
            cursor = offset + length
            line = bisect_right(starts, offset)
            column = offset - starts[line - 1] + 1
            entry = _parse(value, line, column)
            entries.append(DependencyEntry(entry.text, Span(line, column, line, column + length), entry.requirement, entry.error))
    return entries


def dependency_entries(path: Path, text: str) -> list[DependencyEntry]:
    return pyproject_entries(text) if path.name == "pyproject.toml" else requirements_txt_entries(text)


def satisfies_policy(requirement: Requirement, policy: str) -> bool:
    if requirement.url:
        return True  # a direct reference names one artifact
    specifiers = list(requirement.specifier)
    if policy == "bounded":
        return any(spec.operator in _UPPER_BOUND_OPERATORS for spec in specifiers)
    return any(
        spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith("*"))
        for spec in specifiers
    )


def installed_version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        return None


def lowest_allowed(requirement: Requirement) -> Version | None:
    """The lowest version the specifier names as allowed (``>=2.1`` -> 2.1, ``~=1.4`` -> 1.4)."""
    from packaging.version import InvalidVersion, Version

    candidates: list[Version] = []
    for spec in requirement.specifier:
        if spec.operator in (">=", "~=", "==", "==="):
            try:
                candidates.append(Version(spec.version.removesuffix(".*")))
            except InvalidVersion:
                continue
    allowed = [v for v in candidates if requirement.specifier.contains(v, prereleases=True)]
    return min(allowed) if allowed else None


def _pinnable_version(requirement: Requirement) -> Version | None:
    from packaging.version import InvalidVersion, Version

    installed = installed_version(requirement.name)
    if installed is not None:
        try:
            version = Version(installed)
        except InvalidVersion:
            version = None
        if version is not None and requirement.specifier.contains(version, prereleases=True):
            return version
    return lowest_allowed(requirement)


def _format(requirement: Requirement, specifier: str) -> str:
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    marker = f"; {requirement.marker}" if requirement.marker else ""
    return f"{requirement.name}{extras}{specifier}{marker}"


def suggested_requirement(requirement: Requirement, policy: str) -> str | None:
    """The requirement rewritten to satisfy the policy, or None when no version can be chosen."""
    version = _pinnable_version(requirement)
    if policy != "bounded":
        return _format(requirement, f"=={version}") if version is not None else None
    lower = lowest_allowed(requirement) or version
    if lower is None:
        return None
    upper = f"<{lower.major + 1}" if lower.major > 0 else f"<0.{lower.minor + 1}"
    existing = str(requirement.specifier) or f">={lower}"
    return _format(requirement, f"{existing},{upper}")


def _policy_of(rule: RuleSpec) -> str:
    policy = str(rule.options.get("policy", "exact")).strip().lower()
    return policy if policy in POLICIES else "exact"


@check(ARC110)
def unpinned_dependency(ctx: DependencyContext) -> Iterator[RawFinding]:
    if not ctx.rules:
        return
    from packaging.utils import canonicalize_name

    entries = dependency_entries(ctx.path, ctx.text)
    for _adr, rule in ctx.rules:
        policy = _policy_of(rule)
        allowed = {canonicalize_name(name) for name in rule.options.get("allow", []) or [] if isinstance(name, str)}
        for entry in entries:
            requirement = entry.requirement
            if requirement is None:
                yield RawFinding(
                    code=ARC110,
                    message=f"cannot parse requirement `{entry.text}`: {entry.error}",
                    span=entry.span,
                    rule=rule,
                    severity=Severity.INFO,
                )
                continue
            if canonicalize_name(requirement.name) in allowed or satisfies_policy(requirement, policy):
                continue
            problem = "is not pinned to an exact version with `==`" if policy == "exact" else "has no upper bound"
            message = rule.message or f"`{entry.text}` {problem} (policy `{policy}`)"
            suggestion = suggested_requirement(requirement, policy)
            fix = None
            if suggestion is not None:
                fix = Fix(title=f"Change to `{suggestion}`", edits=(TextEdit(entry.span, suggestion),), safe=False)
            yield RawFinding(
                code=ARC110,
                message=message,
                span=entry.span,
                fix=fix,
                rule=rule,
                data={"package": requirement.name, "policy": policy, "suggested": suggestion},
            )


def check_dependency_file(
    root: Path,
    path: Path,
    text: str,
    kb: KnowledgeBase,
    config: ProjectConfig,
    rules: list[tuple[Adr, RuleSpec]] | None = None,
) -> list[RawFinding]:
    """ARC110 findings for one dependency file (the caller classified ``path`` with
    ``workspace.files.file_kind``); ``rules`` default to the binding ``pinned-dependencies`` rules
    whose scope covers ``path``. Never raises on bad input."""
    if rules is None:
        from ..knowledge.scope import rule_applies_to

        rules = [(adr, rule) for adr, rule in kb.rules("pinned-dependencies") if rule_applies_to(adr, rule, path, root)]
    return list(unpinned_dependency(DependencyContext(root, path, text, kb, config, rules)))
