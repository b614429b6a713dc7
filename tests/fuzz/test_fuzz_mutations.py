"""Mutations of real files through the editor's entry points, deterministic (fixed seeds): every
truncation at a statement boundary, byte flips, deleted lines, mixed encodings and huge lines.
Two files here; ``benchmarks/fuzz.py`` walks all of them for as long as it is given."""

from __future__ import annotations

import random

import pytest
from fuzz_support import EXAMPLE, REPO, mutations, statement_ends

FILES = [
    EXAMPLE / "src/pricing_service/domain/discounts.py",  # has findings: their fixes get exercised
    REPO / "server/python_architect/knowledge/markdown.py",
]


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.name)
def test_mutations_of_a_real_file(fuzzer, source):
    text = source.read_text(encoding="utf-8")
    assert len(statement_ends(text)) > 20  # the truncations really walk the file
    if source.is_relative_to(EXAMPLE):  # unsaved text of the workspace's own file, as in the editor
        fuzzer.path = fuzzer.project.root / source.relative_to(EXAMPLE)
    fuzzer.ruff = True  # ruff's findings carry the fixes that code actions turn into edits
    fuzzer.python(text)
    assert fuzzer.previous is not None
    if source.is_relative_to(EXAMPLE):
        assert fuzzer.previous.findings, "the unmutated example file should have findings to act on"
    fuzzer.ruff = False
    for label, mutated in mutations(text, random.Random(source.name), per_kind=12):
        fuzzer.python(mutated, label)
    assert not fuzzer.crashes.found, fuzzer.crashes.summary()
    assert fuzzer.crashes.cases > 2 * len(statement_ends(text))
