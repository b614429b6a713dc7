"""False-positive classes of ARC402 and ARC502 seen on real packages (issue 8), each next to its
true-positive twin that must still be reported."""

from __future__ import annotations

from analysis_harness import lines_of, run_check

RETRY_TWIN = """
def fetch(client):
    while True:
        try:
            return client.get("/orders")
        except ConnectionError:
            pass
"""


def test_a_real_retry_loop_is_still_reported():
    assert lines_of(run_check("ARC402", RETRY_TWIN)) == [3]


def test_redirect_following_loop_is_not_a_retry():
    # requests' resolve_redirects shape: each pass follows the next location.
    source = """
    def follow(session, response):
        while response.is_redirect:
            try:
                response.content
            except ConnectionError:
                response.raw.read(decode_content=False)
            url = response.headers["location"]
            response = session.get(url)
    """
    assert run_check("ARC402", source) == []
    loop_true = """
    def follow(session, url):
        while True:
            try:
                response = session.get(url)
                if not response.is_redirect:
                    return response
            except ConnectionError:
                continue
            url = response.headers["location"]
    """
    assert run_check("ARC402", loop_true) == []


def test_re_prompting_a_person_is_not_a_retry():
    source = """
    def ask_port(console):
        while True:
            try:
                return int(console.input("Port: "))
            except ValueError:
                console.print("Please enter a number")
    """
    assert run_check("ARC402", source) == []


def test_pagination_and_shrinking_input_are_not_retries():
    pages = """
    def all_items(api):
        cursor = None
        while True:
            try:
                page = api.list(cursor=cursor)
                if not page.next:
                    return page.items
            except KeyError:
                pass
            cursor = page.next
    """
    assert run_check("ARC402", pages) == []
    # celery's setgroups: drop a group and try with fewer.
    shrinking = """
    import os

    def setgroups(groups):
        while True:
            try:
                return os.setgroups(groups)
            except ValueError:
                groups[:] = groups[:-1]
    """
    assert run_check("ARC402", shrinking) == []


def test_work_queue_drain_is_not_a_retry():
    source = """
    def drain(queue):
        while queue:
            try:
                return queue.popleft()()
            except KeyError:
                pass
    """
    assert run_check("ARC402", source) == []


N_PLUS_ONE = """
def totals(session, order_ids):
    result = []
    for order_id in order_ids:
        result.append(session.get(Order, order_id))
    return result
"""


def test_orm_get_per_item_is_still_an_n_plus_one():
    assert lines_of(run_check("ARC502", N_PLUS_ONE)) == [5]


def test_dict_get_on_a_mapping_of_sessions_is_not_a_query():
    source = """
    def touch(sessions, ids):
        for sid in ids:
            sessions.get(sid)
    """
    assert run_check("ARC502", source) == []


def test_http_session_get_is_not_a_query():
    source = """
    def download(session, urls):
        for url in urls:
            session.get(url)
    """
    assert run_check("ARC502", source) == []


def test_migration_scripts_loop_over_rows_on_purpose():
    migration = """
    from alembic import op

    def upgrade():
        connection = op.get_bind()
        for row in connection.execute("SELECT id FROM t").fetchall():
            connection.execute("UPDATE t SET x = 1 WHERE id = :id", {"id": row.id})
    """
    assert run_check("ARC502", migration, path="app/alembic/versions/0042_fill_x.py") == []
    assert run_check("ARC502", migration.replace("from alembic import op\n", ""),
                     path="app/db/migrations/0007_fill.py") == []
    # The same loop in application code is reported (an alembic-style `upgrade()` step is a
    # migration wherever it lives: twenty-seventh reading; a billing `upgrade(user)` is not).
    assert lines_of(run_check("ARC502", migration.replace("def upgrade():", "def fill_x():"),
                              path="app/services/fill.py")) == [7]
    assert lines_of(run_check("ARC502", migration.replace("def upgrade():", "def upgrade(user):"),
                              path="app/services/fill.py")) == [7]
