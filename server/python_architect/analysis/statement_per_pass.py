"""ARC502's ``different-statement-per-pass``: whether each pass of a loop runs a *different*
statement, one that no ``IN (...)`` over the items could merge, so a statement per pass is
schema-bound work and not N+1 (issue 21).

The statement differs per pass when the loop's item is the statement itself or what it reads:

- the statement or its SQL text is the item (``for stmt in statements``, ``text(query)``), or the
  text names the item as its table (``f"SELECT COUNT(*) FROM {table}"``, read on mlflow);
- a construct on the item as its table or model: ``table.delete()``, SQLAlchemy 2.0's
  ``delete(model)``/``select(model)``, a legacy query over it (``session.query(model)``,
  ``.select_from(model)``, ``.join(model)``, ``select(func.count()).select_from(table)``, read on
  zenml), or its ``model.__table__``;
- a statement built on the item's table name (``populate_paths_sql(model._meta.db_table)``, read on
  netbox; ``model.__tablename__``);
- a DDL construct (``DropTable(...)``), a schema or session command (``PRAGMA``, ``CREATE``,
  ``LISTEN``, DuckDB's ``INSTALL``/``LOAD``, read on sqlmesh), or a query of the database's own
  catalog (``pg_proc``, ``information_schema``, ``sqlite_master``, read on indico): the passes
  follow the schema, not the data.

An item passed as a *value* (``.where(Model.id == item)``, ``WHERE id = {item}``, ``.update(row)``)
is not this: that is the N+1 shape. Pure functions of the loop's nodes; no state.
"""

from __future__ import annotations

import ast
import re

from .astutil import dotted_name

_TAKES_STATEMENT = frozenset({
    "execute", "exec", "exec_driver_sql", "scalars", "scalar", "stream", "stream_scalars",
})
_COMMAND_SQL = re.compile(
    r"^\s*(?:CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|COMMENT|PRAGMA|SET|RESET|LISTEN|UNLISTEN|"
    r"NOTIFY|VACUUM|ANALYZE|REINDEX|CLUSTER|LOCK|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|USE|"
    r"ATTACH|DETACH|DECLARE|INSTALL|LOAD)\b",
    re.IGNORECASE,
)
_DDL_CONSTRUCT = re.compile(r"^_*(?:Create|Drop|Add|Alter|Set|Comment)[A-Z]|DDL")
# The database's own catalog: a statement per table or schema there is schema work (read on indico).
_CATALOG_SQL = re.compile(
    r"\b(?:information_schema|pg_catalog|pg_(?:class|namespace|proc|tables|indexes|attribute|constraint|"
    r"type|roles|views|sequences|depend)|sqlite_master|sqlite_schema)\b",
    re.IGNORECASE,
)
_NAMES_A_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|TABLE|JOIN)\s+[\"`\[]?$", re.IGNORECASE)
# SQLAlchemy's statement constructors, called as functions: their first argument is the table.
_CONSTRUCTS = frozenset({"delete", "insert", "update", "select"})
# Links of a query whose positional arguments are what it reads FROM (models, tables, entities),
# as methods on any receiver; ``.update(values)``/``.filter(...)`` take values, so are not here.
_FROM_LINKS = frozenset({"query", "select_from", "join", "outerjoin", "with_entities", "aliased"})


