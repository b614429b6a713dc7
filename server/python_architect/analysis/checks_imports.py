"""Import rules from ADRs: forbidden imports (ARC101) and layers (ARC102).

Both are driven by ADR rule entries (``kind: forbidden-import`` / ``kind: layers``), so they do
nothing in a workspace without such rules. Each finding names the rule it came from, so the
engine cites exactly that ADR. ARC101 offers a safe fix when the forbidden import is unused, or
the rule's ``use:`` module in its place; ARC102 moves an import that only serves annotations under
``if TYPE_CHECKING:`` when the rule ignores such imports.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from ..codes import ARC101, ARC102
from ..findings import Fix, Span, TextEdit
from ..knowledge.module_patterns import module_matches as in_module_pattern
from .extract import LineIndex, tree_index
from .facts import ImportFact
from .import_fixes import replacement_prefix, type_checking_fix, use_instead_fix
from .registry import ModuleContext, RawFinding, check

THIRD_PARTY = "<third-party>"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str) and item]
    return []


def module_matches(ctx: ModuleContext, module: str, pattern: str) -> bool:
    """``requests`` (and its submodules), ``pkg.*``, shell-style globs, or ``<third-party>``."""
    if module.startswith("."):
        return False  # a relative import we could not resolve: first-party by construction
    if pattern == THIRD_PARTY:
        return not ctx.is_stdlib(module) and not ctx.is_first_party(module)
    if pattern.endswith(".*") and "*" not in pattern[:-2]:
        package = pattern[:-2]
        return module == package or module.startswith(package + ".")
    if any(ch in pattern for ch in "*?["):
        return fnmatchcase(module, pattern)
    return module == pattern or module.startswith(pattern + ".")


def _imported_modules(fact: ImportFact) -> list[tuple[str, str | None]]:
    """``(module, name)`` pairs an import may load: the module, and ``module.name`` per from-name."""
    pairs: list[tuple[str, str | None]] = [(fact.module, None)]
    if fact.is_from:
        pairs += [(f"{fact.module}.{name}", name) for name in fact.names if name != "*"]
    return pairs


# -- ARC101 ------------------------------------------------------------------------------------


def _forbidden_names(ctx: ModuleContext, fact: ImportFact, modules: list[str], allow: list[str]) -> tuple[str, list[str]] | None:
    """The forbidden module this import loads and the from-names responsible (all when it is the
    module itself); None when the import is fine."""

    def forbidden(module: str, third_party_ok: bool = True) -> bool:
        if any(module_matches(ctx, module, pattern) for pattern in allow):
            return False
        return any(
            module_matches(ctx, module, pattern)
            for pattern in modules
            if third_party_ok or pattern != THIRD_PARTY
        )

    if fact.module and forbidden(fact.module):
        return fact.module, list(fact.names)
    # ``from app import api`` loads ``app.api``; ``<third-party>`` was already judged on ``app``.
    names = [name for module, name in _imported_modules(fact)[1:] if name and forbidden(module, False)]
    if names:
        return f"{fact.module}.{names[0]}", names
    return None


def _bound_name(fact: ImportFact, name: str, statement: ast.stmt | None) -> str:
    if statement is not None:
        for alias in getattr(statement, "names", []):
            if alias.name == name:
                return alias.asname or (name.split(".")[0] if not fact.is_from else name)
    return name if fact.is_from else name.split(".")[0]


def span_text(lines: LineIndex, span: Span) -> str:
    """The text a span covers."""
    if span.line == span.end_line:
        return lines.line(span.line)[span.column - 1 : span.end_column - 1]
    middle = lines.lines[span.line : span.end_line - 1]
    first = lines.line(span.line)[span.column - 1 :]
    return "\n".join([first, *middle, lines.line(span.end_line)[: span.end_column - 1]])


def _statement_node(lines: LineIndex, span: Span) -> ast.Import | ast.ImportFrom | None:
    """Re-parses one import statement's text (only when a fix is being built)."""
    try:
        body = ast.parse(span_text(lines, span)).body
    except SyntaxError:
        return None
    return body[0] if len(body) == 1 and isinstance(body[0], (ast.Import, ast.ImportFrom)) else None


def _removal_edit(lines: LineIndex, span: Span) -> TextEdit | None:
    """Deletes a whole statement; ``pass`` keeps a block that held only it valid."""
    before = lines.line(span.line)[: span.column - 1]
    after = lines.line(span.end_line)[span.end_column - 1 :]
    if before.strip() or (after.strip() and not after.strip().startswith("#")):
        return None  # shares its line with other code: leave it to a person
    indent = len(before)
    previous = next((lines.line(n) for n in range(span.line - 1, 0, -1) if lines.line(n).strip()), "")
    following = next(
        (lines.line(n) for n in range(span.end_line + 1, len(lines.lines) + 1) if lines.line(n).strip()), ""
    )
    following_indent = len(following) - len(following.lstrip())
    only_statement = indent > 0 and previous.rstrip().endswith(":") and (not following.strip() or following_indent < indent)
    if only_statement:
        return TextEdit(Span(span.line, 1, span.end_line, len(lines.line(span.end_line)) + 1), before + "pass")
    if span.end_line < len(lines.lines):
        return TextEdit(Span(span.line, 1, span.end_line + 1, 1), "")
    return TextEdit(Span(span.line, 1, span.end_line, len(lines.line(span.end_line)) + 1), "")


