"""Markdown splitting and robust decoding for the knowledge base."""

from __future__ import annotations

from python_architect.knowledge.markdown import (
    decode_text,
    find_headings,
    first_heading,
    first_paragraph,
    split_sections,
)

ADR_BODY = """# ADR-011: Use repositories

## Context

Queries are everywhere.

```python
# not a heading: a comment in code
## neither is this
```

## Decision

### Details

Repositories own the queries.

## Consequences ##

More classes.
"""


def test_sections_have_titles_levels_and_file_lines():
    sections = split_sections(ADR_BODY)
    assert [(s.title, s.level, s.line) for s in sections] == [
        ("ADR-011: Use repositories", 1, 1),
        ("Context", 2, 3),
        ("Decision", 2, 12),
        ("Details", 3, 14),
        ("Consequences", 2, 18),
    ]


def test_section_lines_are_offset_by_the_frontmatter():
    sections = split_sections(ADR_BODY, first_line=9)
    assert [s.line for s in sections] == [9, 11, 20, 22, 26]
    context = sections[1]
    assert context.end_line == 18  # last non-blank line before "## Decision" (file line 20)


def test_headings_inside_fenced_code_are_ignored():
    titles = [h.title for h in find_headings(ADR_BODY.split("\n"))]
    assert "not a heading: a comment in code" not in titles
    assert "neither is this" not in titles
    context = split_sections(ADR_BODY)[1]
    assert "# not a heading" in context.text  # the code block stays in the section's text


def test_tilde_fences_and_longer_fences_are_respected():
    text = "# Title\n~~~~\n# inside\n~~~\n# still inside\n~~~~\n## After\nbody\n"
    assert [(h.title, h.level) for h in find_headings(text.split("\n"))] == [
        ("Title", 1),
        ("After", 2),
    ]


def test_section_text_runs_until_a_heading_of_the_same_or_higher_level():
    decision = split_sections(ADR_BODY)[2]
    assert decision.title == "Decision"
    assert "### Details" in decision.text and "Repositories own the queries." in decision.text
    assert "More classes" not in decision.text
    assert decision.end_line == 16


def test_closing_hashes_tabs_and_seven_hashes():
    text = "#\tTabbed title\n####### not a heading\n## Closed ##\n#NoSpace\n"
    headings = find_headings(text.split("\n"))
    assert [(h.title, h.level) for h in headings] == [("Tabbed title", 1), ("Closed", 2)]


def test_first_heading_and_first_paragraph():
    assert first_heading(ADR_BODY).title == "ADR-011: Use repositories"
    assert first_heading("no headings here") is None
    text = "---\n\n# Heading\n\nFirst line of prose\ncontinues here.\n\nSecond paragraph.\n"
    assert first_paragraph(text) == "First line of prose continues here."


def test_decode_strips_bom_and_normalizes_crlf():
    data = b"\xef\xbb\xbf# Title\r\n\r\nText\rmore\n"
    assert decode_text(data) == "# Title\n\nText\nmore\n"


def test_decode_falls_back_for_latin1_and_cp1252():
    assert decode_text("Décision à prendre".encode("latin-1")) == "Décision à prendre"
    assert decode_text("“quoted” – dash".encode("cp1252")) == "“quoted” – dash"
    # Bytes undefined in cp1252 still decode (via Latin-1) instead of raising.
    assert decode_text(b"\x81\x8d ok") == "\x81\x8d ok"


def test_decode_keeps_mojibake_text_as_it_is():
    mojibake = "ðŸ”´ Critical"
    assert decode_text(mojibake.encode("utf-8")) == mojibake
