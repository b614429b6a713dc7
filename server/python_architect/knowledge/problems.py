"""Problems in the ADR files themselves (ARC001-ARC005): the validation of rule entries and the
findings located in the ``.md`` files (the codes' metadata is declared in ``codes``).

ARC001 and ARC002 come out of parsing one file (``adr_parser``); ARC003, ARC004 and ARC005 need
every ADR (and, for ARC005, the workspace's files) and are computed by the loader with the
functions below.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..codes import ARC001, ARC002, ARC003, ARC004, ARC005, metadata
from ..codes.options import option_problems
from ..findings import Finding, Severity, Span
from .model import RULE_KINDS, Adr

PRINCIPLE = "knowledge"
SOURCE = "python-architect"

# Names for what each code means here; the codes and their metadata are declared in ``codes``.
FRONTMATTER_ERROR = ARC001
UNKNOWN_VALUE = ARC002
MISSING_REFERENCE = ARC003
DUPLICATE_ID = ARC004
GLOB_MATCHES_NOTHING = ARC005

COMMON_RULE_KEYS = ("id", "kind", "severity", "message")
SCOPE_OPTIONS = ("paths", "exclude")
"""Every kind may narrow itself with its own globs (they override the ADR's applies-to)."""

RULE_OPTIONS: dict[str, dict[str, bool]] = {
    # option -> required
    "forbidden-import": {"modules": True, "allow": False, "use": False},  # use: the module the fix imports instead
    "layers": {"layers": True, "ignore-type-checking": False},
    # Tach's rule kinds: a module's public members, modules that stay apart, a deprecated module.
    "interface": {"module": True, "expose": True, "ignore-type-checking": False},
    "independence": {"modules": True},
    "deprecated-import": {"module": True, "use": True},
    "external-dependencies": {"ignore": False, "unused": False},
    "pinned-dependencies": {"policy": True, "allow": False},
    "check": {"check": True, "options": False},
    "ruff": {"codes": True},
}
LIST_OPTIONS = frozenset({"modules", "allow", "layers", "codes", "paths", "exclude", "expose", "ignore"})
PIN_POLICIES = ("exact", "bounded")
_RUFF_CODE = re.compile(r"^[A-Z]{1,8}[0-9]{0,4}$")
_ARC_CODE = re.compile(r"^ARC[0-9]{3}$")
_MODULE_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")


def severity_of(code: str) -> Severity:
    info = metadata(code)
    return info.severity if info else Severity.WARNING


def adr_problem(
    code: str,
    path: Path,
    line: int,
    message: str,
    lines: Sequence[str] | None = None,
    *,
    column: int | None = None,
    adr_id: str | None = None,
) -> Finding:
    """A finding located in an ADR file: the whole line, or from ``column`` to its end."""
    text_of_line = lines[line - 1] if lines is not None and 0 < line <= len(lines) else ""
    end_column = len(text_of_line) + 1
    start = column if column is not None and 0 < column < end_column else 1
    return Finding(
        code=code,
        message=message,
        severity=severity_of(code),
        path=path,
        span=Span(line, start, line, max(end_column, start)),
        principle=PRINCIPLE,
        source=SOURCE,
        data={"adr": adr_id} if adr_id else {},
    )


def normalize_rule_options(options: dict[str, Any]) -> dict[str, Any]:
    """List-valued options accept a single string too (``modules: requests``); ruff codes are
    upper-cased (``async`` -> ``ASYNC``), as ruff spells them."""
    normalized = dict(options)
    for key in LIST_OPTIONS & normalized.keys():
        value = normalized[key]
        if isinstance(value, str):
            normalized[key] = [value]
    codes = normalized.get("codes")
    if isinstance(codes, list):
        normalized["codes"] = [c.strip().upper() if isinstance(c, str) else c for c in codes]
    return normalized


class RuleProblem(NamedTuple):
    """One thing wrong with a rule entry; ``key`` is the offending option, or its path inside
    the entry (``("options", "max-depth")``), None for the entry itself.

    A ``fatal`` problem drops the rule (it cannot be enforced as written); an unknown extra
    option is reported but the rule still applies.
    """

    key: str | tuple[str, ...] | None
    message: str
    fatal: bool = True


def rule_problems(kind: str, options: dict[str, Any]) -> list[RuleProblem]:
    """What is wrong with one rule entry; an empty list means the rule is usable.

    Check codes and their options are validated against their declaration in ``codes``.
    """
    if kind not in RULE_OPTIONS:
        known = ", ".join(RULE_KINDS)
        return [RuleProblem("kind", f"unknown rule kind `{kind}` (known kinds: {known})")]
    allowed = RULE_OPTIONS[kind]
    found: list[RuleProblem] = []
    for key in options:
        # A check rule's loose keys tune the check: validated against it below.
        if key not in allowed and key not in SCOPE_OPTIONS and kind != "check":
            known = ", ".join([*allowed, *SCOPE_OPTIONS])
            message = f"unknown option `{key}` for a `{kind}` rule (known: {known})"
            found.append(RuleProblem(key, message, fatal=False))
    for key, required in allowed.items():
        if required and key not in options:
            found.append(RuleProblem(None, f"a `{kind}` rule needs `{key}`"))
    for key in LIST_OPTIONS & options.keys():
        value = options[key]
        if key == "layers" and isinstance(value, list) and value and all(_is_layer(v) for v in value):
            continue  # a layer is a prefix, or a list of sibling prefixes at one level
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            found.append(RuleProblem(key, f"`{key}` must be a list of strings"))
        elif allowed.get(key) and not value:
            found.append(RuleProblem(key, f"`{key}` must not be empty"))
    if kind == "pinned-dependencies" and "policy" in options:
        policy = options["policy"]
        if policy not in PIN_POLICIES:
            message = f"unknown policy `{policy}` (expected exact or bounded)"
            found.append(RuleProblem("policy", message))
    found.extend(_tach_kind_problems(kind, options))
    if kind == "forbidden-import" and "use" in options:
        use = options["use"]
        if not isinstance(use, str) or not _MODULE_NAME.match(use):
            found.append(RuleProblem("use", f"`use` must name one module (like `httpx`), not {use!r}", fatal=False))
    if kind == "check":
        found.extend(_check_rule_problems(options))
    if kind == "ruff" and isinstance(options.get("codes"), list):
        for code in options["codes"]:
            if isinstance(code, str) and not _RUFF_CODE.match(code):
                found.append(RuleProblem("codes", f"`{code}` is not a ruff rule code or prefix"))
    return found


def _tach_kind_problems(kind: str, options: dict[str, Any]) -> list[RuleProblem]:
    """The shapes the interface / independence / deprecated-import / external-dependencies kinds need."""
    found: list[RuleProblem] = []
    module = options.get("module")
    if kind == "interface" and "module" in options and (not isinstance(module, str) or not module.strip()):
        found.append(RuleProblem("module", f"`module` must name one module or pattern (like `pricing`), not {module!r}"))
    if kind == "deprecated-import" and "module" in options and not _is_layer(module):
        found.append(RuleProblem("module", f"`module` must name a module or a list of modules, not {module!r}"))
    if kind == "deprecated-import" and "use" in options:
        use = options["use"]
        if not isinstance(use, str) or not use.strip():
            found.append(RuleProblem("use", f"`use` must name the replacement (like `pricing.api`), not {use!r}"))
    if kind == "independence" and isinstance(options.get("modules"), list) and len(options["modules"]) < 2:
        found.append(RuleProblem("modules", "an `independence` rule needs at least two modules"))
    if kind == "external-dependencies" and "unused" in options and not isinstance(options["unused"], bool):
        found.append(RuleProblem("unused", "`unused` must be true or false"))
    return found


def _is_layer(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, str) and v for v in value)
    return isinstance(value, str) and bool(value)


