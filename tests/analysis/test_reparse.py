"""``splice_parse`` gives exactly the tree ``ast.parse`` gives, or None.

The property test edits real modules (the standard library's own sources, present wherever the
tests run) at random places with the fragments typing produces, chains the edits (each splice
starts from the previous result, as in the editor), and compares every spliced tree with a full
parse of the same text, positions included. The named cases are the ways a splice can go wrong
that a random edit rarely hits.
"""

from __future__ import annotations

import ast
import inspect
import json.decoder
import random
import shlex
import textwrap

import pytest

from python_architect.analysis.decoding import source_lines
from python_architect.analysis.reparse import splice_parse

MODULES = [textwrap, json.decoder, shlex]
FRAGMENTS = [
    "x", " ", "\n", "    ", "(", ")", "[", "'''", '"', "\\", ":", ",", "#", "@d\n", ";y = 2",
    "def f():\n", "    pass\n", "        return 1\n", "if a:\n", "else:\n", "class C:\n", "\t", "\x0c",
    "async ", "lambda: 0", "\r\n", "'", "  # note\n",
]


def dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


def full_parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def splice(old: str, new: str, tree: ast.Module | None = None) -> ast.Module | None:
    return splice_parse(source_lines(old), tree or ast.parse(old), source_lines(new))


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_random_edits_of_real_modules_splice_to_the_full_parse(crlf: bool) -> None:
    rng = random.Random(20261130)
    spliced = refused_valid = 0
    for _ in range(80):
        text = inspect.getsource(rng.choice(MODULES))
        if crlf:
            text = text.replace("\n", "\r\n")
        tree = ast.parse(text)
        for _ in range(4):  # a chain: each version starts from the previous splice
            position = rng.randrange(len(text) + 1)
            cut = rng.choice([0, 0, 1, 3, 12, 60])
            inserted = rng.choice(FRAGMENTS + [rng.choice(text.split("\n")) + "\n", ""])
            new = text[:position] + inserted + text[position + cut:]
            expected = full_parse(new)
            before = dump(tree)
            got = splice(text, new, tree)
            if got is None:
                # Giving up must leave the previous tree as it was: it stays the last good one.
                assert dump(tree) == before
                refused_valid += expected is not None
            else:
                assert expected is not None, f"spliced a text that does not parse: {new[position - 40:position + 40]!r}"
                assert dump(got) == dump(expected), f"edit at {position}: {inserted!r} replacing {cut} characters"
                spliced += 1
            if expected is None:
                break
            text, tree = new, got if got is not None else expected
    # Most edits that keep the text valid must splice, or the feature silently does nothing.
    assert spliced >= 20 and spliced > 4 * refused_valid, (spliced, refused_valid)


def test_typing_a_method_character_by_character_splices_every_version_that_parses() -> None:
    text = inspect.getsource(textwrap)
    anchor = "\n\n    def _munge_whitespace(self, text):\n"
    typed = "\n\n    def added(self, value):\n        return [value,\n                self.width]"
    at = text.index(anchor)
    tree, lines = ast.parse(text), source_lines(text)
    valid = spliced = 0
    for count in range(1, len(typed) + 1):
        new = text[:at] + typed[:count] + text[at:]
        expected = full_parse(new)
        got = splice_parse(lines, tree, source_lines(new))
        if expected is None:
            assert got is None
            continue  # the editor keeps the last good tree and lines
        valid += 1
        spliced += got is not None
        assert dump(got if got is not None else expected) == dump(expected)
        tree, lines = (got if got is not None else expected), source_lines(new)
    assert valid > 10
    assert spliced == valid


INVALID = {
    # An ``else:`` typed at column 0 inside a class must not attach to the wrapper ``if 1:``.
    "else at column 0 in a body": (
        "class A:\n    def f(self):\n        x = 1\n        # note\n        y = 2\n",
        "class A:\n    def f(self):\n        x = 1\nelse:\n        y = 2\n",
    ),
    # Tabs are judged against the enclosing lines' indentation.
    "tab in an indented body": (
        "class A:\n    a = 1\n    b = 2\n",
        "class A:\n    a = 1\n   \tb = 2\n",
    ),
    "form feed in indentation": (
        "def f():\n    a = 1\n    b = 2\n",
        "def f():\n    a = 1\n  \x0c  b = 2\n",
    ),
    "a line indented deeper than its neighbours": (
        "def f():\n    a = 1\n    b = 2\n",
        "def f():\n    a = 1\n        b = 2\n",
    ),
    "an unclosed bracket reaching the next statement": (
        "x = 1\ny = 2\nz = 3\n",
        "x = 1\ny = (2\nz = 3\n",
    ),
}


@pytest.mark.parametrize("old,new", INVALID.values(), ids=INVALID.keys())
def test_a_run_that_parses_alone_but_not_in_place_is_refused(old: str, new: str) -> None:
    assert full_parse(new) is None  # each of these is an error in the whole file...
    assert splice(old, new) is None  # ...that a run parsed on its own would hide


