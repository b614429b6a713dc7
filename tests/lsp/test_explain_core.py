"""The explain core on plain strings (no server): positions, the constructs hover explains, action plans."""

from __future__ import annotations

import ast
from pathlib import Path

from python_architect.explain import actions
from python_architect.explain.positions import (
    UTF8,
    UTF16,
    UTF32,
    LineIndex,
    character_at,
    units_before,
)
from python_architect.analysis.constructs import SyntaxIndex, constructs_of
from python_architect.analysis.extract import extract_facts, tree_index
from python_architect.findings import Finding, Fix, Severity, Span, TextEdit
from python_architect.knowledge.model import KnowledgeBase

LINE = 'x = "é😀"; y'


def test_units_before_counts_each_encoding():
    y = LINE.index("y")
    assert units_before(LINE, y, UTF32) == y
    assert units_before(LINE, y, UTF16) == y + 1  # the emoji is a surrogate pair
    assert units_before(LINE, y, UTF8) == y + 1 + 3  # é is two bytes, the emoji four


def test_character_at_inverts_units_before_and_clamps():
    for encoding in (UTF8, UTF16, UTF32):
        for index in range(len(LINE) + 1):
            assert character_at(LINE, units_before(LINE, index, encoding), encoding) == index
    assert character_at(LINE, 999, UTF16) == len(LINE)
    assert character_at("abc", 2, UTF8) == 2


def test_line_index_converts_spans_both_ways():
    lines = LineIndex("a\n" + LINE + "\n", UTF16)
    span = Span(2, LINE.index("y") + 1, 2, LINE.index("y") + 2)
    editor = lines.to_editor(span)
    assert (editor.start_line, editor.start_character, editor.end_character) == (1, LINE.index("y") + 1, LINE.index("y") + 2)
    assert lines.span_from_editor(1, editor.start_character, 1, editor.end_character) == span
    assert lines.text_in(Span(1, 1, 2, 2)) == "a\nx"


def build_index(text: str) -> SyntaxIndex:
    """The constructs the facts pass records (what ``Project.analyze`` puts on the analysis)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return SyntaxIndex()
    extract_facts(tree, text, "m")
    return SyntaxIndex(constructs_of(tree_index(tree, text)))


def test_syntax_index_finds_each_construct():
    text = (
        "import logging\nimport httpx\nlog = logging.getLogger()\n"
        "class A(Base):\n    pass\n"
        "async def go(repo, ids):\n    for i in ids:\n        repo.get(i)\n    log.warning('x')\n    httpx.post('u')\n"
    )
    kinds = {c.kind: c for c in build_index(text).constructs}
    assert set(kinds) == {"class", "async_def", "query_in_loop", "logging", "http"}
    assert kinds["http"].name == "httpx.post"
    assert build_index(text).at(8, 10).kind == "query_in_loop"


def test_syntax_index_ignores_lookalikes():
    text = (
        "def go(repo, ids, cache):\n    repo.get(1)\n    for i in ids:\n        cache.get(i)\n"
        "    print('x')\n    cache.info('x')\n    ids.post()\n\nclass Plain:\n    pass\n"
    )
    assert build_index(text).constructs == ()
    assert build_index("def broken(:\n").constructs == ()


def _finding(code: str, span: Span, fix: Fix | None = None, adrs: tuple[str, ...] = ()) -> Finding:
    return Finding(code, "message", Severity.WARNING, Path("/w/a.py"), span, adrs=adrs, fix=fix)


def test_fix_all_takes_safe_fixes_and_skips_overlaps():
    first = _finding("A1", Span(1, 1, 1, 5), Fix("one", (TextEdit(Span(1, 1, 1, 5), "x"),)))
    overlapping = _finding("A2", Span(1, 3, 1, 8), Fix("two", (TextEdit(Span(1, 3, 1, 8), "y"),)))
    unsafe = _finding("A3", Span(2, 1, 2, 2), Fix("three", (TextEdit(Span(2, 1, 2, 2), "z"),), safe=False))
    later = _finding("A4", Span(3, 1, 3, 2), Fix("four", (TextEdit(Span(3, 1, 3, 2), "w"),)))
    plan = actions.fix_all([later, overlapping, first, unsafe], Path("/w/a.py"))
    assert plan is not None and plan.kind == actions.FIX_ALL
    assert [edit.new_text for edit in plan.changes[0].edits] == ["x", "w"]
    assert actions.fix_all([unsafe], Path("/w/a.py")) is None


def test_suppress_and_open_adr_plans():
    finding = _finding("ARC502", Span(2, 5, 2, 9), adrs=("ADR-404",))
    plan = actions.suppress(finding, "    rows.get(i)")
    assert plan.changes[0].edits[0].new_text == "    rows.get(i)  # architect: ignore[ARC502]"
    assert actions.open_adrs(finding, KnowledgeBase(root=Path("/w"))) == []


def test_next_adr_number_and_slug(tmp_path: Path):
    (tmp_path / "0003-a.md").write_text("")
    (tmp_path / "0012-b.md").write_text("")
    (tmp_path / "notes.md").write_text("")
    assert actions.next_adr_number(tmp_path, KnowledgeBase(root=tmp_path)) == 13
    assert actions.next_adr_number(tmp_path / "missing", KnowledgeBase(root=tmp_path)) == 1
    assert actions.slugify("QuoteCache") == "quote-cache"
    assert actions.decision_subject("    async def fetch_all(x):\n        pass") == "fetch_all"
    assert actions.decision_subject("from app.db import engine") == "app.db"
    assert actions.decision_subject("   ") == "this code"
