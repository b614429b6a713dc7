"""The single visitor pass over a module's tree: ``ModuleFacts`` plus a transient node index.

``extract_facts`` walks the tree once and learns the imports (resolved, with the names they bind
and whether those are used), the classes (``class_facts``: bases resolved through the imports,
abstract markers, public methods) and the top-level definitions. In the same pass it records the
nodes the module checks need (loops, comprehensions, classes, string literals with the name they
are assigned to); ``tree_index(tree)`` hands that record to the checks so none of them walks the
whole tree again, and ``constructs.constructs_of`` turns its hover candidates into the
analysis's ``constructs``. The index lives in a weak cache keyed by the tree: it dies with the
tree and is never kept in the long-lived facts.

Spans are 1-based lines and 1-based columns counted in characters; ``ast`` reports UTF-8 byte
offsets, which ``LineIndex`` converts using the line's text.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from functools import lru_cache

from ..findings import Span
from .astutil import LineIndex, dotted_name, resolve_relative
from .class_facts import class_fact
from .facts import ImportFact, ModuleFacts
from .load_order import load_steps
from .node_index import TREE_INDEXES, LoopIndexer, TreeIndex, tree_index
from .statement_facts import FactsMemo, statement_items

__all__ = ["LineIndex", "TreeIndex", "dotted_name", "extract_facts", "resolve_relative", "tree_index"]


@lru_cache(maxsize=2048)
def _names_in_source(source: str) -> frozenset[str]:
    """The names a string annotation (``"Optional[Order]"``) mentions; the same few strings
    recur across a codebase, so each is parsed once per process."""
    try:
        parsed = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    return frozenset(inner.id for inner in ast.walk(parsed) if isinstance(inner, ast.Name))


TYPE_CHECKING_NAMES = frozenset({"TYPE_CHECKING", "MYPY", "MYPY_RUNNING", "TYPE_CHECKING_ONLY"})
"""Names of the flag that is true only for a type checker: ``typing.TYPE_CHECKING`` and the older
spellings projects define themselves (``MYPY = False``; pipenv's ``MYPY_RUNNING``, a tuning
package: ``if MYPY_RUNNING: from pipenv.project import Project`` is no import-time edge)."""


def _is_type_checking_test(test: ast.expr) -> bool:
    name = dotted_name(test)
    return name is not None and name.split(".")[-1] in TYPE_CHECKING_NAMES


def is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either order): the block runs only as a script, never on import."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


@dataclass
class _PendingClass:
    node: ast.ClassDef
    span: Span
    nested: bool
    type_checking: bool = False


class _FactsVisitor(LoopIndexer):
    """One pass: facts for the index and the node lists for the checks."""

    def __init__(self, text: str, module: str | None, is_package: bool, lines: list[str] | None) -> None:
        self.index = TreeIndex(LineIndex(text, lines))
        self.module = module
        self.is_package = is_package
        self.function_depth = 0
        self.class_depth = 0
        self.type_checking = 0
        self.main_guard = 0
        """Inside ``if __name__ == "__main__":``: imports there are not import-time edges."""
        self.annotation_depth = 0
        self.imports: list[ImportFact] = []
        self.aliases: dict[str, str] = {}
        self.classes: list[_PendingClass] = []
        self.defines: list[str] = []
        self.reads: list[str] = []
        """Every name read, in walk order (a list, so a statement's reads are a slice of it:
        ``statement_facts``); ``import_facts`` makes the set."""
        self.names_read = self.reads.append  # what ``visit_Name`` would do, without the call
        self.memo: FactsMemo | None = None
        super().__init__()
        self.bound_strings: set[int] = set()
        """ids of literals already recorded with the name they are bound to."""

    # -- imports -------------------------------------------------------------------------------
    def _add_import(self, fact: ImportFact) -> None:
        self.imports.append(fact)

    def visit_Import(self, node: ast.Import) -> None:
        statement = self.index.lines.span(node)
        several = len(node.names) > 1
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.calls_through[bound] = alias.name if alias.asname else bound
            if self.function_depth == 0:
                self.aliases[bound] = alias.name if alias.asname else bound
            span = self.index.lines.span(alias) if several and hasattr(alias, "lineno") else statement
            self._add_import(
                ImportFact(
                    module=alias.name,
                    names=(),
                    span=span,
                    bound=(bound,),
                    type_checking=self.type_checking > 0,
                    deferred=self.function_depth > 0 or self.main_guard > 0,
                    statement_span=statement,
                )
            )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        span = self.index.lines.span(node)
        target = resolve_relative(self.module, node.level, node.module, self.is_package)
        names = tuple(alias.name for alias in node.names)
        bound = tuple(alias.asname or alias.name for alias in node.names if alias.name != "*")
        if self.function_depth == 0:
            for alias in node.names:
                if alias.name != "*":
                    self.aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
        if node.module and not node.level:
            for alias in node.names:
                self.calls_through[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        self._add_import(
            ImportFact(
                module=target,
                names=names,
                span=span,
                is_from=True,
                level=node.level,
                bound=bound,
                used=True,
                type_checking=self.type_checking > 0,
                deferred=self.function_depth > 0 or self.main_guard > 0,
                statement_span=span,
            )
        )

    def visit_If(self, node: ast.If) -> None:
        if is_main_guard(node.test) and not node.orelse:
            self.visit(node.test)
            self.later(self._enter("main_guard", 1))
            for statement in node.body:
                self.visit(statement)
            self.later(self._enter("main_guard", -1))
            return
        if not _is_type_checking_test(node.test):
            self.generic_visit(node)
            return
        self.visit(node.test)
        self.later(self._enter("type_checking", 1))
        for statement in node.body:
            self.visit(statement)
        self.later(self._enter("type_checking", -1))
        for statement in node.orelse:
            self.visit(statement)

    # -- names and usage (a read ``Name`` goes straight to ``reads``: see ``names_read``) --------
    def _annotation(self, node: ast.expr | None) -> None:
        """Visits an annotation; names inside string annotations count as used too (read by
        ``visit_Constant`` while ``annotation_depth`` is up: no second walk of the annotation)."""
        if node is None:
            return
        self.later(self._enter("annotation_depth", 1))
        self.visit(node)
        self.later(self._enter("annotation_depth", -1))

    def visit_arg(self, node: ast.arg) -> None:
        self._annotation(node.annotation)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._annotation(node.annotation)
        self._define_target(node.target)
        if node.value is not None:
            self._bind_strings(node.target, node.value)
            self.visit(node.value)
        self.visit(node.target)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._define_target(target)
            self._bind_strings(target, node.value)
            if isinstance(target, ast.Name) and target.id == "__all__" and self.function_depth == 0:
                self._export_strings(node.value)
            self.visit(target)
        self.visit(node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id == "__all__":
            self._export_strings(node.value)
        self.generic_visit(node)

    def _export_strings(self, value: ast.expr) -> None:
        if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            for element in value.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    self.reads.append(element.value)

    def _define_target(self, target: ast.expr) -> None:
        if self.function_depth or self.class_depth:
            return
        if isinstance(target, ast.Name):
            self.defines.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._define_target(element)

    # -- string literals and the names they are bound to ---------------------------------------
    def _bind_strings(self, target: ast.expr, value: ast.expr) -> None:
        name: str | None = None
        if isinstance(target, ast.Name):
            name = target.id
        elif isinstance(target, ast.Attribute):
            name = target.attr
        elif isinstance(target, ast.Subscript):
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                name = key.value
        if name is not None and isinstance(value, ast.Constant) and isinstance(value.value, str):
            self._bound_string(value, name)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            self._bound_string(node.value, node.arg)
        self.visit(node.value)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                self._bound_string(value, key.value)
        self.generic_visit(node)

    def _bound_string(self, literal: ast.Constant, name: str) -> None:
        self.index.strings.append((literal, name))
        self.bound_strings.add(id(literal))

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            if self.annotation_depth:
                self.reads.extend(_names_in_source(node.value))
            if id(node) not in self.bound_strings:
                self.index.strings.append((node, None))

    # -- definitions ---------------------------------------------------------------------------
    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self.function_depth and not self.class_depth:
            self.defines.append(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.visit(node.args)
        self._annotation(node.returns)
        self.later(self._enter("function_depth", 1))
        self.later(self._new_frame)
        for statement in node.body:
            self.visit(statement)
        self.later(self._end_frame)
        self.later(self._enter("function_depth", -1))

    visit_FunctionDef = _visit_function

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.index.async_defs.append(node)
        self._visit_function(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.later(self._enter("function_depth", 1))
        self.later(self._new_frame)
        self.generic_visit(node)
        self.later(self._end_frame)
        self.later(self._enter("function_depth", -1))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        nested = bool(self.function_depth or self.class_depth)
        if not nested:
            self.defines.append(node.name)
        self.classes.append(
            _PendingClass(node, self.index.lines.name_span(node), nested, self.type_checking > 0)
        )
        self.index.classes.append(node)
        for expr in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(expr)
        self.later(self._enter("class_depth", 1))
        self.later(self._new_frame)
        if self.memo is None:
            for statement in node.body:
                self.visit(statement)
        else:  # each statement of a class body replayed when it was reused (``statement_facts``)
            self.pending += statement_items(self, node.body, self.memo)
        self.later(self._end_frame)
        self.later(self._enter("class_depth", -1))

    # -- results -------------------------------------------------------------------------------
    def resolve(self, name: str | None) -> str:
        """A dotted name as written, with its first part replaced by what an import bound it to."""
        if not name:
            return ""
        head, _, rest = name.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return name
        return f"{target}.{rest}" if rest else target

    def import_facts(self) -> tuple[ImportFact, ...]:
        referenced = set(self.reads)
        facts: list[ImportFact] = []
        for fact in self.imports:
            if fact.module == "__future__" or not fact.bound:
                facts.append(fact)
                continue
            unused = tuple(name for name in fact.bound if name not in referenced)
            if unused:
                fact = replace(fact, used=len(unused) < len(fact.bound), unused=unused)
            facts.append(fact)
        return tuple(facts)


def extract_facts(
    tree: ast.Module, text: str, module: str | None, *, is_package: bool = False, lines: list[str] | None = None,
    memo: FactsMemo | None = None,
) -> ModuleFacts:
    """Facts of one parsed module; also records the node index the module checks read.

    ``lines`` is ``source_lines(text)`` when the caller already has it (saves splitting again).
    ``memo`` (an open document's, see ``statement_facts``) replays what the previous tree's
    reused statements gave instead of walking them again, and is updated to this tree.
    """
    visitor = _FactsVisitor(text, module, is_package, lines)
    if memo is None:
        visitor.run(tree.body)
    else:
        memo.begin(module, is_package)
        visitor.memo = memo
        visitor.run(statement_items(visitor, tree.body, memo))
        memo.end()
    TREE_INDEXES[tree] = visitor.index
    imports = visitor.import_facts()
    return ModuleFacts(
        module=module,
        imports=imports,
        classes=tuple(class_fact(pending.node, pending.span, visitor.resolve, nested=pending.nested,
                                  type_checking=pending.type_checking) for pending in visitor.classes),
        defines=tuple(dict.fromkeys(visitor.defines)),
        # Only an indexed module's order is ever replayed (the checks' own pass has no module).
        load_order=load_steps(tree, imports) if module is not None else (),
    )
