"""The finaliser in isolation: severities, citations and statuses on hand-built knowledge."""

from __future__ import annotations

from pathlib import Path

from python_architect.analysis.registry import RawFinding
from python_architect.config import ProjectConfig
from python_architect.findings import Severity, Span
from python_architect.knowledge.model import Adr, KnowledgeBase, RuleSpec
from python_architect.workspace.finalize import PROPOSED_SUFFIX, Finalizer, rule_options

ROOT = Path("/ws")
FILE = ROOT / "app" / "x.py"
SPAN = Span(1, 1, 1, 5)


def _adr(adr_id: str, status: str, *rules: RuleSpec, tags: tuple[str, ...] = ()) -> Adr:
    return Adr(id=adr_id, title=adr_id, path=ROOT / f"{adr_id}.md", status=status, rules=rules, tags=tags)


def _rule(adr_id: str, kind: str, severity: Severity | None = None, **options) -> RuleSpec:
    return RuleSpec(id=f"{adr_id}-{kind}", kind=kind, adr_id=adr_id, severity=severity, options=options)


def _finalizer(*adrs: Adr, config: ProjectConfig | None = None, **extra) -> Finalizer:
    return Finalizer(ROOT, KnowledgeBase(root=ROOT, adrs=list(adrs)), config or ProjectConfig(), **extra)


def test_rule_severity_outranks_the_checks_own_severity() -> None:
    rule = _rule("ADR-001", "forbidden-import", Severity.ERROR, modules=["x"])
    finalizer = _finalizer(_adr("ADR-001", "accepted", rule))
    raw = RawFinding("ARC101", "no", SPAN, rule=rule, severity=Severity.HINT)
    assert finalizer.finalize(raw, FILE, None).severity is Severity.ERROR
    no_rule_severity = _rule("ADR-001", "forbidden-import", None, modules=["x"])
    raw = RawFinding("ARC101", "no", SPAN, rule=no_rule_severity, severity=Severity.HINT)
    assert _finalizer(_adr("ADR-001", "accepted", no_rule_severity)).finalize(raw, FILE, None).severity is Severity.HINT


def test_finding_of_a_rule_whose_adr_is_no_longer_binding_is_dropped() -> None:
    rule = _rule("ADR-002", "forbidden-import", modules=["x"])
    for status in ("rejected", "deprecated", "superseded"):
        finalizer = _finalizer(_adr("ADR-002", status, rule))
        assert finalizer.finalize(RawFinding("ARC101", "no", SPAN, rule=rule), FILE, None) is None


def test_proposed_rule_caps_and_labels_once() -> None:
    rule = _rule("ADR-003", "forbidden-import", Severity.ERROR, modules=["x"])
    finalizer = _finalizer(_adr("ADR-003", "proposed", rule))
    finding = finalizer.finalize(RawFinding("ARC101", "no" + PROPOSED_SUFFIX, SPAN, rule=rule), FILE, None)
    assert finding.severity is Severity.INFO and finding.message.count(PROPOSED_SUFFIX) == 1


def test_check_rule_of_a_proposed_adr_does_not_touch_a_core_check() -> None:
    rule = _rule("ADR-004", "check", Severity.ERROR, check="ARC701")
    finalizer = _finalizer(_adr("ADR-004", "proposed", rule))
    raw = RawFinding("ARC701", "secret", SPAN, severity=Severity.WARNING)
    finding = finalizer.finalize(raw, FILE, None)
    assert finding.severity is Severity.WARNING and finding.adrs == () and PROPOSED_SUFFIX not in finding.message


def test_a_judgment_check_only_a_proposed_adr_adopts_cites_it_capped() -> None:
    """ARC502 is judgment-tier: the proposed ADR is why it reports at all, so the finding names it,
    says so and is capped (a proposed rule is informational until accepted)."""
    rule = _rule("ADR-004", "check", Severity.ERROR, check="ARC502")
    finalizer = _finalizer(_adr("ADR-004", "proposed", rule))
    finding = finalizer.finalize(RawFinding("ARC502", "n+1", SPAN), FILE, None)
    assert finding.adrs == ("ADR-004",) and finding.message.endswith(PROPOSED_SUFFIX)
    assert finding.severity is Severity.INFO


def test_citations_in_order_without_duplicates() -> None:
    check_rule = _rule("ADR-006", "check", check="ARC502", options={"x": 1})
    finalizer = _finalizer(
        _adr("ADR-005", "accepted", tags=("data-layer",)),
        _adr("ADR-006", "accepted", check_rule, tags=("data-layer",)),
        _adr("ADR-007", "rejected", tags=("data-layer",)),
    )
    finding = finalizer.finalize(RawFinding("ARC502", "n+1", SPAN), FILE, None)
    assert finding.adrs == ("ADR-006", "ADR-005") and finding.rule_id == "ADR-006-check"
    assert finalizer.options_for("ARC502")["x"] == 1


def test_unknown_code_gets_a_warning_and_no_principle() -> None:
    finding = _finalizer().finalize(RawFinding("XYZ1", "odd", SPAN), FILE, None, source="ruff")
    assert finding is None  # nothing asked ruff for it: an unrequested code is not reported
    rule = _rule("ADR-008", "ruff", codes=["XYZ"])
    finding = _finalizer(_adr("ADR-008", "accepted", rule)).finalize(RawFinding("XYZ1", "odd", SPAN), FILE, None, source="ruff")
    assert finding.severity is Severity.WARNING and finding.principle == "" and finding.adrs == ("ADR-008",)


def test_suppression_and_selection() -> None:
    finalizer = _finalizer(extra_ignore=("ARC5",))
    assert finalizer.finalize(RawFinding("ARC502", "n+1", SPAN), FILE, None) is None
    finalizer = _finalizer()
    lines = ["rows = q()  # architect: ignore[ARC502] known hot path"]
    assert finalizer.finalize(RawFinding("ARC502", "n+1", SPAN), FILE, lines) is None
    assert finalizer.finalize(RawFinding("ARC701", "secret", SPAN), FILE, lines) is not None


def test_rule_options_reads_nested_and_loose_keys() -> None:
    rule = _rule("ADR-009", "check", check="ARC202", options={"max-depth": 2}, paths=["app/**"])
    assert rule_options(rule) == {"max-depth": 2}


def test_a_tag_adopts_and_is_cited_only_inside_its_adrs_applies_to_scope() -> None:
    """Issue 20: an ADR about ``app/daos/**`` tagged ``data-layer`` turns ARC502 on in the DAOs
    only; elsewhere the check stays un-adopted: dropped in check, and (opt-in since issue 21's
    twenty-seventh reading) no hint in the editor either."""
    from python_architect.knowledge.model import AppliesTo

    scoped = Adr(id="ADR-010", title="DAOs", path=ROOT / "ADR-010.md", status="accepted", tags=("data-layer",),
                 applies_to=AppliesTo(paths=("app/daos/**",)))
    inside, outside = ROOT / "app" / "daos" / "orders.py", ROOT / "app" / "views" / "orders.py"
    finalizer = _finalizer(scoped)
    finding = finalizer.finalize(RawFinding("ARC502", "n+1", SPAN), inside, None)
    assert finding is not None and finding.adrs == ("ADR-010",) and finding.severity is Severity.WARNING
    assert finalizer.finalize(RawFinding("ARC502", "n+1", SPAN), outside, None) is None
    hint = _finalizer(scoped, editor=True).finalize(RawFinding("ARC502", "n+1", SPAN), outside, None)
    assert hint is None
