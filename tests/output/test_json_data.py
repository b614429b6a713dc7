"""``--format json`` carries each finding's ``data`` (issue 21): the check's own details, JSON
values only, null when there are none; through the real CLI, a script can read which first
import of a cycle fails, and the old keys are unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from python_architect.findings import Finding, Severity, Span
from python_architect.output import render
from trees import write_tree

OLD_KEYS = {"code", "message", "severity", "path", "line", "column", "end_line", "end_column", "adrs", "fix",
            "related", "rule", "chain"}


def _check(root: Path, *args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache", *args],
        cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)
    assert completed.returncode in (0, 1), completed.stderr
    return json.loads(completed.stdout)


def test_a_cycles_data_names_the_import_that_fails_first(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n',
        "app/__init__.py": "",
        "app/billing.py": "from app.orders import Order\n\n\ndef charge(order: Order) -> None:\n    pass\n",
        "app/orders.py": "from app.billing import charge\n\n\nclass Order:\n    pass\n",
    })
    (cycle,) = [f for f in _check(root)["findings"] if f["code"] == "ARC103"]
    assert set(cycle) == OLD_KEYS | {"data"}
    data = cycle["data"]
    assert data["entry"] in {"app.billing", "app.orders"}
    assert data["fails"].startswith(f"`import {data['entry']}` fails: ")
    assert data["cycle"][0] == data["cycle"][-1] and set(data["members"]) == {"app.billing", "app.orders"}
    # the editor's one line says it too, in short
    assert cycle["message"].endswith("first fails on `Order`") or cycle["message"].endswith("first fails on `charge`")
    assert f"`import {data['entry']}` first fails on" in cycle["message"]
    # the interpreter agrees that this order fails
    run = subprocess.run([sys.executable, "-c", f"import {data['entry']}"], cwd=root, check=False,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "ImportError" in run.stderr


def test_data_is_null_when_empty_and_only_json_values_are_kept(tmp_path: Path) -> None:
    rich = Finding(code="ARC502", message="m", severity=Severity.WARNING, path=tmp_path / "a.py", span=Span(1, 1, 1, 2),
                   data={"receiver": "db", "chain": ("a", "b"), "depth": 2, "ok": True, "none": None,
                         "nested": {"path": tmp_path, "ratio": 0.5, "nan": float("nan")}, "where": tmp_path})
    plain = Finding(code="B006", message="m", severity=Severity.WARNING, path=tmp_path / "a.py", span=Span(2, 1, 2, 2))
    only_paths = Finding(code="X1", message="m", severity=Severity.WARNING, path=tmp_path / "a.py", span=Span(3, 1, 3, 2),
                         data={"where": tmp_path})
    document = json.loads(render("json", [rich, plain, only_paths], root=tmp_path, files=1, adrs=0))
    first, second, third = document["findings"]
    assert first["data"] == {"receiver": "db", "chain": ["a", "b"], "depth": 2, "ok": True, "none": None,
                             "nested": {"ratio": 0.5}}
    assert second["data"] is None
    assert third["data"] is None  # nothing JSON can carry is left
