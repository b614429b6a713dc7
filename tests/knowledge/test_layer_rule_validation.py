"""A ``layers`` rule may put sibling prefixes on one level (the checks read them so); the ADR
validator accepts that shape and still rejects empty or non-string layers."""

from __future__ import annotations

from python_architect.knowledge.problems import rule_problems


def test_sibling_prefixes_on_one_level_are_a_valid_layer() -> None:
    assert rule_problems("layers", {"layers": ["app.cli", ["app.explain", "app.output"], "app.core"]}) == []


def test_empty_and_non_string_layers_are_still_problems() -> None:
    assert [p.key for p in rule_problems("layers", {"layers": []})] == ["layers"]
    assert [p.key for p in rule_problems("layers", {"layers": ["app.cli", []]})] == ["layers"]
    assert [p.key for p in rule_problems("layers", {"layers": ["app.cli", [3]]})] == ["layers"]


def test_forbidden_import_use_names_one_module():
    assert rule_problems("forbidden-import", {"modules": ["requests"], "use": "httpx"}) == []
    for bad in (["httpx"], "not a module", 3):
        problems = rule_problems("forbidden-import", {"modules": ["requests"], "use": bad})
        assert [(p.key, p.fatal) for p in problems] == [("use", False)], bad
