"""The editor's long-lived ``ruff server``: the same answers as ``ruff check``, at one process for
many files, and a clean fallback (None) when it cannot answer: missing, killed, silent."""

from __future__ import annotations

import threading
from pathlib import Path

from python_architect.analysis import ruff_bridge, ruff_server
from python_architect.analysis.ruff_server import RuffServer

CODES = ("ASYNC", "S113", "BLE001", "S110", "B006", "S608")
TEXT = '''import requests


def fetch(url, seen=[]):
    seen.append(url)
    try:
        return requests.get(url)
    except Exception:
        pass


query = "select * from t where id = %s" % seen_id
'''


def normalised(findings):
    return sorted((f.code, f.span, f.message, f.fix.edits if f.fix else None, f.fix.safe if f.fix else None)
                  for f in findings)


def test_same_findings_fixes_and_positions_as_ruff_check(tmp_path: Path) -> None:
    binary = ruff_bridge.find_ruff()
    assert binary, "ruff is a dependency of the package"
    server = RuffServer(binary, CODES)
    try:
        path = tmp_path / "app.py"
        expected = ruff_bridge.run_ruff(TEXT, path, CODES)
        assert {f.code for f in expected} == {"B006", "S113", "BLE001", "S110", "S608"}
        assert normalised(server.diagnostics(TEXT, path, 10)) == normalised(expected)
        # The same process answers the next text (a keystroke later).
        edited = TEXT.replace("except Exception:\n        pass", "except ValueError:\n        raise")
        assert normalised(server.diagnostics(edited, path, 10)) == normalised(ruff_bridge.run_ruff(edited, path, CODES))
        first = server._process
        server.diagnostics(TEXT, path, 10)
        assert server._process is first
    finally:
        server._stop()


def test_a_killed_server_is_replaced_on_the_next_call(tmp_path: Path) -> None:
    server = RuffServer(ruff_bridge.find_ruff(), CODES)
    try:
        assert server.diagnostics(TEXT, tmp_path / "a.py", 10)
        server._process.kill()
        server._process.wait()
        answers = [server.diagnostics(TEXT, tmp_path / "a.py", 10) for _ in range(2)]
        assert any(answers), "after at most one failed call a fresh server answers"
    finally:
        server._stop()


def test_missing_binary_or_silent_server_gives_none(tmp_path: Path, monkeypatch) -> None:
    assert RuffServer(str(tmp_path / "no-ruff-here"), CODES).diagnostics(TEXT, tmp_path / "a.py", 1) is None
    silent = tmp_path / "silent-ruff"
    silent.write_text("#!/bin/sh\nexec sleep 30\n")
    silent.chmod(0o755)
    monkeypatch.setattr(ruff_server, "START_TIMEOUT_S", 0.5)
    server = RuffServer(str(silent), CODES)
    assert server.diagnostics(TEXT, tmp_path / "a.py", 0.5) is None
    assert server._process is None, "the silent process was killed"


def test_the_editor_path_falls_back_to_ruff_check(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ruff_bridge, "_begin_ruff_server", lambda *args: None)
    monkeypatch.setattr(ruff_bridge, "_RECENT_RUNS", type(ruff_bridge._RECENT_RUNS)())
    found = ruff_bridge.RuffRun(TEXT, tmp_path / "b.py", list(CODES)).result()
    assert {f.code for f in found} == {"B006", "S113", "BLE001", "S110", "S608"}


