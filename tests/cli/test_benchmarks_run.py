"""The benchmark scripts still run end to end and print their figures and ratios.

They are measured by hand (timings never gate a test); this only keeps them from rotting as the
code they drive changes. Each runs at its smallest size.
"""

from __future__ import annotations

import re
import subprocess
import sys

from cli_support import EXAMPLE, REPO



def run_benchmark(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def test_check_benchmark_prints_files_lines_and_ratio_to_ast_parse() -> None:
    out = run_benchmark("benchmarks/bench_check.py", str(EXAMPLE))
    assert re.search(r"files\s+\d+ Python files .* [\d,]+ lines", out)
    assert len(re.findall(r"ratio to ast\.parse\s+\d+\.\dx", out)) == 3


def test_lsp_benchmark_prints_latencies_against_ruff_server() -> None:
    out = run_benchmark(
        "benchmarks/bench_lsp.py", "--runs", "1", "--startup-runs", "1", "--settle", "0")
    for measure in ("startup", "open 300 lines", "change 3000 lines", "hover 3000 lines"):
        row = next(line for line in out.splitlines() if line.startswith(measure))
        assert re.search(r"\d+\.\dx\s*$", row), row


def test_startup_benchmark_prints_each_kind_of_start_with_its_phases_and_ratio() -> None:
    out = run_benchmark("benchmarks/bench_startup.py", "--runs", "1")
    assert re.search(r"anchor import lsprotocol\.types\s+\d+", out)
    for kind in ("first", "read-only", "warm"):
        row = next(line for line in out.splitlines() if re.match(rf"\s+{kind}\s+spawn->initialize", line))
        assert re.search(r"spawn->diagnostic\s+\d+\s+\(x\d+\.\d\d import lsprotocol\.types\)", row), row
    assert out.count("server phases (last run): imports done") == 3


def test_chat_benchmark_prints_first_chunk_ratio() -> None:
    out = run_benchmark("benchmarks/bench_chat.py", "--runs", "1", "--settle", "0")
    assert len(re.findall(r"ratio\s+\d+\.\d+x", out)) == 2


def test_scale_benchmark_prints_one_table_of_figures_ratios_and_targets() -> None:
    # --tiny: a generated workspace, nothing installed; anchors that are not there print n/a.
    out = run_benchmark("benchmarks/bench_scale.py", "--tiny", "--runs", "3")
    rows = {line[:48].strip(): line for line in out.splitlines() if line[:48].strip()}
    for label in ("cold check (writes the cache) vs read+parse", "warm check vs lint-imports warm",
                  "indirect layers vs grimp build_graph", "server RSS, workspace indexed"):
        assert label in rows, out
    assert re.search(r"\s\d+\.\d\d s\s+\d+\.\d\d s\s+\d+\.\d\dx", rows["cold check (writes the cache) vs read+parse"])
    changes = [line for line in out.splitlines() if line.startswith("change->diag")]
    assert len(changes) == 10 and all(re.search(r"\d+\.\d ms\s+\d+\.\d ms\s+\d+\.\d\dx", c) for c in changes), changes
    assert re.search(r"server RSS, workspace indexed\s+\d+ MB", out)
    assert "scan reported $/progress: True" in out


def test_real_code_benchmark_prints_rates_per_package_and_code(tmp_path) -> None:
    # Offline: a wheel already in the cache directory is used instead of downloading one.
    import zipfile

    wheels = tmp_path / "wheels"
    wheels.mkdir()
    with zipfile.ZipFile(wheels / "requests-2.32.3-py3-none-any.whl", "w") as wheel:
        # api reads a name the package binds only after importing api: `import requests.api` fails.
        wheel.writestr("requests/__init__.py", "from requests import api\n\n__title__ = 'requests'\n")
        wheel.writestr("requests/api.py", "import time\n\nfrom requests import __title__\n\n\nasync def get(url):\n    time.sleep(1)\n    return url\n")
    out = run_benchmark("benchmarks/bench_real.py", "--only", "requests", "--cache-dir", str(tmp_path))
    assert re.search(r"^requests-2\.32\.3\s+\d+\s+2\s+\d+\.\d\d", out, re.M)  # a cycle and an ASYNC251
    assert re.search(r"^\s+ARC103\s+1\s", out, re.M) and re.search(r"^\s+ASYNC251\s+1\s", out, re.M)
    assert re.search(r"per 1,000 lines \(ceiling 1\.5, ratio \d+\.\d\dx\)", out)

