"""Loading a workspace's knowledge base: ADRs, documents, agents, and robustness."""

from __future__ import annotations

import shutil
from pathlib import Path

from python_architect.config import ProjectConfig
from python_architect.knowledge.loader import is_adr_file, load_knowledge

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"
SERVICE = FIXTURES / "service"
EXAMPLE_AGENT = FIXTURES / "service" / ".claude" / "agents" / "python-architect.md"


def test_service_workspace_loads_every_record_in_order():
    kb = load_knowledge(SERVICE, ProjectConfig())
    assert [a.id for a in kb.adrs] == [f"ADR-{n:03d}" for n in range(1, 13)]
    statuses = {a.id: a.status for a in kb.adrs}
    assert statuses["ADR-002"] == "superseded"
    assert statuses["ADR-006"] == "proposed"
    assert statuses["ADR-008"] == "rejected"
    assert statuses["ADR-010"] == "deprecated"
    assert kb.problems == []
    assert [a.id for a in kb.superseding(kb.get("ADR-002"))] == ["ADR-007"]


def test_readme_in_the_adr_folder_is_not_a_record():
    kb = load_knowledge(SERVICE, ProjectConfig())
    assert all(a.path.name != "README.md" for a in kb.adrs)
    root = SERVICE
    assert not is_adr_file(root / ".ai/adrs/README.md", root, ProjectConfig())
    assert is_adr_file(root / ".ai/adrs/0011-repositories.md", root, ProjectConfig())


def test_rules_of_binding_adrs_by_kind():
    kb = load_knowledge(SERVICE, ProjectConfig())
    assert [(a.id, r.id) for a, r in kb.rules("check")] == [
        ("ADR-009", "no-concrete-inheritance"),
        ("ADR-009", "shallow-hierarchies"),
        ("ADR-011", "no-n-plus-one"),
    ]
    assert [a.id for a, _ in kb.rules("ruff")] == ["ADR-006"]  # proposed still has rules
    assert [a.id for a in kb.adrs_for_principle("layering")] == ["ADR-004", "ADR-005"]


def test_documents_are_loaded_with_sections():
    kb = load_knowledge(SERVICE, ProjectConfig())
    assert sorted(kb.documents) == ["architecture-decisions", "coding-standards", "project-context"]
    decisions = kb.documents["architecture-decisions"]
    assert decisions.title == "Architecture decisions at a glance"
    assert [(s.title, s.line) for s in decisions.sections] == [
        ("Architecture decisions at a glance", 1),
        ("Persistence", 3),
        ("Boundaries", 7),
    ]
    standards = kb.documents["coding-standards"]
    assert [(s.title, s.level) for s in standards.sections][2] == ("Tests", 3)


def test_agents_with_and_without_frontmatter():
    kb = load_knowledge(SERVICE, ProjectConfig())
    by_name = {agent.name: agent for agent in kb.agents}
    architect = by_name["python-architect"]
    assert architect.description.startswith("Expert Python application architect")
    assert architect.tools == ("Read", "Grep", "Glob", "Edit", "Bash")
    assert architect.model is None
    # The mis-encoded emoji are kept as written, not dropped or "repaired" into errors.
    assert "ðŸ”´ Critical" in architect.persona
    assert architect.persona.startswith("You are a senior Python application architect")
    reviewer = by_name["reviewer"]  # no frontmatter: name from the file, description from text
    assert reviewer.description.startswith("You review pull requests")
    assert reviewer.tools == ()


def test_agent_with_list_tools_model_and_broken_frontmatter(tmp_path):
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "a.md").write_text(
        "---\nname: helper\ntools: [Read, Grep]\nmodel: sonnet\n---\nHi.\n"
    )
    (agents / "b.md").write_bytes(b"\xef\xbb\xbf---\r\nname: [unclosed\r\n---\r\nPersona text.\r\n")
    kb = load_knowledge(tmp_path, ProjectConfig())
    first, second = kb.agents
    assert (first.name, first.tools, first.model, first.persona) == (
        "helper",
        ("Read", "Grep"),
        "sonnet",
        "Hi.",
    )
    assert second.name == "b"
    assert second.persona == "Persona text."  # the unreadable header is not part of it