VALID = {
    "statements sharing a line": ("a = 1; b = 2\nc = 3\n", "a = 1; b = 22\nc = 3\n"),
    "decorated definition": ("@dec\ndef f():\n    return 1\n\nx = 1\n", "@dec(2)\ndef f():\n    return 1\n\nx = 1\n"),
    "before the first statement": ("# header\n\nimport os\n", "# header\n\nimport sys\nimport os\n"),
    "a body on the header's line": ("def f(): return 1\nx = 2\n", "def f(): return 10\nx = 2\n"),
    "a new method at the end of a class": (
        "class A:\n    def f(self):\n        return 1\n\nx = 1\n",
        "class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n\nx = 1\n",
    ),
    "a line joining the function before it": (
        "def f():\n    a = 1\n\nb = 2\n",
        "def f():\n    a = 1\n    c = 3\n\nb = 2\n",
    ),
    "a function deleted": ("x = 1\n\ndef f():\n    pass\n\ny = 2\n", "x = 1\n\ny = 2\n"),
    "lines added above shift the rest": (
        "class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n",
        "class A:\n    def f(self):\n        x = 0\n\n        return 1\n\n    def g(self):\n        return 2\n",
    ),
    "nested scopes three deep": (
        "class A:\n    class B:\n        def f(self):\n            return 1\n",
        "class A:\n    class B:\n        def f(self):\n            return (1,\n                    2)\n",
    ),
    "old Mac line breaks": ("x = 1\ry = 2\rz = 3\r", "x = 1\ry = 20\rz = 3\r"),
}


@pytest.mark.parametrize("old,new", VALID.values(), ids=VALID.keys())
def test_valid_edits_splice_to_the_full_parse(old: str, new: str) -> None:
    got = splice(old, new)
    assert got is not None
    assert dump(got) == dump(ast.parse(new))


def test_the_same_text_reuses_every_statement() -> None:
    text = "import os\n\ndef f():\n    return os.sep\n"
    tree = ast.parse(text)
    again = splice(text, text, tree)
    assert again is not None and again is not tree
    assert all(a is b for a, b in zip(again.body, tree.body, strict=True))


def test_untouched_statements_are_reused_and_only_the_edited_one_is_new() -> None:
    old = "import os\n\ndef f():\n    return 1\n\ndef g():\n    return 2\n"
    new = old.replace("return 1", "return 11")
    tree = ast.parse(old)
    first, edited, last = tree.body
    got = splice(old, new, tree)
    assert got is not None
    assert got.body[0] is first and got.body[2] is last
    assert got.body[1] is not edited  # a copy of the def around the re-parsed body
    assert dump(got) == dump(ast.parse(new))


def test_move_lines_moves_every_node_as_increment_lineno_does() -> None:
    from python_architect.analysis.reparse import move_lines

    text = inspect.getsource(textwrap) + textwrap.dedent('''
        def shapes(value, *args, key=1, **kwargs):
            global COUNT
            match value:
                case {"a": 1, **rest} if rest:
                    return {**rest, "b": f"{value!r:>{key}}"}
                case Point(x=0, y=[1, *others]) | None:
                    return lambda q, /, r=2: (yield from others)
            with open(value) as a, open(args) as b:
                try:
                    del a[1:2, ::3]
                except* ValueError as error:
                    raise KeyError from error
            return [x async for x in value if not x] or {k: v for k, v in kwargs.items()}
    ''')
    expected, moved = ast.parse(text), ast.parse(text)
    for statement in expected.body:
        ast.increment_lineno(statement, 7)
    move_lines(moved.body, 7)
    assert dump(moved) == dump(expected)


def test_parse_statements_gives_the_whole_files_statements_around_the_lines() -> None:
    from python_architect.analysis.reparse import parse_statements, statement_starts

    text = inspect.getsource(textwrap) + "\n\n@property\ndef last(): return 1\n"
    lines, tree = source_lines(text), ast.parse(text)
    starts = statement_starts(tree)
    in_place = {(s.lineno, s.col_offset): s for s in tree.body}
    in_place.update({(s.lineno, s.col_offset): s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body})
    rng = random.Random(3)
    for _ in range(30):
        wanted = rng.sample(range(starts[0][0], len(lines) + 1), 3)
        got = parse_statements(lines, starts, wanted)
        assert got is not None and got.body
        for statement in got.body:  # each exactly as the whole file's parse has it
            assert dump(statement) == dump(in_place[(statement.lineno, statement.col_offset)])
        for line in wanted:  # and every wanted line inside one of them (or in the gap after it)
            assert any(s.lineno - len(getattr(s, "decorator_list", [])) <= line for s in got.body)
    # A line in a method of the large class parses that method, not the class.
    inside = text.index("def _munge_whitespace")
    line = text[:inside].count("\n") + 3
    assert [s.name for s in parse_statements(lines, starts, [line]).body] == ["_munge_whitespace"]
    assert [s.name for s in parse_statements(lines, starts, [len(lines) - 1]).body] == ["last"]
