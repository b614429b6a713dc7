"""Proposals in an answer become edits: explicit ranges, ranges found by matching, whole files,
new files, refused paths, CRLF files, and a unified diff that a strict patch applier turns
into exactly the proposed file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from python_architect.advisor.proposals import (
    PROPOSAL_INSTRUCTION,
    fenced_blocks,
    fix_question,
    parse_proposals,
)

QUOTE = """\
import logging

from app.prices import PriceFeed

log = logging.getLogger(__name__)


class QuoteService:
    def __init__(self, feed: PriceFeed) -> None:
        self.feed = feed

    def quote(self, sku: str) -> float:
        price = self.feed.price(sku)
        log.info("quoted %s", sku)
        return price * 1.2


def helper() -> int:
    return 1
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "quote.py").write_text(QUOTE)
    return tmp_path


def apply_unified_diff(root: Path, diff: str) -> dict[str, str]:
    """A strict ``patch -p1``: every context and removed line must match the file exactly
    (line endings included); returns each patched file's new text."""
    results: dict[str, str] = {}
    lines = diff.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        assert lines[index].startswith("--- "), lines[index]
        old_name, new_name = lines[index][4:].strip(), lines[index + 1][4:].strip()
        index += 2
        target = new_name.removeprefix("b/")
        source = [] if old_name == "/dev/null" else (root / target).read_bytes().decode().splitlines(keepends=True)
        output: list[str] = []
        position = 0
        while index < len(lines) and lines[index].startswith("@@"):
            start = int(re.match(r"@@ -(\d+)", lines[index]).group(1))
            index += 1
            hunk_start = max(start - 1, 0) if source else 0
            output.extend(source[position:hunk_start])
            position = hunk_start
            while index < len(lines) and lines[index][:1] in (" ", "-", "+", "\\"):
                tag, text = lines[index][0], lines[index][1:]
                if index + 1 < len(lines) and lines[index + 1].startswith("\\ No newline"):
                    text = text.removesuffix("\n")
                if tag == "\\":
                    index += 1
                    continue
                if tag in (" ", "-"):
                    assert source[position] == text, (source[position], text)
                    position += 1
                if tag in (" ", "+"):
                    output.append(text)
                index += 1
        output.extend(source[position:])
        results[target] = "".join(output)
    return results


def test_explicit_range_replaces_those_lines_and_the_diff_applies(root: Path) -> None:
    answer = (
        "Cache the price behind the feed (ADR-004):\n\n"
        "```python path=app/quote.py lines=12-15\n"
        "    def quote(self, sku: str) -> float:\n"
        "        price = self.cache.get(sku) or self.feed.price(sku)\n"
        "        return price * 1.2\n"
        "```\n"
    )
    found = parse_proposals(answer, root)
    [proposal] = found.proposals
    assert (proposal.relative, proposal.start_line, proposal.end_line, proposal.how) == ("app/quote.py", 12, 15, "lines")
    expected = QUOTE.replace(
        '        price = self.feed.price(sku)\n        log.info("quoted %s", sku)\n',
        "        price = self.cache.get(sku) or self.feed.price(sku)\n",
    )
    assert found.new_texts()[root / "app" / "quote.py"] == expected
    assert apply_unified_diff(root, found.diff()) == {"app/quote.py": expected}
    edit = proposal.edit
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column) == (12, 1, 16, 1)


def test_range_found_by_matching_first_and_last_lines(root: Path) -> None:
    answer = (
        "```python path=app/quote.py\n"
        "class QuoteService:\n"
        "    def __init__(self, feed: PriceFeed, cache: dict[str, float]) -> None:\n"
        "        self.feed = feed\n"
        "```"
    )
    [proposal] = parse_proposals(answer, root).proposals
    assert (proposal.start_line, proposal.end_line, proposal.how) == (8, 10, "matched")


def test_a_rewritten_definition_takes_the_whole_function(root: Path) -> None:
    answer = (
        "```python path=app/quote.py\n"
        "    def quote(self, sku: str) -> float:\n"
        "        return self.feed.price(sku) * 1.25\n"
        "```"
    )
    found = parse_proposals(answer, root)
    [proposal] = found.proposals
    assert (proposal.start_line, proposal.end_line, proposal.how) == (12, 15, "definition")
    new = found.new_texts()[root / "app" / "quote.py"]
    assert "log.info" not in new and "* 1.25\n\n\ndef helper()" in new


def test_whole_file_and_unmarked_blocks(root: Path) -> None:
    answer = "Example:\n```python\nprint('not a proposal')\n```\n```python path=app/quote.py lines=all\nX = 1\n```\n"
    found = parse_proposals(answer, root)
    [proposal] = found.proposals
    assert proposal.how == "all" and found.new_texts()[proposal.path] == "X = 1\n"
    assert apply_unified_diff(root, found.diff()) == {"app/quote.py": "X = 1\n"}


