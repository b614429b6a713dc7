"""Hovers explain the project's own design to a newcomer: importing a protocol at the edge, or
a lower layer from a higher one, shows the ADRs in .ai/adrs/ that govern it."""

from __future__ import annotations

from pathlib import Path

from python_architect.engine import Project
from python_architect.explain.hover import hover_markdown

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "server" / "python_architect"


def _hover_on_import(project: Project, path: Path, needle: str) -> str | None:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith(needle))
    analysis = project.analyze(path, text, ruff=False)
    return hover_markdown(project, analysis, text, number, len(needle))


def test_hover_on_the_language_servers_pygls_import_explains_the_protocol_decision() -> None:
    project = Project.load(REPO)
    markdown = _hover_on_import(project, PACKAGE / "lsp" / "server.py", "from pygls")
    assert markdown is not None and "ADR-002" in markdown


def test_hover_on_an_engine_import_in_the_cli_explains_the_layers() -> None:
    project = Project.load(REPO)
    markdown = _hover_on_import(project, PACKAGE / "cli" / "check_command.py", "from ..output import")
    assert markdown is not None and "ADR-001" in markdown