def _unused_import_fix(ctx: ModuleContext, fact: ImportFact, names: list[str], imported: str) -> Fix | None:
    lines = tree_index(ctx.tree, ctx.text).lines
    statement_span = fact.statement_span or fact.span
    statement = _statement_node(lines, statement_span)
    if statement is None:
        return None
    if isinstance(statement, ast.Import):
        targets = [fact.module]
    else:
        targets = names
    unused = set(fact.unused)
    if not all(_bound_name(fact, name, statement) in unused for name in targets):
        return None
    kept = [alias for alias in statement.names if alias.name not in targets]
    if not kept:
        edit = _removal_edit(lines, statement_span)
    else:
        trimmed = copy.copy(statement)
        trimmed.names = kept
        edit = TextEdit(statement_span, ast.unparse(trimmed))
    if edit is None:
        return None
    return Fix(title=f"Remove unused import of `{imported}`", edits=(edit,), safe=True)


@check(ARC101)
def forbidden_import(ctx: ModuleContext) -> Iterator[RawFinding]:
    rules = ctx.rules_for("forbidden-import")
    if not rules:
        return
    for _adr, rule in rules:
        modules = _strings(rule.options.get("modules"))
        allow = _strings(rule.options.get("allow"))
        for fact in ctx.facts.imports:
            found = _forbidden_names(ctx, fact, modules, allow)
            if found is None:
                continue
            imported, names = found
            if rule.message:
                message = rule.message
            else:
                where = f"`{ctx.module}`" if ctx.module else "This module"
                message = f"{where} must not import `{imported}` (rule `{rule.id}`)"
            fix = None if fact.used and not fact.unused else _unused_import_fix(ctx, fact, names, imported)
            use = rule.options.get("use")
            if fix is None and isinstance(use, str) and use and imported == fact.module:
                fix = _use_instead(ctx, fact, modules, use)
            yield RawFinding(
                code=ARC101,
                message=message,
                span=fact.span,
                fix=fix,
                rule=rule,
                data={"imported": imported, "rule": rule.id,
                      **({"chain": [ctx.module, imported]} if ctx.module else {})},
            )


def _use_instead(ctx: ModuleContext, fact: ImportFact, modules: list[str], use: str) -> Fix | None:
    """The rule's ``use:`` module in place of the forbidden one (``import_fixes``)."""
    old = replacement_prefix(fact.module, modules)
    if old is None:
        return None
    lines = tree_index(ctx.tree, ctx.text).lines
    statement = _statement_node(lines, fact.statement_span or fact.span)
    return use_instead_fix(lines, fact, statement, old, use)


# -- ARC102 ------------------------------------------------------------------------------------


def layer_prefixes(raw: Any) -> list[list[str]]:
    """``[top, ..., bottom]``; an entry may itself be a list of sibling prefixes of one layer."""
    layers: list[list[str]] = []
    for entry in raw if isinstance(raw, (list, tuple)) else []:
        prefixes = _strings(entry)
        if prefixes:
            layers.append(prefixes)
    return layers


def layer_of(module: str, layers: list[list[str]]) -> tuple[int, str] | None:
    """The index and prefix (or pattern: ``app.*.api``, ``app.**.api``, see
    ``knowledge.module_patterns``) of the most specific layer containing ``module``."""
    best: tuple[int, str] | None = None
    for position, prefixes in enumerate(layers):
        for prefix in prefixes:
            if in_module_pattern(module, prefix) and (best is None or len(prefix) > len(best[1])):
                best = (position, prefix)
    return best


@check(ARC102)
def layer_violation(ctx: ModuleContext) -> Iterator[RawFinding]:
    if ctx.module is None:
        return
    for _adr, rule in ctx.rules_for("layers"):
        layers = layer_prefixes(rule.options.get("layers"))
        own = layer_of(ctx.module, layers)
        if own is None:
            continue
        skip_type_checking = bool(rule.options.get("ignore-type-checking", False))
        for fact in ctx.facts.imports:
            if skip_type_checking and fact.type_checking:
                continue
            reported: set[str] = set()
            for module in _layer_targets(ctx, fact, layers):
                target = layer_of(module, layers)
                if target is None or target[0] >= own[0] or target[1] in reported:
                    continue
                reported.add(target[1])
                fix = None
                if skip_type_checking:  # the rule ignores TYPE_CHECKING imports: moving one fixes it
                    lines = tree_index(ctx.tree, ctx.text).lines
                    fix = type_checking_fix(ctx.tree, lines, fact, _removal_edit(lines, fact.statement_span or fact.span))
                yield RawFinding(
                    code=ARC102,
                    message=rule.message
                    or f"`{ctx.module}` (layer `{own[1]}`) imports `{module}` from the higher layer `{target[1]}`",
                    span=fact.span,
                    fix=fix,
                    rule=rule,
                    data={"imported": module, "layer": own[1], "higher_layer": target[1],
                          "chain": [ctx.module, module]},
                )


def _layer_targets(ctx: ModuleContext, fact: ImportFact, layers: list[list[str]]) -> list[str]:
    """The modules an import statement loads: ``from app import api`` loads ``app.api`` when that
    is a module (known to the index, or placed in a different layer than ``app``)."""
    if not fact.is_from:
        return [fact.module]
    base = layer_of(fact.module, layers)
    targets: list[str] = []
    for name in fact.names:
        submodule = f"{fact.module}.{name}"
        if name != "*" and (ctx.module_exists(submodule) or layer_of(submodule, layers) != base):
            targets.append(submodule)
        else:
            targets.append(fact.module)
    return list(dict.fromkeys(targets))
