"""Validating a check's options against the schema its record declares (``CheckInfo.option_schema``).

One validator for both places options are written: ``[tool.python-architect.options.CODE]`` in
pyproject.toml and an ADR's ``kind: check`` rule. Each problem is ``(key, message)`` with a
suggestion when the key looks like a typo of a real one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from .model import CheckInfo

_TYPE_WORDS = {"bool": "true or false", "int": "a whole number", "string": "a string", "strings": "a list of strings"}


def suggestion(word: str, known: Iterable[str]) -> str:
    """`` (did you mean `x`?)`` for a close match, else ``""``."""
    match = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def type_ok(kind: str, value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "strings":
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    return True


def option_problems(info: CheckInfo, options: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(key, message)`` for every unknown or ill-typed option of ``info``'s check."""
    schema = info.option_schema
    problems: list[tuple[str, str]] = []
    for key, value in options.items():
        kind = schema.get(key)
        if kind is None:
            known = ", ".join(f"`{k}`" for k in sorted(schema))
            problems.append((key, f"{info.code} has no option `{key}`{suggestion(key, schema)} (its options: {known})"))
        elif not type_ok(kind, value):
            problems.append((key, f"option `{key}` of {info.code} must be {_TYPE_WORDS[kind]}, not {value!r}"))
    return problems
