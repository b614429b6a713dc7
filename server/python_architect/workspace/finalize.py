"""From what a check yields to what people see: ``RawFinding`` -> ``Finding``.

One place decides severity (the governing ADR rule's, else the finding's own, else the
registry default; capped at ``info`` for a proposed ADR), which ADRs a finding cites
(its rule's ADR, accepted ADRs whose ``check``/``ruff`` rules name the code, accepted ADRs tagged
with the code's principle whose ``applies-to`` covers the file), the merged options of a check, select/ignore and suppression comments,
whether a ``judgment``-tier check is adopted (else dropped, or a hint in the editor), whether an
``opt-in`` check is named exactly (else dropped everywhere, no hint) and whether
the check keeps quiet in test code and command-line entry points (``analysis.context``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..analysis.context import FileContext, file_context, silent_here
from ..analysis.registry import RawFinding
from ..analysis.ruff_bridge import NO_FIX
from ..codes import RULE_DRIVEN, CheckInfo, metadata
from ..codes.model import JUDGMENT, OPT_IN
from ..config import ProjectConfig, code_selected
from ..findings import Finding, Severity
from ..knowledge.model import Adr, KnowledgeBase, RuleSpec

PROPOSED_SUFFIX = " (proposed, not yet binding)"
_NOT_OPTIONS = frozenset({"check", "codes", "paths", "exclude", "options"})


def info_for(code: str) -> CheckInfo | None:
    return metadata(code)


def rule_options(rule: RuleSpec) -> dict[str, Any]:
    """A ``check`` rule's tuning: its ``options`` table plus any other loose keys."""
    options = {k: v for k, v in rule.options.items() if k not in _NOT_OPTIONS}
    nested = rule.options.get("options")
    if isinstance(nested, dict):
        options.update(nested)
    return options


def ruff_rule_codes(rule: RuleSpec) -> tuple[str, ...]:
    codes = rule.options.get("codes", ())
    if isinstance(codes, str):
        codes = [codes]
    return tuple(str(c).strip().upper() for c in codes if str(c).strip()) if isinstance(codes, (list, tuple)) else ()


def _applies(adr: Adr, rule: RuleSpec, path: Path | None, root: Path) -> bool:
    if path is None:
        return True
    from ..knowledge.scope import rule_applies_to

    return rule_applies_to(adr, rule, path, root)


