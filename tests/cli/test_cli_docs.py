"""The documentation generated from or describing the registry stays true: docs/rules.md is the
registry's current text, the README's rules and configuration tables match the code, and its
quick start is the two commands the brief promises."""

from __future__ import annotations

import re

from cli_support import REPO
from python_architect.catalog import all_checks, lookup
from python_architect.cli.rules_doc import explain, main, render_rules_markdown
from python_architect.config import TABLE_KEYS

README = (REPO / "README.md").read_text(encoding="utf-8")


def _table_rows(text: str, header: str) -> list[list[str]]:
    lines = text[text.index(header):].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_docs_rules_md_is_generated_from_the_current_registry():
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == render_rules_markdown(), "run: python -m python_architect.cli.rules_doc"
    assert main(["--check", str(REPO / "docs" / "rules.md")]) == 0
    assert main(["--check"]) == 0  # the copy shipped in the package, which links point at, too
    for info in all_checks():
        assert f"### {info.code}\n" in on_disk
        assert info.rationale in on_disk


def test_rules_doc_check_mode_detects_a_stale_file(tmp_path):
    stale = tmp_path / "rules.md"
    stale.write_text("# Rules\n", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert main([str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0


def test_explain_matches_the_registry_for_every_code():
    for info in all_checks():
        text = explain(info.code.lower())
        assert text is not None and text.startswith(f"{info.code}: {info.title}\n")
        assert info.rationale in text and f"Default severity: {info.severity.value}" in text
    assert explain("NOPE1") is None


def test_readme_rules_table_matches_the_registry():
    rows = _table_rows(README, "| Code | Title | Principle | Severity | Tier |")
    own = [info for info in all_checks() if info.scope != "ruff"]
    assert [row[0] for row in rows] == [info.code for info in own]
    for code, title, principle, severity, tier in rows:
        info = lookup(code)
        assert (title, principle, severity, tier) == (info.title, info.principle, info.severity.value, info.tier), code


def test_readme_configuration_table_lists_every_key():
    rows = _table_rows(README, "| Key | Default | Meaning |")
    keys = [row[0].strip("`") for row in rows]
    assert keys == list(TABLE_KEYS)  # every key of the table (``scripts`` is read from [project.scripts])


def test_readme_quick_start_is_exactly_two_commands():
    section = README[README.index("## Quick start"):README.index("## `python-architect check`")]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["./dev example", "./dev test"]
    dev = (REPO / "dev").read_text(encoding="utf-8")
    assert "example)" in dev and "test)" in dev
    assert "./dev test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