def _check_rule_problems(options: dict[str, Any]) -> list[RuleProblem]:
    found: list[RuleProblem] = []
    nested = options.get("options", {})
    if not isinstance(nested, dict):
        message = "`options` must be a mapping of option names to values"
        found.append(RuleProblem("options", message))
        nested = {}
    code = options.get("check")
    if code is None:
        return found
    if not isinstance(code, str) or not _ARC_CODE.match(code.strip().upper()):
        message = f"`check` must be an ARC code such as ARC202, not `{code}`"
        found.append(RuleProblem("check", message))
        return found
    code = code.strip().upper()
    info = metadata(code)
    if info is None:
        found.append(RuleProblem("check", f"unknown check code `{code}`"))
        return found
    not_tunables = ("check", "options", *SCOPE_OPTIONS)
    tunables = {k: ((k,), v) for k, v in options.items() if k not in not_tunables}
    tunables.update({k: (("options", k), v) for k, v in nested.items()})
    # The check's option schema, shared with [tool.python-architect.options] (codes.options).
    for name, (where, value) in tunables.items():
        for _, message in option_problems(info, {name: value}):
            found.append(RuleProblem(where, message, fatal=name in info.option_schema))
    return found


def missing_reference_problems(
    adrs: Sequence[Adr], lines_of: dict[Path, list[str]]
) -> list[Finding]:
    """ARC003: supersedes / superseded-by links to ids no ADR has."""
    known = {adr.id for adr in adrs}
    found: list[Finding] = []
    for adr in adrs:
        for relation, target, line in adr.references:
            if target not in known:
                found.append(
                    adr_problem(
                        MISSING_REFERENCE,
                        adr.path,
                        line,
                        f"`{relation}` refers to {target}, which no ADR has",
                        lines_of.get(adr.path),
                        adr_id=adr.id,
                    )
                )
    return found


