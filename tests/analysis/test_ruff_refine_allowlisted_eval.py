"""S307 on ``eval`` of a value the code just checked against a literal list (issue 21, fourth
reading: coverage's ``parser.py``): ``if node.id in ("True", "False", "None", "__debug__"):
return eval(node.id)`` evaluates one of four constants the source wrote, never data. Each shape
sits beside its twin, where the check does not hold the value to that list where it is evaluated."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

ALLOWLISTED = {
    "coverage's constant names": (  # coverage/parser.py:667
        "import ast\n\n\ndef is_constant(node):\n    match node:\n        case ast.Name():\n"
        "            if node.id in ['True', 'False', 'None', '__debug__']:\n"
        "                return True, eval(node.id)\n    return False, None\n"),
    "a tuple of names and a local": (
        "def value(word):\n    if word in ('True', 'False', 'None'):\n        return eval(word)\n    return word\n"),
    "a set, as an operand of and": (
        "def value(word, strict):\n    if strict and word in {'1', '2.5'}:\n        return eval(word)\n"),
    "equality to one constant": (
        "def value(word):\n    if word == 'None':\n        return eval(word)\n"),
}

DATA = {
    "a name that could hold anything": (
        "ALLOWED = load_allowed()\n\n\ndef value(word):\n    if word in ALLOWED:\n        return eval(word)\n"),
    "a negated check": (
        "def value(word):\n    if word not in ('True', 'False'):\n        return eval(word)\n"),
    "the eval in the else": (
        "def value(word):\n    if word in ('True', 'False'):\n        return word\n    else:\n"
        "        return eval(word)\n"),
    "an or": (
        "def value(word, trusted):\n    if trusted or word in ('True', 'False'):\n        return eval(word)\n"),
    "another value checked": (
        "def value(word, text):\n    if word in ('True', 'False'):\n        return eval(text)\n"),
    "rebound after the check": (
        "def value(word, text):\n    if word in ('True', 'False'):\n        word = text\n        return eval(word)\n"),
    "a list holding a non-literal": (
        "def value(word, extra):\n    if word in ('True', extra):\n        return eval(word)\n"),
}


@pytest.mark.parametrize("body", ALLOWLISTED.values(), ids=list(ALLOWLISTED))
def test_eval_of_a_value_from_a_literal_list_is_not_reported(body: str) -> None:
    reported, kept = reported_and_kept(body, "S307")
    assert reported == ["S307"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("body", DATA.values(), ids=list(DATA))
def test_eval_of_a_value_not_held_to_a_literal_list_is_reported(body: str) -> None:
    reported, kept = reported_and_kept(body, "S307")
    assert reported == kept == ["S307"]
