"""``--format json`` carries ``related``: the other places explaining a finding (issue 8), on a
hand-built finding and on the example's real import cycle through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from python_architect.findings import Finding, Related, Severity, Span
from python_architect.output import render

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "service"


def test_related_places_are_rendered_relative_with_their_spans(tmp_path):
    first, second = tmp_path / "pkg" / "a.py", tmp_path / "pkg" / "b.py"
    finding = Finding(
        code="ARC103", message="Import cycle: pkg.a -> pkg.b -> pkg.a", severity=Severity.WARNING,
        path=first, span=Span(1, 1, 1, 14),
        related=(Related(first, Span(1, 1, 1, 14), "pkg.a imports pkg.b"),
                 Related(second, Span(4, 5, 4, 18), "pkg.b imports pkg.a")),
    )
    plain = Finding(code="B006", message="Mutable default", severity=Severity.WARNING, path=second,
                    span=Span(2, 1, 2, 5))
    document = json.loads(render("json", [finding, plain], root=tmp_path, files=2, adrs=0))
    cycle, other = document["findings"]
    assert cycle["related"] == [
        {"message": "pkg.a imports pkg.b", "path": "pkg/a.py", "line": 1, "column": 1, "end_line": 1, "end_column": 14},
        {"message": "pkg.b imports pkg.a", "path": "pkg/b.py", "line": 4, "column": 5, "end_line": 4, "end_column": 18},
    ]
    assert other["related"] == []


def test_the_example_cycle_lists_every_import_line_in_json():
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache"],
        cwd=EXAMPLE, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 1, completed.stderr
    (cycle,) = [f for f in json.loads(completed.stdout)["findings"] if f["code"] == "ARC103"]
    assert sorted(item["path"] for item in cycle["related"]) == [
        "src/pricing_service/services/discount_service.py", "src/pricing_service/services/quote_service.py"]
    for item in cycle["related"]:
        line = (EXAMPLE / item["path"]).read_text(encoding="utf-8").splitlines()[item["line"] - 1]
        assert "import" in line, (item, line)
        assert item["message"]
