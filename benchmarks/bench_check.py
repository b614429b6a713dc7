"""``python-architect check`` over a large real codebase, against a plain ``ast.parse`` anchor.

Usage: ``python benchmarks/bench_check.py [DIR] [--jobs N]``. Without DIR it checks the source of
the installed ``django`` package (``pip install django``, or the project's ``bench`` extra); it
installs nothing itself. In one process it measures: reading and ``ast.parse`` of every Python
file (the anchor), then ``Project.check_paths`` over the whole tree with the ruff families on and
off, each on a freshly loaded project. Prints files, lines, seconds, findings and the ratio of
each run to the anchor.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

from python_architect.analysis.decoding import read_source
from python_architect.engine import Project


def default_target() -> Path:
    spec = importlib.util.find_spec("django")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("django is not installed: `pip install django` (or pass a directory to check)")
    return Path(next(iter(spec.submodule_search_locations)))


def parse_anchor(paths: list[Path]) -> tuple[float, int, int]:
    """Seconds to read and parse every file, the lines read, and how many did not parse."""
    lines = failures = 0
    start = time.perf_counter()
    for path in paths:
        try:
            text = read_source(path)
        except OSError:
            failures += 1
            continue
        lines += text.count("\n") + 1
        try:
            ast.parse(text, filename=str(path))
        except (SyntaxError, ValueError, RecursionError):
            failures += 1
    return time.perf_counter() - start, lines, failures


def timed_check(root: Path, *, ruff: bool, jobs: int | None) -> tuple[float, float, int, Counter[str], int]:
    """Seconds to load the project, seconds to check it, files checked, findings per code, ADRs."""
    start = time.perf_counter()
    project = Project.load(root)
    loaded = time.perf_counter()
    result = project.check_paths(None, jobs=jobs, ruff=ruff)
    done = time.perf_counter()
    return loaded - start, done - loaded, result.files, Counter(f.code for f in result.findings), result.adrs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, help="directory to check (default: installed django)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: the engine's choice)")
    args = parser.parse_args(argv)
    root = (args.root or default_target()).resolve()

    project = Project.load(root)
    python_files = list(project.workspace_files.python)
    anchor_s, lines, failures = parse_anchor(python_files)
    print(f"target      {root}")
    print(f"python      {sys.version.split()[0]}")
    print(f"files       {len(python_files)} Python files ({failures} unparsable), {lines:,} lines")
    print(f"ast.parse   {anchor_s:7.2f} s   (anchor: read + parse every file once)")

    rows = []
    for label, ruff, jobs in (
        ("check, ruff on ", True, args.jobs),
        ("check, ruff off", False, args.jobs),
        ("check, ruff off, 1 process", False, 1),
    ):
        load_s, check_s, files, codes, adrs = timed_check(root, ruff=ruff, jobs=jobs)
        total = load_s + check_s
        rows.append((label, total, codes))
        print(f"{label:<27} {total:7.2f} s   ratio to ast.parse {total / anchor_s:5.1f}x"
              f"   (load {load_s:.2f} s, check {check_s:.2f} s, {files} files, "
              f"{sum(codes.values())} findings, {adrs} ADRs)")
    print("findings by code (ruff on): "
          + ", ".join(f"{code} {count}" for code, count in rows[0][2].most_common(12)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