def duplicate_id_problems(adrs: Sequence[Adr], lines_of: dict[Path, list[str]]) -> list[Finding]:
    """ARC004: every file of an id that more than one ADR declares, naming the other files."""
    by_id: dict[str, list[Adr]] = defaultdict(list)
    for adr in adrs:
        by_id[adr.id].append(adr)
    found: list[Finding] = []
    for adr_id, group in by_id.items():
        if len(group) < 2:
            continue
        for adr in group:
            others = ", ".join(other.path.name for other in group if other is not adr)
            found.append(
                adr_problem(
                    DUPLICATE_ID,
                    adr.path,
                    adr.id_line,
                    f"{adr_id} is also the id of {others}",
                    lines_of.get(adr.path),
                    adr_id=adr_id,
                )
            )
    return found


def unmatched_glob_problems(
    adrs: Sequence[Adr],
    relative_files: Sequence[str],
    lines_of: dict[Path, list[str]],
) -> list[Finding]:
    """ARC005: a paths / exclude glob that matches none of the workspace's files."""
    from .scope import glob_matches_any

    found: list[Finding] = []
    matches: dict[str, bool] = {}
    for adr in adrs:
        for pattern, where, line in adr.globs:
            if pattern not in matches:
                matches[pattern] = glob_matches_any(pattern, relative_files)
            if not matches[pattern]:
                found.append(
                    adr_problem(
                        GLOB_MATCHES_NOTHING,
                        adr.path,
                        line,
                        f"`{pattern}` in {where} matches no file in the workspace",
                        lines_of.get(adr.path),
                        adr_id=adr.id,
                    )
                )
    return found


def unmatched_layer_problems(
    adrs: Sequence[Adr],
    relative_files: Sequence[str],
    lines_of: dict[Path, list[str]],
) -> list[Finding]:
    """ARC005: a module or pattern of a ``layers`` rule that names no first-party module (a typo
    or a glob that matches nothing would silently leave its layer empty)."""
    from .module_patterns import dotted_names, pattern_names_a_module

    modules = dotted_names(relative_files)
    if not modules:
        return []  # no Python files to judge against (an ADR-only checkout)
    found: list[Finding] = []
    for adr in adrs:
        for rule in adr.rules:
            for pattern, what in _module_patterns(rule):
                if isinstance(pattern, str) and pattern.strip() and not pattern_names_a_module(pattern.strip(), modules):
                    found.append(adr_problem(
                        GLOB_MATCHES_NOTHING, adr.path, rule.line,
                        f"`{pattern}` in rule `{rule.id}` {what} names no first-party module: {_CHECKS_NOTHING[rule.kind]}",
                        lines_of.get(adr.path), adr_id=adr.id))
    return found


_CHECKS_NOTHING = {"layers": "the layer checks nothing", "interface": "the interface guards nothing",
                   "independence": "it is independent of nothing"}


def _module_patterns(rule: Any) -> list[tuple[Any, str]]:
    """The first-party module patterns a rule names (``deprecated-import`` may name a third-party
    module, so it is not judged here)."""
    if rule.kind == "layers":
        entries = rule.options.get("layers") or ()
        return [(p, "layers") for entry in entries for p in (entry if isinstance(entry, (list, tuple)) else [entry])]
    if rule.kind == "interface":
        return [(rule.options.get("module"), "module")]
    if rule.kind == "independence":
        return [(p, "modules") for p in rule.options.get("modules") or ()]
    return []


def problems_in(findings: Iterable[Finding], path: Path) -> list[Finding]:
    """The problems located in one ADR file (for the editor's per-file diagnostics)."""
    return [finding for finding in findings if finding.path == path]
