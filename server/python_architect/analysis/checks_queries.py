"""N+1 queries (ARC502): a statement that runs once per item of a loop, with that item as its
parameter.

The facts pass lists the query-shaped calls inside loops (``TreeIndex.loop_calls``); this module
decides which of them are one round trip per item. A call is judged as the whole statement it
belongs to (``db.session.query(M).filter_by(id=i).update(...)`` is one statement, named by the
link that runs it), and these are not N+1 (issue 21, each seen on real packages):

- building a query that nothing runs in the loop (``.filter(...)``, ``.subquery()``);
- reading the rows of one statement (``cursor.fetchmany(n)``);
- batches: the loop walks chunks (``chunks(ids, 500)``, ``itertools.batched``, ``groupby``, a
  slice per pass, ``range(0, n, step)``), the statement takes a collection (``.in_(chunk)``, a
  list of parameter rows) or pages (``.limit(n)``, ``LIMIT``);
- a different statement per pass: the loop walks tables, models, sequences or settings
  (``table.delete()``, ``session.query(model)``, ``select_from(table)``, ``DropTable(...)``,
  ``"PRAGMA %s" % name``, ``LISTEN``: ``statement_per_pass``); the number of passes follows the
  schema, not the data;
- a literal of names or values written in the code (``for model in (A, B, C)``,
  ``for privilege in ["INSERT", "UPDATE"]``, a constant bound once to one: ``fixed_loops``): the
  code fixes the number of passes. A loop over rows inside or around such a loop is still judged
  on its own: each row is a round trip;
- a loop that returns, breaks or raises on its first pass (``fixed_loops.exits_on_first_pass``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from ..codes import ARC502
from .astutil import dotted_name
from .context import relative_to_root
from .extract import tree_index
from .fixed_loops import exits_on_first_pass, walks_batches, walks_fixed_names
from .registry import ModuleContext, RawFinding, check
from .statement_per_pass import statement_varies

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

_DATA_OBJECT = re.compile(
    r"^(?:.*_)?(?:session|sess|db|database|conn|connection|cursor|cur|repo|repository|uow)s?$"
)
# Links that send a statement to the database (on a session, connection or a legacy ``Query``).
_RUNS = frozenset({
    "execute", "exec_driver_sql", "scalars", "scalar", "get", "all", "first", "one",
    "one_or_none", "count", "update", "delete", "first_or_404", "one_or_404", "get_or_404",
})
# Links that page through the rows: the loop asks for the next page, not for the next item.
_PAGES = frozenset({"limit", "offset", "fetchmany", "yield_per", "partitions", "slice", "paginate"})
# Calls whose arguments are a collection of keys: one statement for many items.
_PAGE_SQL = re.compile(r"\bOFFSET\b|\bLIMIT\s+(?!1\b)", re.IGNORECASE)
_MANY = frozenset({"in_", "not_in", "notin_", "any_", "all_", "tuple_"})
_MIGRATION_DIRS = frozenset({"migrations", "_migrations", "alembic"})
_MIGRATION_MODULE = re.compile(r"(?:^|_)(?:migrations?|migrate)(?:_|$)")


def _receiver_is_data_object(func: ast.Attribute) -> str | None:
    """The dotted receiver when some part of it names a session, connection, cursor or repository."""
    node: ast.AST = func.value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value  # session.query(User).filter(...) -> session
    name = dotted_name(node)
    if name is None:
        return None
    parts = [part.lstrip("_").lower() for part in name.split(".")]
    return name if any(_DATA_OBJECT.match(part) for part in parts if part not in ("self", "cls")) else None


def _is_migration(ctx: ModuleContext) -> bool:
    """Alembic ``versions/`` and Django ``migrations/`` scripts (by path, or an alembic import), and
    data-migration modules by name (``storage/runs/migration.py``, ``migrate_tags.py``)."""
    relative = Path(relative_to_root(ctx.path, ctx.root) or ctx.path.name)
    parts = set(relative.parts[:-1])
    if parts & _MIGRATION_DIRS or _MIGRATION_MODULE.search(relative.stem):
        return True
    return "versions" in parts and any(i.module.split(".")[0] == "alembic" for i in ctx.facts.imports)


_MIGRATION_STEP = re.compile(r"^(?:upgrade|downgrade)$")
_MIGRATION_DECORATOR = re.compile(r"^(?:upgrade|downgrade|migration|migrate|upgrader)$")


def _loops_of_migration_steps(tree: ast.Module) -> set[int]:
    """The loops inside a function that is one step of a schema migration: decorated as one
    (FlexGet's ``@db_schema.upgrade('series')``, read wrong 18 times on the twenty-seventh set),
    or written as alembic's steps are (a top-level ``upgrade()`` / ``downgrade()`` without
    parameters). A function that only has ``migrate`` in its name may be the storage's own code
    and stays judged."""
    loops: set[int] = set()
    # alembic's steps by name: top-level and without parameters (a billing ``upgrade(user, plan)``
    # is application code).
    steps = {id(node) for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
             and _MIGRATION_STEP.search(node.name) and not _has_parameters(node)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                id(node) in steps or any(
                    _MIGRATION_DECORATOR.search(_decorator_name(d)) for d in node.decorator_list)):
            loops.update(id(n) for n in ast.walk(node) if isinstance(n, (ast.For, ast.AsyncFor, ast.While)))
    return loops


def _has_parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = function.args
    return bool(arguments.posonlyargs or arguments.args or arguments.kwonlyargs or arguments.vararg or arguments.kwarg)


def _decorator_name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _is_lookup_not_query(receiver: str, first: ast.Call) -> bool:
    """A mapping lookup (``sessions.get(sid)``, ``db_map.get(key)``) or HTTP (``session.get(url)``):
    ``get`` is a query only as ``session.get(Model, id)`` or on a repository."""
    last = receiver.rsplit(".", 1)[-1].lstrip("_").lower()
    if last.endswith("s") and not last.endswith(("ss", "us")) and _DATA_OBJECT.match(last):
        return True  # a collection of sessions/connections, looked up by key
    attr = first.func.attr  # type: ignore[attr-defined]
    if attr.startswith("fetch"):
        return "repo" not in last  # a cursor's rows of a statement already run; a repository's query
    if attr != "get" or "repo" in last or last == "uow":
        return False
    model = dotted_name(first.args[0]) if first.args else None
    return model is None or not model.rsplit(".", 1)[-1][:1].isupper()


class _LoopScope:
    """One loop's body, indexed once: who holds each call (for method chains), what each name is
    assigned, and which names change from one pass to the next."""

    def __init__(self, loop: ast.AST) -> None:
        self.loop = loop
        self.parent: dict[int, ast.AST] = {}
        self.assigned: dict[str, list[ast.expr]] = {}
        roots = _body_of(loop)
        for root in roots:
            for node in ast.walk(root):
                for child in ast.iter_child_nodes(node):
                    self.parent[id(child)] = node
                if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        for name in ast.walk(target):
                            if isinstance(name, ast.Name):
                                self.assigned.setdefault(name.id, []).append(node.value)
        self.variables = _loop_variables(loop, self.assigned)
        self.collections = {
            name for name in self.variables
            if any(_is_collection(value) for value in self.assigned.get(name, []))
        }
        if walks_batches(loop):
            self.collections |= _target_names(loop)
        # A name built from a batch only (``stmt = select(T).where(T.id.in_(chunk))``, read on
        # airflow; ``args = list(new_codes) + [pk]`` in a ``while`` loop, read on pretix) holds one
        # statement per batch, not one per item (issue 21). What the loop walks or carries stays an item.
        items = self.variables - self.collections
        self.collections |= {
            name for name in items - _carried(loop, self.assigned)
            if not any(_item_in(value, items - {name}) for value in self.assigned.get(name, []))
        }


def _body_of(loop: ast.AST) -> list[ast.AST]:
    if isinstance(loop, ast.While):
        return [loop.test, *loop.body]
    if isinstance(loop, _LOOPS):
        return list(loop.body)  # type: ignore[attr-defined]
    parts = [getattr(loop, name, None) for name in ("elt", "key", "value")]
    generators: list[ast.AST] = []
    for generator in loop.generators:  # type: ignore[attr-defined]
        generators.extend(generator.ifs)
    return [part for part in parts if part is not None] + generators


def _target_names(loop: ast.AST) -> set[str]:
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        return {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    if isinstance(loop, _COMPREHENSIONS):
        return {n.id for g in loop.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
    return set()


def _uses(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _loop_variables(loop: ast.AST, assigned: dict[str, list[ast.expr]]) -> set[str]:
    """The names that differ per pass: a ``for`` target, or what a ``while`` loop carries from one
    pass to the next (tested in its condition, or advanced with ``+=``), and names computed from
    them (``cid = order.customer_id``)."""
    names = _carried(loop, assigned)
    for _ in range(2):  # derived from derived: ``o = order; cid = o.customer_id``
        for name, values in assigned.items():
            if name not in names and any(_uses(value, names) for value in values):
                names.add(name)
    return names


def _carried(loop: ast.AST, assigned: dict[str, list[ast.expr]]) -> set[str]:
    """What a loop walks (a ``for`` target) or carries from pass to pass (a ``while`` loop's tested
    name assigned in it, or a name advanced with ``+=``)."""
    names = _target_names(loop)
    if isinstance(loop, ast.While):
        tested = {n.id for n in ast.walk(loop.test) if isinstance(n, ast.Name)}
        names |= tested & set(assigned)
        names |= {n.target.id for n in ast.walk(loop) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)}
    return names


def _is_collection(value: ast.expr) -> bool:
    """A value that holds many items: a slice, a list or set built in place, ``list(...)``."""
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice):
        return True
    if isinstance(value, (ast.List, ast.Set)):
        # ``batch = []`` filled by ``append``, or ``[*chunk, pk]``; ``[row.id]`` is one row's parameters.
        return not value.elts or any(isinstance(e, ast.Starred) for e in value.elts)
    if isinstance(value, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):  # ``list(batch) + [parent_id]``
        return _is_collection(value.left) or _is_collection(value.right)
    return isinstance(value, ast.Call) and dotted_name(value.func) in ("list", "set", "tuple", "sorted")


def _chain(top: ast.Call) -> list[ast.Call]:
    """The method calls of one chain, from the receiver outwards."""
    links = [top]
    node = top.func.value  # type: ignore[attr-defined]
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        links.append(node)
        node = node.func.value
    return links[::-1]


def _outermost(call: ast.Call, scope: _LoopScope) -> ast.Call:
    node = call
    while True:
        holder = scope.parent.get(id(node))
        if not isinstance(holder, ast.Attribute):
            return node
        above = scope.parent.get(id(holder))
        if not (isinstance(above, ast.Call) and above.func is holder):
            return node
        node = above


def _runner(links: list[ast.Call], top: ast.Call, scope: _LoopScope) -> ast.Call | None:
    """The call that sends the statement: the first link that runs it, the statement iterated in
    the loop, or a later ``q.first()`` on the name it was assigned to. None when the loop only
    builds a query."""
    first = links[0].func.attr  # type: ignore[attr-defined]
    if first not in ("query", "filter", "filter_by"):
        return links[0]  # execute, scalars, get, a repository's method: runs at once
    for link in links:
        if link.func.attr in _RUNS:  # type: ignore[attr-defined]
            return link
    holder = scope.parent.get(id(top))
    if isinstance(holder, (*_COMPREHENSIONS, ast.comprehension, ast.For, ast.AsyncFor)):
        return top  # iterated: ``for row in session.query(...)``
    if isinstance(holder, ast.Call) and dotted_name(holder.func) in ("list", "tuple", "set", "sorted"):
        return top
    if isinstance(holder, ast.Assign):
        names = {t.id for t in holder.targets if isinstance(t, ast.Name)}
        for root in _body_of(scope.loop):
            for node in ast.walk(root):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name) and node.func.value.id in names
                        and node.func.attr in _RUNS):
                    return node
    return None


def _per_item(links: list[ast.Call], items: set[str]) -> bool:
    """An item of the loop (not a batch of them) reaches the statement as a parameter."""
    for link in links:
        for argument in [*link.args, *(kw.value for kw in link.keywords)]:
            if _item_in(argument, items):
                return True
    return False


def _item_in(node: ast.AST, items: set[str]) -> bool:
    """``items`` occur in ``node`` outside a many-keys call (``X.id.in_(ids)``) and outside the
    iterable of a comprehension (``[r[0] for r in batch]``)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name) and current.id in items:
            return True
        if isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute) and current.func.attr in _MANY:
            stack.append(current.func.value)
            continue
        if isinstance(current, _COMPREHENSIONS):
            stack.extend(g.target for g in current.generators)
            stack.extend(cond for g in current.generators for cond in g.ifs)
            continue
        stack.extend(ast.iter_child_nodes(current))
    return False


