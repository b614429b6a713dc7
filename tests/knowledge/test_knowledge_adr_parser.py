"""Parsing single ADR files: frontmatter, plain MADR and Nygard (adr-tools) records."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_architect.findings import Severity
from python_architect.knowledge.adr_parser import parse_adr
from python_architect.knowledge.model import ADR_STATUSES
from python_architect.knowledge.reading import MAX_KNOWLEDGE_BYTES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"
SERVICE_ADRS = FIXTURES / "service" / ".ai" / "adrs"


def parse_fixture(path: Path):
    return parse_adr(path, path.read_text(encoding="utf-8"))


def test_frontmatter_adr_has_every_field():
    adr, problems = parse_fixture(SERVICE_ADRS / "0004-framework-free-domain.md")
    assert problems == []
    assert adr.id == "ADR-004"
    assert adr.title == "Keep the domain free of frameworks and I/O libraries"
    assert adr.status == "accepted"
    assert adr.date == "2024-02-12"
    assert adr.tags == ("framework-isolation", "layering")
    assert adr.applies_to.paths == ("app/domain/**",)
    assert adr.applies_to.keywords == ("domain", "entity", "aggregate")
    assert adr.has_frontmatter and adr.body_line == 17
    assert adr.decision is not None and adr.decision.line == 24
    (rule,) = adr.rules
    assert rule.id == "no-frameworks-in-domain"
    assert rule.kind == "forbidden-import"
    assert rule.adr_id == "ADR-004"
    assert rule.line == 11  # the "- id:" line of the entry in the file
    assert rule.message == "The domain model does not know about HTTP or the ORM."
    assert rule.options == {
        "modules": ["requests", "httpx", "django.*", "fastapi", "sqlalchemy"],
        "allow": ["dataclasses"],
    }
    assert rule.severity is None


def test_rule_severity_check_code_and_nested_options():
    adr, problems = parse_fixture(SERVICE_ADRS / "0009-composition-over-inheritance.md")
    assert problems == []
    first, second = adr.rules
    assert (first.kind, first.options["check"], first.line) == ("check", "ARC201", 7)
    # Check codes are normalised to upper case; nested options stay as written.
    assert second.options == {"check": "ARC202", "options": {"max-depth": 2}}
    assert second.line == 10
    adr11, _ = parse_fixture(SERVICE_ADRS / "0011-repositories.md")
    assert adr11.rules[0].severity is Severity.ERROR


@pytest.mark.parametrize("status", ADR_STATUSES)
def test_every_status_is_read_from_frontmatter(status):
    text = f"---\nid: ADR-020\nstatus: {status.upper()}\n---\n# ADR-020: T\n"
    adr, problems = parse_adr(Path("0020-t.md"), text)
    assert problems == []
    assert adr.status == status
    assert adr.binding is (status in ("accepted", "proposed"))


@pytest.mark.parametrize("status", ADR_STATUSES)
def test_every_status_is_read_from_a_nygard_status_section(status):
    text = f"# 20. Title\n\nDate: 2024-01-01\n\n## Status\n\n{status.capitalize()}\n\n## Context\n"
    adr, problems = parse_adr(Path("0020-title.md"), text)
    assert problems == []
    assert adr.status == status


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("* Status: proposed", "proposed"),
        ("- **Status**: Rejected", "rejected"),
        ("Status: deprecated", "deprecated"),
        ("* Status: superseded by [ADR-0005](0005-example.md)", "superseded"),
        ("Status: accepted", "accepted"),
    ],
)
def test_status_lines_as_madr_writes_them(line, status):
    text = f"# Use X\n\n{line}\n* Date: 2024-05-06\n\n## Context and Problem Statement\n\nWhy.\n"
    adr, problems = parse_adr(Path("0021-use-x.md"), text)
    assert problems == []
    assert adr.status == status
    assert adr.date == "2024-05-06"


def test_status_defaults_to_accepted():
    adr, problems = parse_adr(Path("0001-x.md"), "# 1. Something\n\n## Context\n\nNo status.\n")
    assert problems == []
    assert adr.status == "accepted"


def test_unknown_status_is_arc002_on_its_line_and_treated_as_accepted():
    text = "---\nid: ADR-001\nstatus: wip\n---\n# T\n"
    adr, problems = parse_adr(Path("0001-t.md"), text)
    assert adr.status == "accepted"
    assert [(p.code, p.span.line) for p in problems] == [("ARC002", 3)]
    assert "unknown status `wip`" in problems[0].message


def test_common_status_misspelling_is_understood():
    adr, problems = parse_adr(Path("0001-t.md"), "---\nstatus: Superceded\n---\n")
    assert (adr.status, problems) == ("superseded", [])


def test_nygard_superseded_pair_as_adr_tools_writes_it():
    old, old_problems = parse_fixture(SERVICE_ADRS / "0002-use-mysql.md")
    new, new_problems = parse_fixture(SERVICE_ADRS / "0007-use-postgresql.md")
    assert old_problems == new_problems == []
    assert (old.id, old.title, old.status) == ("ADR-002", "Use MySQL for persistence", "superseded")
    assert old.superseded_by == ("ADR-007",)
    assert old.references == (("superseded-by", "ADR-007", 7),)
    assert (new.id, new.status, new.supersedes) == ("ADR-007", "accepted", ("ADR-002",))
    assert new.date == "2024-03-04"
    assert [s.title for s in new.sections][1:] == ["Status", "Context", "Decision", "Consequences"]


@pytest.mark.parametrize(
    ("file_name", "heading", "expected_id", "expected_title"),
    [
        ("0011-use-repositories.md", "# Use repositories", "ADR-011", "Use repositories"),
        ("use-repositories.md", "# ADR-011: Use repositories", "ADR-011", "Use repositories"),
        ("use-repositories.md", "# 11. Use repositories", "ADR-011", "Use repositories"),
        ("adr-0011-use-repositories.md", "# Use repositories", "ADR-011", "Use repositories"),
        ("use-repositories.md", "# Use repositories", "use-repositories", "Use repositories"),
    ],
)
def test_id_from_file_name_else_heading(file_name, heading, expected_id, expected_title):
    adr, _ = parse_adr(Path(file_name), f"{heading}\n\n## Status\n\nAccepted\n")
    assert (adr.id, adr.title) == (expected_id, expected_title)


def test_frontmatter_id_wins_and_integers_and_loose_spellings_are_normalised():
    adr, _ = parse_adr(Path("0005-x.md"), "---\nid: adr 7\nsupersedes: 3\n---\n# 5. X\n")
    assert adr.id == "ADR-007"
    assert adr.id_line == 2
    assert adr.supersedes == ("ADR-003",)
    adr, _ = parse_adr(Path("x.md"), "---\nid: 12\nsuperseded-by: [ADR-0013, adr_14]\n---\n")
    assert adr.id == "ADR-012"
    assert adr.superseded_by == ("ADR-013", "ADR-014")
    assert [line for _, _, line in adr.references] == [3, 3]


def test_supersedes_as_a_block_list_records_each_line():
    text = "---\nid: ADR-009\nsuperseded_by:\n  - ADR-010\n  - ADR-011\n---\n"
    adr, _ = parse_adr(Path("0009-x.md"), text)
    assert adr.references == (("superseded-by", "ADR-010", 4), ("superseded-by", "ADR-011", 5))


def test_applies_to_shorthand_list_tags_as_string_and_keyword_case():
    text = "---\ntags: Async, Resilience\napplies-to: [app/api/**]\n---\n"
    adr, problems = parse_adr(Path("0001-x.md"), text)
    assert problems == []
    assert adr.tags == ("async", "resilience")
    assert adr.applies_to.paths == ("app/api/**",)
    assert adr.globs == (("app/api/**", "applies-to paths", 3),)


def test_tab_indented_frontmatter_is_tolerated():
    adr, problems = parse_fixture(FIXTURES / "encodings" / ".ai" / "adrs" / "0003-tabs.md")
    assert problems == []
    assert [(r.kind, r.options["layers"], r.line) for r in adr.rules] == [
        ("layers", ["app.api", "app.domain"], 5)
    ]


def test_bom_crlf_text_parses_with_the_same_line_numbers():
    text = (
        "\ufeff---\r\nid: ADR-001\r\nrules:\r\n  - kind: ruff\r\n    codes: [S113]\r\n---\r\n"
        "# ADR-001: T\r\n\r\n## Decision\r\n"
    )
    adr, problems = parse_adr(Path("0001-t.md"), text)
    assert problems == []
    assert adr.rules[0].line == 4
    assert adr.rules[0].id == "rule-1"  # entries without id get a positional one
    assert [(s.title, s.line) for s in adr.sections] == [("ADR-001: T", 7), ("Decision", 9)]


def test_blank_file_is_not_an_adr():
    assert parse_adr(Path("0001-x.md"), "  \n\n") == (None, [])


def test_broken_frontmatter_keeps_the_record_without_rules():
    adr, problems = parse_fixture(FIXTURES / "problems" / ".ai" / "adrs" / "0001-broken-yaml.md")
    assert [p.code for p in problems] == ["ARC001"]
    assert adr is not None and adr.id == "ADR-001"
    assert adr.title == "Broken header"  # from the H1, as the header could not be read
    assert adr.rules == ()
    assert [s.title for s in adr.sections] == ["ADR-001: Broken header", "Decision"]


def test_unclosed_frontmatter_is_arc001_on_line_one():
    adr, problems = parse_adr(Path("0001-x.md"), "---\nid: ADR-001\n# Title\n")
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 1)]
    assert "never closed" in problems[0].message
    assert adr.id == "ADR-001"  # from the file name


def test_frontmatter_that_is_not_a_mapping_is_arc001():
    _, problems = parse_adr(Path("0001-x.md"), "---\n- just\n- a list\n---\n# T\n")
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 2)]


def test_very_large_adr_parses():
    body = "\n".join(f"Line {i} of a very long context section." for i in range(12_000))
    text = "---\nid: ADR-001\n---\n# ADR-001: Big\n\n## Context\n\n" + body + "\n## Decision\n\nx\n"
    assert 450_000 < len(text) <= MAX_KNOWLEDGE_BYTES
    adr, problems = parse_adr(Path("0001-big.md"), text)
    assert problems == []
    assert adr.decision is not None and adr.decision.line == 12_008


def test_adr_text_over_the_size_bound_is_arc001_and_not_parsed():
    text = "---\nid: ADR-001\n---\n# Big\n\n" + "x" * MAX_KNOWLEDGE_BYTES
    adr, problems = parse_adr(Path("0001-big.md"), text)
    assert adr is None
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 1)]
    assert "over the 524,288-byte limit" in problems[0].message


def test_hostile_yaml_neither_hangs_nor_crashes():
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        laughs.append(
            f"l{level}: &l{level} ["
            + ", ".join([f"*{'a' if level == 1 else f'l{level - 1}'}"] * 9)
            + "]"
        )
    adr, problems = parse_adr(Path("0001-x.md"), "---\n" + "\n".join(laughs) + "\n---\n# T\n")
    # Unused anchors count too: a walk of the loaded header would still visit them all.
    assert adr is not None and adr.title == "T"
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 6)]
    assert "YAML aliases expand under `l4` past 10,000 values" in problems[0].message
    deep = "---\nid: " + "[" * 600 + "]" * 600 + "\n---\n# T\n"
    adr, problems = parse_adr(Path("0002-deep.md"), deep)
    assert adr.id == "ADR-002"  # a nested list is no id: the file name's number is used
    assert [(p.code, p.span.line) for p in problems] == [("ARC002", 2)]
    assert "`id` must be a string" in problems[0].message


def test_nesting_deeper_than_python_recursion_is_arc001():
    deep = "---\ntags: " + "[" * 20_000 + "]" * 20_000 + "\n---\n# T\n"
    adr, problems = parse_adr(Path("0002-deep.md"), deep)
    assert adr.id == "ADR-002"
    assert [p.code for p in problems] == ["ARC001"]


def test_misspelt_frontmatter_keys_are_arc002_but_foreign_keys_are_not():
    text = (
        "---\nid: ADR-001\nrule:\n  - kind: ruff\n    codes: [S113]\n"
        "applies_too: [app/**]\ndeciders: [Ana]\nconsulted: Bo\n---\n"
    )
    adr, problems = parse_adr(Path("0001-x.md"), text)
    assert [(p.code, p.span.line) for p in problems] == [("ARC002", 3), ("ARC002", 6)]
    assert "unknown key `rule` (did you mean `rules`?)" in problems[0].message
    assert "did you mean `applies-to`?" in problems[1].message
    assert adr.rules == ()


def test_zero_padded_numbers_are_decimal_ids_not_yaml_octal():
    text = "---\nid: 011\nsupersedes: [010, 0009]\nsuperseded-by: 08\n---\n"
    adr, problems = parse_adr(Path("x.md"), text)
    assert problems == []
    assert adr.id == "ADR-011"
    assert adr.supersedes == ("ADR-010", "ADR-009")
    assert adr.superseded_by == ("ADR-008",)
