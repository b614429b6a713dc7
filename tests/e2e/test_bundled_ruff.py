"""The bundled ruff executable named by the bootstrap (``PYTHON_ARCHITECT_RUFF``) wins in ruff_bridge."""

from __future__ import annotations

from python_architect.analysis import ruff_bridge


def test_the_named_ruff_wins(tmp_path, monkeypatch):
    named = tmp_path / "ruff"
    named.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setenv("PYTHON_ARCHITECT_RUFF", str(named))
    assert ruff_bridge._locate_ruff() == str(named)


def test_a_missing_named_ruff_falls_back_to_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_ARCHITECT_RUFF", str(tmp_path / "absent"))
    found = ruff_bridge._locate_ruff()
    assert found and found != str(tmp_path / "absent")
