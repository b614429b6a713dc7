"""ARC502 ``loop-returns-first-pass`` (issue 21, fifth reading: slack-sdk's state store,
``for row in result: conn.execute(delete(...).where(c.id == row["id"])); return True``): a loop
whose body leaves unconditionally on its first pass runs the statement at most once. The twins: an
exit only on some passes, a ``continue`` that can start a second pass, and an inner loop that
keeps going stay reported."""

from __future__ import annotations

import pytest
from analysis_harness import lines_of, run_check

RETURNS = """
def consume(conn, table, rows):
    for row in rows:
        log(row)
        conn.execute(table.delete().where(table.c.id == row["id"]))
        return True
    return False
"""
BREAKS = """
def first_owner(session, ids):
    for uid in ids:
        owner = session.query(User).filter(User.id == uid).first()
        break
    return owner
"""
RAISES = """
async def only_one(db, keys):
    async for key in keys:
        await db.execute(select(T).where(T.key == key))
        raise TooMany(key)
"""


@pytest.mark.parametrize("text", [RETURNS, BREAKS, RAISES])
def test_a_loop_that_leaves_on_its_first_pass_is_one_statement(text: str) -> None:
    assert run_check("ARC502", text) == []


@pytest.mark.parametrize(("text", "line"), [
    # leaves only when a row matches: every row before it costs a round trip
    (RETURNS.replace("        return True\n", "        if row['done']:\n            return True\n"), 5),
    # a ``continue`` before the return starts a second pass
    (RETURNS.replace("        log(row)\n", "        if not row:\n            continue\n"), 6),
    # the ``continue`` sits after the query but before the return, inside a ``with``
    (RETURNS.replace("        log(row)\n", "").replace(
        "        return True\n", "        with lock:\n            if busy():\n                continue\n        return True\n"), 4),
])
def test_a_loop_that_may_take_another_pass_is_reported(text: str, line: int) -> None:
    assert lines_of(run_check("ARC502", text)) == [line]


def test_an_inner_loop_that_keeps_going_is_reported_inside_an_outer_first_pass() -> None:
    nested = """
    def purge(conn, table, groups):
        for group in groups:
            for row in group:
                conn.execute(table.delete().where(table.c.id == row.id))
            return True
    """
    assert lines_of(run_check("ARC502", nested)) == [5]


def test_a_continue_of_an_inner_loop_does_not_start_a_second_outer_pass() -> None:
    inner_continue = """
    def consume(conn, table, rows):
        for row in rows:
            conn.execute(table.delete().where(table.c.id == row.id))
            for tag in row.tags:
                if not tag:
                    continue
            return True
    """
    assert run_check("ARC502", inner_continue) == []
