"""Hostile knowledge files (issue 24): YAML alias bombs under every key the ADR schema reads,
oversized files, and links out of the workspace root. Each costs its own file only: an ARC001
problem on the line of the key (or the file), and every other ADR, document and agent loads."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from python_architect.config import ProjectConfig
from python_architect.knowledge.adr_parser import parse_adr
from python_architect.knowledge.agents import parse_agent
from python_architect.knowledge.loader import load_knowledge
from python_architect.knowledge.reading import MAX_KNOWLEDGE_BYTES
from python_architect.knowledge.yaml_header import (
    NODE_BUDGET,
    _loader,
    expanded_size,
    load_header,
)

GOOD_ADR = """---
id: ADR-001
status: accepted
tags: [layering]
applies-to:
  paths: ["src/**"]
  keywords: [repository]
---
# Keep the domain pure

## Decision

The domain never imports the web framework.
"""


def laughs(indent: int, levels: int = 9) -> str:
    """A "billion laughs" list at ``indent``: 10 ** ``levels`` values once expanded."""
    pad = " " * indent
    lines = [f"{pad}- &l0 lol"]
    for level in range(1, levels + 1):
        lines.append(f"{pad}- &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines)


# Every key the frontmatter schema reads, with the bomb nested where that key's value goes.
BOMBS = {
    "id": ("id", "id:\n" + laughs(2)),
    "title": ("title", "title:\n" + laughs(2)),
    "status": ("status", "status:\n" + laughs(2)),
    "date": ("date", "date:\n" + laughs(2)),
    "supersedes": ("supersedes", "supersedes:\n" + laughs(2)),
    "superseded-by": ("superseded-by", "superseded-by:\n" + laughs(2)),
    "tags": ("tags", "tags:\n" + laughs(2)),
    "applies-to": ("applies-to", "applies-to:\n" + laughs(2)),
    "applies-to.paths": ("applies-to", "applies-to:\n  paths:\n" + laughs(4)),
    "applies-to.exclude": ("applies-to", "applies-to:\n  exclude:\n" + laughs(4)),
    "applies-to.keywords": ("applies-to", "applies-to:\n  keywords:\n" + laughs(4)),
    "rules": ("rules", "rules:\n" + laughs(2)),
    "rules.modules": (
        "rules",
        "rules:\n  - kind: forbidden-import\n    modules:\n" + laughs(6),
    ),
    "rules.paths": ("rules", "rules:\n  - kind: ruff\n    codes: [S]\n    paths:\n" + laughs(6)),
    "rules.options": (
        "rules",
        "rules:\n  - kind: check\n    check: ARC201\n    options:\n      max:\n" + laughs(8),
    ),
    "rules.merge-keys": (
        "rules",
        "rules:\n  - &m0 {kind: ruff, codes: [S]}\n"
        + "\n".join(
            f"  - &m{n} {{<<: [" + ", ".join([f"*m{n - 1}"] * 10) + "]}" for n in range(1, 10)
        ),
    ),
    "unknown-key": ("deciders", "deciders:\n" + laughs(2)),
}


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_alias_bomb_under_each_key_is_arc001_on_that_key(case: str) -> None:
    top_key, yaml_text = BOMBS[case]
    text = f"---\n{yaml_text}\n---\n# Bombed record\n\n## Decision\n\nNothing.\n"
    adr, problems = parse_adr(Path("0002-bomb.md"), text)
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 2)]
    assert f"YAML aliases expand under `{top_key}` past {NODE_BUDGET:,} values" in problems[0].message
    # The record is still read from its body, without anything from the refused header.
    assert adr is not None and adr.title == "Bombed record"
    assert adr.tags == () and adr.rules == () and adr.applies_to.paths == ()


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_alias_bomb_costs_only_its_own_file(tmp_path: Path, case: str) -> None:
    adrs = tmp_path / ".ai" / "adrs"
    adrs.mkdir(parents=True)
    (adrs / "0001-good.md").write_text(GOOD_ADR)
    (adrs / "0002-bomb.md").write_text(f"---\n{BOMBS[case][1]}\n---\n# Bombed\n")
    (adrs / "0003-plain.md").write_text("# 3. Plain record\n\n## Status\n\nAccepted\n")
    kb = load_knowledge(tmp_path, ProjectConfig())
    assert [a.id for a in kb.adrs] == ["ADR-001", "ADR-002", "ADR-003"]
    good = kb.get("ADR-001")
    assert good.tags == ("layering",) and good.applies_to.keywords == ("repository",)
    assert [(p.code, p.path.name, p.span.line) for p in kb.problems] == [("ARC001", "0002-bomb.md", 2)]


def test_an_alias_loop_is_refused_not_walked_forever() -> None:
    adr, problems = parse_adr(Path("0001-x.md"), "---\ntags: &a [x, *a]\n---\n# Loop\n")
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 2)]
    assert "aliases expand under `tags`" in problems[0].message
    assert adr.tags == ()


def test_modest_aliases_still_load() -> None:
    text = "---\nid: ADR-001\ntags: &t [orders, billing]\napplies-to:\n  keywords: *t\n---\n# T\n"
    adr, problems = parse_adr(Path("0001-x.md"), text)
    assert problems == []
    assert adr.tags == ("orders", "billing") and adr.applies_to.keywords == ("orders", "billing")


def test_a_header_with_too_many_plain_values_is_refused_without_blaming_aliases() -> None:
    values = ", ".join(str(n) for n in range(NODE_BUDGET + 1))
    _, problems = parse_adr(Path("0001-x.md"), f"---\nid: ADR-001\ntags: [{values}]\n---\n# T\n")
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 3)]
    assert "the frontmatter holds under `tags` past 10,000 values" in problems[0].message


def test_the_budget_counts_a_walk_with_aliases_expanded() -> None:
    # 1 mapping + 2 keys + 2 lists + 2 x 3 items: shared or not, a walk visits 11 nodes.
    header = load_header("a: &a [x, y, z]\nb: *a\n")
    assert header.value == {"a": ["x", "y", "z"], "b": ["x", "y", "z"]}
    loader = _loader()("a: &a [x, y, z]\nb: *a\n")
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    assert expanded_size(node) == (11, True)
    assert expanded_size(node, budget=5)[0] == 6  # stops one past the budget


def test_an_integer_too_long_to_convert_is_arc001_not_a_crash() -> None:
    adr, problems = parse_adr(Path("0007-x.md"), "---\nid: " + "1" * 5000 + "\n---\n# T\n")
    assert adr.id == "ADR-007"
    assert [(p.code, p.span.line) for p in problems] == [("ARC001", 2)]
    assert "cannot be read" in problems[0].message


def test_an_agent_with_an_alias_bomb_keeps_its_persona() -> None:
    text = "---\nname:\n" + laughs(2) + "\n---\nYou review pull requests.\n"
    agent = parse_agent(Path("reviewer.md"), text)
    assert agent.name == "reviewer"  # the header was refused: the file name stands in
    assert agent.persona == "You review pull requests."


def test_oversized_adr_is_arc001_on_line_one_and_the_others_load(tmp_path: Path) -> None:
    adrs = tmp_path / ".ai" / "adrs"
    adrs.mkdir(parents=True)
    (adrs / "0001-good.md").write_text(GOOD_ADR)
    (adrs / "0002-huge.md").write_text("# Huge\n\n" + "x" * MAX_KNOWLEDGE_BYTES)
    kb = load_knowledge(tmp_path, ProjectConfig())
    assert [a.id for a in kb.adrs] == ["ADR-001"]
    assert [(p.code, p.path.name, p.span.line) for p in kb.problems] == [("ARC001", "0002-huge.md", 1)]
    assert "over the 524288-byte limit" in kb.problems[0].message


def test_links_out_of_the_root_are_skipped_and_links_inside_still_load(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root, outside = tmp_path / "repo", tmp_path / "elsewhere"
    adrs, agents = root / ".ai" / "adrs", root / ".claude" / "agents"
    adrs.mkdir(parents=True)
    agents.mkdir(parents=True)
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text("---\nid: ADR-099\n---\n# Stolen title\n\nTOP SECRET decision text\n")
    (adrs / "0001-good.md").write_text(GOOD_ADR)
    (adrs / "0002-escape.md").symlink_to(secret)
    (root / "docs").mkdir()
    (root / "docs" / "0003-kept.md").write_text("# 3. Kept through a link inside the root\n")
    (adrs / "0003-kept.md").symlink_to(root / "docs" / "0003-kept.md")
    (root / ".ai" / "project-context.md").symlink_to(secret)
    (agents / "spy.md").symlink_to(secret)
    (agents / "reviewer.md").write_text("---\nname: reviewer\n---\nYou review.\n")
    with caplog.at_level(logging.WARNING, logger="python_architect"):
        kb = load_knowledge(root, ProjectConfig())
    assert [a.id for a in kb.adrs] == ["ADR-001", "ADR-003"]
    assert kb.get("ADR-003").path == adrs / "0003-kept.md"  # reported where it is linked
    assert kb.documents == {}
    assert [a.name for a in kb.agents] == ["reviewer"]
    everything = repr(kb.adrs) + repr(kb.documents) + repr(kb.agents) + repr(kb.problems)
    assert "TOP SECRET" not in everything and "Stolen title" not in everything
    skipped = [r.getMessage() for r in caplog.records if "outside the workspace root" in r.getMessage()]
    assert len(skipped) == 3  # one line per skipped file
    assert any("0002-escape.md" in line for line in skipped)


def test_an_adr_that_is_a_fifo_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    adrs = tmp_path / ".ai" / "adrs"
    adrs.mkdir(parents=True)
    (adrs / "0001-good.md").write_text(GOOD_ADR)
    os.mkfifo(adrs / "0002-pipe.md")
    kb = load_knowledge(tmp_path, ProjectConfig())
    assert [a.id for a in kb.adrs] == ["ADR-001"]


def test_unusable_adr_globs_are_arc002_on_their_line_and_left_out() -> None:
    long_glob = "src/" + "x" * 1100
    text = (
        "---\nid: ADR-001\napplies-to:\n  paths:\n    - 'bad\\'\n    - src/**\n"
        f"rules:\n  - kind: forbidden-import\n    modules: [requests]\n    paths: ['{long_glob}', 'app/**']\n"
        "---\n# Globs\n"
    )
    adr, problems = parse_adr(Path("0001-x.md"), text)
    assert [(p.code, p.span.line) for p in problems] == [("ARC002", 5), ("ARC002", 10)]
    assert "backslash" in problems[0].message and "longer than 1024 characters" in problems[1].message
    assert adr.applies_to.paths == ("src/**",)
    assert adr.rules[0].options["paths"] == ["app/**"]
    # Only the usable globs are checked against the workspace (ARC005), never the refused ones.
    assert [pattern for pattern, _, _ in adr.globs] == ["src/**", "app/**"]
