"""ARC502 ``different-statement-per-pass`` (issue 21): the loop's item is the table, model or schema
object the statement reads, so each pass runs a different statement that no ``IN (...)`` could
merge. Each shape read on a real package, beside its true-positive twin: the same statement with
the item as a *value* is a query per item."""

from __future__ import annotations

from analysis_harness import lines_of, run_check


def test_a_legacy_query_over_each_model_is_one_statement_per_table():
    """zenml's ``_account_owns_resources``: a count per table that references the user."""
    per_table = """
    def owns_resources(session, account, references):
        for schema, resource_attr in references:
            count = (
                session.query(func.count())
                .select_from(schema)
                .where(getattr(schema, resource_attr) == account.id)
                .scalar()
            )
            if count > 0:
                log(count)
        for model in references:
            session.query(model).filter(model.owner_id == account.id).delete()
        for model in references:
            session.query(Audit).join(aliased(model)).filter(Audit.user_id == account.id).all()
    """
    assert run_check("ARC502", per_table) == []
    # The twin: the same count over one table, filtered per row of the data.
    per_row = """
    def counts(session, accounts):
        for account in accounts:
            count = (
                session.query(func.count())
                .select_from(Pipeline)
                .where(Pipeline.user_id == account.id)
                .scalar()
            )
    """
    assert lines_of(run_check("ARC502", per_row)) == [5]


def test_sqlalchemy_2_select_from_each_table_is_one_statement_per_table():
    per_table = """
    def row_counts(session, tables):
        for table in tables:
            session.execute(select(func.count()).select_from(table)).scalar()
        for model in tables:
            stmt = select(func.count()).select_from(model.__table__).where(model.__table__.c.x == 1)
            session.execute(stmt)
    """
    assert run_check("ARC502", per_table) == []
    per_row = """
    def row_counts(session, rows):
        for row in rows:
            session.execute(select(func.count()).select_from(Order).where(Order.user_id == row.id))
    """
    assert lines_of(run_check("ARC502", per_row)) == [4]


def test_an_item_passed_as_values_is_still_a_query_per_item():
    """``.update(values)`` and ``", ".join(row)`` take the item as values, not as a table."""
    source = """
    def save(session, cur, rows):
        for values in rows:
            session.query(Member).filter_by(id=values["id"]).update(values)
        for row in rows:
            cur.execute("INSERT INTO t VALUES (%s)" % ", ".join(row))
    """
    assert lines_of(run_check("ARC502", source)) == [4, 6]


def test_a_loop_over_rows_inside_a_loop_over_tables_is_still_a_query_per_row():
    """The statement differs per table, but within one table each row is its own round trip."""
    source = """
    def purge(session, models, rows):
        for model in models:
            for row in rows:
                session.query(model).filter(model.id == row.id).delete()
        for row in rows:
            for model in models:
                session.query(model).filter(model.owner == row.id).delete()
    """
    assert lines_of(run_check("ARC502", source)) == [5, 8]


def test_a_statement_built_on_the_items_table_name_is_schema_work():
    """netbox's ltree rebuild (``populate_paths_sql(model._meta.db_table)``), a DuckDB extension
    load per configured extension (sqlmesh), a catalog query per schema (indico)."""
    per_table = """
    def rebuild(models, connection, conn, cursor, schemas, extensions):
        for model in models:
            cursor.execute(populate_paths_sql(model._meta.db_table, sort_path=model.has_sort_path()))
        for model in models:
            cursor.execute(count_sql(model.__tablename__))
        for extension in extensions:
            cursor.execute(f"INSTALL {extension['name']}")
            cursor.execute(f"LOAD {extension['name']}")
        for schema in schemas:
            conn.execute(
                "SELECT proname FROM pg_proc JOIN pg_namespace ns ON pronamespace = ns.oid WHERE ns.nspname = %s",
                (schema,),
            )
    """
    assert run_check("ARC502", per_table) == []
    # The twin: one table named by the code, a row of the data per pass.
    per_row = """
    def rebuild(cursor, rows):
        for row in rows:
            cursor.execute(update_sql(Order._meta.db_table, row.id))
        for row in rows:
            cursor.execute("SELECT * FROM orders WHERE id = %s", (row.id,))
    """
    assert lines_of(run_check("ARC502", per_row)) == [4, 6]


def test_a_batch_built_in_a_while_loop_is_one_statement_per_batch():
    """pretix's voucher codes: a ``while`` loop builds a set of candidate codes and checks them in
    one statement (``args = list(new_codes) + [organizer.pk]``)."""
    batched = """
    def generate_codes(cursor, organizer, num, batch_size):
        codes = set()
        while len(codes) < num:
            new_codes = set()
            for i in range(batch_size):
                new_codes.add(random_code())
            args = list(new_codes) + [organizer.pk]
            values = ", ".join(["(%s)"] * len(new_codes))
            cursor.execute(f"SELECT code FROM voucher JOIN (VALUES {values}) v(c) ON code = c WHERE org = %s", args)
            new_codes -= {row[0] for row in cursor.fetchall()}
            codes |= new_codes
    """
    assert run_check("ARC502", batched) == []
    # The twin: a list of one row's parameters is not a batch, in a ``for`` or a ``while`` loop.
    per_row = """
    def load(cursor, rows, cursor_id):
        for row in rows:
            params = [row.id] + [1]
            cursor.execute("SELECT * FROM t WHERE id = %s AND x = %s", params)
        while cursor_id:
            params = [cursor_id]
            cursor.execute("SELECT next FROM t WHERE id = %s", params)
            cursor_id = cursor.fetchone()[0]
    """
    assert lines_of(run_check("ARC502", per_row)) == [5, 8]
