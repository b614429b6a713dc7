"""The ruff bridge: curated families, noqa, encodings, fix conversion, our S113 fix, missing ruff."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

from python_architect.analysis import ruff_bridge, ruff_refine
from python_architect.analysis.decoding import decode_source
from python_architect.codes import METADATA as REGISTRY
from python_architect.findings import Span, TextEdit

CURATED = list(ruff_bridge.CURATED_SELECT)

# One snippet per principle family, each firing exactly the code named.
FAMILY_SNIPPETS = {
    "async": ("import time\nasync def f():\n    time.sleep(1)\n", "ASYNC251"),
    "resilience": ("import requests\nrequests.get('https://x', verify=True)\n", "S113"),
    "data-layer": ("def q(cur, name):\n    cur.execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n", "S608"),
    "observability": ("print('hello')\n", "T201"),
    "security": ("import yaml\nyaml.load(open('x'))\n", "S506"),
    "memory": ("def f(items=[]):\n    return items\n", "B006"),
}


def _apply(text: str, edits: tuple[TextEdit, ...]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return offsets[line - 1] + column - 1

    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        start, end = offset(edit.span.line, edit.span.column), offset(edit.span.end_line, edit.span.end_column)
        text = text[:start] + edit.new_text + text[end:]
    return text


@pytest.mark.parametrize("principle", sorted(FAMILY_SNIPPETS))
def test_each_principle_family_fires_once(principle: str) -> None:
    text, code = FAMILY_SNIPPETS[principle]
    found = ruff_bridge.run_ruff(text, Path("mod.py"), CURATED)
    assert [f.code for f in found] == [code]
    assert REGISTRY[code].principle == principle
    assert REGISTRY[code].scope == "ruff"


def test_clean_code_does_not_fire() -> None:
    text = "import logging\nimport requests\nlog = logging.getLogger(__name__)\n" \
           "def f(items=None):\n    log.info('%s', requests.get('https://x', timeout=5))\n"
    assert ruff_bridge.run_ruff(text, Path("mod.py"), CURATED) == []


def test_noqa_silences_ruff_code() -> None:
    assert ruff_bridge.run_ruff("print('x')  # noqa: T201\n", Path("m.py"), CURATED) == []


def test_latin1_file_with_cookie_is_decoded_and_checked(tmp_path: Path) -> None:
    data = "# -*- coding: latin-1 -*-\nname = 'café'\nprint(name)\n".encode("latin-1")
    path = tmp_path / "legacy.py"
    path.write_bytes(data)
    text = decode_source(data)
    assert "café" in text
    found = ruff_bridge.run_ruff(text, path, CURATED)
    assert [(f.code, f.span.line) for f in found] == [("T201", 3)]
    many = ruff_bridge.run_ruff_many([path], CURATED)
    assert [f.code for f in many[path.resolve()]] == ["T201"]


def test_ruff_fix_is_converted_with_applicability() -> None:
    text = "import logging\nlog = logging.getLogger()\ntry:\n    pass\nexcept ValueError:\n    log.error('failed')\n"
    found = ruff_bridge.run_ruff(text, Path("m.py"), ["TRY400"])
    assert [f.code for f in found] == ["TRY400"]
    fix = found[0].fix
    assert fix is not None and fix.edits
    assert _apply(text, fix.edits).endswith("log.exception('failed')\n")
    raw = {"applicability": "safe", "message": None,
           "edits": [{"content": "x", "location": {"row": 2, "column": 3}, "end_location": {"row": 2, "column": 5}}]}
    converted = ruff_bridge.convert_fix(raw)
    assert converted.safe and converted.edits == (TextEdit(Span(2, 3, 2, 5), "x"),)
    assert ruff_bridge.convert_fix({"applicability": "unsafe", "edits": raw["edits"]}).safe is False
    assert ruff_bridge.convert_fix(None) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import requests\nr = requests.get(url)\n", "requests.get(url, timeout=10)"),
        ("import requests\nr = requests.get()\n", "requests.get(timeout=10)"),
        ("import requests\nr = requests.post(url,)\n", "requests.post(url, timeout=10,)"),
        ("import requests\nr = requests.get(\n    url,  # the endpoint\n)\n", "url, timeout=10,  # the endpoint"),
        ("import requests\nr = requests.get(url, timeout=None)\n", "requests.get(url, timeout=10)"),
        ("import requests\nr = requests.get('é', **kw)\n", "requests.get('é', **kw, timeout=10)"),
    ],
)
def test_s113_timeout_fix_gives_valid_code(source: str, expected: str) -> None:
    found = ruff_bridge.run_ruff(source, Path("m.py"), ["S113"])
    assert [f.code for f in found] == ["S113"]
    fixed = ruff_refine.timeout_fixes(ast.parse(source), source.splitlines(), found)
    fix = fixed[0].fix
    assert fix is not None and fix.safe is False
    result = _apply(source, fix.edits)
    assert expected in result
    ast.parse(result)
    assert ruff_bridge.run_ruff(result, Path("m.py"), ["S113"]) == []


def test_s113_fixes_reach_calls_in_decorators_and_deep_in_large_files() -> None:
    filler = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n" for i in range(200))
    source = (
        "import requests\n\n"
        + filler
        + "@register(requests.get('https://a.example'))\n"
        "def decorated():\n    pass\n\n"
        "class Client:\n    def fetch(self):\n        if True:\n"
        "            return requests.post('https://b.example', json={})\n"
    )
    found = ruff_bridge.run_ruff(source, Path("m.py"), ["S113"])
    assert len(found) == 2
    fixed = ruff_refine.timeout_fixes(ast.parse(source), source.splitlines(), found)
    assert all(f.fix is not None for f in fixed)
    result = source
    for finding in sorted(fixed, key=lambda f: f.span, reverse=True):
        result = _apply(result, finding.fix.edits)
    assert "requests.get('https://a.example', timeout=10)" in result
    assert "requests.post('https://b.example', json={}, timeout=10)" in result


def test_curated_selection_trimming() -> None:
    assert ruff_bridge.curated_selection(False) == []
    assert ruff_bridge.curated_selection(True) == CURATED
    assert ruff_bridge.curated_selection(("S1", "ASYNC251")) == ["S113", "S110", "ASYNC251"]
    assert ruff_bridge.curated_selection(["S"]) == [c for c in CURATED if c.startswith("S")]


def test_run_ruff_many_groups_by_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("print(1)\n")
    b.write_text("x = 1\n")
    found = ruff_bridge.run_ruff_many([a, b], CURATED)
    assert [f.code for f in found[a.resolve()]] == ["T201"]
    assert b.resolve() not in found


def test_missing_ruff_gives_no_findings_and_one_warning(monkeypatch, caplog) -> None:
    monkeypatch.setattr(ruff_bridge, "_RUFF_BIN", "")
    monkeypatch.setattr(ruff_bridge, "_WARNED", False)
    with caplog.at_level(logging.WARNING, logger=ruff_bridge.__name__):
        assert ruff_bridge.run_ruff("print(1)\n", Path("m.py"), CURATED) == []
        assert ruff_bridge.run_ruff_many([Path("m.py")], CURATED) == {}
    assert len([r for r in caplog.records if "ruff" in r.getMessage()]) == 1


def test_broken_ruff_binary_does_not_crash(monkeypatch, tmp_path: Path) -> None:
    fake = tmp_path / "ruff"
    fake.write_text("#!/bin/sh\necho not json\n")
    fake.chmod(0o755)
    monkeypatch.setattr(ruff_bridge, "_RUFF_BIN", str(fake))
    monkeypatch.setattr(ruff_bridge, "_WARNED", False)
    assert ruff_bridge.run_ruff("print(1)\n", Path("m.py"), CURATED) == []


def test_ruff_finder_falls_back_when_its_own_finder_raises(monkeypatch) -> None:
    import ruff.__main__

    def broken():
        raise TypeError("sysconfig not ready")

    monkeypatch.setattr(ruff.__main__, "find_ruff_bin", broken)
    monkeypatch.setattr(ruff_bridge, "_RUFF_BIN", None)
    found = ruff_bridge.find_ruff()
    assert found is not None and Path(found).name.startswith("ruff")
    assert [f.code for f in ruff_bridge.run_ruff("print(1)\n", Path("m.py"), CURATED)] == ["T201"]


def test_concurrent_first_runs_all_find_ruff(monkeypatch) -> None:
    monkeypatch.setattr(ruff_bridge, "_RUFF_BIN", None)
    runs = [ruff_bridge.RuffRun("print(1)\n", Path(f"m{i}.py"), CURATED) for i in range(4)]
    assert [[f.code for f in run.result()] for run in runs] == [["T201"]] * 4
