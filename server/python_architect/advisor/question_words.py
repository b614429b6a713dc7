"""The code words of a chat question: class-like names, module names and dependency specifiers.

Pure text work on the question (no workspace, no knowledge base): ``retrieval.resolve_code``
looks the words up, the CLI's ``ask`` says which it found. A name is *explicit* when the
question marks it as code (backticks, a dotted path, "the ``x`` package/module/layer").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BACKTICKED = re.compile(r"`([^`\n]{1,120})`")


_CAMEL = re.compile(r"(?<![\w.])([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+|[A-Z]{2,}[a-z][A-Za-z0-9]*)(?![\w])")


_DOTTED = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?![\w(])")


_NAMED_PACKAGE = re.compile(r"\b([a-z_][a-z0-9_]*)\s+(?:package|module|layer)\b")


_WORD = re.compile(r"(?<![\w.`-])([A-Za-z_][A-Za-z0-9_]*)(?![\w`-])")


_SPECIFIER = re.compile(
    r"(?<![\w.-])([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9_,.\s-]*\])?)\s*"
    r"((?:===|==|>=|<=|~=|!=|>|<)\s*[A-Za-z0-9.*+!_-]+(?:\s*,\s*(?:===|==|>=|<=|~=|!=|>|<)\s*[A-Za-z0-9.*+!_-]+)*)"
)


@dataclass
class Mentions:
    """What ``mentions`` found in one question, each list in the order of first mention."""

    classes: list[str] = field(default_factory=list)
    modules: list[tuple[str, bool]] = field(default_factory=list)
    """(name, explicit): explicit when backticked, dotted or called a package/module/layer."""
    specifiers: list[str] = field(default_factory=list)


def mentions(question: str) -> Mentions:
    """The code words of a question: class-like names, module names and version specifiers."""
    found = Mentions()
    for match in _SPECIFIER.finditer(question):
        found.specifiers.append(f"{match.group(1)}{match.group(2).replace(' ', '')}")
    backticked = [m.strip() for m in _BACKTICKED.findall(question)]
    for text in backticked:
        if _SPECIFIER.fullmatch(text):
            continue
        name = text.removesuffix("()").strip()
        if re.fullmatch(r"[A-Za-z_][\w.]*", name):
            if name[0].isupper() and "." not in name:
                found.classes.append(name)
            else:
                found.modules.append((name, True))
    for name in _CAMEL.findall(question):
        found.classes.append(name)
    for name in _DOTTED.findall(_BACKTICKED.sub(" ", question)):
        if not re.search(r"\.(?:py|toml|txt|md|cfg|ini|json|ya?ml)$", name):
            found.modules.append((name, True))
    for name in _NAMED_PACKAGE.findall(question):
        found.modules.append((name, True))
    for name in _WORD.findall(_SPECIFIER.sub(" ", _BACKTICKED.sub(" ", question))):
        found.modules.append((name, False))
    found.classes = list(dict.fromkeys(found.classes))
    seen: dict[str, bool] = {}
    for name, explicit in found.modules:
        seen[name] = seen.get(name, False) or explicit
    found.modules = list(seen.items())
    found.specifiers = list(dict.fromkeys(found.specifiers))
    return found
