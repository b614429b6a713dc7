"""The bundled example workspace: every check fires where the example plants it, and the code
written the right way next to it stays clean."""

from __future__ import annotations

from pathlib import Path

from cli_support import EXAMPLE, line_of, run_cli

SRC = EXAMPLE / "src" / "pricing_service"

EVERY_CHECK = {
    "ARC101", "ARC102", "ARC103", "ARC110", "ARC201", "ARC202", "ARC203", "ARC402", "ARC502", "ARC701",
    "ASYNC251", "S113", "BLE001", "T201", "TRY400", "S608", "B006",
}

CLEAN_FILES = [
    "src/pricing_service/__init__.py",
    "src/pricing_service/api/routes.py",
    "src/pricing_service/api/schemas.py",
    "src/pricing_service/domain/models.py",
    "src/pricing_service/adapters/product_repository.py",
    "src/pricing_service/adapters/fx_rates.py",
    "pyproject.toml",
]


def _at(findings: list[dict], code: str, relative: str) -> list[int]:
    return sorted(f["line"] for f in findings if f["code"] == code and f["path"] == relative)


def test_every_check_fires_at_least_once(example_json):
    codes = {finding["code"] for finding in example_json["findings"]}
    assert EVERY_CHECK <= codes, f"never fired: {sorted(EVERY_CHECK - codes)}"
    assert example_json["adrs"] == 17
    assert example_json["files"] >= 30


def test_findings_land_on_the_planted_lines(example_json):
    findings = example_json["findings"]
    planted = {
        ("ARC101", "domain/pricing_rules.py", "from fastapi import HTTPException"),
        ("ARC102", "domain/pricing_rules.py", "from pricing_service.adapters.fx_rates import convert"),
        # One finding per cycle, on an import of its alphabetically first module.
        ("ARC103", "services/discount_service.py", "from pricing_service.services.quote_service import"),
        ("ARC201", "domain/discounts.py", "class SeasonalDiscount(BaseDiscount)"),
        ("ARC202", "domain/discounts.py", "class BlackFridayDiscount(HolidayDiscount)"),
        ("ARC203", "adapters/price_cache.py", "class PriceCache:"),
        ("ARC402", "adapters/customer_client.py", "    while True:\n        try:\n            response = requests"),
        ("ARC502", "adapters/price_history.py", "row = self.session.execute("),
        ("ARC701", "adapters/payments.py", "STRIPE_SECRET_KEY = "),
        ("S113", "adapters/customer_client.py", "requests.get("),
        ("BLE001", "adapters/payments.py", "except Exception as exc:"),
        ("TRY400", "adapters/payments.py", 'logger.error("refund of %s failed: %s"'),
        ("S608", "adapters/price_history.py", 'query = f"SELECT'),
        ("T201", "api/admin.py", "print("),
        ("ASYNC251", "api/admin.py", "time.sleep(0.2)"),
        ("B006", "api/admin.py", "batch_sizes: list[int] = [50, 100]"),
    }
    for code, relative, marker in planted:
        path = SRC / relative
        if "\n" in marker:  # the loop line itself: the first line of a multi-line marker
            text = path.read_text(encoding="utf-8")
            line = text[: text.index(marker)].count("\n") + 1
        else:
            line = line_of(path, marker)
        assert line in _at(findings, code, f"src/pricing_service/{relative}"), (code, relative, line)
    requirements = EXAMPLE / "requirements.txt"
    assert _at(findings, "ARC110", "requirements.txt") == [
        line_of(requirements, "requests>=2.31"),
        line_of(requirements, "psycopg[binary]"),
    ]


def test_code_written_the_right_way_stays_clean(example_json):
    findings = example_json["findings"]
    paths_with_findings = {f["path"] for f in findings}
    for relative in CLEAN_FILES:
        assert relative not in paths_with_findings, [f for f in findings if f["path"] == relative]

    def lines(code: str, relative: str) -> list[int]:
        return _at(findings, code, f"src/pricing_service/{relative}")

    # The retry with backoff and an attempt limit is not ARC402; the blind one is.
    assert line_of(SRC / "adapters/customer_client.py", "attempt = 0") + 1 not in lines("ARC402", "adapters/customer_client.py")
    # Field and header names are not credentials; the environment lookup is not one either.
    assert lines("ARC701", "adapters/payments.py") == [line_of(SRC / "adapters/payments.py", "STRIPE_SECRET_KEY = ")]
    # Catching the named error and logging with logger.exception is the twin of BLE001/TRY400.
    safe_handler = line_of(SRC / "adapters/payments.py", "except httpx.HTTPError:")
    assert safe_handler not in lines("BLE001", "adapters/payments.py")
    assert safe_handler + 1 not in lines("TRY400", "adapters/payments.py")
    # A deep cache class is not a shallow wrapper.
    assert lines("ARC203", "adapters/price_cache.py") == [line_of(SRC / "adapters/price_cache.py", "class PriceCache:")]
    # Protocol, ABC, Enum and exception bases are not inherited implementation; nor is an allowed base.
    discounts = SRC / "domain/discounts.py"
    for twin in ("class GoldTierDiscount(TierDiscount)", "class TierDiscount(ABC)", "class DiscountRule(Protocol)"):
        assert line_of(discounts, twin) not in lines("ARC201", "domain/discounts.py")
    assert not lines("ARC201", "adapters/product_repository.py")
    # Only the deepest class exceeds max-depth 2 set by ADR-009's check rule.
    assert lines("ARC202", "domain/discounts.py") == [line_of(discounts, "class BlackFridayDiscount")]
    # The import under TYPE_CHECKING closes no cycle; the batched repository query is no N+1.
    assert not lines("ARC103", "domain/discounts.py")
    assert not lines("ARC103", "domain/pricing_rules.py")
    assert not lines("ARC502", "adapters/product_repository.py")
    # The async client with a timeout is fine for S113; the legacy requests call is not.
    assert lines("S113", "adapters/customer_client.py") == [line_of(SRC / "adapters/customer_client.py", "requests.get(")]


