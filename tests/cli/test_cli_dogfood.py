"""The repository practises its own architecture: `python-architect check` at its root is clean
under its ADRs (.ai/adrs/), and those ADRs bite when the core reaches for a protocol, an SDK or
a higher layer."""

from __future__ import annotations

import pytest
from cli_support import REPO, run_cli_process
from python_architect.engine import Project


def test_the_repository_is_clean_under_its_own_adrs() -> None:
    result = run_cli_process("check", "--no-cache", cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stdout and "ADRs: 4" in result.stdout


@pytest.fixture(scope="module")
def own_project() -> Project:
    project = Project.load(REPO)
    assert [adr.id for adr in project.kb.adrs] == ["ADR-001", "ADR-002", "ADR-003", "ADR-004"]
    assert project.kb.problems == []
    return project


@pytest.mark.parametrize(
    ("module", "added", "code", "adr"),
    [
        ("engine.py", "import pygls.server\n", "ARC101", "ADR-002"),
        ("workspace/files.py", "import anthropic\n", "ARC101", "ADR-002"),
        ("lsp/chat.py", "from ..advisor import online\n", "ARC101", "ADR-002"),
        ("knowledge/scope.py", "from ..analysis import facts\n", "ARC102", "ADR-001"),
        ("workspace/batch.py", "from ..engine import Project\n", "ARC102", "ADR-001"),
    ],
)
def test_the_adrs_bite(own_project: Project, module: str, added: str, code: str, adr: str) -> None:
    path = REPO / "server" / "python_architect" / module
    text = path.read_text(encoding="utf-8") + added
    line = text.count("\n")
    found = [f for f in own_project.analyze(path, text, ruff=False).findings if f.code == code and f.span.line == line]
    assert found and adr in found[0].adrs, [(f.code, f.span.line, f.adrs) for f in own_project.analyze(path, text).findings]
