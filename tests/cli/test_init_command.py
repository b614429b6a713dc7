"""``python-architect init``: an empty folder, a folder with some of the files, scripts and a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from python_architect.cli.init_command import DECISIONS, ask, initialise
from python_architect.config import load_project_config
from python_architect.engine import Project
from python_architect.knowledge.loader import load_knowledge

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXPECTED_RULE_KIND = {
    "framework-isolation": "forbidden-import",
    "layers": "layers",
    "pinned-dependencies": "pinned-dependencies",
    "async-io": "ruff",
}


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("decision", list(DECISIONS))
def test_empty_folder_gets_a_knowledge_base_that_loads_cleanly(tmp_path, decision):
    report = initialise(tmp_path, decision=decision, package="shop", today="2026-01-05")
    assert report.kept == []
    assert set(report.created) == {
        ".ai/adrs/template.md",
        ".ai/adrs/0001-record-architecture-decisions.md",
        f".ai/adrs/0002-{'-'.join(DECISIONS[decision][0].lower().replace('/', ' ').split())}.md",
        ".ai/architecture-decisions.md",
        ".ai/project-context.md",
        ".ai/coding-standards.md",
        ".claude/agents/python-architect.md",
        "pyproject.toml",
    }
    config, errors = load_project_config(tmp_path)
    assert errors == []
    kb = load_knowledge(tmp_path, config)
    assert kb.problems == []
    assert [(a.id, a.status, a.date) for a in kb.adrs] == [
        ("ADR-001", "accepted", "2026-01-05"),
        ("ADR-002", "accepted", "2026-01-05"),
    ]
    assert kb.adrs[1].title == DECISIONS[decision][0]
    assert [r.kind for r in kb.adrs[1].rules] == [EXPECTED_RULE_KIND[decision]]
    assert kb.adrs[1].decision is not None and "$" not in kb.adrs[1].body
    assert set(kb.documents) == {"architecture-decisions", "project-context", "coding-standards"}
    (agent,) = kb.agents
    assert agent.name == "python-architect"
    assert {"mcp__python-architect__relevant_adrs", "mcp__python-architect__check"} <= set(agent.tools)
    assert "`relevant_adrs`" in agent.persona and "`check`" in agent.persona


def test_the_chosen_rule_fires_on_code_that_breaks_it(tmp_path):
    initialise(tmp_path, decision="framework-isolation", package="shop")
    domain = tmp_path / "shop" / "domain"
    domain.mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (domain / "__init__.py").write_text("")
    (domain / "prices.py").write_text("import fastapi\n")
    project = Project.load(tmp_path)
    result = project.check_paths(ruff=False)
    assert [(f.code, f.adrs) for f in result.findings if f.code == "ARC101"] == [("ARC101", ("ADR-002",))]


def test_folder_with_some_files_keeps_them_byte_for_byte_and_numbers_after_them(tmp_path):
    adrs = tmp_path / ".ai" / "adrs"
    adrs.mkdir(parents=True)
    (adrs / "0001-use-postgresql.md").write_text("# 1. Use PostgreSQL\n\n## Status\n\nAccepted\n\n## Decision\n\nWe use it.\n")
    (adrs / "0004-record-architecture-decisions.md").write_text("# 4. Record architecture decisions\n\nAccepted.\n")
    (tmp_path / ".ai" / "project-context.md").write_text("# Our context\n\n- 30 requests per second\n")
    pyproject = '[project]\r\nname = "shop"\r\nversion = "1.0"\r\ndependencies = ["fastapi==0.115.6"]'  # CRLF, no final newline
    (tmp_path / "pyproject.toml").write_bytes(pyproject.encode())
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text("")
    before = snapshot(tmp_path)

    report = initialise(tmp_path, decision="layers")

    after = snapshot(tmp_path)
    for name, content in before.items():
        if name != "pyproject.toml":
            assert after[name] == content, name
    assert ".ai/project-context.md" in report.kept
    assert ".ai/adrs/0004-record-architecture-decisions.md" in report.kept
    assert ".ai/adrs/0005-layers-with-dependencies-pointing-inward.md" in report.created
    text = after["pyproject.toml"].decode()
    assert text.startswith(pyproject)
    parsed = tomllib.loads(text)
    assert parsed["project"]["name"] == "shop" and parsed["tool"]["python-architect"]["src"] == ["src"]
    assert "\n" not in text.replace("\r\n", "")  # kept the file's line endings
    kb = load_knowledge(tmp_path, load_project_config(tmp_path)[0])
    layers = next(a for a in kb.adrs if a.id == "ADR-005").rules[0].options["layers"]
    assert layers == ["shop.api", "shop.services", "shop.adapters", "shop.domain"]  # package found under src/

    again = initialise(tmp_path, decision="layers")
    assert again.created == []
    assert "pyproject.toml [tool.python-architect]" in again.kept
    assert snapshot(tmp_path) == after


def test_pyproject_that_does_not_parse_is_left_alone(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    report = initialise(tmp_path, decision="none")
    assert (tmp_path / "pyproject.toml").read_text() == "[project\nname = 'x'\n"
    assert any("does not parse" in note for note in report.notes)
    assert not any("0002" in path for path in report.created)


def test_script_use_without_a_terminal_needs_no_answers(tmp_path):
    target = tmp_path / "repo"
    done = subprocess.run(
        [sys.executable, "-m", "python_architect", "init", str(target), "--decision", "async-io", "--no-agent"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "created  .ai/adrs/0002-async-i-o-on-the-request-path.md" in done.stdout
    assert not (target / ".claude").exists()
    again = subprocess.run([sys.executable, "-m", "python_architect", "init", str(target)],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0
    assert "created  .ai/adrs/0003-pin-every-runtime-dependency-exactly.md" in again.stdout
    assert "kept     .ai/adrs/0001-record-architecture-decisions.md (exists)" in again.stdout
    bad = subprocess.run([sys.executable, "-m", "python_architect", "init", str(target), "--package", "no-dash"],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode == 2 and "--package must be a Python identifier" in bad.stderr


def test_terminal_dialogue_offers_the_menu_and_asks_again_on_nonsense(tmp_path):
    (tmp_path / "src" / "billing").mkdir(parents=True)
    (tmp_path / "src" / "billing" / "__init__.py").write_text("")
    answers = iter(["9", "layers", "not a name!", ""])
    shown: list[str] = []
    decision, package = ask(tmp_path, None, None, lambda prompt: next(answers), lambda *a: shown.append(" ".join(a)))
    assert (decision, package) == ("layers", "billing")
    assert any("Keep web and ORM frameworks out of the domain (framework-isolation)" in line for line in shown)
    assert any("Please answer with a number" in line for line in shown)
    assert any("Please give a Python identifier" in line for line in shown)
    assert ask(tmp_path, None, None, lambda prompt: "", lambda *a: None) == ("pinned-dependencies", None)
