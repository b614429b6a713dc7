"""The faster incremental-edit application (``wire.install_fast_text_sync``) gives exactly the text
pygls' own code gives, for every kind of edit an editor sends and some it should not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec

from python_architect.lsp import wire

ORIGINAL = TextDocument._apply_incremental_change
wire.install_fast_text_sync()
FAST = TextDocument._apply_incremental_change

# Line breaks of every kind splitlines() knows (pygls splits with it), astral characters (two
# UTF-16 units), and plain text.
ALPHABET = st.sampled_from(["a", "b", " ", "\n", "\r\n", "\r", "\x0c", "\u2028", "é", "😋", "\t", "x = 1\n"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)


def _apply(method, text: str, change: types.TextDocumentContentChangePartial, encoding: str) -> str:
    document = TextDocument("file:///w/a.py", text, version=1,
                            position_codec=PositionCodec(encoding=types.PositionEncodingKind(encoding)))
    method(document, change)
    return document.source


def _change(start_line: int, start_char: int, end_line: int, end_char: int, text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(start_line, start_char), types.Position(end_line, end_char)), text=text)


def test_the_fast_version_is_installed_once() -> None:
    wire.install_fast_text_sync()
    assert TextDocument._apply_incremental_change is FAST is not ORIGINAL


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, inserted=TEXTS, positions=st.tuples(*[st.integers(0, 12)] * 4),
       encoding=st.sampled_from(["utf-16", "utf-32", "utf-8"]))
def test_same_text_as_pygls_for_any_edit(text: str, inserted: str, positions, encoding: str) -> None:
    start_line, start_char, end_line, end_char = positions
    change = _change(start_line, start_char, end_line, end_char, inserted)
    assert _apply(FAST, text, change, encoding) == _apply(ORIGINAL, text, change, encoding)


@pytest.mark.parametrize(("text", "change", "expected"), [
    ("import os\nx = 1\n", _change(0, 9, 0, 9, "  # edit"), "import os  # edit\nx = 1\n"),
    ("a\r\nbc\r\nd", _change(1, 1, 2, 0, "Z"), "a\r\nbZd"),  # across lines, CRLF kept
    ("s = '😋'\nt\n", _change(0, 7, 0, 8, "!"), "s = '😋!\nt\n"),  # UTF-16 column after an astral char
    ("", _change(0, 0, 0, 0, "print(1)\n"), "print(1)\n"),  # the first keystroke in an empty file
    ("a\nb\n", _change(5, 0, 7, 0, "tail"), "a\nb\ntail"),  # beyond the end: clamped, as pygls does
])
def test_typical_edits(text: str, change, expected: str) -> None:
    assert _apply(FAST, text, change, "utf-16") == expected == _apply(ORIGINAL, text, change, "utf-16")
