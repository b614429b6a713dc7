"""What a module does, in order, while it is being imported: the facts ARC103 replays.

An import cycle fails only when a module asks a partially initialised one for a name it has not
bound yet (``from pkg import NAME`` run before ``pkg`` reaches ``NAME = ...``, or ``pkg.sub.NAME``
read at module level while ``pkg.sub`` is still running). Whether that can happen depends on the
order of a module's top-level statements, which the import facts alone do not keep. This module
walks the module-level code once (never function bodies, except those of functions the module
calls while it is imported) and records it as a tuple of steps, each a short string:

* ``i<k>`` -- the module's import fact number ``k`` runs here;
* ``r<k>`` -- import fact ``k``, inside a function of this module, runs here because the module
  calls that function at import time (a direct call or a decorator; one level: what *that*
  function calls is not followed);
* ``d<name>`` -- ``name`` is bound at module level here (``d*`` for ``from x import *``);
* ``u<a.b.c>`` -- a dotted name whose head an import bound is read here (at module level, in a
  default value, a decorator, a class body, an annotation evaluated at definition time, or in
  the body of a function called at import time).

Steps hold no line numbers, so an edit that only moves lines leaves them equal (and the index does
not re-run workspace checks for it). ``workspace.import_run`` replays them; this module only reads
one tree. Code under ``if TYPE_CHECKING:`` and ``if __name__ == "__main__":`` never runs on import
and is left out; string annotations, and every annotation under ``from __future__ import
annotations``, are never evaluated and are left out too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

from .facts import ImportFact

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _is_type_checking(test: ast.expr) -> bool:
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
    return name == "TYPE_CHECKING"


def _is_main_guard(test: ast.expr) -> bool:
    from .extract import is_main_guard

    return is_main_guard(test)


def _chain(node: ast.Attribute) -> str | None:
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    parts.append(current.id)
    return ".".join(reversed(parts))


class _Steps:
    """One module's walk; ``steps`` is the result."""

    def __init__(self, tree: ast.Module, imports: Sequence[ImportFact]) -> None:
        self.steps: list[str] = []
        self.facts_on_line: dict[int, list[int]] = {}
        for number, fact in enumerate(imports):
            if not fact.type_checking:
                line = (fact.statement_span or fact.span).line
                self.facts_on_line.setdefault(line, []).append(number)
        self.import_bound = {name for fact in imports if not fact.deferred for name in fact.bound}
        self.lazy_annotations = any(
            isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
            for s in tree.body
        )
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}

    # -- statements ------------------------------------------------------------------------------
    def statements(self, body: Iterable[ast.stmt], in_class: bool = False) -> None:
        for statement in body:
            self.statement(statement, in_class)

    def statement(self, node: ast.stmt, in_class: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.steps.extend(f"i{k}" for k in self.facts_on_line.get(node.lineno, ()))
            if not in_class:
                for alias in node.names:
                    bound = "*" if alias.name == "*" else alias.asname or alias.name.split(".")[0]
                    self.steps.append(f"d{bound}")
        elif isinstance(node, _FUNCTIONS):
            self.expressions([*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)])
            if not self.lazy_annotations:
                arguments = node.args
                every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                         *(a for a in (arguments.vararg, arguments.kwarg) if a)]
                self.expressions([*(a.annotation for a in every if a.annotation), *([node.returns] if node.returns else [])])
            self.run_decorators(node.decorator_list)
            if not in_class:
                self.functions[node.name] = node
                self.steps.append(f"d{node.name}")
        elif isinstance(node, ast.ClassDef):
            self.expressions([*node.decorator_list, *node.bases, *(k.value for k in node.keywords)])
            self.statements(node.body, in_class=True)
            self.run_decorators(node.decorator_list)
            if not in_class:
                self.steps.append(f"d{node.name}")
        elif isinstance(node, ast.If):
            if _is_type_checking(node.test) or _is_main_guard(node.test):
                self.statements(node.orelse, in_class)
                return
            self.expressions([node.test])
            self.statements(node.body, in_class)
            self.statements(node.orelse, in_class)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self.statements(node.body, in_class)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expressions([handler.type])
                if handler.name and not in_class:
                    self.steps.append(f"d{handler.name}")
                self.statements(handler.body, in_class)
            self.statements(node.orelse, in_class)
            self.statements(node.finalbody, in_class)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)):
            heads = [child for field, child in ast.iter_fields(node)
                     if field not in ("body", "orelse") and isinstance(child, ast.AST)]
            heads += [item for item in getattr(node, "items", ())]
            self.expressions(heads, bind=not in_class)
            self.statements(node.body, in_class)
            self.statements(getattr(node, "orelse", ()), in_class)  # ``with`` has none
        elif isinstance(node, ast.AnnAssign) and self.lazy_annotations:
            self.expressions([node.value, node.target] if node.value else [node.target], bind=not in_class)
        else:
            self.expressions([node], bind=not in_class)

    # -- expressions -----------------------------------------------------------------------------
    def expressions(self, nodes: Iterable[ast.AST | None], bind: bool = False) -> None:
        """Reads, calls of this module's functions, then (``bind``) module-level names stored."""
        stored: list[str] = []
        pending = [node for node in nodes if node is not None][::-1]
        while pending:
            node = pending.pop()
            if isinstance(node, _SCOPES):
                continue  # a lambda's body runs later; defs and classes are statements
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                chain = _chain(node)
                if chain is not None:
                    if chain.split(".", 1)[0] in self.import_bound:
                        self.steps.append(f"u{chain}")
                    continue
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                stored.append(node.id)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                self.run(node.func.id)
            pending.extend(reversed(list(ast.iter_child_nodes(node))))
        if bind:
            self.steps.extend(f"d{name}" for name in stored)

    def run_decorators(self, decorators: list[ast.expr]) -> None:
        for decorator in decorators:
            if isinstance(decorator, ast.Name):  # ``@register`` calls ``register`` now
                self.run(decorator.id)

    def run(self, name: str) -> None:
        """A call of this module's function ``name`` at import time: its imports and its reads of
        module-level imports run now (one level: its own calls are not followed)."""
        function = self.functions.get(name)
        if function is None:
            return
        local = set()
        pending: list[ast.AST] = list(function.body)[::-1]
        while pending:
            node = pending.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.steps.extend(f"r{k}" for k in self.facts_on_line.get(node.lineno, ()))
                local.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
                continue
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                chain = _chain(node)
                if chain is not None:
                    head = chain.split(".", 1)[0]
                    if head in self.import_bound and head not in local:
                        self.steps.append(f"u{chain}")
                    continue
            pending.extend(reversed(list(ast.iter_child_nodes(node))))


def load_steps(tree: ast.Module, imports: Sequence[ImportFact]) -> tuple[str, ...]:
    """The module's import-time steps (see the module docstring); ``imports`` are its facts, in
    the order ``ModuleFacts.imports`` keeps them (the steps name them by position)."""
    walk = _Steps(tree, imports)
    walk.statements(tree.body)
    return tuple(walk.steps)
