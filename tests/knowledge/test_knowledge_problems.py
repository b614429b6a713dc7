"""ADR-file problems ARC001-ARC005: each fires on its line, and a correct twin stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_architect import catalog as registry
from python_architect.config import ProjectConfig
from python_architect.findings import Severity
from python_architect.knowledge.adr_parser import parse_adr
from python_architect.knowledge.loader import load_knowledge
from python_architect.knowledge.problems import rule_problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"
PROBLEMS = FIXTURES / "problems"
SERVICE = FIXTURES / "service"


def all_files(root: Path):
    return lambda: [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture(scope="module")
def problem_kb():
    return load_knowledge(PROBLEMS, ProjectConfig(), all_files(PROBLEMS))


def located(kb, code):
    return [(p.path.name, p.span.line) for p in kb.problems if p.code == code]


@pytest.mark.parametrize("code", ["ARC001", "ARC002", "ARC003", "ARC004", "ARC005"])
def test_codes_are_registered_as_metadata_only_knowledge_entries(code):
    info = registry.lookup(code)
    assert info is not None
    assert (info.scope, info.principle, info.run) == ("adr", "knowledge", None)
    assert info.title and info.rationale


def test_findings_are_located_in_the_md_file_with_registry_severity(problem_kb):
    assert problem_kb.problems
    for finding in problem_kb.problems:
        assert finding.path.suffix == ".md" and finding.path.is_absolute()
        assert finding.severity is registry.lookup(finding.code).severity
        assert (finding.source, finding.principle) == ("python-architect", "knowledge")
        assert finding.span.column >= 1 and finding.span.end_column > finding.span.column


def test_arc001_points_at_the_yaml_error_line(problem_kb):
    assert located(problem_kb, "ARC001") == [("0001-broken-yaml.md", 5)]
    (finding,) = [p for p in problem_kb.problems if p.code == "ARC001"]
    assert finding.span.column == 7  # the colon YAML choked on
    assert "started on line 4" in finding.message  # where the unclosed "[" began


def test_arc001_twin_valid_frontmatter_is_silent():
    _, problems = parse_adr(Path("0001-x.md"), "---\nid: ADR-001\ntags: [layering]\n---\n# T\n")
    assert problems == []


def test_arc002_unknown_kind_option_check_code_policy_status_and_severity(problem_kb):
    found = [(p.span.line, p.message) for p in problem_kb.problems if p.code == "ARC002"]
    lines = [line for line, _ in found]
    assert lines == [4, 7, 12, 15, 16, 21]
    messages = " | ".join(message for _, message in found)
    assert "unknown status `approvd`" in messages
    assert "unknown rule kind `forbiden-import`" in messages
    assert "unknown option `modlues`" in messages
    assert "unknown check code `ARC999`" in messages
    assert "needs `policy`" in messages
    assert "unknown severity 'fatal'" in messages


def test_arc002_fatal_mistakes_drop_the_rule_unknown_extra_options_do_not(problem_kb):
    adr = problem_kb.get("ADR-002")
    # misspelt kind, unknown check code and missing policy cannot be enforced as written
    assert [rule.id for rule in adr.rules] == ["extra-option", "loud"]


def test_arc002_twin_every_kind_written_correctly_is_silent():
    text = """---
