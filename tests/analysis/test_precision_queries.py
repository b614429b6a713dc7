"""ARC502 (N+1 query) false-positive classes seen on real packages (issue 21), each beside the
true-positive twin that must still be reported."""

from __future__ import annotations

from analysis_harness import lines_of, run_check


def test_a_query_chain_is_one_finding_named_by_the_call_that_runs_it():
    source = """
    def retire(db, members):
        for m in members:
            db.session.query(Member).filter_by(id=m.id).update({"active": False})
    """
    findings = run_check("ARC502", source)
    assert lines_of(findings) == [4]
    assert findings[0].data["method"] == "update"
    assert "update(...)" in findings[0].message


def test_building_a_query_in_a_loop_runs_nothing():
    building = """
    def search(session, filters):
        query = session.query(User)
        for f in filters:
            query = query.filter(f)
        for name in ("a", "b"):
            sub = session.query(User.id).filter(User.name == name).subquery()
            parts.append(sub)
        return query.all()
    """
    assert run_check("ARC502", building) == []
    # The twin: the same built query run inside the loop, later, through the name it was kept in.
    executed = """
    def names(session, ids):
        for i in ids:
            q = session.query(User).filter(User.id == i)
            print(q.first().name)
    """
    findings = run_check("ARC502", executed)
    assert lines_of(findings) == [4]
    assert findings[0].data["method"] == "first"


def test_loops_over_chunks_are_batched():
    chunks = """
    import itertools

    def load(session, ids):
        for chunk in chunks(ids, 500):
            session.query(User).filter(User.id.in_(chunk)).all()
        for group in itertools.batched(ids, 100):
            session.execute(select(User).where(User.id.in_(group)))
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            session.execute(select(User).where(User.id.in_(part)))
    """
    assert run_check("ARC502", chunks) == []
    # SQLAlchemy's selectin loader: a slice per pass of a ``while`` loop, keys as a list parameter.
    slices = """
    def load(connection, query, keys):
        while keys:
            batch = keys[0:3000]
            keys[0:3000] = []
            connection.execute(query, {"ids": [k[0] for k in batch]})
    """
    assert run_check("ARC502", slices) == []
    # The twin: one key per pass.
    assert lines_of(run_check("ARC502", """
    def load(session, ids):
        for i in ids:
            session.execute(select(User).where(User.id == i))
    """)) == [4]


def test_paging_and_reading_rows_are_not_a_query_per_item():
    source = """
    def drain(session, cursor, model, condition, size):
        offset = 0
        while True:
            query = select(model).where(condition).limit(size).offset(offset)
            rows = session.execute(query).all()
            if not rows:
                break
            offset += size
        while True:
            fetch = cursor.fetchmany(size)
            if not fetch:
                break
    """
    assert run_check("ARC502", source) == []


def test_executemany_per_group_is_batched_but_each_row_is_not():
    grouped = """
    from itertools import groupby

    def delete_all(records, statement):
        for connection, recs in groupby(records, key):
            rows = [params for params, _ in recs]
            connection.execute(statement, rows)
    """
    assert run_check("ARC502", grouped) == []
    per_row = """
    def delete_each(connection, statement, rows):
        for params in rows:
            connection.execute(statement, params)
    """
    assert lines_of(run_check("ARC502", per_row)) == [4]


def test_a_different_statement_per_pass_is_schema_work_not_n_plus_one():
    source = """
    def reset(session, conn, metadata, inspector, pragmas, channels):
        for table in reversed(metadata.sorted_tables):
            session.execute(table.delete())
        for name in inspector.get_table_names():
            conn.execute(DropTable(Table(name, MetaData())))
        for seq in inspector.get_sequence_names():
            stmt = ddl.DropSequence(Sequence(seq))
            conn.execute(stmt)
        for prag in pragmas:
            conn.execute('pragma %s="%s"' % (prag, pragmas[prag]))
        for extension in ("citext", "hstore"):
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension}"))
        for channel in channels:
            conn.execute(SQL("LISTEN {channel}").format(channel=Identifier(channel)))
    """
    assert run_check("ARC502", source) == []
    # The twin: the statement is the same each pass, only its parameter changes.
    twin = """
    def notify(conn, channels, data):
        for channel in channels:
            conn.execute("SELECT pg_notify($1, $2);", channel, data)
    """
    assert lines_of(run_check("ARC502", twin)) == [4]