def test_a_path_outside_the_root_is_refused_and_never_read(root: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secrets.py"
    outside.write_text("TOKEN = 1\n")
    (root / "app" / "link.py").symlink_to(outside)
    answer = "".join(
        f"```python path={target} lines=1-1\nTOKEN = 2\n```\n"
        for target in ("../elsewhere/secrets.py", str(outside), "app/link.py")
    )
    found = parse_proposals(answer, root, read_text=lambda path: pytest.fail(f"read {path}"))
    assert found.proposals == []
    assert [r.path for r in found.refused] == ["../elsewhere/secrets.py", str(outside), "app/link.py"]
    assert all("outside the workspace root" in r.reason for r in found.refused)


def test_a_missing_file_is_a_new_file_unless_lines_were_given(root: Path) -> None:
    answer = (
        "```python path=app/price_cache.py\nclass PriceCache:\n    pass\n```\n"
        "```python path=app/nowhere.py lines=3-4\nx = 1\n```\n"
    )
    found = parse_proposals(answer, root)
    [created] = found.proposals
    assert created.create and created.new_text == "class PriceCache:\n    pass\n" and created.how == "new file"
    assert found.refused[0].path == "app/nowhere.py" and "does not exist" in found.refused[0].reason
    assert apply_unified_diff(root, found.diff()) == {"app/price_cache.py": "class PriceCache:\n    pass\n"}
    assert not (root / "app" / "price_cache.py").exists()  # nothing is written


def test_bad_ranges_unplaceable_blocks_and_overlaps_are_refused(root: Path) -> None:
    answer = (
        "```python path=app/quote.py lines=40-50\nx\n```\n"
        "```python path=app/quote.py lines=ten\nx\n```\n"
        "```python path=app/quote.py\nnothing like this\n```\n"
        "```python path=app/quote.py lines=1-3\nimport os\n```\n"
        "```python path=app/quote.py lines=2-2\n\n```\n"
        "```python path=app\nx\n```\n"
    )
    found = parse_proposals(answer, root)
    assert [(p.start_line, p.end_line) for p in found.proposals] == [(1, 3)]
    reasons = [r.reason for r in found.refused]
    assert "outside the file's 19 lines" in reasons[0]
    assert "not a line range" in reasons[1]
    assert "could not find where" in reasons[2]
    assert "overlaps an earlier proposal" in reasons[3]
    assert "is a directory" in reasons[4]


def test_crlf_files_keep_their_line_endings(root: Path) -> None:
    crlf = root / "app" / "win.py"
    crlf.write_bytes(b"a = 1\r\nb = 2\r\nc = 3")  # no final newline
    answer = "```python path=app/win.py lines=2-3\nb = 20\nc = 30\n```"
    found = parse_proposals(answer, root)
    [proposal] = found.proposals
    assert proposal.new_text == "b = 20\r\nc = 30"
    assert found.new_texts()[crlf] == "a = 1\r\nb = 20\r\nc = 30"
    diff = found.diff()
    assert "\\ No newline at end of file" in diff
    assert apply_unified_diff(root, diff) == {"app/win.py": "a = 1\r\nb = 20\r\nc = 30"}
    span = proposal.edit.span
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 1, 3, 6)


def test_unsaved_text_is_what_the_range_refers_to(root: Path) -> None:
    unsaved = "first = 1\nsecond = 2\n"
    answer = "```python path=app/quote.py lines=2\nsecond = 3\n```"
    found = parse_proposals(answer, root, read_text=lambda path: unsaved)
    assert found.new_texts()[root / "app" / "quote.py"] == "first = 1\nsecond = 3\n"


def test_fences_tildes_and_quoted_paths() -> None:
    blocks = fenced_blocks("~~~~py path='app/a b.py' lines=1-2\n```\ninner\n```\n~~~~\nafter\n````\nopen to the end")
    assert blocks == [("py path='app/a b.py' lines=1-2", "```\ninner\n```"), ("", "open to the end")]


def test_the_instruction_and_the_fix_question_say_what_they_must() -> None:
    assert "path=" in PROPOSAL_INSTRUCTION and "lines=" in PROPOSAL_INSTRUCTION and "lines=all" in PROPOSAL_INSTRUCTION
    question = fix_question("ARC101", "import of stripe in the domain.", ["ADR-001"], "app/orders.py", 3)
    assert question.startswith("Fix finding ARC101 in app/orders.py at line 3 (governed by ADR-001): import of stripe in the domain.")
    assert "path=" in question and "lines=" in question
