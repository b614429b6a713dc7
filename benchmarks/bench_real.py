"""Precision on real code: ``check`` with no ADRs over pinned open-source packages.

Usage: ``python benchmarks/bench_real.py [--only NAME ...] [--dump FILE] [--jobs N]``.

The packages are fetched with ``pip download --no-deps`` (pinned versions below) into
``.bench/real/wheels`` and unpacked into ``.bench/real/src/<name>-<version>`` (git-ignored), once;
later runs reuse them. Each unpacked wheel is checked as its own workspace with no ADRs and no
configuration, exactly what a new user sees on day one. Prints, per package, lines and findings
per 1,000 lines; then findings per code over all packages; then the total rate against the
issue's ceiling of 1.5 per 1,000 lines. ``--dump`` writes every finding as JSON lines
(package, path, line, code, severity, message, source line) for reading a sample by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

from python_architect.analysis.decoding import read_source
from python_architect.engine import Project

PACKAGES = {
    "httpx": "0.28.1",
    "requests": "2.32.3",
    "starlette": "0.46.2",
    "flask": "3.1.0",
    "fastapi": "0.115.12",
    "aiohttp": "3.11.18",
    "celery": "5.5.2",
    "rich": "14.0.0",
    "pydantic": "2.11.4",
    "litestar": "2.16.0",
    "sqlalchemy": "2.0.40",
    "prefect": "3.4.0",
}
CEILING = 1.5
"""Findings per 1,000 lines the issue allows with no ADRs."""

BENCH_DIR = Path(__file__).resolve().parent.parent / ".bench" / "real"


def _wheel_for(name: str, version: str, wheels: Path) -> Path | None:
    # A wheel's file name spells the project name with every run of ``-``, ``_`` or ``.`` as one
    # ``_`` (``mastodon.py`` ships ``mastodon_py-2.3.3-...whl``).
    prefix = f"{re.sub(r'[-_.]+', '_', name)}-{version}-".lower()
    for wheel in wheels.glob("*.whl"):
        if wheel.name.lower().startswith(prefix):
            return wheel
    return None


def fetch(packages: dict[str, str], base: Path) -> dict[str, Path]:
    """Unpacked source directory per package, downloading the wheels that are missing."""
    wheels, sources = base / "wheels", base / "src"
    wheels.mkdir(parents=True, exist_ok=True)
    missing = [f"{n}=={v}" for n, v in packages.items() if _wheel_for(n, v, wheels) is None]
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "-d", str(wheels), *missing], check=True)
    roots: dict[str, Path] = {}
    for name, version in packages.items():
        wheel = _wheel_for(name, version, wheels)
        if wheel is None:
            sys.exit(f"no wheel for {name}=={version} in {wheels}")
        target = sources / f"{name}-{version}"
        if not target.exists():
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target)
        roots[name] = target
    return roots


def count_lines(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += read_source(path).count("\n") + 1
        except OSError:
            continue
    return total


def check(root: Path, jobs: int | None, adopt_all: bool = False) -> tuple[int, list, float]:
    """Lines of Python checked, the findings, and seconds taken."""
    start = time.perf_counter()
    project = Project.load(root)
    lines = count_lines(list(project.workspace_files.python))
    result = project.check_paths(None, jobs=jobs, select=("ALL",) if adopt_all else ())
    return lines, result.findings, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="check only these packages")
    parser.add_argument("--cache-dir", type=Path, default=BENCH_DIR,
                        help="where wheels are downloaded and unpacked (default: .bench/real)")
    parser.add_argument("--dump", type=Path, default=None, help="write every finding as JSON lines")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes per package")
    parser.add_argument("--adopt-all", action="store_true",
                        help="report every check as if the team had adopted it (`--select ALL`): the "
                        "precision of the judgment tier, not what a new user sees")
    args = parser.parse_args(argv)
    chosen = {n: v for n, v in PACKAGES.items() if not args.only or n in args.only}
    roots = fetch(chosen, args.cache_dir)

    per_code: Counter[str] = Counter()
    total_lines = total_findings = 0
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    print(f"{'package':<22} {'lines':>9} {'findings':>9} {'per 1k':>7} {'seconds':>8}")
    try:
        for name, root in roots.items():
            lines, findings, seconds = check(root, args.jobs, args.adopt_all)
            total_lines += lines
            total_findings += len(findings)
            per_code.update(f.code for f in findings)
            rate = 1000 * len(findings) / max(lines, 1)
            print(f"{name + '-' + chosen[name]:<22} {lines:>9,} {len(findings):>9} {rate:>7.2f} {seconds:>8.1f}")
            for f in findings if dump else ():
                text = ""
                try:
                    text = read_source(f.path).splitlines()[f.span.line - 1].strip()
                except (OSError, IndexError):
                    pass
                dump.write(json.dumps({"package": name, "path": str(f.path.relative_to(root)),
                                       "line": f.span.line, "code": f.code,
                                       "severity": f.severity.value, "message": f.message,
                                       "source": text[:200]}) + "\n")
    finally:
        if dump:
            dump.close()
    print()
    print("per code (findings, per 1k lines):")
    for code, count in per_code.most_common():
        print(f"  {code:<10} {count:>6} {1000 * count / max(total_lines, 1):>7.3f}")
    rate = 1000 * total_findings / max(total_lines, 1)
    print()
    mode = "every check adopted" if args.adopt_all else "no ADRs, no configuration"
    print(f"total ({mode}) {total_findings} findings in {total_lines:,} lines: {rate:.2f} per 1,000 lines "
          f"(ceiling {CEILING}, ratio {rate / CEILING:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
