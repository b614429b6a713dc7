"""Code named in a question, resolved through the workspace: what the ADR ranking cannot read.

A question like "should `QuoteService` extend `BaseService`?" or "can I declare `pydantic>=2`?"
names code. ``resolve_code`` looks each name it finds (``advisor.question_words``) up:

- a class in the workspace index: its bases, the findings on its ``class`` line and the ADRs
  those cite (a class with bases also raises the composition principle), and the ADRs whose
  ``applies-to`` paths cover its file ("governs `src/app/adapters/**`, where `X` lives", weighed
  by how specific the glob is);
- a backticked top-level function or constant (`refund_safely`): its module and those ADRs;
- a first-party module or package: its layer in the ``layers`` rules and the ``forbidden-import``
  rules that bind its files;
- a module a ``forbidden-import`` rule names (``urllib3``, ``fastapi``): that rule;
- a dependency specifier (``pydantic>=2``): judged by each ``pinned-dependencies`` rule, and the
  answer says whether ARC110 would report it.

Each result is a ``CodeFact``: one line for the model and the offline answer, and the ADRs it
brings with why. ``context.rank_adrs`` merges them with the question's lexical ranking, so the
chat, the offline answer and the MCP tools agree. The index is read as it is, never scanned here
(a scan may be running on another thread; front ends scan up front). Callers hold the project's
lock, as for any use of the project: ``advisor.service`` gathers under the folder's lock (see
``lsp.state``), the MCP tools under ``ArchitectTools._lock``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..knowledge.model import KnowledgeBase
from ..knowledge.relevance import module_matches, relevant_adrs
from ..knowledge.scope import (
    adr_applies_to,
    describe_scope,
    glob_matches_any,
    rule_applies_to,
    rule_scope,
)
from .question_words import mentions

log = logging.getLogger(__name__)

MAX_FACTS = 6
MAX_PLAIN_WORDS = 300
"""Plain words looked up as module names per question (a pasted log must not cost seconds)."""
TRIVIAL_BASES = frozenset(
    ["object", "Protocol", "typing.Protocol", "ABC", "abc.ABC", "Generic", "typing.Generic", "Exception", "BaseException", "ValueError", "RuntimeError", "Enum", "enum.Enum", "IntEnum", "enum.IntEnum", "StrEnum", "enum.StrEnum", "NamedTuple", "typing.NamedTuple", "TypedDict", "typing.TypedDict"]
)
"""Bases that say what a class is rather than which implementation it inherits."""


@dataclass(frozen=True)
class CodeFact:
    """What one name in the question is, in one line, and the ADRs it brings (id, why, weight)."""

    kind: str
    name: str
    text: str
    adrs: tuple[tuple[str, str, float], ...] = ()
    topics: tuple[str, ...] = ()
    path: Path | None = None
    """The file that defines it (a class or function), for its definition in the request."""
    governed: tuple[tuple[str, str, float], ...] = ()
    """ADRs whose ``applies-to`` covers its file: support for an ADR found otherwise, never a
    reason on their own (a directory's ADRs are not all about every question on it)."""


def resolve_code(project: Any, question: str, *, selected: bool = False) -> list[CodeFact]:
    """The code named in ``question``, resolved through ``project`` (``root``, ``kb``, ``index``).

    ``selected``: the text is selected code, not prose: plain words are not taken for module
    names, and the ADRs found weigh half (code in view speaks less directly than a question).
    """
    kb: KnowledgeBase = project.kb
    said = mentions(question)
    facts: list[CodeFact] = []
    facts.extend(_specifier_fact(kb, spec) for spec in said.specifiers)
    index = getattr(project, "index", None)
    for name in said.classes[: MAX_FACTS if selected else None]:
        facts.extend(_class_facts(project, index, name))
    names = _ModuleNames.of(index) if said.modules else None
    plain = 0
    for name, explicit in said.modules:
        if not explicit:
            plain += 1
            if selected or plain > MAX_PLAIN_WORDS:
                continue
        found = _module_facts(project, index, names, name, explicit)
        if not found and explicit and "." not in name and names.find(name) is None:
            found = _function_facts(project, index, name)
        facts.extend(found)
    unique: dict[tuple[str, str], CodeFact] = {}
    for fact in facts:
        if selected:
            fact = replace(
                fact,
                adrs=tuple((adr_id, why, weight / 2) for adr_id, why, weight in fact.adrs),
                governed=tuple((adr_id, why, weight / 2) for adr_id, why, weight in fact.governed),
            )
        unique.setdefault((fact.kind, fact.name), fact)
    return list(unique.values())[:MAX_FACTS]


# -- dependency specifiers ------------------------------------------------------------------


def _specifier_fact(kb: KnowledgeBase, text: str) -> CodeFact:
    from packaging.requirements import InvalidRequirement, Requirement

    from ..analysis.dependencies import POLICIES, satisfies_policy

    rules = kb.rules("pinned-dependencies")
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        return CodeFact("dependency", text, f"`{text}` is not a valid requirement specifier ({exc}).")
    if not rules:
        return CodeFact("dependency", text, f"`{text}`: no ADR rule of kind `pinned-dependencies` governs version pins here.")
    judged: list[str] = []
    adrs: list[tuple[str, str, float]] = []
    for adr, rule in rules:
        policy = str(rule.options.get("policy", "exact")).strip().lower()
        policy = policy if policy in POLICIES else "exact"
        allowed = {str(n).lower() for n in rule.options.get("allow", []) or []}
        where = describe_scope(*rule_scope(adr, rule))
        if requirement.name.lower() in allowed:
            verdict = f"is allowed unpinned by rule `{rule.id}` of {adr.id}"
        elif satisfies_policy(requirement, policy):
            verdict = f"satisfies rule `{rule.id}` of {adr.id} (policy `{policy}`)"
        else:
            need = "an exact pin with `==`" if policy == "exact" else "an upper bound (`<`)"
            verdict = (
                f"breaks rule `{rule.id}` of {adr.id} (policy `{policy}` wants {need}): ARC110 would "
                f"report it {where}"
            )
        judged.append(verdict)
        adrs.append((adr.id, f"`{text}` {verdict.split(' (')[0]}", 1.0))
    return CodeFact("dependency", text, f"`{text}` " + "; ".join(judged) + ".", tuple(adrs))


# -- classes --------------------------------------------------------------------------------


def _classes_named(index: Any, name: str) -> list[tuple[str, Any]]:
    found = []
    try:
        for module in index.modules():
            facts = index.lookup_module(module)
            for cls in getattr(facts, "classes", ()) or ():
                if cls.name == name and not cls.nested:
                    found.append((module, cls))
    except RuntimeError:  # the index changed under us (a scan on another thread): partial answer
        pass
    return found


def _class_facts(project: Any, index: Any, name: str) -> list[CodeFact]:
    if index is None:
        return []
    facts = []
    for module, cls in _classes_named(index, name)[:2]:
        path = index.path_of(module)
        where = _relative(path, project.root) if path else module
        bases = [b for b in cls.bases if b not in TRIVIAL_BASES]
        text = f"`{name}` is a class in `{module}` ({where}:{cls.span.line})"
        text += f" extending {', '.join(f'`{b}`' for b in bases)}" if bases else " with no base class"
        adrs: list[tuple[str, str, float]] = []
        findings = _findings_on(project, path, cls.span.line) if path else []
        if findings:
            text += "; findings on it: " + "; ".join(
                f"{f.code} {f.message}" + (f" [{', '.join(f.adrs)}]" if f.adrs else "") for f in findings
            )
            for finding in findings:
                for adr_id in finding.adrs:
                    adrs.append((adr_id, f"cited by {finding.code} on `{name}`", 1.0))
        else:
            text += "; no findings on it"
        governed = tuple(_governing(project, path, name)) if path is not None else ()
        facts.append(CodeFact("class", name, text + ".", tuple(adrs), ("composition",) if bases else (), path, governed))
    return facts


GOVERNS_WEIGHT = 0.3
"""An ADR whose ``applies-to`` covers the named code's directory exactly; a broader glob
(``src/**`` over ``src/app/adapters/x.py``) weighs its share of the directory's depth."""


def _governing(project: Any, path: Path, name: str) -> list[tuple[str, str, float]]:
    """The binding ADRs whose ``applies-to`` paths cover ``path``, with the glob that does."""
    root: Path = project.root
    depth = max(1, _relative(path, root).count("/"))
    found: list[tuple[str, str, float]] = []
    for adr in project.kb.binding_adrs:
        if not adr.applies_to.paths or not adr_applies_to(adr, path, root):
            continue
        globs = [g for g in adr.applies_to.paths if glob_matches_any(g, [path], root)] or list(adr.applies_to.paths)
        glob = max(globs, key=_literal_depth)
        weight = GOVERNS_WEIGHT * min(1.0, _literal_depth(glob) / depth)
        found.append((adr.id, f"governs `{glob}`, where `{name}` lives", round(weight, 3)))
    return found


def _literal_depth(glob: str) -> int:
    """Directories a glob names before its first wildcard: ``src/app/adapters/**`` -> 3."""
    depth = 0
    for part in glob.strip("/").split("/")[:-1]:
        if any(c in part for c in "*?["):
            break
        depth += 1
    return depth


def _function_facts(project: Any, index: Any, name: str) -> list[CodeFact]:
    """A top-level function, class or constant ``name`` in the index: where it is defined."""
    if index is None or not name.isidentifier():
        return []
    found = []
    try:
        for module in index.modules():
            facts = index.lookup_module(module)
            if facts is not None and name in (getattr(facts, "defines", ()) or ()):
                found.append(module)
                if len(found) > 2:
                    break
    except RuntimeError:  # the index changed under us (a scan on another thread)
        pass
    result = []
    for module in found[:2]:
        path = index.path_of(module)
        if path is None:
            continue
        text = f"`{name}` is defined in `{module}` ({_relative(path, project.root)})"
        result.append(CodeFact("function", name, text + ".", (), (), path, tuple(_governing(project, path, name))))
    return result


def _findings_on(project: Any, path: Path, line: int) -> list[Any]:
    try:
        analysis = project.analyze(path, ruff=False)
    except Exception:
        log.exception("analysing %s for a question failed", path)
        return []
    findings = [f for f in analysis.findings if f.span.line == line]
    baseline = getattr(project, "baseline", None)
    if findings and baseline is not None and baseline.entries:  # recorded findings are not news
        from ..baseline import lines_reader

        findings = baseline.filter(findings, project.root, lines_reader()).new
    return findings


# -- modules --------------------------------------------------------------------------------


def _module_facts(project: Any, index: Any, names: _ModuleNames, name: str, explicit: bool) -> list[CodeFact]:
    kb: KnowledgeBase = project.kb
    first_party = names.find(name)
    if first_party is not None:
        return [_first_party_fact(project, index, first_party)] if explicit or "." in name else []
    if (not explicit or "." in name) and not _named_by_a_rule(kb, name):
        # `<third-party>` matches any name outside the standard library: only a backticked
        # single name (`pydantic`) may use it; a plain word or `self.session.get` must be named.
        return []
    hits = [
        r for r in relevant_adrs(kb, modules=(name,), limit=3) if "forbids importing" in r.reason or "allows" in r.reason
    ]
    if not hits:
        return []
    # A plain English word ("requests") may only look like a module name; `urllib3` cannot.
    weight = 1.0 if explicit or not name.isalpha() else 0.5
    text = f"`{name}`: " + "; ".join(f"{hit.adr.id} {hit.reason}" for hit in hits)
    return [CodeFact("module", name, text + ".", tuple((h.adr.id, h.reason, weight) for h in hits))]


def _named_by_a_rule(kb: KnowledgeBase, name: str) -> bool:
    for _adr, rule in kb.rules("forbidden-import"):
        patterns = [*rule.options.get("modules", ()), *rule.options.get("allow", ())]
        if any(module_matches(name, str(p)) for p in patterns if str(p).strip() != "<third-party>"):
            return True
    return False


@dataclass(frozen=True)
class _ModuleNames:
    """Every first-party module and package prefix, and which of them end in a given part;
    built once per question so each word is a dictionary lookup."""

    names: frozenset[str]
    by_last_part: dict[str, frozenset[str]]

    @classmethod
    def of(cls, index: Any) -> _ModuleNames:
        try:
            modules = index.modules() if index is not None else []
        except RuntimeError:  # the index changed under us: no first-party names this time
            modules = []
        names: set[str] = set()
        for module in modules:
            parts = module.split(".")
            names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        by_last_part: dict[str, set[str]] = {}
        for name in names:
            by_last_part.setdefault(name.rsplit(".", 1)[-1], set()).add(name)
        return cls(frozenset(names), {k: frozenset(v) for k, v in by_last_part.items()})

    def find(self, name: str) -> str | None:
        """``name`` as a first-party module: itself, or the one package/module whose last part it is."""
        if name in self.names:
            return name
        if "." in name:
            return None
        candidates = self.by_last_part.get(name, frozenset())
        return next(iter(candidates)) if len(candidates) == 1 else None


def _first_party_fact(project: Any, index: Any, module: str) -> CodeFact:
    kb: KnowledgeBase = project.kb
    root: Path = project.root
    path = index.path_of(module) or _package_path(index, module)
    parts: list[str] = []
    adrs: list[tuple[str, str, float]] = []
    for adr, rule in kb.rules("layers"):
        layers = [str(layer) for layer in rule.options.get("layers", ())]
        layer = next((lay for lay in layers if module_matches(module, lay)), None)
        if layer is None:
            continue
        order = " > ".join(f"`{lay}`" for lay in layers)
        position = layers.index(layer)
        below = layers[position + 1 :]
        may = f"may import {', '.join(f'`{b}`' for b in below)}" if below else "imports no other layer"
        parts.append(f"in layer `{layer}` of {order} ({adr.id} rule `{rule.id}`): it {may}")
        adrs.append((adr.id, f"puts `{module}` in layer `{layer}`", 1.0))
    if path is not None:
        for adr, rule in kb.rules("forbidden-import"):
            if rule_applies_to(adr, rule, path, root):
                banned = ", ".join(f"`{m}`" for m in list(rule.options.get("modules", ()))[:6])
                parts.append(f"{adr.id} rule `{rule.id}` forbids it importing {banned}")
                # Weaker than the layer: a rule binding a whole tree says little about this module.
                adrs.append((adr.id, f"its rule `{rule.id}` binds `{module}`", 0.5))
    where = f" ({_relative(path, root)})" if path is not None else ""
    governed = tuple(_governing(project, path, module)) if path is not None else ()
    if not parts:
        text = f"`{module}`{where} is first-party; no layer or import rule names it."
        return CodeFact("module", module, text, tuple(adrs), governed=governed)
    return CodeFact("module", module, f"`{module}`{where}: " + "; ".join(parts) + ".", tuple(adrs), governed=governed)


def _package_path(index: Any, package: str) -> Path | None:
    """A file inside ``package`` (for path-scoped rules): its ``__init__`` or any module in it."""
    try:
        inside = [m for m in index.modules() if m.startswith(package + ".")]
    except RuntimeError:
        return None
    for module in inside:
        path = index.path_of(module)
        if path is not None:
            return path
    return None


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return Path(path).name
