"""Knowledge-base speed: loading many ADRs, rule scoping on the keystroke path, and ranking.

Run: ``.venv/bin/python benchmarks/knowledge.py [--adrs 240]``. Prints figures and the ratio to
an anchor measured in the same run:
- load_knowledge vs. reading the same files and YAML-loading their frontmatter (same loader);
- rule_applies_to vs. one bare pathspec ``match_file`` on a precomputed relative path;
- relevant_adrs / search_adrs per call (search's first call includes building the BM25 index).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pathspec
import yaml

import python_architect.catalog  # noqa: F401  imports every check module once, before timing
from python_architect.config import ProjectConfig
from python_architect.knowledge.loader import load_knowledge
from python_architect.knowledge.relevance import relevant_adrs, search_adrs
from python_architect.knowledge.scope import rule_applies_to

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "knowledge" / "service"
QUESTIONS = (
    "should we query the database in a loop?",
    "can the domain import requests?",
    "how do we pin dependencies?",
    "what cache size limit do we use?",
)


def build_workspace(target: Path, adr_count: int, file_count: int) -> None:
    shutil.copytree(FIXTURE, target)
    folder = target / ".ai" / "adrs"
    originals = sorted(folder.glob("0*.md"))
    number = len(originals) + 1
    while number <= adr_count:
        for original in originals:
            if number > adr_count:
                break
            text = re.sub(r"ADR-0\d\d", f"ADR-{number:03d}", original.read_text(), count=1)
            (folder / f"{number:04d}-{original.stem[5:]}.md").write_text(text)
            number += 1
    for index in range(file_count):
        package = target / "app" / f"pkg{index % 40}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"module{index}.py").write_text("X = 1\n")


def best_of(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def anchor_read_and_yaml(root: Path) -> None:
    for path in sorted((root / ".ai" / "adrs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            yaml.load(text.split("\n---\n", 1)[0][4:], Loader=LOADER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adrs", type=int, default=240)
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "workspace"
        build_workspace(root, args.adrs, args.files)
        files = [p for p in root.rglob("*") if p.is_file()]
        config = ProjectConfig()

        load = best_of(5, lambda: load_knowledge(root, config, lambda: files))
        anchor = best_of(5, lambda: anchor_read_and_yaml(root))
        kb = load_knowledge(root, config, lambda: files)
        print(f"ADRs: {len(kb.adrs)}, workspace files: {len(files)}, problems: {len(kb.problems)}")
        print(f"load_knowledge: {load * 1000:.1f} ms ({load / len(kb.adrs) * 1000:.2f} ms per ADR)")
        print(
            f"anchor (read + YAML-load the frontmatter, libyaml when present): {anchor * 1000:.1f} ms"
        )
        print(f"ratio load_knowledge / anchor: {load / anchor:.1f}x")

        pairs = kb.rules()
        targets = [p for p in files if p.suffix == ".py"][:50]
        calls = len(pairs) * len(targets)
        scoped = best_of(
            3, lambda: [rule_applies_to(a, r, p, root) for a, r in pairs for p in targets]
        )
        spec = pathspec.PathSpec.from_lines("gitignore", ["app/domain/**"])
        relative = [p.relative_to(root).as_posix() for p in targets]
        bare = best_of(3, lambda: [spec.match_file(r) for _ in pairs for r in relative])
        print(f"rule_applies_to: {scoped / calls * 1e6:.2f} us per call ({calls} calls)")
        print(f"anchor (bare pathspec match_file): {bare / calls * 1e6:.2f} us per call")
        print(f"ratio rule_applies_to / anchor: {scoped / bare:.1f}x")

        path = root / "app" / "domain" / "orders.py"
        per_hover = best_of(
            20,
            lambda: relevant_adrs(
                kb, path=path, modules=["requests"], codes=["ARC101"], words=["order_cache"]
            ),
        )
        print(f"relevant_adrs: {per_hover * 1000:.2f} ms per call over {len(kb.adrs)} ADRs")

        first = time.perf_counter()
        search_adrs(kb, QUESTIONS[0])
        first = time.perf_counter() - first
        later = statistics.median(best_of(5, lambda q=q: search_adrs(kb, q)) for q in QUESTIONS)
        print(f"search_adrs: first call {first * 1000:.1f} ms (builds the index)")
        print(f"search_adrs: later calls {later * 1000:.2f} ms median")


if __name__ == "__main__":
    main()
