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
* ``c<name>`` -- the module calls ``name``, bound by ``from x import name``, at import time: the
  imports of that function of ``x`` (its ``f`` step) run here (one level, as for ``r``);
* ``f<name>=<k>,<k>`` -- not run: the module's function ``name`` runs import facts ``k`` when it is
  called (only for functions that import), for the ``c`` steps of the modules that call it;
* ``d<name>`` -- ``name`` is bound at module level here (``d*`` for ``from x import *``);
* ``u<a.b.c>`` -- a dotted name whose head an import bound is read here (at module level, in a
  default value, a decorator, a class body, an annotation evaluated at definition time, or in
  the body of a function called at import time);
* ``a<name>`` -- ``name`` is bound at module level to the type-checking flag (mautrix's
  ``__optional_imports__ = TYPE_CHECKING``): an ``if name:`` block never runs on import;
* ``t<name>`` ... ``t-`` -- the steps between run only if ``name``, bound by ``from x import name``,
  is true: the replay skips them when ``x`` has an ``a<name>`` step (an ``if`` on a flag this
  module binds itself that way is left out here, like ``if TYPE_CHECKING:``);
* ``g<catches>`` ... ``g-`` -- the steps between run inside a ``try:`` body (or a
  ``with suppress(...)`` block) whose handler catches what a partial module raises: ``i`` in
  ``catches`` for ImportError (``from pkg import NAME``), ``a`` for AttributeError (``pkg.NAME``
  read at module level). An optional import that falls into a cycle is caught there and the
  module goes on (mlflow's CLI adds a subcommand only ``try: from mlflow.mcp.cli import ...``).

Steps hold no line numbers, so an edit that only moves lines leaves them equal (and the index does
not re-run workspace checks for it). ``workspace.import_run`` replays them; this module only reads
one tree. Code under ``if TYPE_CHECKING:`` and ``if __name__ == "__main__":`` never runs on import
and is left out; string annotations, and every annotation under ``from __future__ import
annotations``, are never evaluated and are left out too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence

from .facts import ImportFact

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_CATCH_ALL = frozenset({"Exception", "BaseException"})
_CATCHES = {"ImportError": "i", "ModuleNotFoundError": "", "AttributeError": "a"}
"""What a handler of each name catches of a partial module's failures (ModuleNotFoundError is a
subclass of ImportError: it does not catch "cannot import name")."""
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _is_type_checking(test: ast.expr) -> bool:
    from .extract import TYPE_CHECKING_NAMES

    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
    return name in TYPE_CHECKING_NAMES


def _is_flag_alias(node: ast.Assign | ast.AnnAssign) -> bool:
    """``NAME = TYPE_CHECKING`` (or ``typing.TYPE_CHECKING``, annotated or not): one plain name."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return (len(targets) == 1 and isinstance(targets[0], ast.Name) and node.value is not None
            and isinstance(node.value, (ast.Name, ast.Attribute)) and _is_type_checking(node.value))


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
        self.from_bound = {name for fact in imports if fact.is_from and not fact.deferred and not fact.type_checking
                           for name in fact.bound}
        self.lazy_annotations = any(
            isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
            for s in tree.body
        )
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.type_checking_flags: set[str] = set()
        """Names this module bound at its top level to the type-checking flag, so far."""

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
            arguments = node.args
            evaluated = [*node.decorator_list, *arguments.defaults, *arguments.kw_defaults]
            if not self.lazy_annotations:  # annotations are evaluated when the ``def`` runs
                evaluated += [argument.annotation for argument in (
                    *arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg,
                    arguments.kwarg) if argument is not None]
                evaluated.append(node.returns)
            self.expressions(evaluated)
            if node.decorator_list:
                self.run_decorators(node.decorator_list)
            if not in_class:
                self.functions[node.name] = node
                self.steps.append(f"d{node.name}")
                runs = [str(k) for statement in _statements_run(node.body)
                        for k in self.facts_on_line.get(statement.lineno, ())]
                if runs:
                    self.steps.append(f"f{node.name}={','.join(runs)}")
        elif isinstance(node, ast.ClassDef):
            self.expressions([*node.decorator_list, *node.bases, *(k.value for k in node.keywords)])
            self.statements(node.body, in_class=True)
            self.run_decorators(node.decorator_list)
            if not in_class:
                self.steps.append(f"d{node.name}")
        elif isinstance(node, ast.If):
            flag = node.test.id if isinstance(node.test, ast.Name) else None
            if _is_type_checking(node.test) or _is_main_guard(node.test) or flag in self.type_checking_flags:
                self.statements(node.orelse, in_class)
                return
            self.expressions([node.test])
            if flag is not None and flag in self.from_bound:
                self.steps.append(f"t{flag}")
                self.statements(node.body, in_class)
                self.steps.append("t-")
            else:
                self.statements(node.body, in_class)
            self.statements(node.orelse, in_class)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self.guarded(node.body, in_class, _caught([handler.type for handler in node.handlers]))
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
            heads += list(getattr(node, "items", ()))
            self.expressions(heads, bind=not in_class)
            self.guarded(node.body, in_class, _suppressed(getattr(node, "items", ())))
            self.statements(getattr(node, "orelse", ()), in_class)  # ``with`` has none
        elif (not in_class and isinstance(node, (ast.Assign, ast.AnnAssign)) and _is_flag_alias(node)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            name = target.id if isinstance(target, ast.Name) else ""
            self.type_checking_flags.add(name)
            self.steps.extend((f"d{name}", f"a{name}"))
        elif isinstance(node, ast.AnnAssign) and self.lazy_annotations:
            self.expressions([node.value, node.target] if node.value else [node.target], bind=not in_class)
        else:
            self.expressions([node], bind=not in_class)

    def guarded(self, body: list[ast.stmt], in_class: bool, catches: str) -> None:
        """``body``'s steps, between ``g<catches>`` and ``g-`` when it catches a partial module's
        failure (no marks otherwise, so most modules' steps are unchanged)."""
        if catches:
            self.steps.append(f"g{catches}")
        self.statements(body, in_class)
        if catches:
            self.steps.append("g-")

    # -- expressions -----------------------------------------------------------------------------
    def expressions(self, nodes: Iterable[ast.AST | None], bind: bool = False) -> None:
        """Reads, calls of this module's functions, then (``bind``) module-level names stored."""
        roots = [node for node in nodes if node is not None]
        if not roots:
            return
        stored: list[str] = []
        for kind, value in _events(roots):
            if kind is _READ:
                if value.split(".", 1)[0] in self.import_bound:
                    self.steps.append(f"u{value}")
            elif kind is _CALL:
                self.run(value)
            else:
                stored.append(value)
        if bind:
            self.steps.extend(f"d{name}" for name in stored)

    def run_decorators(self, decorators: list[ast.expr]) -> None:
        for decorator in decorators:
            if isinstance(decorator, ast.Name):  # ``@register`` calls ``register`` now
                self.run(decorator.id)

    def run(self, name: str) -> None:
        """A call of this module's function ``name`` at import time: its imports and its reads of
        module-level imports run now (one level: its own calls are not followed). A function
        imported by name from another module leaves a ``c`` step (its imports run now too)."""
        function = self.functions.get(name)
        if function is None:
            if name in self.from_bound:  # another module's function: the replay looks it up
                self.steps.append(f"c{name}")
            return
        local: set[str] = set()
        for statement in _statements_run(function.body):
            self.steps.extend(f"r{k}" for k in self.facts_on_line.get(statement.lineno, ()))
            local.update(alias.asname or alias.name.split(".")[0] for alias in statement.names)
        for kind, value in _events(function.body):
            head = value.split(".", 1)[0]
            if kind is _READ and head in self.import_bound and head not in local:
                self.steps.append(f"u{value}")


def _caught(types: list[ast.expr | None]) -> str:
    """Which of a partial module's failures (``i``, ``a``) the handlers of these types catch."""
    caught = ""
    for node in types:
        if node is None:
            return "ia"  # a bare ``except:``
        for name in (node.elts if isinstance(node, ast.Tuple) else [node]):
            last = name.attr if isinstance(name, ast.Attribute) else getattr(name, "id", "")
            if last in _CATCH_ALL:
                return "ia"
            caught += _CATCHES.get(last, "")
    return "".join(sorted(set(caught)))


def _suppressed(items: Iterable[ast.withitem]) -> str:
    """What a ``with suppress(...)`` (``contextlib.suppress``) among ``items`` catches."""
    for item in items:
        call = item.context_expr
        if isinstance(call, ast.Call) and (getattr(call.func, "attr", None) or getattr(call.func, "id", None)) == "suppress":
            return _caught(list(call.args))
    return ""


_READ, _CALL, _STORE = "read", "call", "store"
_LEAVES = (ast.Constant, ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import,
           ast.ImportFrom, ast.Pass, ast.Break, ast.Continue)


def _events(nodes: list) -> Iterator[tuple[str, str]]:
    """The dotted reads (``a.b.c``), calls of a bare name and names stored in ``nodes``, without
    entering lambdas, defs or classes (their bodies run later, or are statements of their own).
    One tight loop over ``_fields``: module-level code holds large literal tables (Django's
    locale formats), and ``ast.iter_child_nodes`` made this pass a third of the facts pass."""
    stack = list(reversed(nodes))
    attribute, call, name, leaves, ast_type = ast.Attribute, ast.Call, ast.Name, _LEAVES, ast.AST
    while stack:
        node = stack.pop()
        cls = node.__class__
        if cls in leaves:
            continue
        if cls is name:
            if node.ctx.__class__ is not ast.Load:
                yield _STORE, node.id
            continue
        if cls is attribute and node.ctx.__class__ is ast.Load:
            chain = _chain(node)
            if chain is not None:
                yield _READ, chain
                continue
        elif cls is call and node.func.__class__ is name:
            yield _CALL, node.func.id
        for field in reversed(cls._fields):
            value = getattr(node, field, None)
            if value.__class__ is list:
                stack.extend(item for item in reversed(value) if isinstance(item, ast_type))
            elif isinstance(value, ast_type):
                stack.append(value)


def _statements_run(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of a function body that run when it is called (not those of nested
    functions)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.expr)):
            stack.extend(reversed([child for child in ast.iter_child_nodes(node) if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case))]))


def load_steps(tree: ast.Module, imports: Sequence[ImportFact]) -> tuple[str, ...]:
    """The module's import-time steps (see the module docstring); ``imports`` are its facts, in
    the order ``ModuleFacts.imports`` keeps them (the steps name them by position)."""
    walk = _Steps(tree, imports)
    walk.statements(tree.body)
    return tuple(walk.steps)
