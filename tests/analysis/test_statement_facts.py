"""Replaying a reused statement's facts equals walking it again (``analysis.statement_facts``).

Each step edits a real module at random, splices the edit into the previous tree (as the editor
does) and runs the facts pass twice on the same tree: once with the document's memo, once
without. The facts and every list of the node index the checks read must be equal, node for node;
and most statements must really be replayed (many moved by an edit above them), or the memo
silently does nothing.
"""

from __future__ import annotations

import ast
import inspect
import json.decoder
import random
import shlex
import textwrap

from python_architect.analysis import statement_facts
from python_architect.analysis.decoding import source_lines
from python_architect.analysis.extract import extract_facts
from python_architect.analysis.node_index import TREE_INDEXES
from python_architect.analysis.reparse import splice_parse
from python_architect.analysis.statement_facts import FactsMemo

INDEX_LISTS = ("loops", "classes", "strings", "loop_calls", "async_defs", "calls")
EDITS = [
    "x", "\n", "    y = 1\n", "import os\n", "import json as shlex\n", "from re import compile\n",
    "requests.get(url)\n", "for a in b:\n    a.get(1)\n", "class K(Base):\n    pass\n", "# c", "'s'",
    "__all__ = ['q']\n", "def f(a: 'Optional[int]'):\n    return a\n", "",
]


def both_ways(tree: ast.Module, text: str, lines: list[str], memo: FactsMemo):
    walked = extract_facts(tree, text, "pkg.mod", lines=lines)
    walked_index = TREE_INDEXES[tree]
    replayed = extract_facts(tree, text, "pkg.mod", lines=lines, memo=memo)
    return walked, walked_index, replayed, TREE_INDEXES[tree]


def counted(monkeypatch, name: str) -> list[int]:
    """Counts the calls of ``statement_facts.<name>`` (the count is the list's one element)."""
    calls, real = [0], getattr(statement_facts, name)

    def counting(*args):
        calls[0] += 1
        real(*args)

    monkeypatch.setattr(statement_facts, name, counting)
    return calls


def test_replayed_facts_equal_a_fresh_walk_of_the_same_tree(monkeypatch) -> None:
    replays, moves = counted(monkeypatch, "_replay"), counted(monkeypatch, "_move")
    rng = random.Random(7)
    steps = 0
    for module in (textwrap, json.decoder, shlex):
        text = inspect.getsource(module)
        lines = source_lines(text)
        tree, memo = ast.parse(text), FactsMemo()
        extract_facts(tree, text, "pkg.mod", lines=lines, memo=memo)
        for _ in range(40):
            line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
            at = rng.choice(line_starts)
            new = text[:at] + rng.choice(EDITS) + text[at:]
            try:
                ast.parse(new)
            except SyntaxError:
                continue
            new_lines = source_lines(new)
            spliced = splice_parse(lines, tree, new_lines)
            if spliced is None:
                spliced, memo = ast.parse(new), FactsMemo()
            text, lines, tree = new, new_lines, spliced
            walked, walked_index, replayed, replayed_index = both_ways(tree, text, lines, memo)
            assert replayed == walked
            for name in INDEX_LISTS:
                assert getattr(replayed_index, name) == getattr(walked_index, name), name
            assert replayed_index.call_aliases == walked_index.call_aliases
            steps += 1
    assert steps > 40
    assert replays[0] > 10 * steps  # most statements of most steps were replayed, not walked
    assert moves[0] > steps  # ...many of them moved by the lines an edit added above them


def test_a_new_import_above_walks_the_statements_whose_calls_it_changes() -> None:
    text = "import os\n\n\ndef f():\n    return fetch(1)\n"
    tree, memo = ast.parse(text), FactsMemo()
    before = extract_facts(tree, text, "pkg.mod", memo=memo)
    assert TREE_INDEXES[tree].calls == []  # ``fetch`` is not an imported name yet
    new = "import os\nfrom requests import get as fetch\n\n\ndef f():\n    return fetch(1)\n"
    spliced = splice_parse(source_lines(text), tree, source_lines(new))
    assert spliced is not None and spliced.body[-1] is tree.body[-1]  # the def is reused...
    after = extract_facts(spliced, new, "pkg.mod", memo=memo)
    assert [call.lineno for call, _ in TREE_INDEXES[spliced].calls] == [6]  # ...but walked again
    assert len(after.imports) == len(before.imports) + 1


def test_another_module_name_starts_the_memo_afresh() -> None:
    text = "from . import sibling\n"
    tree, memo = ast.parse(text), FactsMemo()
    assert extract_facts(tree, text, "pkg.mod", memo=memo).imports[0].module == "pkg"
    assert extract_facts(tree, text, "other.deep.mod", memo=memo).imports[0].module == "other.deep"


def test_an_edit_inside_a_method_replays_the_class_s_other_methods(monkeypatch) -> None:
    replayed: list[str] = []
    real_replay = statement_facts._replay

    def naming_replay(visitor, part):
        replayed.append(getattr(part.statement, "name", type(part.statement).__name__))
        real_replay(visitor, part)

    monkeypatch.setattr(statement_facts, "_replay", naming_replay)
    methods = "".join(f"    def m{n}(self):\n        return self.get({n})\n\n" for n in range(4))
    versions = [
        f"import os\n\n\nclass Big:\n{methods}\nx = 1\n",
        f"import os\n\n\nclass Big:\n{methods.replace('get(1)', 'get(1, 2)')}\nx = 1\n",
        f"import os\n\n\nclass Big:\n{methods.replace('get(1)', 'get(1, 2)').replace('get(3)', 'put(3)')}\nx = 1\n",
    ]
    tree, memo = ast.parse(versions[0]), FactsMemo()
    extract_facts(tree, versions[0], "pkg.mod", memo=memo)
    for previous, text in zip(versions, versions[1:]):
        replayed.clear()
        tree = splice_parse(source_lines(previous), tree, source_lines(text))
        facts = extract_facts(tree, text, "pkg.mod", memo=memo)
        assert facts == extract_facts(ast.parse(text), text, "pkg.mod")
    # The second edit (in m3) replays m0..m2, including m1 walked afresh by the first edit.
    assert sorted(replayed) == ["Assign", "Import", "m0", "m1", "m2"]
