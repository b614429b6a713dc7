"""``benchmarks/bench_precision.py``: verdicts match findings by source text, the sample is seeded,
and the script runs offline end to end, listing what nobody has judged yet.

The verdicts are the measurement; a matcher that silently dropped or misapplied them would make
the precision figures meaningless, so these pin down what counts as "the same finding".
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import pytest
from cli_support import REPO


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_precision
        yield bench_precision
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


def finding(bench, line: int, source: str, code: str = "B006", path: str = "pkg/mod.py"):
    return bench.Finding("pkg", path, line, code, "message", source)


def verdicts_for(bench, *findings, right: bool = True) -> dict:
    return {f.key: {"package": f.package, "path": f.path, "code": f.code, "source": f.source,
                    "right": right, "class": "" if right else "some-class", "why": "because"}
            for f in findings}


def test_a_verdict_survives_its_line_moving_but_not_its_text_changing(bench) -> None:
    judged_once = finding(bench, 10, "def f(x=[]):")
    verdicts = verdicts_for(bench, judged_once)
    moved, edited = finding(bench, 42, "def f(x=[]):"), finding(bench, 10, "def f(x={}):")
    other_code = finding(bench, 10, "def f(x=[]):", code="ARC201")
    judged, unjudged = bench.judge([moved, edited, other_code], verdicts)
    assert judged == [(moved, True)]
    assert unjudged == [edited, other_code]


def test_precision_counts_wrong_verdicts(bench) -> None:
    right, wrong = finding(bench, 1, "a"), finding(bench, 2, "b")
    verdicts = {**verdicts_for(bench, right), **verdicts_for(bench, wrong, right=False)}
    judged, _ = bench.judge([right, wrong, wrong], verdicts)
    assert bench.precision(judged) == pytest.approx(1 / 3)


def test_the_sample_is_seeded_and_independent_of_the_order_packages_ran_in(bench) -> None:
    population = [finding(bench, n, f"line {n}", path=f"pkg/m{n % 7}.py") for n in range(300)]
    drawn = bench.sample(population, size=60)
    assert len(drawn) == 60 and len(set(drawn)) == 60
    assert bench.sample(list(reversed(population)), size=60) == drawn
    assert bench.sample(population, size=60, seed=bench.SEED + 1) != drawn
    assert bench.sample(population[:10], size=60) == sorted(population[:10], key=lambda f: (f.package, f.path, f.line, f.code))


def test_a_broken_verdict_line_is_named_not_a_traceback(bench, tmp_path) -> None:
    path = tmp_path / "verdicts.jsonl"
    path.write_text('{"package": "p", "path": "a.py", "code": "B006", "source": "x", "right": true}\n{oops\n')
    with pytest.raises(SystemExit, match=r"verdicts\.jsonl:2: not a verdict"):
        bench.load_verdicts(path)


def test_offline_run_lists_unjudged_findings_then_uses_the_verdicts_written_for_them(tmp_path) -> None:
    # A cached wheel under one of the held-out names is used instead of downloading it.
    wheels = tmp_path / "cache" / "wheels"
    wheels.mkdir(parents=True)
    with zipfile.ZipFile(wheels / "kombu-5.7.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("kombu/__init__.py", "")
        wheel.writestr("kombu/queue.py", "import requests\n\n\ndef put(url):\n    return requests.get(url)\n")
    verdicts, template = tmp_path / "verdicts.jsonl", tmp_path / "template.jsonl"
    verdicts.write_text("")

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "benchmarks/bench_precision.py", "--only", "kombu", "--cache-dir",
             str(tmp_path / "cache"), "--verdicts", str(verdicts), "--require", *extra],
            check=False, cwd=REPO, capture_output=True, text=True, timeout=300,
            stdin=subprocess.DEVNULL)

    first = run("--template", str(template))
    assert first.returncode == 1, first.stdout + first.stderr
    assert re.search(r"^UNJUDGED \(1 default, 1 sample\):\n  kombu kombu/queue\.py:5 S113 ", first.stdout, re.MULTILINE)
    [blank] = [json.loads(line) for line in template.read_text().splitlines()]
    assert blank["source"] == "return requests.get(url)" and blank["right"] is None

    verdicts.write_text(json.dumps({**blank, "right": True, "why": "no timeout on a call to another host"}) + "\n")
    second = run("--reuse")
    assert "UNJUDGED" not in second.stdout
    assert re.search(r"^kombu-5\.7\.0\s+\d+\s+1\s+[\d.]+\s+1\s+1\s+1\.00$", second.stdout, re.MULTILINE)
    assert re.search(r"^default precision\s+1\.000 .* ok$", second.stdout, re.MULTILINE)
    # One finding in a few lines is far above the density ceiling: the gate still fails, and says why.
    assert second.returncode == 1 and re.search(r"^default density per 1k .* MISSED$", second.stdout, re.MULTILINE)
