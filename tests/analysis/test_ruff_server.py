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
    monkeypatch.setattr(ruff_bridge, "_ask_ruff_server", lambda *args: None)
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
