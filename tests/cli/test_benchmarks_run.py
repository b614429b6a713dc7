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
    out = run_benchmark("benchmarks/bench_lsp.py", "--runs", "2")
    for measure in ("startup", "open 300 lines", "change 3000 lines", "hover 3000 lines"):
        row = next(line for line in out.splitlines() if line.startswith(measure))
        assert re.search(r"\d+\.\dx\s*$", row), row


def test_chat_benchmark_prints_first_chunk_ratio() -> None:
    out = run_benchmark("benchmarks/bench_chat.py", "--runs", "2")
    assert len(re.findall(r"ratio\s+\d+\.\d+x", out)) == 2