id: ADR-030
rules:
  - {id: a, kind: forbidden-import, modules: ["<third-party>"], allow: [pydantic],
     paths: [app/**], exclude: [app/x.py]}
  - {id: b, kind: layers, layers: [app.api, app.domain], severity: warning}
  - {id: c, kind: pinned-dependencies, policy: bounded}
  - {id: d, kind: check, check: ARC202, options: {max-depth: 4}, message: Keep it flat}
  - {id: e, kind: ruff, codes: [ASYNC, S113], severity: info}
---
"""
    adr, problems = parse_adr(Path("0030-x.md"), text)
    assert problems == []
    assert [rule.kind for rule in adr.rules] == [
        "forbidden-import",
        "layers",
        "pinned-dependencies",
        "check",
        "ruff",
    ]
    assert adr.rules[1].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("kind", "options", "fragment"),
    [
        ("forbidden-import", {}, "needs `modules`"),
        ("forbidden-import", {"modules": "requests"}, None),  # a single string is accepted
        ("forbidden-import", {"modules": [1]}, "list of strings"),
        ("layers", {"layers": []}, "must not be empty"),
        ("pinned-dependencies", {"policy": "loose"}, "unknown policy `loose`"),
        ("check", {"check": "E501"}, "must be an ARC code"),
        ("check", {"check": "ARC101", "options": [1]}, "`options` must be a mapping"),
        ("ruff", {"codes": ["not a code"]}, "not a ruff rule code"),
        ("ruff", {"codes": ["S113"], "paths": ["app/**"]}, None),
        ("ruff", {"codes": ["async", " s113"]}, None),  # ruff spells them upper-case
    ],
)
def test_rule_option_validation(kind, options, fragment):
    from python_architect.knowledge.problems import normalize_rule_options

    found = rule_problems(kind, normalize_rule_options(options))
    if fragment is None:
        assert found == []
    else:
        assert any(fragment in problem.message for problem in found), found


def test_arc003_missing_reference_in_frontmatter_and_in_a_nygard_link(problem_kb):
    assert located(problem_kb, "ARC003") == [
        ("0003-bad-reference.md", 4),
        ("0006-nygard-bad-link.md", 9),
    ]
    messages = [p.message for p in problem_kb.problems if p.code == "ARC003"]
    assert "ADR-042" in messages[0] and "ADR-099" in messages[1]


def test_arc003_twin_existing_references_are_silent():
    kb = load_knowledge(SERVICE, ProjectConfig())
    assert [p for p in kb.problems if p.code == "ARC003"] == []
    assert kb.get("ADR-002").superseded_by == ("ADR-007",)


def test_arc004_duplicate_ids_reported_in_both_files(problem_kb):
    assert located(problem_kb, "ARC004") == [("0004-first.md", 1), ("0004-second.md", 1)]
    first = next(p for p in problem_kb.problems if p.code == "ARC004")
    assert "0004-second.md" in first.message
    # both records stay loaded: one broken id does not hide either
    assert [a.title for a in problem_kb.adrs if a.id == "ADR-004"] == [
        "The first record numbered four",
        "The second record numbered four",
    ]


def test_arc004_twin_distinct_ids_are_silent():
    kb = load_knowledge(SERVICE, ProjectConfig())
    assert [p for p in kb.problems if p.code == "ARC004"] == []
    assert len({a.id for a in kb.adrs}) == len(kb.adrs) == 12


def test_arc005_globs_matching_no_file_in_applies_to_and_rule_paths(problem_kb):
    assert located(problem_kb, "ARC005") == [
        ("0005-glob-nothing.md", 7),
        ("0005-glob-nothing.md", 12),
    ]
    messages = [p.message for p in problem_kb.problems if p.code == "ARC005"]
    assert "`src/legacy/**` in applies-to paths" in messages[0]
    assert "`app/domian/**` in rule `no-requests` paths" in messages[1]


def test_arc005_twin_matching_globs_are_silent_and_needs_the_file_list():
    kb = load_knowledge(SERVICE, ProjectConfig(), all_files(SERVICE))
    assert [p for p in kb.problems if p.code == "ARC005"] == []
    without_files = load_knowledge(PROBLEMS, ProjectConfig())
    assert [p for p in without_files.problems if p.code == "ARC005"] == []


def test_arc005_ignores_exclude_globs_of_folders_that_do_not_exist_yet():
    # ADR-011 excludes app/infra/migrations/**, which the service fixture does not have.
    kb = load_knowledge(SERVICE, ProjectConfig(), all_files(SERVICE))
    assert "app/infra/migrations/**" in kb.get("ADR-011").applies_to.exclude
    assert not (SERVICE / "app" / "infra" / "migrations").exists()
    assert kb.problems == []


def test_arc002_check_options_are_validated_against_the_check():
    text = """---
id: ADR-031
rules:
  - id: depth
    kind: check
    check: ARC202
    options:
      max-depht: 2
  - id: typed
    kind: check
    check: ARC202
    options:
      max-depth: two
  - id: loose
    kind: check
    check: ARC203
    min-methods: 4
---
"""
    adr, problems = parse_adr(Path("0031-x.md"), text)
    assert [(p.code, p.span.line) for p in problems] == [("ARC002", 8), ("ARC002", 13)]
    # The schema shared with [tool.python-architect.options]: a suggestion, then every option.
    assert ("ARC202 has no option `max-depht` (did you mean `max-depth`?) "
            "(its options: `in-scripts`, `in-tests`, `max-depth`)") in problems[0].message
    assert "`max-depth` of ARC202 must be a whole number" in problems[1].message
    # a misspelt option is reported but the rule still cites the ADR; a wrong type drops it
    assert [rule.id for rule in adr.rules] == ["depth", "loose"]
    assert adr.rules[1].options == {"check": "ARC203", "min-methods": 4}


def test_arc002_twin_options_other_checks_understand_are_silent():
    text = """---
id: ADR-032
rules:
  - {kind: layers, layers: [app.api, app.domain], ignore-type-checking: true}
  - {kind: pinned-dependencies, policy: exact, allow: [setuptools]}
  - {kind: check, check: ARC103, options: {include-deferred: true}}
---
"""
    adr, problems = parse_adr(Path("0032-x.md"), text)
    assert problems == []
    assert len(adr.rules) == 3
