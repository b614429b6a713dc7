"""``OpenTrees``: an open document's next version is spliced into its last good tree.

What each test would catch: a splice silently never used (identity of reused statements), a
failed analysis leaving a half-moved tree behind (``parse`` takes the tree; only ``keep`` returns
one), a syntax error losing the last good tree, and kept trees growing without bound.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from python_architect.analysis.decoding import source_lines
from python_architect.analysis.statement_facts import FactsMemo
from python_architect.workspace.parse import OpenTrees

TEXT = "import os\n\n\ndef first():\n    return os.sep\n\n\ndef second():\n    return 2\n"
PATH = Path("/ws/app/module.py")


def parse(trees: OpenTrees, text: str, path: Path = PATH) -> ast.Module | None:
    tree, error, memo = trees.parse(path, text, source_lines(text))
    assert (tree is None) == (error is not None)
    LAST_MEMO[path] = memo
    return tree


LAST_MEMO: dict[Path, FactsMemo] = {}


def keep(trees: OpenTrees, text: str, tree: ast.Module, path: Path = PATH) -> None:
    trees.keep(path, text, source_lines(text), tree, LAST_MEMO[path])


def kept_tree() -> tuple[OpenTrees, ast.Module]:
    trees = OpenTrees()
    tree = parse(trees, TEXT)
    keep(trees, TEXT, tree)
    return trees, tree


def same_as_full_parse(tree: ast.Module, text: str) -> bool:
    return ast.dump(tree, include_attributes=True) == ast.dump(ast.parse(text), include_attributes=True)


def test_the_next_version_reuses_the_statements_the_edit_did_not_touch() -> None:
    trees, tree = kept_tree()
    first_memo = LAST_MEMO[PATH]
    edited = TEXT.replace("return 2", "return 22")
    again = parse(trees, edited)
    assert LAST_MEMO[PATH] is first_memo  # the facts memo travels with the tree
    assert again.body[0] is tree.body[0] and again.body[1] is tree.body[1]
    assert same_as_full_parse(again, edited)


def test_a_version_with_a_syntax_error_keeps_the_last_good_tree() -> None:
    trees, tree = kept_tree()
    assert parse(trees, TEXT.replace("return 2", "return (2")) is None
    fixed = TEXT.replace("return 2", "return (2)")
    again = parse(trees, fixed)
    assert again.body[0] is tree.body[0]  # spliced against the last good version
    assert same_as_full_parse(again, fixed)


def test_an_analysis_that_never_kept_its_tree_leaves_no_tree_behind() -> None:
    trees, tree = kept_tree()
    grown = TEXT.replace("def first", "X = 1\n\n\ndef first")
    assert parse(trees, grown).body[-1] is tree.body[-1]  # taken and moved, never kept back
    again = parse(trees, grown + "Y = 2\n")
    assert again.body[-2] is not tree.body[-1]  # a full parse: the moved tree was not reused


def test_forget_drops_the_tree_and_the_kept_text_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(OpenTrees, "MAX_TEXT", 2 * len(TEXT))
    trees = OpenTrees()
    kept = {}
    for name in ("a", "b", "c"):
        path = PATH.with_name(f"{name}.py")
        kept[name] = parse(trees, TEXT, path)
        keep(trees, TEXT, kept[name], path)
    # Three texts do not fit in twice the size: the least recently kept one is gone.
    assert parse(trees, TEXT, PATH.with_name("a.py")).body[0] is not kept["a"].body[0]
    assert parse(trees, TEXT, PATH.with_name("c.py")).body[0] is kept["c"].body[0]
    trees.forget(PATH.with_name("b.py"))
    assert parse(trees, TEXT, PATH.with_name("b.py")).body[0] is not kept["b"].body[0]
    huge = ast.parse("x")
    trees.keep(PATH, "x" * (OpenTrees.MAX_TEXT + 1), ["x"], huge, FactsMemo())
    assert trees.parse(PATH, "x", ["x"])[0].body[0] is not huge.body[0]  # too large: never kept
    big = TEXT * 3
    assert trees.parse(PATH, big, source_lines(big))[2] is None  # and its walk records nothing