def test_bom_crlf_and_latin1_adrs_load():
    kb = load_knowledge(FIXTURES / "encodings", ProjectConfig())
    assert (
        (FIXTURES / "encodings/.ai/adrs/0001-bom-crlf.md")
        .read_bytes()
        .startswith(b"\xef\xbb\xbf---\r\n")
    )
    bom = kb.get("ADR-001")
    assert bom.title == "Timeouts on every outbound call ðŸ”´"
    assert bom.tags == ("resilience",) and bom.rules[0].line == 7
    assert [(s.title, s.line) for s in bom.sections][1:] == [("Context", 13), ("Decision", 17)]
    latin = kb.get("ADR-002")
    assert latin.title == "Décision: résilience des caches"
    assert "Le cache à été saturé." in latin.section("context").text
    assert kb.problems == []


def test_broken_files_never_stop_the_others(tmp_path):
    adrs = tmp_path / ".ai" / "adrs"
    adrs.mkdir(parents=True)
    (adrs / "0001-broken.md").write_text("---\nrules: [\n---\n# 1. Broken\n")
    (adrs / "0002-binary.md").write_bytes(b"\x00\xff\xfe\x80 garbage \x81")
    (adrs / "0003-empty.md").write_text("")
    (adrs / "0004-fine.md").write_text("# 4. Fine\n\n## Status\n\nAccepted\n")
    kb = load_knowledge(tmp_path, ProjectConfig())
    assert [a.id for a in kb.adrs] == ["ADR-001", "ADR-002", "ADR-004"]
    assert [p.code for p in kb.problems] == ["ARC001"]


def test_empty_knowledge_dir_and_no_knowledge_dir(tmp_path):
    empty = load_knowledge(tmp_path, ProjectConfig())
    assert (empty.adrs, empty.documents, empty.agents, empty.problems) == ([], {}, [], [])
    (tmp_path / ".ai" / "adrs").mkdir(parents=True)
    (tmp_path / ".claude" / "agents").mkdir(parents=True)
    also_empty = load_knowledge(tmp_path, ProjectConfig(), list)
    assert (also_empty.adrs, also_empty.documents, also_empty.agents) == ([], {}, [])


def test_configured_knowledge_and_agents_dirs(tmp_path):
    shutil.copytree(SERVICE / ".ai", tmp_path / "docs" / "architecture")
    (tmp_path / "agents").mkdir()
    shutil.copy(EXAMPLE_AGENT, tmp_path / "agents" / "architect.md")
    config = ProjectConfig(knowledge_dir="docs/architecture", agents_dir="agents")
    kb = load_knowledge(tmp_path, config)
    assert len(kb.adrs) == 12 and len(kb.documents) == 3
    assert [a.name for a in kb.agents] == ["python-architect"]
    assert load_knowledge(tmp_path, ProjectConfig()).adrs == []


def test_workspace_files_is_called_once_and_only_when_needed(tmp_path):
    calls = []

    def files():
        calls.append(1)
        return [p for p in SERVICE.rglob("*") if p.is_file()]

    load_knowledge(SERVICE, ProjectConfig(), files)
    assert calls == [1]
    calls.clear()
    # A layers rule needs the files too: a layer naming no module is an ADR-file problem.
    load_knowledge(FIXTURES / "encodings", ProjectConfig(), files)
    assert calls == [1]
    calls.clear()
    adr = tmp_path / ".ai" / "adrs" / "0001-plain.md"
    adr.parent.mkdir(parents=True)
    adr.write_text("---\nid: ADR-001\ntitle: Plain\nstatus: accepted\n---\n# Plain\n", encoding="utf-8")
    load_knowledge(tmp_path, ProjectConfig(), files)  # no globs, no layers rule
    assert calls == []


def test_relative_workspace_file_paths_are_accepted():
    relative = [p.relative_to(SERVICE) for p in SERVICE.rglob("*") if p.is_file()]
    kb = load_knowledge(SERVICE, ProjectConfig(), lambda: relative)
    assert [p for p in kb.problems if p.code == "ARC005"] == []


def test_adr_file_problems_for_unsaved_text_use_the_other_records():
    from python_architect.knowledge.loader import adr_file_problems

    kb = load_knowledge(SERVICE, ProjectConfig())
    path = SERVICE / ".ai/adrs/0012-bounded-caches.md"
    edited = (
        "---\nid: ADR-011\nsupersedes: [ADR-077]\napplies-to:\n  paths: [nowhere/**]\n---\n# T\n"
    )
    files = ["app/domain/orders.py"]
    found = [(p.code, p.span.line) for p in adr_file_problems(kb, path, edited, files)]
    assert found == [("ARC004", 2), ("ARC003", 3), ("ARC005", 5)]
    clean = path.read_text(encoding="utf-8")
    assert adr_file_problems(kb, path, clean, files) == []
    assert [p.code for p in adr_file_problems(kb, path, "---\nid: [\n---\n")] == ["ARC001"]