def _pages(links: list[ast.Call], scope: _LoopScope) -> bool:
    """A loop that walks pages: a ``while`` loop (or one over page numbers) whose statement asks for
    one page of rows (``.limit(size)``, ``.offset(n)``, ``LIMIT :size``), also when it was built
    into a name earlier in the loop (``query = select(...).limit(n)``). ``LIMIT 1`` is a lookup of
    one row, and a ``for`` loop over items with a limit per item is still a query per item."""
    loop = scope.loop
    over_numbers = isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.iter, ast.Call) and (
        (dotted_name(loop.iter.func) or "").rsplit(".", 1)[-1] in ("range", "count"))
    if not (isinstance(loop, ast.While) or over_numbers):
        return False
    nodes: list[ast.AST] = list(links)
    for link in links:
        for argument in link.args:
            if isinstance(argument, ast.Name):
                nodes.extend(scope.assigned.get(argument.id, []))
    for root in nodes:
        for node in ast.walk(root):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _PAGES
                    and not (node.func.attr == "limit" and node.args and _is_one(node.args[0]))):
                return True
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _PAGE_SQL.search(node.value):
                return True
    return False


def _is_one(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 1


def _shown(receiver: str, links: list[ast.Call], runner: ast.Call) -> str:
    methods = [link.func.attr for link in links]  # type: ignore[attr-defined]
    if runner in links:
        methods = methods[: links.index(runner) + 1]
        return receiver + "." + "(...).".join(methods) + "(...)"
    outer = dotted_name(runner.func) or "query"
    return f"{receiver}.{'(...).'.join(methods)}(...)` then `{outer}(...)"


@check(ARC502)
def n_plus_one_query(ctx: ModuleContext) -> Iterator[RawFinding]:
    if _is_migration(ctx):
        return  # a data migration walks the rows on purpose, once
    index = tree_index(ctx.tree, ctx.text)
    scopes: dict[int, _LoopScope] = {}
    fixed: dict[int, bool] = {}
    judged: set[int] = set()
    migration_loops: set[int] | None = None  # found only when a finding is about to be reported
    for call, loops in index.loop_calls:
        func = call.func
        assert isinstance(func, ast.Attribute)
        receiver = _receiver_is_data_object(func)
        if receiver is None:
            continue
        for loop in loops:
            if id(loop) not in scopes:
                scopes[id(loop)] = _LoopScope(loop)
                fixed[id(loop)] = walks_fixed_names(loop, ctx.tree) or exits_on_first_pass(loop)
        scope = scopes[id(loops[-1])]
        top = _outermost(call, scope)
        if id(top) in judged:
            continue  # another link of a chain already judged: one statement, one finding
        judged.add(id(top))
        links = _chain(top)
        if _is_lookup_not_query(receiver, links[0]):
            continue
        runner = _runner(links, top, scope)
        if runner is None:
            continue  # the loop builds a query; nothing runs it here
        # The loops whose item reaches the statement as a parameter; ``for model in (A, B, C)`` and
        # a first pass that returns are not among them.
        varying = [loop for loop in loops if not fixed[id(loop)]
                   and _per_item(links, scopes[id(loop)].variables - scopes[id(loop)].collections)]
        if not varying or _pages(links, scope):
            continue
        # A different statement per pass of *each* of them (``session.query(model)`` over models);
        # a loop over rows inside (or around) a loop over tables is still a query per row.
        if all(statement_varies(runner, top, scopes[id(loop)].assigned, _target_names(loop)) for loop in varying):
            continue
        if migration_loops is None:
            migration_loops = _loops_of_migration_steps(ctx.tree)
        if id(loops[0]) in migration_loops:
            continue  # a schema upgrade step runs once per database
        method = runner.func.attr if isinstance(runner.func, ast.Attribute) else "query"
        yield RawFinding(
            code=ARC502,
            message=f"`{_shown(receiver, links, runner)}` runs once per loop iteration (N+1 queries)",
            span=index.lines.span(runner if runner in links else top),
            data={"receiver": receiver, "method": method},
        )
