"""Cost of the per-file analysis relative to parsing: the facts pass and each own module check.

Usage: ``python benchmarks/facts_and_checks.py [DIR]`` (default: the standard library of the
running interpreter). Prints files, lines, seconds for ``ast.parse``, for ``extract_facts`` and
for each module check, and each one's ratio to the plain parse of the same files in the same run.
"""

from __future__ import annotations

import ast
import gc
import sys
import sysconfig
import time
from pathlib import Path

from python_architect.analysis.extract import extract_facts
from python_architect.analysis.registry import ModuleContext
from python_architect.catalog import all_checks
from python_architect.config import ProjectConfig
from python_architect.knowledge.model import KnowledgeBase


def python_files(root: Path) -> list[tuple[Path, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        try:
            found.append((path, path.read_text("utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return found


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(sysconfig.get_paths()["stdlib"])
    kb = KnowledgeBase(root=root)
    config = ProjectConfig()
    checks = [info for info in all_checks() if info.scope == "module" and info.run is not None]
    seconds = {"parse": 0.0, "facts": 0.0, **{info.code: 0.0 for info in checks}}
    found = dict.fromkeys(seconds, 0)
    files = lines = 0
    for info in checks:  # warm up: first calls import what the checks need lazily
        warm = "import os\n"
        tree = ast.parse(warm)
        list(info.run(ModuleContext(
            root=root, path=root / "warm.py", module="warm", text=warm, lines=[warm], tree=tree,
            facts=extract_facts(tree, warm, "warm"), kb=kb, config=config, is_first_party=lambda n: False,
            is_stdlib=lambda n: True, lookup_module=lambda n: None, options_for=lambda c: {},
        )))
    # One file at a time, nothing kept: trees of a whole code base would not fit in memory.
    # The collector is paused as the engine pauses it around a parse and its walk.
    gc.disable()
    for path, text in python_files(root):
        start = time.perf_counter()
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        seconds["parse"] += time.perf_counter() - start
        files += 1
        lines += text.count("\n") + 1
        start = time.perf_counter()
        facts = extract_facts(tree, text, "bench.module")
        seconds["facts"] += time.perf_counter() - start
        ctx = ModuleContext(
            root=root, path=path, module="bench.module", text=text, lines=text.splitlines(), tree=tree,
            facts=facts, kb=kb, config=config,
            is_first_party=lambda name: name.startswith("bench."),
            is_stdlib=lambda name: name.split(".")[0] in sys.stdlib_module_names,
            lookup_module=lambda name: None,
            options_for=lambda code: {},
        )
        for info in checks:
            start = time.perf_counter()
            found[info.code] += len(list(info.run(ctx)))
            seconds[info.code] += time.perf_counter() - start
    gc.enable()
    parse = seconds["parse"] or 1e-9
    print(f"{files} files, {lines} lines under {root}")
    for name, spent in seconds.items():
        label = name if name in ("parse", "facts") else f"{name} ({found[name]} found)"
        print(f"{label:<22} {spent:8.3f} s   {spent / parse:5.2f}x of ast.parse")
    analysis = sum(spent for name, spent in seconds.items() if name != "parse")
    print(f"{'facts + own checks':<22} {analysis:8.3f} s   {analysis / parse:5.2f}x of ast.parse")


if __name__ == "__main__":
    main()