def test_two_threads_get_their_own_answers(tmp_path: Path) -> None:
    server = RuffServer(ruff_bridge.find_ruff(), CODES)
    texts = {"one.py": TEXT, "two.py": "import requests\nrequests.post('https://x')\n"}
    answers: dict[str, set[str]] = {}

    def ask(name: str) -> None:
        answers[name] = {f.code for f in server.diagnostics(texts[name], tmp_path / name, 10) or ()}

    try:
        threads = [threading.Thread(target=ask, args=(name,)) for name in texts for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert answers == {"one.py": {"B006", "S113", "BLE001", "S110", "S608"}, "two.py": {"S113"}}
    finally:
        server._stop()


def test_a_ruff_that_keeps_failing_is_not_started_again(tmp_path: Path, monkeypatch) -> None:
    starts = tmp_path / "starts"
    failing = tmp_path / "failing-ruff"
    failing.write_text(f"#!/bin/sh\necho started >> {starts}\nexit 1\n")
    failing.chmod(0o755)
    server = RuffServer(str(failing), CODES)
    answers = [server.diagnostics(TEXT, tmp_path / "a.py", 1) for _ in range(ruff_server.MAX_FAILURES + 3)]
    assert answers == [None] * len(answers)
    assert len(starts.read_text().splitlines()) == ruff_server.MAX_FAILURES


def test_questions_in_flight_together_get_their_own_answers(tmp_path: Path) -> None:
    """``begin`` sends at once and ``finish`` reads in the caller's thread: answers that arrive
    for another request meanwhile are kept for it, in whatever order the requests finish."""
    server = RuffServer(ruff_bridge.find_ruff(), CODES)
    texts = {"one.py": TEXT, "two.py": "import requests\nrequests.post('https://x')\n",
             "three.py": "x = 1\n"}
    try:
        requests = {name: server.begin(text, tmp_path / name, 10) for name, text in texts.items()}
        assert all(requests.values())
        answers = {name: {f.code for f in requests[name].finish()} for name in ("three.py", "one.py", "two.py")}
        assert answers == {"one.py": {"B006", "S113", "BLE001", "S110", "S608"}, "two.py": {"S113"},
                           "three.py": set()}
        assert server._answers == {}, "no answer is left behind"
    finally:
        server._stop()


def test_a_document_already_in_flight_is_not_sent_twice(tmp_path: Path) -> None:
    server = RuffServer(ruff_bridge.find_ruff(), CODES)
    try:
        first = server.begin(TEXT, tmp_path / "a.py", 10)
        assert first is not None
        assert server.begin(TEXT, tmp_path / "a.py", 10) is None, "the caller must fall back"
        assert {f.code for f in first.finish()} == {"B006", "S113", "BLE001", "S110", "S608"}
        again = server.begin("import requests\nrequests.get('u')\n", tmp_path / "a.py", 10)
        assert again is not None and [f.code for f in again.finish()] == ["S113"]
    finally:
        server._stop()


def test_a_cancelled_question_leaves_the_server_usable(tmp_path: Path) -> None:
    """An analysis that raised never reads its answer: the document is closed, the stray answer
    is skipped by the next reader, and the same file can be asked about again."""
    server = RuffServer(ruff_bridge.find_ruff(), CODES)
    try:
        abandoned = server.begin(TEXT, tmp_path / "a.py", 10)
        abandoned.cancel()
        edited = "import requests\nrequests.get('u')\n"
        assert [f.code for f in server.diagnostics(edited, tmp_path / "a.py", 10)] == ["S113"]
        assert server._answers == {}
    finally:
        server._stop()


def test_the_editor_path_finishes_or_closes_its_question(tmp_path: Path, monkeypatch) -> None:
    """``RuffRun`` through the server: the answer equals ``ruff check``'s; ``close`` without
    ``result`` hands the document back so the next run for that file uses the server again."""
    monkeypatch.setattr(ruff_bridge, "_RECENT_RUNS", type(ruff_bridge._RECENT_RUNS)())
    path = tmp_path / "c.py"
    run = ruff_bridge.RuffRun(TEXT, path, list(CODES))
    assert run._request is not None, "the server took the question"
    assert normalised(run.result()) == normalised(ruff_bridge.run_ruff(TEXT, path, CODES))
    run.close()
    dropped = ruff_bridge.RuffRun(TEXT + "\n# edited\n", path, list(CODES))
    dropped.close()
    later = ruff_bridge.RuffRun(TEXT + "\n# edited again\n", path, list(CODES))
    assert later._request is not None, "the closed document did not block the next question"
    assert {f.code for f in later.result()} == {"B006", "S113", "BLE001", "S110", "S608"}


def test_a_finished_document_is_closed_with_the_next_question(tmp_path: Path) -> None:
    server = RuffServer(ruff_bridge.find_ruff(), CODES)
    try:
        first = server.begin(TEXT, tmp_path / "a.py", 10)
        assert first.finish() is not None
        assert server._closing == [first.uri] and first.uri not in server._open
        second = server.begin("x = 1\n", tmp_path / "b.py", 10)
        assert server._closing == [], "the didClose went out with the next question"
        assert second.finish() == []
        # Reopening the closed document works: its didClose precedes the new didOpen.
        assert {f.code for f in server.diagnostics(TEXT, tmp_path / "a.py", 10)} == {
            "B006", "S113", "BLE001", "S110", "S608"}
    finally:
        server._stop()