def test_findings_cite_the_governing_decisions(example_json):
    cited = {(f["code"], f["path"]): f["adrs"] for f in example_json["findings"]}
    assert cited[("ARC101", "src/pricing_service/domain/pricing_rules.py")] == ["ADR-011"]
    assert cited[("ARC102", "src/pricing_service/domain/pricing_rules.py")] == ["ADR-008"]
    assert cited[("ARC110", "requirements.txt")] == ["ADR-003"]
    assert "ADR-009" in cited[("ARC202", "src/pricing_service/domain/discounts.py")]
    assert "ADR-012" in cited[("ARC502", "src/pricing_service/adapters/price_history.py")]
    assert "ADR-013" in cited[("ARC402", "src/pricing_service/adapters/customer_client.py")]
    assert "ADR-016" in cited[("ARC701", "src/pricing_service/adapters/payments.py")]
    assert "ADR-007" in cited[("ASYNC251", "src/pricing_service/api/admin.py")]
    # B006 is opt-in (issue 21): the example adopts it through ADR-018's `memory` tag.
    assert cited[("B006", "src/pricing_service/api/admin.py")] == ["ADR-018"]
    every_citation = {adr for f in example_json["findings"] for adr in f["adrs"]}
    # Rejected (ADR-005) and superseded (ADR-004) decisions enforce nothing and are never cited.
    assert "ADR-005" not in every_citation
    assert "ADR-004" not in every_citation


def test_a_proposed_decision_reports_at_most_info(example_json):
    proposed = [f for f in example_json["findings"] if "ADR-017" in f["adrs"]]
    assert [(f["code"], f["path"]) for f in proposed] == [("ARC101", "src/pricing_service/adapters/customer_client.py")]
    assert proposed[0]["severity"] == "info"
    assert "proposed" in proposed[0]["message"]
    accepted_rule = next(f for f in example_json["findings"] if f["code"] == "ARC110")
    assert accepted_rule["severity"] == "error"  # ADR-003's rule raises the default warning


def test_adrs_command_lists_every_record_with_status_and_rules():
    result = run_cli("adrs", "--format", "json", cwd=EXAMPLE / "src")
    assert result.returncode == 0, result.stderr
    document = result.json()
    by_id = {adr["id"]: adr for adr in document["adrs"]}
    assert len(by_id) == 17
    assert {by_id[i]["status"] for i in by_id} == {"accepted", "proposed", "superseded", "rejected"}
    assert by_id["ADR-004"]["superseded_by"] == ["ADR-014"]
    assert by_id["ADR-014"]["supersedes"] == ["ADR-004"]
    assert not by_id["ADR-001"]["has_frontmatter"] and not by_id["ADR-002"]["has_frontmatter"]
    assert by_id["ADR-002"]["title"] == "Use PostgreSQL as the quote store"
    kinds = {rule["kind"] for adr in document["adrs"] for rule in adr["rules"]}
    assert kinds == {"forbidden-import", "layers", "pinned-dependencies", "check", "ruff"}
    assert by_id["ADR-009"]["rules"][0]["options"]["options"] == {"max-depth": 2}
    assert document["problems"] == []

    text = run_cli("adrs", cwd=EXAMPLE)
    assert text.returncode == 0
    assert "ADR-004  superseded  Cache computed prices in process memory" in text.stdout
    assert "superseded by ADR-014" in text.stdout
    assert "17 ADRs (13 accepted, 2 proposed, 1 rejected, 1 superseded), 8 rules, 0 problems" in text.stdout


def test_example_knowledge_documents_and_agent_load():
    from python_architect.engine import Project

    project = Project.load(EXAMPLE)
    assert project.config_errors == []
    names = set(project.kb.documents)
    assert {"architecture-decisions", "project-context", "coding-standards"} <= {Path(n).stem for n in names}
    assert [agent.name for agent in project.kb.agents] == ["python-architect"]
    assert "🔴 Critical" in project.kb.agents[0].persona