def base_name(node: ast.AST) -> str | None:
    """The name a chain of calls, attributes, subscripts and awaits starts from."""
    while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript, ast.Await)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def statement_varies(runner: ast.Call, top: ast.Call, assigned: dict[str, list[ast.expr]],
                     targets: set[str]) -> bool:
    """Each pass runs a different statement: see the module docstring. ``runner`` sends the
    statement, ``top`` is the whole chain it belongs to, ``assigned`` what each name of the loop
    body is bound to (``stmt = select(...)`` then ``session.execute(stmt)``), ``targets`` the loop
    targets."""
    takes_statement = bool(runner.args) and getattr(runner.func, "attr", None) in _TAKES_STATEMENT
    statement = runner.args[0] if takes_statement else None
    base = base_name(statement) if statement is not None else None
    values = assigned.get(base, []) if base else []
    if any(_reads_item_as_table(root, targets) for root in [top, *values]):
        return True  # ``session.query(model)``, ``select_from(table)``, ``delete(model)`` per pass
    if statement is None:
        return False
    if base in targets or _text_of(statement, targets):
        return True
    if any(base_name(value) in targets or _text_of(value, targets) for value in values):
        return True  # ``stmt = table.delete()`` then ``execute(stmt)``
    for root in [statement, *values]:
        for node in ast.walk(root):
            if isinstance(node, ast.Call) and _DDL_CONSTRUCT.search((dotted_name(node.func) or "").rsplit(".", 1)[-1]):
                return True
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    _COMMAND_SQL.match(node.value) or _CATALOG_SQL.search(node.value)):
                return True
            if _table_name_of(node, targets):  # ``populate_paths_sql(model._meta.db_table)``
                return True
    return False


def _text_of(statement: ast.AST, targets: set[str]) -> bool:
    """The SQL text itself is the loop's item, or names the item as its table: ``text(query)``
    over a table of queries, ``text(f"SELECT COUNT(*) FROM {table}")``. An item interpolated as a
    *value* (``WHERE id = {item}``) is not this."""
    while isinstance(statement, ast.Call) and len(statement.args) == 1 and \
            (dotted_name(statement.func) or "").rsplit(".", 1)[-1] in ("text", "SQL", "literal_column"):
        statement = statement.args[0]
    if isinstance(statement, ast.Name):
        return statement.id in targets
    if isinstance(statement, ast.JoinedStr):
        before = ""
        for part in statement.values:
            if isinstance(part, ast.Constant):
                before += str(part.value)
            elif isinstance(part, ast.FormattedValue):
                if base_name(part.value) in targets and _NAMES_A_TABLE.search(before):
                    return True
                before += "?"
    return False


def _reads_item_as_table(root: ast.AST, targets: set[str]) -> bool:
    """Somewhere in ``root`` a statement is built on the loop's item as its table or model:
    ``table.delete()``/``model.__table__.delete()``, ``delete(model)``, ``select(model)``,
    ``session.query(model)``, ``.select_from(table)``, ``.join(model)``."""
    for node in ast.walk(root):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        # A query's ``join`` is a link of its chain; ``", ".join(row)`` and ``os.path.join`` are not.
        chained = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
        if name in _FROM_LINKS and (chained or name not in ("join", "outerjoin")) \
                and any(_is_item_table(arg, targets) for arg in node.args):
            return True
        if name in _CONSTRUCTS and node.args and _is_item_table(node.args[0], targets) \
                and dotted_name(func) is not None:  # ``delete(model)``, ``sa.update(table)``; not ``q.update(row)``
            return True
        if name in _CONSTRUCTS and isinstance(func, ast.Attribute) and _is_item_table(func.value, targets):
            return True  # ``table.delete()``, ``model.__table__.insert()``
    return False


def _table_name_of(node: ast.AST, targets: set[str]) -> bool:
    """The item's table spelled as the ORM keeps it (``model.__table__``, ``model.__tablename__``,
    Django's ``model._meta.db_table``): never a row's value, so wherever the statement holds it,
    it is the table the statement reads."""
    if not isinstance(node, ast.Attribute):
        return False
    if node.attr in ("__table__", "__tablename__"):
        return isinstance(node.value, ast.Name) and node.value.id in targets
    return node.attr == "db_table" and isinstance(node.value, ast.Attribute) and node.value.attr == "_meta" \
        and isinstance(node.value.value, ast.Name) and node.value.value.id in targets


def _is_item_table(node: ast.AST, targets: set[str]) -> bool:
    """The loop's item itself (``model``), its table (``model.__table__``), or an alias of it
    (``aliased(model)``)."""
    if isinstance(node, ast.Name):
        return node.id in targets
    if _table_name_of(node, targets):
        return True
    if isinstance(node, ast.Call) and (dotted_name(node.func) or "").rsplit(".", 1)[-1] == "aliased" and node.args:
        return _is_item_table(node.args[0], targets)
    return False
