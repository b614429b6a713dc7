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


def test_an_open_documents_edits_are_spliced_and_find_what_a_full_parse_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path, {**FILES, "src/shop/service.py": SERVICE})
    project, reference = Project.load(root), Project.load(root)
    path = Path("src/shop/service.py")
    versions = [
        SERVICE,
        SERVICE.replace("        repo.get(i)", "        repo.get(i)\n        requests.post('https://x')"),
        SERVICE.replace("        repo.get(i)", "        repo.get(i)\n        requests.post('https://x'"),  # mid-typing
        SERVICE.replace("        repo.get(i)", "        repo.get(i)\n        requests.post('https://x', timeout=2)"),
        SERVICE.replace("class Client(requests.Session):\n    pass\n", ""),
    ]
    real_parse = ast.parse
    whole_parses: list[str] = []

    def counting_parse(source, *args, **kwargs):
        if source in versions:
            whole_parses.append(source)
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    for text in versions:
        project.track_open(path, text)
        got = project.analyze(path, text, ruff=False)
        expected = reference.analyze(path, text, ruff=False)  # never open: a full parse each time
        assert got.findings == expected.findings
        assert got.constructs == expected.constructs and got.facts == expected.facts
    # The project that has the document open parsed the whole text once; the one that did not,
    # every version (the mid-typing one fails in both and is parsed whole by both).
    assert whole_parses.count(versions[0]) == 2
    assert [whole_parses.count(text) for text in versions[1:]] == [1, 2, 1, 1]
    project.forget(path)
    project.analyze(path, versions[-1], ruff=False)
    assert whole_parses.count(versions[-1]) == 2  # closed: no tree kept, a full parse again


def test_a_read_from_disk_never_touches_the_open_documents_kept_tree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whole-workspace checks read files outside the editor's hold on the project: only the text
    # the editor sends may splice into (and so move) an open document's kept tree.
    from python_architect.workspace.parse import OpenTrees

    root = write_tree(tmp_path, {**FILES, "src/shop/service.py": SERVICE})
    project, path = Project.load(root), Path("src/shop/service.py")
    edited = SERVICE + "\n\nLIMIT = 1\n"
    project.track_open(path, edited)
    project.analyze(path, edited, ruff=False)
    used: list[str] = []
    real = OpenTrees.parse
    monkeypatch.setattr(OpenTrees, "parse", lambda self, p, text, lines: used.append(text) or real(self, p, text, lines))
    from_disk = project.analyze(path, ruff=False)
    assert used == [] and from_disk.facts is not None
    project.analyze(path, edited + "MORE = 2\n", ruff=False)
    assert used == [edited + "MORE = 2\n"]