class Finalizer:
    """Turns raw findings into findings for one knowledge base and configuration."""

    def __init__(self, root: Path, kb: KnowledgeBase, config: ProjectConfig,
                 extra_select: tuple[str, ...] = (), extra_ignore: tuple[str, ...] = (),
                 *, editor: bool = False) -> None:
        self.root = root
        self.kb = kb
        self.config = config
        self.extra_select = extra_select
        self.extra_ignore = extra_ignore
        self.editor = editor
        """In the editor an un-adopted judgment finding is shown as a hint instead of dropped."""
        self._context: tuple[Path, list[str] | None, FileContext] | None = None
        self._check_rules: dict[str, list[tuple[Adr, RuleSpec]]] = {}
        for adr, rule in kb.rules("check"):
            code = str(rule.options.get("check", "")).strip().upper()
            if code:
                self._check_rules.setdefault(code, []).append((adr, rule))
        self._ruff_rules = [(adr, rule, ruff_rule_codes(rule)) for adr, rule in kb.rules("ruff")]
        self._driven = {code for kind, code in RULE_DRIVEN.items() if kb.rules(kind)}

    # --- which rules govern a code ----------------------------------------------------------
    def check_rules(self, code: str, path: Path | None = None) -> list[tuple[Adr, RuleSpec]]:
        """Binding ``check`` rules naming ``code`` that cover ``path``."""
        return [(a, r) for a, r in self._check_rules.get(code, ()) if _applies(a, r, path, self.root)]

    def ruff_rules(self, code: str, path: Path | None = None) -> list[tuple[Adr, RuleSpec]]:
        """Binding ``ruff`` rules with a code that is a prefix of ``code``."""
        return [(a, r) for a, r, codes in self._ruff_rules
                if any(code.startswith(c) for c in codes) and _applies(a, r, path, self.root)]

    def ruff_codes_required(self, path: Path | None = None) -> list[str]:
        """Codes ADR ``ruff`` rules ask for (binding ADRs whose scope covers ``path``)."""
        seen: dict[str, None] = {}
        for adr, rule, codes in self._ruff_rules:
            if _applies(adr, rule, path, self.root):
                seen.update(dict.fromkeys(codes))
        return list(seen)

    def enabled(self, info: CheckInfo, path: Path | None = None) -> bool:
        """A check runs when it needs no configuration, when ADR rules of the kind that drives it
        exist, or when a binding ``check`` rule names it; outside the editor an un-adopted
        judgment check does not run at all (its findings would be dropped)."""
        if (not self.editor or info.tier == OPT_IN) and not self.adopted(info, path):
            return False
        if info.default_enabled or info.code in self._driven:
            return True
        return bool(self.check_rules(info.code, path))

    def adopted(self, info: CheckInfo | None, path: Path | None = None) -> bool:
        """Core checks always; a judgment check once the team adopts it: ``select`` names it
        (a code or prefix, or ``ALL``; for ruff codes also the ``ruff`` list) or has an ``options``
        table for it, a binding ADR's ``check``/``ruff`` rule names it, or an
        accepted ADR is tagged with its principle. An opt-in check the same way except through
        ``ALL`` or a prefix: its exact code named (``_named_exactly``) or a principle-tagged ADR."""
        if info is not None and info.tier == OPT_IN:
            return self._named_exactly(info.code, path) or bool(self.principle_adrs(info.principle, path))
        if info is None or info.tier != JUDGMENT:
            return True
        if self._adopted_by_config(info):
            return True
        if self.check_rules(info.code, path) or self.ruff_rules(info.code, path):
            return True
        return bool(self.principle_adrs(info.principle, path))

    def principle_adrs(self, principle: str, path: Path | None = None) -> list[Adr]:
        """Accepted ADRs tagged with ``principle`` whose own ``applies-to`` scope covers ``path``:
        a tag adopts a check and is cited only where its ADR governs (an ADR about
        ``superset/daos/**`` tagged ``data-layer`` does not turn ARC502 on across the tree)."""
        adrs = self.kb.adrs_for_principle(principle)
        if path is None:
            return adrs
        from ..knowledge.scope import adr_applies_to

        return [adr for adr in adrs if adr_applies_to(adr, path, self.root)]

    def _named_exactly(self, code: str, path: Path | None = None) -> bool:
        """An opt-in check is on where its own code is written down: in ``select`` (or
        ``--select``), the ``ruff`` list or an ``options`` table, or a binding ADR's ``check`` rule
        or ``ruff`` rule's ``codes`` covering ``path``. Never through ``ALL`` or a prefix."""
        return self._named_by_config(code) or bool(self.check_rules(code, path)) or any(
            code in codes and _applies(adr, rule, path, self.root) for adr, rule, codes in self._ruff_rules)

    def _named_by_config(self, code: str) -> bool:
        select = self.extra_select or self.config.select
        named = {entry.strip().upper() for entry in select}
        if not isinstance(self.config.ruff, bool):
            named.update(entry.strip().upper() for entry in self.config.ruff)
        return code in named or code in self.config.options

    def _adopted_by_config(self, info: CheckInfo) -> bool:
        """A judgment check the configuration adopts, whatever the ADRs say (an opt-in one only
        when named exactly)."""
        if info.tier == OPT_IN:
            return self._named_by_config(info.code)
        select = self.extra_select or self.config.select
        if any(info.code.startswith(prefix) or prefix == "ALL" for prefix in select if prefix):
            return True
        if not isinstance(self.config.ruff, bool) and any(info.code.startswith(c) for c in self.config.ruff):
            return True  # ``ruff = ["T201"]`` names it
        return info.code in self.config.options  # the team tuned it in [tool.python-architect.options.CODE]

    def context_of(self, path: Path, lines: list[str] | None) -> FileContext:
        """The file's context, kept for the file whose findings are being finalised."""
        cached = self._context  # one read: another thread may replace it meanwhile
        if cached is None or cached[0] != path or cached[1] is not lines:
            cached = (path, lines, file_context(path, self.root, None, lines, self.config.scripts))
            self._context = cached
        return cached[2]

    def options_for(self, code: str, path: Path | None = None) -> dict[str, Any]:
        """Defaults < ``[tool.python-architect.options.CODE]`` < accepted ADRs' ``check`` rules."""
        info = info_for(code)
        merged: dict[str, Any] = dict(info.default_options) if info else {}
        merged.update(self.config.options.get(code, {}))
        for adr, rule in self.check_rules(code, path):
            if adr.status == "accepted":
                merged.update(rule_options(rule))
        return merged

    def selected(self, code: str) -> bool:
        return code_selected(code, self.config, self.extra_select, self.extra_ignore)

    # --- the conversion ---------------------------------------------------------------------
    def finalize(self, raw: RawFinding, path: Path, lines: list[str] | None, source: str = "python-architect") -> Finding | None:
        """The finding as reported, or None when it is deselected, suppressed or not binding."""
        if not self.selected(raw.code):
            return None
        info = info_for(raw.code)
        hint = not self.adopted(info, path)
        if hint and (not self.editor or (info is not None and info.tier == OPT_IN)):
            return None  # an opt-in check nobody named is not even a hint
        context = self.context_of(path, lines)
        if (context.is_test or context.in_script(raw.span.line)) and silent_here(
            raw.code, context, raw.span.line, self.options_for(raw.code, path)
        ):
            return None
        principle = info.principle if info else ""
        severity = info.severity if info else Severity.WARNING
        cited: dict[str, None] = {}
        ceiling = Severity.ERROR
        proposed = False
        rule_id = None

        governing: list[tuple[Adr, RuleSpec]] = []
        if raw.rule is not None:
            adr = self.kb.get(raw.rule.adr_id)
            if adr is not None:
                if not adr.binding:
                    return None
                governing.append((adr, raw.rule))
        others = self.check_rules(raw.code, path) + self.ruff_rules(raw.code, path)
        accepted_others = [(a, r) for a, r in others if a.status == "accepted"]
        if source == "ruff" and raw.rule is None and not others and not self._runs_unprompted(raw.code, info):
            return None  # asked for by an ADR whose scope does not cover this file
        if raw.rule is None and not accepted_others and others and not self._reported_without_adrs(raw.code, info):
            # Only a proposed ADR asked for this code: it reports, capped and labelled.
            governing.append(others[0])
        governing.extend(accepted_others)

        for adr, rule in governing:
            cited[adr.id] = None
            if rule_id is None:
                rule_id = rule.id
        if raw.severity is not None:
            severity = raw.severity
        # The team's decision outranks the check's own judgement of how loud a finding is.
        explicit = next((r.severity for _, r in governing if r.severity is not None), None)
        if explicit is not None:
            severity = explicit
        if governing and governing[0][0].status == "proposed":
            ceiling, proposed = governing[0][0].severity_ceiling, True
        for adr in self.principle_adrs(principle, path) if principle else ():
            cited[adr.id] = None
        severity = severity.at_most(ceiling)
        if hint:
            severity = Severity.HINT  # not adopted: a quiet suggestion in the editor, nothing more

        message = raw.message + (PROPOSED_SUFFIX if proposed and not raw.message.endswith(PROPOSED_SUFFIX) else "")
        adrs = tuple(cited)
        if lines is not None and 0 < raw.span.line <= len(lines):
            from ..analysis.suppression import suppressed

            if suppressed(raw.code, adrs, lines[raw.span.line - 1]):
                return None
            if any(directive.covers(raw.code, adrs) for directive in self._file_suppressions(lines)):
                return None
        return Finding(code=raw.code, message=message, severity=severity, path=path, span=raw.span,
                       adrs=adrs, fix=None if source == "ruff" and raw.code in NO_FIX else raw.fix,
                       principle=principle, source=source, rule_id=rule_id,
                       data=dict(raw.data), related=raw.related)

    def _file_suppressions(self, lines: list[str]) -> tuple[Any, ...]:
        """The file's ``ignore-file`` comments, remembered for the file being finalized: its
        findings arrive together, so one entry saves rescanning the file per finding. The entry is
        one tuple replaced whole, so a thread sharing this finalizer reads a consistent pair."""
        from ..analysis.suppression import file_suppressions

        cached = getattr(self, "_file_directives", None)
        if cached is not None and cached[0] is lines:
            return cached[1]
        found = file_suppressions(lines)
        self._file_directives = (lines, found)
        return found

    def _reported_without_adrs(self, code: str, info: CheckInfo | None) -> bool:
        """Whether the code would be reported (not merely hinted) with no ADR asking for it: a
        judgment check needs the configuration's adoption for that (ruff may well run it)."""
        if info is not None and info.tier in (JUDGMENT, OPT_IN) and not self._adopted_by_config(info):
            return False
        return self._runs_unprompted(code, info)

    def _runs_unprompted(self, code: str, info: CheckInfo | None) -> bool:
        """Whether the code would be reported without any ADR asking for it."""
        if info is None:
            return False
        if info.scope == "ruff":
            from ..analysis.ruff_bridge import curated_selection

            return any(code.startswith(c) for c in curated_selection(self.config.ruff))
        return info.default_enabled
