"""One parse per document version: ``Project.analyze`` parses the text once, and hover's
constructs come out of that parse (hover itself never parses)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from python_architect.engine import Project
from python_architect.explain.hover import hover_markdown
from trees import write_tree
from workspace_fixture import FILES

SERVICE = """import logging
import requests

log = logging.getLogger(__name__)


class Client(requests.Session):
    pass


async def refresh(repo, ids):
    for i in ids:
        repo.get(i)
    log.warning("refreshed")
    return requests.get("https://rates.example")
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.load(write_tree(tmp_path, {**FILES, "src/shop/service.py": SERVICE}))


def _position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    before = text[: text.index(needle) + offset]
    return before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1


def test_analysis_and_hover_parse_the_document_once(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    real_parse = ast.parse
    parsed: list[str] = []

    def counting_parse(source, *args, **kwargs):
        if source == SERVICE:
            parsed.append(source)
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    analysis = project.analyze(Path("src/shop/service.py"), SERVICE, ruff=False)
    assert len(parsed) == 1
    kinds = {construct.kind for construct in analysis.constructs}
    assert kinds == {"class", "async_def", "query_in_loop", "logging", "http"}

    line, column = _position(SERVICE, 'requests.get("https', offset=3)
    markdown = hover_markdown(project, analysis, SERVICE, line, column)
    assert markdown is not None and "this HTTP call" in markdown and "ADR-001" in markdown
    assert len(parsed) == 1  # hover reused the analysis's constructs instead of parsing again


def test_constructs_carry_character_spans_and_words(project: Project) -> None:
    text = "import httpx\n\n\nasync def go():\n    s = 'é😀'; httpx.post('u')\n"
    analysis = project.analyze(Path("src/shop/client.py"), text, ruff=False)
    http = next(c for c in analysis.constructs if c.kind == "http")
    column = text.split("\n")[4].index("httpx") + 1
    assert (http.span.line, http.span.column, http.name, http.words) == (5, column, "httpx.post", ("httpx", "post"))
    assert http.span.end_column == column + len("httpx.post('u')")
    broken = project.analyze(Path("src/shop/client.py"), "async def go(:\n", ruff=False)
    assert broken.syntax_error is not None and broken.constructs == ()