def test_a_limit_per_item_is_still_a_query_per_item():
    # The example's price lookup: ``LIMIT 1`` per SKU is one round trip per SKU, not paging.
    source = """
    def latest(session, skus):
        for sku in skus:
            session.execute(text("SELECT price FROM t WHERE sku = :sku LIMIT 1"), {"sku": sku}).first()
        for post in posts:
            session.scalars(select(Comment).where(Comment.post_id == post.id).limit(10)).all()
    """
    assert lines_of(run_check("ARC502", source)) == [4, 6]


def test_what_the_check_leaves_alone_is_documented():
    from python_architect.cli.rules_doc import explain, render_rules_markdown

    assert "Not reported:" in (explain("ARC502") or "")
    assert "*Not reported:* Building a query nothing runs" in render_rules_markdown()


def test_a_data_migration_module_walks_the_rows_once():
    # dagster's storage/runs/migration.py: a one-off backfill of a new column, row by row.
    source = """
    def migrate_backfills(conn, rows):
        for row in rows:
            conn.execute(Backfills.update().values(selector=row.selector).where(Backfills.c.id == row.id))
    """
    assert run_check("ARC502", source, path="src/app/storage/runs/migration.py") == []
    assert run_check("ARC502", source, path="src/app/storage/migrate_tags.py") == []
    # The same loop in the storage module itself is a query per row.
    assert lines_of(run_check("ARC502", source, path="src/app/storage/runs/sql_run_storage.py")) == [4]


def test_a_statement_built_from_a_batch_is_one_per_batch():
    """Read on airflow (issue 21): the statement is kept in a name before it runs."""
    batched = """
    def clear(session, run_ids):
        for chunk in chunks(run_ids, 500):
            ti_query = select(TI).where(TI.run_id.in_(chunk))
            session.execute(ti_query)
    """
    assert run_check("ARC502", batched) == []
    # The twin: a name built from one item is still one statement per item.
    per_item = """
    def clear(session, run_ids):
        for run_id in run_ids:
            ti_query = select(TI).where(TI.run_id == run_id)
            session.execute(ti_query)
    """
    assert lines_of(run_check("ARC502", per_item)) == [5]


def test_sqlalchemy_2_statements_on_each_table_are_schema_work():
    """``delete(model)`` for each model class: a different statement per pass, not N+1."""
    per_table = """
    def delete_dag(session, dag_id, models):
        for model in models:
            session.execute(delete(model).where(model.dag_id == dag_id))
    """
    assert run_check("ARC502", per_table) == []
    # The twin: the same construct on one table, filtered per item.
    per_item = """
    def delete_runs(session, run_ids):
        for run_id in run_ids:
            session.execute(delete(DagRun).where(DagRun.id == run_id))
    """
    assert lines_of(run_check("ARC502", per_item)) == [4]


def test_a_schema_upgrade_step_walks_the_rows_once():
    """FlexGet (twenty-seventh reading, 18 findings read wrong): `@db_schema.upgrade('series')`
    functions live beside the storage code in `db.py` and run once per database."""
    source = """
    @db_schema.upgrade('series')
    def upgrade(ver, session):
        for row in session.execute(select(series_table)):
            session.execute(update(series_table).where(series_table.c.id == row.id).values(name=row.name.lower()))
        return ver
    """
    assert run_check("ARC502", source, path="src/app/components/series/db.py") == []
    renamed = source.replace("def upgrade(", "def fix_names(")
    assert run_check("ARC502", renamed, path="src/app/components/series/db.py") == []
    # The twins: the same loop undecorated in the storage module, and a decorator that is not a
    # migration step, are a query per row.
    plain = renamed.replace("    @db_schema.upgrade('series')\n", "")
    assert lines_of(run_check("ARC502", plain, path="src/app/components/series/db.py")) == [4]
    routed = renamed.replace("@db_schema.upgrade('series')", "@app.route('/series')")
    assert lines_of(run_check("ARC502", routed, path="src/app/components/series/db.py")) == [5]
