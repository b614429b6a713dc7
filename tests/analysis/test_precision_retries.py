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


# -- third reading: loops that wait rather than retry (pymongo) ------------------------------


def test_re_acquiring_a_lock_after_a_cancel_is_not_a_retry():
    # asyncio.Condition.wait must get the lock back even when cancelled: it records the cancel,
    # waits again for the same lock and re-raises afterwards. No failing operation is repeated.
    source = """
    async def wait(self, fut):
        try:
            await fut
        finally:
            err = None
            while True:
                try:
                    await self.acquire()
                    break
                except exceptions.CancelledError as e:
                    err = e
            if err is not None:
                raise err
    """
    assert run_check("ARC402", source) == []
    # The twin: the same loop swallowing a connection failure re-runs the connect at once.
    twin = source.replace("await self.acquire()", "await self.connect()").replace(
        "exceptions.CancelledError", "ConnectionError")
    findings = run_check("ARC402", twin)
    assert lines_of(findings) == [7]
    assert "ConnectionError" in findings[0].message


def test_awaiting_the_same_shielded_future_after_a_cancel_is_not_a_retry():
    source = """
    import asyncio

    async def call(loop, func, arg, timeout):
        inner = loop.run_in_executor(None, func, arg)
        try:
            return await asyncio.wait_for(asyncio.shield(inner), timeout=timeout)
        except (asyncio.CancelledError, TimeoutError):
            while True:
                try:
                    await asyncio.shield(inner)
                    break
                except asyncio.CancelledError:
                    continue
                except Exception:
                    break
            raise
    """
    assert run_check("ARC402", source) == []
    twin = source.replace("except asyncio.CancelledError:", "except OSError:")
    assert lines_of(run_check("ARC402", twin)) == [9]


SSL_CALL = """
def call(self, op, timeout):
    while True:
        try:
            return op()
        except WantReadError:
            if timeout == 0:
                raise
            WAIT
"""


def test_a_loop_that_waits_in_select_each_time_round_is_not_an_immediate_retry():
    # The non-blocking SSL shape: WantRead -> park in select until the socket is ready.
    for wait in ("self.socket_checker.select(self, True, False, timeout)",
                 "select.select([sock], [], [], timeout)",
                 "selector.select(timeout)",
                 "poller.poll(timeout)",
                 "self._poller.poll(timeout=timeout)"):
        assert run_check("ARC402", SSL_CALL.replace("WAIT", wait)) == [], wait
    # The twins: a peek at a process or a query built with SQLAlchemy's select() does not wait,
    # and a `timeout == 0` test is a mode, not a deadline.
    for not_a_wait in ("proc.poll()", "query = select(User)", "log.debug('again')"):
        findings = run_check("ARC402", SSL_CALL.replace("WAIT", not_a_wait))
        assert lines_of(findings) == [3], not_a_wait


def test_a_comparison_against_the_clock_is_a_deadline():
    clock_check = """
    import time

    def call(self, op, timeout):
        start = time.monotonic()
        while True:
            try:
                return op()
            except WantReadError:
                if time.monotonic() - start > timeout:
                    raise TimeoutError("timed out") from None
    """
    assert run_check("ARC402", clock_check) == []
    # A name the loop reads from the clock is the clock too; so is an elapsed time compared
    # with a timeout.
    read_first = clock_check.replace(
        "if time.monotonic() - start > timeout:", "now = time.time()\n                if now - start > limit:")
    assert run_check("ARC402", read_first) == []
    elapsed = clock_check.replace("if time.monotonic() - start > timeout:",
                                  "elapsed += 1\n                if elapsed > self.timeout:")
    assert run_check("ARC402", elapsed) == []
    # The twin: the clock is read but never compared (only logged), so nothing ends the loop.
    twin = clock_check.replace("if time.monotonic() - start > timeout:",
                               "log.debug('failed at %s', time.monotonic())\n                if False:")
    assert lines_of(run_check("ARC402", twin)) == [6]


