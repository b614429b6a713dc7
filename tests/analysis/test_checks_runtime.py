"""ARC402 (retry without backoff), ARC502 (N+1 query), ARC701 (hard-coded credential)."""

from __future__ import annotations

from analysis_harness import lines_of, run_check
from python_architect.findings import Span

# -- ARC402 --------------------------------------------------------------------------------------


def test_arc402_fires_on_while_true_retry_without_pause():
    findings = run_check(
        "ARC402",
        """
        def fetch(client):
            while True:
                try:
                    return client.get("/orders")
                except ConnectionError:
                    continue
        """,
    )
    assert lines_of(findings) == [3]
    assert findings[0].span == Span(3, 5, 3, 15)
    assert "ConnectionError" in findings[0].message


def test_arc402_quiet_when_loop_sleeps_between_attempts():
    assert not run_check(
        "ARC402",
        """
        import time
        def fetch(client):
            while True:
                try:
                    return client.get("/orders")
                except ConnectionError:
                    time.sleep(2)
        """,
    )


def test_arc402_quiet_when_attempts_are_counted_and_compared():
    assert not run_check(
        "ARC402",
        """
        def fetch(client):
            attempts = 0
            while True:
                try:
                    return client.get("/orders")
                except ConnectionError:
                    attempts += 1
                    if attempts >= 5:
                        raise
        """,
    )


def test_arc402_quiet_when_handler_reraises_or_loop_is_bounded():
    assert not run_check(
        "ARC402",
        """
        def fetch(client):
            while True:
                try:
                    return client.get("/orders")
                except ConnectionError:
                    raise
        def bounded(client):
            for attempt in range(3):
                try:
                    return client.get("/orders")
                except ConnectionError:
                    pass
        """,
    )


def test_arc402_fires_on_flag_loop_and_async_backoff_helper_silences_it():
    flagged = run_check(
        "ARC402",
        """
        async def connect(bus):
            while not bus.connected:
                try:
                    await bus.connect()
                except OSError as exc:
                    log(exc)
        """,
    )
    assert lines_of(flagged) == [3]
    assert not run_check(
        "ARC402",
        """
        import asyncio
        async def connect(bus):
            while not bus.connected:
                try:
                    await bus.connect()
                except OSError as exc:
                    await asyncio.sleep(backoff_delay(exc))
        """,
    )


# -- ARC502 --------------------------------------------------------------------------------------


def test_arc502_fires_on_session_get_in_for_loop():
    findings = run_check(
        "ARC502",
        """
        def totals(session, order_ids):
            result = []
            for order_id in order_ids:
                order = session.get(Order, order_id)
                result.append(order.total)
            return result
        """,
    )
    assert lines_of(findings) == [5]
    assert findings[0].span == Span(5, 17, 5, 45)
    assert "session.get" in findings[0].message


def test_arc502_fires_on_self_repo_and_derived_variable_and_comprehension():
    findings = run_check(
        "ARC502",
        """
        class Report:
            def build(self, orders):
                for order in orders:
                    customer_id = order.customer_id
                    self._repo.fetch_customer(customer_id)
                return [self.session.execute(select(Line).where(Line.order == o.id)) for o in orders]
        """,
    )
    assert lines_of(findings) == [6, 7]


def test_arc502_quiet_on_plain_dict_get_and_queries_outside_loops():
    assert not run_check(
        "ARC502",
        """
        def price_all(prices, session, skus):
            total = 0
            for sku in skus:
                total += prices.get(sku, 0)
            rows = session.execute(select(Item).where(Item.sku.in_(skus)))
            for row in rows:
                session.get(Settings, 1)
            return total
        """,
    )


def test_arc502_reports_a_chained_query_once():
    findings = run_check(
        "ARC502",
        """
        def load(db, ids):
            for i in ids:
                db.query(User).filter(User.id == i).first()
        """,
    )
    # Named by the link that sends the statement (issue 21), not the first query-shaped link.
    assert len(findings) == 1 and findings[0].data["method"] == "first"


