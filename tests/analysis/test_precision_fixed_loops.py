"""ARC502 ``different-statement-per-table`` (issue 21, read on airflow): a loop over a literal of
names written in the code, or a constant bound once to one, runs a fixed, schema-bound number of
different statements, not one per data row. Each shape beside its true-positive twin."""

from __future__ import annotations

from analysis_harness import lines_of, run_check


def test_a_literal_tuple_of_models_is_one_statement_per_table():
    per_table = """
    def delete_dag(session, dag_id):
        for model in (TaskInstance, DagRun, models.Log):
            session.query(model).filter(model.dag_id == dag_id).delete()
    """
    assert run_check("ARC502", per_table) == []
    # The twin: the same chain over rows the data decides is a query per row.
    per_row = """
    def delete_dags(session, dag_ids):
        for dag_id in dag_ids:
            session.query(DagRun).filter(DagRun.dag_id == dag_id).delete()
    """
    assert lines_of(run_check("ARC502", per_row)) == [4]


def test_a_literal_of_values_is_a_fixed_number_of_passes():
    """Read on ckan (issue 21): three privileges checked one statement each; the code fixes the
    count, so it does not grow with the data (``small-bounded-loop``)."""
    values = """
    PRIVILEGES = ("INSERT", "UPDATE", "DELETE")


    def check(conn, user, session):
        for privilege in ["INSERT", "UPDATE", "DELETE"]:
            conn.scalar(sa.select(sa.func.has_table_privilege(user, "_foo", privilege)))
        for name, kind in (("alice", 1), ("bob", 2)):
            session.query(User).filter(User.name == name, User.kind == kind).first()
        for privilege in PRIVILEGES:
            conn.scalar(sa.select(sa.func.has_table_privilege(user, "_foo", privilege)))
    """
    assert run_check("ARC502", values) == []
    # The twin: the same lookups over names the caller passes (the data decides the count), also
    # when a literal unpacks them.
    per_row = """
    def lookup(session, names):
        for name in names:
            session.query(User).filter(User.name == name).first()
        for name in ("alice", *names):
            session.query(User).filter(User.name == name).first()
    """
    assert lines_of(run_check("ARC502", per_row)) == [4, 6]


def test_a_module_constant_bound_once_to_names_is_fixed():
    per_table = """
    CLEANUP_MODELS = [TaskInstance, DagRun, Log]


    def purge(session, dag_id):
        for model in CLEANUP_MODELS:
            session.query(Audit).filter(Audit.model == model.__name__).delete()
    """
    assert run_check("ARC502", per_table) == []
    # The twin: the same name rebound in the module holds what the data decides.
    rebound = """
    CLEANUP_MODELS = [TaskInstance, DagRun, Log]


    def purge(session, dag_id):
        for model in CLEANUP_MODELS:
            session.query(Audit).filter(Audit.model == model.__name__).delete()


    def reload(session):
        global CLEANUP_MODELS
        CLEANUP_MODELS = session.query(Registry).all()
    """
    assert lines_of(run_check("ARC502", rebound)) == [7]


def test_a_class_constant_read_through_self_is_fixed():
    per_table = """
    class Cleaner:
        MODELS = (TaskInstance, DagRun)

        def purge(self, session, dag_id):
            for model in self.MODELS:
                session.query(model).filter(model.dag_id == dag_id).delete()
    """
    assert run_check("ARC502", per_table) == []
    # The twin: an instance attribute set from the caller's data is not a constant of the class.
    per_row = """
    class Cleaner:
        def __init__(self, rows):
            self.rows = rows

        def purge(self, session):
            for row in self.rows:
                session.query(Run).filter(Run.id == row.id).delete()
    """
    assert lines_of(run_check("ARC502", per_row)) == [8]


def test_a_data_loop_inside_a_fixed_one_is_still_a_query_per_row():
    nested = """
    def purge(session, rows):
        for model in (TaskInstance, DagRun):
            for row in rows:
                session.query(model).filter(model.id == row.id).delete()
    """
    assert lines_of(run_check("ARC502", nested)) == [5]


def test_the_batched_chunk_loop_read_on_airflow_is_one_statement_per_chunk():
    """``batched-chunks``: the statement is built in the loop from the chunk, narrowed under an
    ``if`` (rebinding the name to itself), then run: one statement per chunk."""
    batched = """
    def bulk_clear(session, dag_id, run_ids, state_filter):
        for chunk_run_ids in chunks(run_ids, 500):
            ti_query = select(TI).where(TI.dag_id == dag_id, TI.run_id.in_(chunk_run_ids))
            if state_filter:
                ti_query = ti_query.where(TI.state.in_(state_filter))
            tis = session.scalars(ti_query).all()
            clear(list(tis))
    """
    assert run_check("ARC502", batched) == []
    # The twin: the same loop over single run ids is a statement per run.
    per_run = """
    def bulk_clear(session, dag_id, run_ids, state_filter):
        for run_id in run_ids:
            ti_query = select(TI).where(TI.dag_id == dag_id, TI.run_id == run_id)
            if state_filter:
                ti_query = ti_query.where(TI.state.in_(state_filter))
            tis = session.scalars(ti_query).all()
            clear(list(tis))
    """
    assert lines_of(run_check("ARC502", per_run)) == [7]


def test_sql_text_that_is_the_item_or_names_it_as_the_table_is_one_statement_per_pass():
    # A tuning package outside the held-out sets (mlflow's fs2db): one COUNT per table named in
    # the code, and one query per entry of a table of queries.
    per_table = """
    def assert_empty(conn):
        for table in ("experiments", "runs", "registered_models"):
            count = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


    def row_counts(conn, queries):
        for key, query in queries.items():
            counts[key] = conn.execute(text(query)).scalar()
    """
    assert run_check("ARC502", per_table) == []
    # The twin: the item interpolated as a value is the same statement per row.
    per_row = """
    def names(conn, ids):
        for item in ids:
            conn.execute(text(f"SELECT name FROM users WHERE id = {item}")).scalar()
    """
    assert lines_of(run_check("ARC502", per_row)) == [4]
