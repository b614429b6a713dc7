"""ARC402 (retry without backoff or bound) false-positive classes seen on real packages (issue 21),
each beside the true-positive twin that must still be reported."""

from __future__ import annotations

from analysis_harness import lines_of, run_check

UNBOUNDED = """
def send(client, message):
    while True:
        try:
            return client.send(message)
        except ConnectionError:
            log.warning("send failed, retrying")
"""


def test_the_unbounded_retry_is_still_reported():
    findings = run_check("ARC402", UNBOUNDED)
    assert lines_of(findings) == [3]


def test_a_loop_that_checks_max_retries_has_an_attempt_limit():
    source = """
    class Sender:
        def send(self, message):
            while True:
                try:
                    return self.client.send(message)
                except ConnectionError:
                    self.retries += 1
                    if self.retries > self.max_retries:
                        raise
    """
    assert run_check("ARC402", source) == []
    # Counting down with a plain assignment and a truth test is a limit too.
    countdown = """
    def send(client, message, left):
        while True:
            try:
                return client.send(message)
            except ConnectionError:
                left = left - 1
                if not left:
                    raise
    """
    assert run_check("ARC402", countdown) == []


def test_an_attempt_counter_from_itertools_count_is_a_limit():
    source = """
    import itertools

    def send(client, message, limit):
        for attempt in itertools.count():
            try:
                return client.send(message)
            except ConnectionError:
                if attempt == limit:
                    raise
    """
    assert run_check("ARC402", source) == []
    # The twin: counting attempts without ever testing the count is no limit.
    twin = """
    import itertools

    def send(client, message):
        for attempt in itertools.count():
            try:
                return client.send(message)
            except ConnectionError:
                log.warning("attempt %d failed", attempt)
    """
    assert lines_of(run_check("ARC402", twin)) == [5]


def test_a_deadline_bounds_the_loop():
    source = """
    import time

    def send(client, message, deadline):
        while True:
            try:
                return client.send(message)
            except ConnectionError:
                if time.monotonic() > deadline:
                    raise
    """
    assert run_check("ARC402", source) == []


def test_waiting_for_a_key_press_is_asking_a_person():
    # celery's curses monitor: any key continues; a bad read just reads again.
    source = """
    def wait_for_key(win):
        while 1:
            try:
                return win.getkey().upper()
            except Exception:
                pass
    """
    assert run_check("ARC402", source) == []


def test_an_error_turned_into_a_status_the_loop_tests_is_not_a_blind_retry():
    # tornado's curl client: perform until libcurl stops asking to be called again.
    source = """
    def perform(multi):
        while True:
            try:
                ret, handles = multi.socket_all()
            except CurlError as e:
                ret = e.args[0]
            if ret != CALL_MULTI_PERFORM:
                break
    """
    assert run_check("ARC402", source) == []
    # The twin: the status is recorded but never decides anything.
    twin = source.replace("if ret != CALL_MULTI_PERFORM:", "if handles == 0:")
    assert lines_of(run_check("ARC402", twin)) == [3]
