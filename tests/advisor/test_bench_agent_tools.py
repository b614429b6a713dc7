"""``benchmarks/bench_agent_tools.py`` still runs end to end on the example and prints a line
per tool and the first request's tokens (timings are read by hand, never asserted)."""

from __future__ import annotations

import re
import subprocess
import sys

from chat_support import EXAMPLE, REPO


def test_agent_tools_benchmark_prints_every_tool_and_the_token_figures():
    done = subprocess.run([sys.executable, "benchmarks/bench_agent_tools.py", str(EXAMPLE)], cwd=REPO,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    for tool in ("read_file", "search_code", "find_symbol", "check", "relevant_adrs", "list_adrs", "explain_rule", "graph"):
        assert re.search(rf"^  {tool} +median +[\d.]+ ms  p90 +[\d.]+ ms  \(\d+ calls, 0 refused\)$", done.stdout, re.M), done.stdout
    assert len(re.findall(r"~\d+ tokens without tools, ~\d+ with the 9 tools \(\+\d+\)", done.stdout)) == 2