# -- ARC701 --------------------------------------------------------------------------------------


def test_arc701_fires_on_known_token_prefixes():
    findings = run_check(
        "ARC701",
        """
        STRIPE = "sk_live_51HxYzAbCdEfGhIjKlMnOpQr"
        client = Client(token="ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")
        AWS = "AKIAQWERTYUIOPASDFGH"
        """,
    )
    assert lines_of(findings) == [2, 3, 4]
    assert all("sk_live" not in f.message and "ghp_" not in f.message for f in findings)


def test_arc702_fires_on_high_entropy_value_bound_to_secret_name():
    findings = run_check(
        "ARC702",
        """
        API_KEY = "q8W2eR5tY7uI9oP1aSdF3gH"
        settings = {"db_password": "Xk2m9PqL7vRt4wZs"}
        """,
    )
    assert lines_of(findings) == [2, 3]


def test_arc701_and_arc702_quiet_on_field_names_placeholders_and_env_lookups():
    source = """
        import os
        PASSWORD_FIELD = "password"
        API_KEY = "changeme"
        TOKEN = "<your-token-here>"
        SECRET = "${APP_SECRET}"
        secret_key = os.environ["SECRET_KEY"]
        TOKEN_URL = "https://auth.example.com/oauth2/v1/token"
        EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
        greeting = "Hello there, this is a long sentence"
        src_key = "EmrManagedMasterSecurityGroup"
        EMRFS_SSE_KEY = "fs.s3.enableServerSideEncryption"
        schema = {"AccessKey": "62d91b17309e76c8"}
        """
    assert not run_check("ARC701", source)
    assert not run_check("ARC702", source)


def test_arc702_column_counts_characters_after_unicode():
    findings = run_check("ARC702", 'libellé = "é"; clé_token = "q8W2eR5tY7uI9oP1aSdF3gH"\n')
    assert len(findings) == 1
    # 'libellé = "é"; clé_token = ' is 27 characters (30 bytes): the literal starts at column 28.
    assert findings[0].span == Span(1, 28, 1, 53)


def test_arc502_inner_loop_sees_outer_loop_variable_and_reports_once():
    findings = run_check(
        "ARC502",
        """
        def grant(conn, users, roles):
            for user in users:
                for role in roles:
                    conn.execute(insert_grant(user.id, "static"))
                    conn.execute(insert_role(role))
        """,
    )
    assert lines_of(findings) == [5, 6]


def test_arc402_quiet_on_a_loop_that_survives_errors_while_doing_other_work():
    assert not run_check(
        "ARC402",
        """
        def repl(handle):
            while True:
                try:
                    line = input("> ")
                except EOFError:
                    line = "quit"
                handle(line)
        def drain(it):
            while True:
                try:
                    return next(it)
                except StopIteration:
                    pass
        """,
    )


def test_arc701_quiet_on_format_templates_and_registry_paths():
    assert not run_check(
        "ARC701",
        """
        CACHE_KEY = "orders:{customer_id}:{page_number}:v2"
        REGISTRY_KEY = "Software\\\\Python\\\\PythonCore\\\\3.11\\\\Modules"
        TOKEN_TEMPLATE = "%(user)s-%(expires)d-SIGNED"
        """,
    )


def test_arc502_only_counts_what_runs_per_iteration():
    assert not run_check(
        "ARC502",
        """
        def handlers(session, ids):
            for row in session.execute(select(User).where(User.id.in_(ids))):
                def load(other):
                    return session.get(User, row.id)
            found = [u for u in session.scalars(select(User).where(User.id.in_(ids)))]
            return found
        """,
    )
    fired = run_check(
        "ARC502",
        """
        def poll(conn, job):
            while conn.execute(select(Job).where(Job.id == job.id)).first() is None:
                job = next_job(job)
        """,
    )
    assert lines_of(fired) == [3]
