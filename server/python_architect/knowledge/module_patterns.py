"""Dotted module patterns in ADR rules: ``app.api`` (the module and everything inside it),
``app.*.api`` (``*`` is one segment), ``app.**.api`` (``**`` is any number of segments, none
included), ``app.api_*`` (``*`` inside a segment matches within it).

Owns the one meaning of a pattern for every rule that takes modules (``layers`` today), and the
check that a pattern names at least one first-party module (an ADR-file problem otherwise: a
layer that matches nothing enforces nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


def is_pattern(text: str) -> bool:
    return "*" in text


@lru_cache(maxsize=1024)
def _body(pattern: str) -> str:
    out = ""
    after_any = False
    parts = pattern.split(".")
    for position, part in enumerate(parts):
        if part == "**":
            if position == len(parts) - 1:
                out += r"(?:\.[^.]+)*" if out else r"[^.]+(?:\.[^.]+)*"
            else:
                out += (r"\." if out else "") + r"(?:[^.]+\.)*"
                after_any = True
            continue
        separator = "" if not out or after_any else r"\."
        after_any = False
        out += separator + ("[^.]+" if part == "*" else re.escape(part).replace(r"\*", "[^.]*"))
    return out


@lru_cache(maxsize=1024)
def _compiled(pattern: str, anywhere: bool) -> re.Pattern[str]:
    start = r"(?:^|\.)" if anywhere else "^"
    return re.compile(start + _body(pattern) + r"(?:\..*)?$")


def module_matches(module: str, pattern: str) -> bool:
    """Whether ``module`` is the module a pattern names or inside it."""
    if not is_pattern(pattern):
        return module == pattern or module.startswith(pattern + ".")
    return _compiled(pattern, False).match(module) is not None


def matched_prefix(module: str, pattern: str) -> str | None:
    """The part of ``module`` the pattern matched (``app.orders.api`` for ``app.*.api`` and
    ``app.orders.api.views``), or None."""
    if not is_pattern(pattern):
        return pattern if module_matches(module, pattern) else None
    match = re.match("^" + _body(pattern) + r"(?=\.|$)", module)
    return module[:match.end()] if match else None


def pattern_names_a_module(pattern: str, modules: Iterable[str]) -> bool:
    """Whether any of ``modules`` (dotted names, possibly with a source-root prefix such as
    ``src.``) is or lies inside what ``pattern`` names."""
    compiled = _compiled(pattern, True)
    return any(compiled.search(module) for module in modules)


def dotted_names(relative_files: Iterable[str]) -> set[str]:
    """Module and package names of the workspace's Python files (relative posix paths), each
    with its folders as they are (a ``src.`` prefix included)."""
    names: set[str] = set()
    for relative in relative_files:
        if not relative.endswith((".py", ".pyi")):
            continue
        parts = relative.rsplit(".", 1)[0].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            names.add(".".join(parts))
    return names
