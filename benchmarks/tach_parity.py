"""Parity with the real ``tach check``: every case of ``tests/knowledge/test_tach_toml.py`` and the
workspace of ``tests/cli/test_cli_tach.py``, judged by Tach and by our engine, compared.

Usage: ``python benchmarks/tach_parity.py [--tach PATH] [--package DIR ...]``. Tach is not a dependency of the
project: install it in a scratch venv (``python3.11 -m venv /tmp/tach-venv &&
/tmp/tach-venv/bin/pip install tach``) and pass its ``tach`` (default: ``tach`` on PATH, else
``/tmp/tach-venv/bin/tach``). Run with the tree under test on ``PYTHONPATH`` (``server``).

Each Tach ``[FAIL]``/``[WARN] path:line`` line becomes (path, line, code) as the tests map them
(undeclared / cannot_depend_on -> ARC101, layer -> ARC102, interface -> ARC104, deprecated ->
ARC106); a configuration error, an unused dependency (``exact``) or a circular dependency is an
ARC006 on tach.toml, compared by count (Tach prints no line for them). Tach's "Ignore directive
is unused" warning is not emulated and is left out. Prints one line per case; exits 1 on any
difference, 2 when no ``tach`` can be found.

``--package DIR`` (an installed package's folder, e.g. ``site-packages/anthropic``) also checks
real code: the package copied under ``src/``, one Tach module per subpackage, in four
configurations (no dependencies allowed, half of them, one layer each, an interface for every
module), compared as multisets of (file, imported path, code). Lines are left out there: Tach
puts each name of a multi-line ``from x import (...)`` on its own line, we put them on the
statement's line.
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


def _dependency(message: str) -> str:
    found = re.search(r"(?:Cannot use|The path|Dependency) ['`]([^'`]+)['`]", message)
    return found.group(1) if found else message


CONFIGURATIONS = ("none allowed", "half allowed", "layered", "interfaces")


def package_configs(modules: list[str]) -> dict[str, str]:
    """A tach.toml per configuration for ``modules`` (one per subpackage)."""
    head = 'source_roots = ["src"]\n'

    def table(i: int, module: str, depends: list[str], extra: str = "") -> str:
        listed = ", ".join(f'"{d}"' for d in depends)
        return f'[[modules]]\npath = "{module}"\ndepends_on = [{listed}]\n{extra}'

    layers = "layers = [" + ", ".join(f'"l{i}"' for i in range(len(modules))) + "]\n"
    return {
        "none allowed": head + "".join(table(i, m, []) for i, m in enumerate(modules)),
        "half allowed": head + "".join(table(i, m, modules[: i // 2]) for i, m in enumerate(modules)),
        "layered": head + layers + "".join(table(i, m, [], f'layer = "l{i}"\n') for i, m in enumerate(modules)),
        "interfaces": head + "".join(table(i, m, modules) for i, m in enumerate(modules))
        + '[[interfaces]]\nexpose = ["types.*", "[A-Z].*"]\n',
    }


def compare_package(tach: str, folder: Path) -> int:
    from collections import Counter

    from python_architect.engine import Project

    differences = 0
    for name in CONFIGURATIONS:
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            shutil.copytree(folder, root / "src" / folder.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so"))
            modules = sorted(f"{folder.name}.{p.name}" for p in (root / "src" / folder.name).iterdir()
                             if (p / "__init__.py").is_file())
            (root / "tach.toml").write_text(package_configs(modules)[name], encoding="utf-8")
            out = subprocess.run([tach, "check"], cwd=root, capture_output=True, text=True, timeout=600, check=False)
            theirs = Counter((path, _dependency(message), code) for path, _, code, message in (
                (p, line, "ARC104" if "public interface" in m else "ARC102" if "Layer" in m
                 else "ARC106" if "deprecated" in m else "ARC101", m)
                for _, p, line, m in _LINE.findall(out.stdout + out.stderr) if "Ignore directive" not in m))
            result = Project.load(root).check_paths(ruff=False, jobs=1)
            ours = Counter((f.path.relative_to(root).as_posix(), _dependency(f.message), f.code) for f in result.findings
                           if f.code in ("ARC101", "ARC102", "ARC104", "ARC106"))
        same = theirs == ours
        differences += not same
        print(f"{'OK  ' if same else 'DIFF'} {folder.name} {name}: tach {sum(theirs.values())}, ours {sum(ours.values())}")
        for extra in sorted((theirs - ours).items())[:5] + sorted((ours - theirs).items())[:5]:
            print("     ", extra)
    return differences


def our_findings(root: Path) -> list[tuple[str, int | str, str]]:
    from test_tach_toml import findings

    return sorted(((path, "?" if path == "tach.toml" else line, code) for path, line, code in findings(root)), key=str)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tach", default=shutil.which("tach") or "/tmp/tach-venv/bin/tach")
    parser.add_argument("--package", action="append", default=[], type=Path, help="a package folder to compare on")
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
    for folder in args.package:
        differences += compare_package(args.tach, folder.resolve())
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
