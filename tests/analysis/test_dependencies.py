"""ARC110 on requirements*.txt and pyproject.toml, under both policies, with lines and fixes."""

from __future__ import annotations

from importlib import metadata

from analysis_harness import ROOT, adr_with_rules, apply_edits
from python_architect.analysis.dependencies import check_dependency_file, requirements_txt_entries
from python_architect.config import ProjectConfig
from python_architect.workspace.files import file_kind
from python_architect.findings import Span
from python_architect.knowledge.model import KnowledgeBase

EXACT = adr_with_rules({"id": "pin", "kind": "pinned-dependencies", "policy": "exact"})
BOUNDED = adr_with_rules({"id": "bound", "kind": "pinned-dependencies", "policy": "bounded"})

REQUIREMENTS = """# runtime
-r base.txt
--index-url https://mirror.invalid/simple
fastapi==0.110.0
not-installed-pkg-a>=2.1  # needs the new API
not-installed-pkg-b[extra]~=1.4 ; python_version < "3.12"
not-installed-pkg-c==2.*
./local/package
git+https://example.invalid/x.git#egg=x
not-installed-pkg-d @ https://example.invalid/d-1.0.tar.gz
not-installed-pkg-e>=1.0,<2 \\
    --hash=sha256:abc
not-installed-pkg-f
"""


def run(name: str, text: str, adr) -> list:
    kb = KnowledgeBase(root=ROOT, adrs=[adr])
    return check_dependency_file(ROOT, ROOT / name, text, kb, ProjectConfig())


def test_requirements_parsing_skips_options_includes_urls_and_paths():
    entries = requirements_txt_entries(REQUIREMENTS)
    names = [entry.requirement.name for entry in entries if entry.requirement]
    assert names == [
        "fastapi", "not-installed-pkg-a", "not-installed-pkg-b", "not-installed-pkg-c",
        "not-installed-pkg-d", "not-installed-pkg-e", "not-installed-pkg-f",
    ]
    continued = entries[5]
    assert continued.span == Span(11, 1, 12, 22)


def test_exact_policy_on_requirements_with_lines_and_fixes():
    findings = run("requirements.txt", REQUIREMENTS, EXACT)
    assert [(f.span.line, f.data["package"]) for f in findings] == [
        (5, "not-installed-pkg-a"), (6, "not-installed-pkg-b"), (7, "not-installed-pkg-c"),
        (11, "not-installed-pkg-e"), (13, "not-installed-pkg-f"),
    ]
    assert findings[0].span == Span(5, 1, 5, 25)
    assert findings[0].message == "`not-installed-pkg-a>=2.1` is not pinned to an exact version with `==` (policy `exact`)"
    assert findings[0].data["suggested"] == "not-installed-pkg-a==2.1"
    assert findings[1].data["suggested"] == 'not-installed-pkg-b[extra]==1.4; python_version < "3.12"'
    assert findings[2].data["suggested"] == "not-installed-pkg-c==2"
    assert findings[4].fix is None, "no version known for a bare, uninstalled requirement"
    assert all(f.rule is not None and f.rule.id == "pin" for f in findings)
    fixed = apply_edits(REQUIREMENTS, findings[0].fix.edits)
    assert "not-installed-pkg-a==2.1  # needs the new API\n" in fixed


def test_exact_policy_pins_to_the_installed_version():
    findings = run("requirements-dev.txt", "packaging>=20\n", EXACT)
    assert findings[0].data["suggested"] == f"packaging=={metadata.version('packaging')}"
    assert not findings[0].fix.safe


def test_bounded_policy_on_requirements():
    findings = run("requirements.txt", REQUIREMENTS, BOUNDED)
    assert [(f.span.line, f.data["package"]) for f in findings] == [(5, "not-installed-pkg-a"), (13, "not-installed-pkg-f")]
    assert findings[0].data["suggested"] == "not-installed-pkg-a>=2.1,<3"
    assert findings[0].message == "`not-installed-pkg-a>=2.1` has no upper bound (policy `bounded`)"


PYPROJECT = """[build-system]
requires = ["not-installed-pkg-a>=2.1"]

[project]
name = "demo"
dependencies = [
  "not-installed-pkg-a>=2.1",
  "fastapi==0.110.0",
  "not-installed-pkg-g>=0.4,<0.5",
]

[project.optional-dependencies]
test = ["not-installed-pkg-a>=2.1", 'not-installed-pkg-h~=0.3']
"""


def test_exact_policy_on_pyproject_locates_each_string():
    findings = run("pyproject.toml", PYPROJECT, EXACT)
    assert [(f.span.line, f.span.column, f.data["package"]) for f in findings] == [
        (7, 4, "not-installed-pkg-a"), (9, 4, "not-installed-pkg-g"),
        (13, 10, "not-installed-pkg-a"), (13, 38, "not-installed-pkg-h"),
    ]
    fixed = apply_edits(PYPROJECT, findings[0].fix.edits)
    assert '  "not-installed-pkg-a==2.1",\n' in fixed
    assert 'requires = ["not-installed-pkg-a>=2.1"]' in fixed


def test_bounded_policy_on_pyproject():
    findings = run("pyproject.toml", PYPROJECT, BOUNDED)
    assert [(f.span.line, f.data["package"]) for f in findings] == [(7, "not-installed-pkg-a"), (13, "not-installed-pkg-a")]
    assert findings[1].data["suggested"] == "not-installed-pkg-a>=2.1,<3"


def test_bounded_upper_bound_of_a_zero_major_version():
    findings = run("requirements.txt", "not-installed-pkg-z>=0.4.2\n", BOUNDED)
    assert findings[0].data["suggested"] == "not-installed-pkg-z>=0.4.2,<0.5"


def test_unparseable_requirement_is_reported_at_info_and_never_crashes():
    from python_architect.findings import Severity

    findings = run("requirements.txt", "fastapi===\n\x00\xff garbage ((\n", EXACT)
    assert findings and all(f.severity == Severity.INFO for f in findings)
    assert findings[0].message.startswith("cannot parse requirement")
    assert run("pyproject.toml", "[project\nbroken", EXACT) == []


def test_no_rule_no_findings_and_other_files_ignored():
    kb = KnowledgeBase(root=ROOT, adrs=[])
    assert check_dependency_file(ROOT, ROOT / "requirements.txt", "requests\n", kb, ProjectConfig()) == []
    # Which files are dependency files is decided once, by the workspace's classifier.
    assert file_kind(ROOT / "setup.cfg", ROOT, ProjectConfig()) == "other"
    assert file_kind(ROOT / "requirements/base.txt", ROOT, ProjectConfig()) == "dependencies"
    assert file_kind(ROOT / "notes.txt", ROOT, ProjectConfig()) == "other"


def test_rule_scope_limits_which_dependency_files_are_checked():
    adr = adr_with_rules({"kind": "pinned-dependencies", "policy": "exact", "paths": ["services/api/**"]})
    assert run("services/api/requirements.txt", "not-installed-pkg-a>=1\n", adr)
    assert not run("tools/requirements.txt", "not-installed-pkg-a>=1\n", adr)
