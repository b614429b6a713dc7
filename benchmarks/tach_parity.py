"""Parity with the real ``tach check``: every case of ``tests/knowledge/test_tach_toml.py`` and the
workspace of ``tests/cli/test_cli_tach.py``, judged by Tach and by our engine, compared.

Usage: ``python benchmarks/tach_parity.py [--tach PATH]``. Tach is not a dependency of the
project: install it in a scratch venv (``python3.11 -m venv /tmp/tach-venv &&
/tmp/tach-venv/bin/pip install tach``) and pass its ``tach`` (default: ``tach`` on PATH, else
``/tmp/tach-venv/bin/tach``). Run with the tree under test on ``PYTHONPATH`` (``server``).

Each Tach ``[FAIL]``/``[WARN] path:line`` line becomes (path, line, code) as the tests map them
(undeclared / cannot_depend_on -> ARC101, layer -> ARC102, interface -> ARC104, deprecated ->
ARC106); a configuration error, an unused dependency (``exact``) or a circular dependency is an
ARC006 on tach.toml, compared by count (Tach prints no line for them). Tach's "Ignore directive
is unused" warning is not emulated and is left out. Prints one line per case; exits 1 on any
difference, 2 when no ``tach`` can be found.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests" / "support"), str(HERE.parent / "tests" / "knowledge"),
                str(HERE.parent / "tests" / "cli")]

_LINE = re.compile(r"\[(FAIL|WARN)\] (\S+?):(\d+): (.*)")


def tach_findings(tach: str, root: Path) -> list[tuple[str, int | str, str]]:
    out = subprocess.run([tach, "check"], cwd=root, capture_output=True, text=True, timeout=300, check=False)
    text = out.stdout + out.stderr
    found: list[tuple[str, int | str, str]] = []
    for _, path, line, message in _LINE.findall(text):
        if "Ignore directive is unused" in message:
            continue
        code = ("ARC104" if "public interface" in message else "ARC102" if "Layer" in message
                else "ARC106" if "deprecated" in message else "ARC101")
        found.append((path, int(line), code))
    for listed in re.findall(r"does not depend on: \[(.*?)\]", text):
        found += [("tach.toml", "?", "ARC006")] * len(listed.split(","))
    found += [("tach.toml", "?", "ARC006")] * text.count("Circular dependency detected")
    if "configuration error" in text.lower() or "tree error" in text.lower():
        found.append(("tach.toml", "?", "ARC006"))
    return sorted(found, key=str)


def our_findings(root: Path) -> list[tuple[str, int | str, str]]:
    from test_tach_toml import findings

    return sorted(((path, "?" if path == "tach.toml" else line, code) for path, line, code in findings(root)), key=str)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tach", default=shutil.which("tach") or "/tmp/tach-venv/bin/tach")
    args = parser.parse_args()
    if not Path(args.tach).is_file():
        print(f"no tach at {args.tach}: install it in a scratch venv (see --help)", file=sys.stderr)
        return 2
    from test_cli_tach import FILES
    from test_tach_toml import CASES
    from trees import write_tree

    cases = {name: {"tach.toml": text, **files} for name, (text, files, _) in CASES.items()}
    cases["cli workspace"] = FILES
    differences = 0
    for name, files in cases.items():
        with tempfile.TemporaryDirectory() as folder:
            root = write_tree(Path(folder), files)
            theirs = tach_findings(args.tach, root)
            ours = our_findings(root)
        same = theirs == ours
        differences += not same
        print(f"{'OK  ' if same else 'DIFF'} {name}: {theirs}" + ("" if same else f"\n     ours: {ours}"))
    print(f"{len(cases) - differences} of {len(cases)} cases agree with {args.tach}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