def test_waiting_on_a_queue_with_a_timeout_polls_rather_than_retries():
    # The consumer shape: wait up to half a second for an item, stay responsive, wait again.
    source = """
    import queue

    def items(q):
        while True:
            try:
                value = q.get(timeout=0.5)
            except queue.Empty:
                continue
            if value is END:
                break
            yield value
    """
    assert run_check("ARC402", source) == []
    assert run_check("ARC402", source.replace("q.get(timeout=0.5)", "q.get(True, 0.5)")) == []
    # The twins: get_nowait() (or a get without a timeout) in the same loop spins at once.
    for spinning in ("q.get_nowait()", "q.get(timeout=None)", "q.get(False)"):
        assert lines_of(run_check("ARC402", source.replace("q.get(timeout=0.5)", spinning))) == [5], spinning
    # A timeout on a failing call is still a failure when the handler catches the failure.
    http = source.replace("q.get(timeout=0.5)", "session.get(url, timeout=5)").replace("queue.Empty", "ConnectionError")
    assert lines_of(run_check("ARC402", http)) == [5]


def test_repeating_only_an_interrupted_system_call_is_not_a_retry():
    source = """
    import errno

    def pump(stream, sink):
        while True:
            try:
                chunk = stream.read(1)
            except OSError as e:
                if e.args[0] == errno.EINTR:
                    continue
                else:
                    raise
            if not chunk:
                break
            sink(chunk)
    """
    assert run_check("ARC402", source) == []
    negated = source.replace("""if e.args[0] == errno.EINTR:
                    continue
                else:
                    raise""", """if e.errno != errno.EINTR:
                    raise""")
    assert run_check("ARC402", negated) == []
    # The twin: re-raising only the interrupt and repeating every other OSError is a blind retry.
    inverted = source.replace("""if e.args[0] == errno.EINTR:
                    continue
                else:
                    raise""", """if e.errno == errno.EINTR:
                    raise""")
    assert lines_of(run_check("ARC402", inverted)) == [5]


# -- fourth reading: streaming read loops (biopython) ------------------------------------------

# A parser's ``__next__``: pop a ready record or, when none is ready, read the next block of the
# stream and feed it to the parser. The handler only probes state; each pass reads new input.
STREAM_RECORDS = """
def next_record(self, stream, parser):
    while True:
        try:
            record = self._cache.popleft()
        except IndexError:
            pass
        else:
            return record
        data = stream.read(BLOCK)
        parser.Parse(data, False)
"""


def test_a_loop_that_reads_the_next_block_between_attempts_is_not_a_retry():
    assert run_check("ARC402", STREAM_RECORDS) == []
    # A line, an iterator item or a parser feed moves the reader on the same way.
    for reading in ("data = stream.readline()", "data = next(chunks)", "parser.feed(source)"):
        assert run_check("ARC402", STREAM_RECORDS.replace("data = stream.read(BLOCK)", reading)) == [], reading


def test_a_retry_whose_attempt_is_the_read_is_still_reported():
    # The twin: nothing moves on between passes (the read is the attempt that failed).
    source = """
    def fetch(stream):
        while True:
            try:
                return stream.read(BLOCK)
            except OSError:
                pass
    """
    assert lines_of(run_check("ARC402", source)) == [3]
    # Without the read, the probe of the cache is retried at once.
    without = STREAM_RECORDS.replace("        data = stream.read(BLOCK)\n        parser.Parse(data, False)\n", "")
    assert lines_of(run_check("ARC402", without)) == [3]


# A handler that raises on every path (an ``if``/``else`` of two raises) tries nothing again.
RAISING_HANDLER = """
def parse(self, stream):
    while True:
        self.open_connection()
        try:
            records = self.record
        except AttributeError:
            if self.started:
                raise RuntimeError("failed to parse")
            else:
                raise ValueError("not XML")
        if records:
            return records
"""


def test_a_handler_that_raises_on_every_path_is_not_a_retry():
    assert run_check("ARC402", RAISING_HANDLER) == []


def test_a_handler_that_raises_on_one_path_only_is_still_reported():
    # The twin: the ``else`` falls through to the next attempt at once.
    source = RAISING_HANDLER.replace('            else:\n                raise ValueError("not XML")\n',
                                     '            else:\n                log.debug("not yet")\n')
    findings = run_check("ARC402", source)
    assert lines_of(findings) == [3]
    assert "AttributeError" in findings[0].message
