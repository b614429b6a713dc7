"""Mechanical fixes for import findings: the replacement an ADR names, and the move under
``if TYPE_CHECKING:`` of an import that only serves annotations.

Both are built only when a finding is reported (rare next to the analysis itself), so they may
re-parse the one statement and walk the tree once more without slowing the facts pass.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase

from ..findings import Fix, Span, TextEdit
from .astutil import LineIndex
from .facts import ImportFact


def _replace_prefix(module: str, old: str, new: str) -> str:
    return new + module[len(old):] if module == old or module.startswith(old + ".") else module


def replacement_prefix(module: str, patterns: list[str]) -> str | None:
    """The part of ``module`` a ``use:`` module replaces: the plain pattern that matched it (the
    longest), else the whole module when a glob matched it; None when no pattern matched."""
    plain = [p for p in patterns if not any(ch in p for ch in "*?[<") and (module == p or module.startswith(p + "."))]
    if plain:
        return max(plain, key=len)
    for pattern in patterns:
        bare = pattern.removesuffix(".*")
        if not any(ch in bare for ch in "*?[<") and (module == bare or module.startswith(bare + ".")):
            return bare
        if fnmatchcase(module, pattern):
            return module
    return None


def use_instead_fix(lines: LineIndex, fact: ImportFact, statement: ast.stmt | None, old: str, new: str) -> Fix | None:
    """``from requests import get`` -> ``from httpx import get``; ``import requests`` ->
    ``import httpx as requests`` (the local name stays, so the code using it still reads the same).

    None when the statement is relative, shares its line with other code or does not parse.
    """
    if not isinstance(statement, (ast.Import, ast.ImportFrom)) or not new.replace(".", "").replace("_", "").isalnum():
        return None
    statement_span = fact.statement_span or fact.span
    if lines.line(statement_span.line)[: statement_span.column - 1].strip():
        return None
    if isinstance(statement, ast.ImportFrom):
        if statement.level or not statement.module:
            return None
        renamed = _replace_prefix(statement.module, old, new)
        if renamed == statement.module:
            return None
        statement.module = renamed
    else:
        changed = False
        for alias in statement.names:
            renamed = _replace_prefix(alias.name, old, new)
            if renamed == alias.name:
                continue
            if alias.asname is None and "." not in alias.name and renamed != alias.name:
                alias.asname = alias.name  # keep the name the module's code refers to
            alias.name, changed = renamed, True
        if not changed:
            return None
    return Fix(title=f"Import `{new}` instead of `{old}`", edits=(TextEdit(statement_span, ast.unparse(statement)),), safe=True)


# -- TYPE_CHECKING -----------------------------------------------------------------------------


def _annotation_nodes(tree: ast.Module) -> set[int]:
    """``id`` of every node inside an annotation (arguments, returns, annotated assignments)."""
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            roots += [a.annotation for a in every if a.annotation is not None]
            if node.returns is not None:
                roots.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
    return {id(inner) for root in roots for inner in ast.walk(root)}


def only_in_annotations(tree: ast.Module, names: tuple[str, ...]) -> bool:
    """Whether every reference to ``names`` sits in an annotation (and there is at least one)."""
    inside = _annotation_nodes(tree)
    wanted = set(names)
    seen = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in wanted:
            if id(node) not in inside:
                return False
            seen = True
    return seen


def _type_checking_block(tree: ast.Module) -> ast.If | None:
    for node in tree.body:
        if isinstance(node, ast.If) and not node.orelse:
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                return node
    return None


def _binds_type_checking(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and node.module == "typing" and any(a.name == "TYPE_CHECKING" and a.asname is None for a in node.names)
        for node in tree.body
    )


def type_checking_fix(tree: ast.Module, lines: LineIndex, fact: ImportFact, removal: TextEdit | None) -> Fix | None:
    """Moves a module-level import used only in annotations under ``if TYPE_CHECKING:``.

    Offered only where annotations are not evaluated at run time (``from __future__ import
    annotations``), so the moved name is never looked up when the module runs.
    """
    if removal is None or fact.type_checking or fact.deferred or not fact.bound or fact.statement_span not in (None, fact.span):
        return None
    if not any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and any(a.name == "annotations" for a in n.names) for n in tree.body):
        return None
    if not only_in_annotations(tree, fact.bound):
        return None
    span = fact.span
    statement = "\n".join(lines.line(n) for n in range(span.line, span.end_line + 1)).strip()
    indented = "\n".join("    " + row for row in statement.split("\n"))
    block = _type_checking_block(tree)
    if block is not None and block.end_lineno is not None:
        at = block.end_lineno + 1
        text = indented + "\n"
    else:
        imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) and n.end_lineno is not None]
        at = max(n.end_lineno for n in imports) + 1  # type: ignore[type-var]
        typing_import = "" if _binds_type_checking(tree) else "from typing import TYPE_CHECKING\n"
        text = f"{typing_import}\nif TYPE_CHECKING:\n{indented}\n"
    if at > len(lines.lines):
        insertion = TextEdit(Span(at - 1, len(lines.line(at - 1)) + 1, at - 1, len(lines.line(at - 1)) + 1), "\n" + text.rstrip("\n"))
    else:
        insertion = TextEdit(Span(at, 1, at, 1), text)
    return Fix(title="Move the import under `if TYPE_CHECKING:` (it only serves annotations)",
               edits=(removal, insertion), safe=True)
