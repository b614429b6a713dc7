"""Ruff runs once per (text, path, codes): re-analysing an unchanged file (a dependant of an
edited module, a save, an undo) reuses the answer instead of starting a subprocess."""

from __future__ import annotations

from pathlib import Path

from python_architect.analysis import ruff_bridge
from python_architect.analysis.registry import RawFinding
from python_architect.findings import Span


def test_same_text_path_and_codes_reuse_the_answer(monkeypatch) -> None:
    calls: list[str] = []

    def fake_run(text, path, codes, *, timeout=10.0):
        calls.append(text)
        return [RawFinding(code="T201", message=f"print in {len(calls)}", span=Span(1, 1, 1, 6))]

    monkeypatch.setattr(ruff_bridge, "_begin_ruff_server", lambda *args: None)  # count ruff check runs
    monkeypatch.setattr(ruff_bridge, "run_ruff", fake_run)
    monkeypatch.setattr(ruff_bridge, "_RECENT_RUNS", type(ruff_bridge._RECENT_RUNS)())
    path = Path("/w/app/x.py")
    first = ruff_bridge.RuffRun("print(1)\n", path, ["T201"]).result()
    again = ruff_bridge.RuffRun("print(1)\n", path, ["T201"]).result()
    assert [f.message for f in again] == [f.message for f in first] == ["print in 1"]
    assert len(calls) == 1
    ruff_bridge.RuffRun("print(2)\n", path, ["T201"]).result()  # other text
    ruff_bridge.RuffRun("print(1)\n", path, ["T201", "S113"]).result()  # other codes
    ruff_bridge.RuffRun("print(1)\n", Path("/w/app/y.py"), ["T201"]).result()  # other path
    assert len(calls) == 4


def test_only_the_most_recent_answers_are_kept(monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(ruff_bridge, "_begin_ruff_server", lambda *args: None)
    monkeypatch.setattr(ruff_bridge, "run_ruff", lambda text, path, codes, timeout=10.0: calls.append(text) or [])
    monkeypatch.setattr(ruff_bridge, "_RECENT_RUNS", type(ruff_bridge._RECENT_RUNS)())
    for number in range(ruff_bridge.RECENT_RUNS_KEPT + 1):
        ruff_bridge.RuffRun(f"x = {number}\n", Path("/w/x.py"), ["T201"]).result()
    assert len(ruff_bridge._RECENT_RUNS) == ruff_bridge.RECENT_RUNS_KEPT
    ruff_bridge.RuffRun("x = 0\n", Path("/w/x.py"), ["T201"]).result()  # the oldest was dropped
    assert len(calls) == ruff_bridge.RECENT_RUNS_KEPT + 2
