"""Issue 20, graphs that render: mermaid refuses more than 500 edges, so ``graph`` collapses to
the deepest depth that fits, says so on stderr and in the diagram; dot and json keep the depth."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import run_cli
from trees import write_tree

NAMES = [f"p.g{group}.s{index}" for group in range(2) for index in range(18)]


def _tree(root: Path) -> Path:
    files = {"p/__init__.py": "", "p/g0/__init__.py": "", "p/g1/__init__.py": ""}
    for name in NAMES:
        others = "".join(f"import {other}\n" for other in NAMES if other != name)
        files[name.replace(".", "/") + ".py"] = others
    return write_tree(root, files)


def test_mermaid_over_the_edge_limit_collapses_and_says_which_depth(tmp_path: Path) -> None:
    root = _tree(tmp_path / "ws")
    deep = run_cli("graph", "--depth", "3", "--no-cache", cwd=root)
    assert deep.returncode == 0, deep.stderr
    edges = [line for line in deep.stdout.splitlines() if "-->" in line]
    assert len(edges) == 2  # p.g0 <-> p.g1
    note = "1260 edges at depth 3 exceed mermaid's 500-edge limit: collapsed to --depth 2 (2 edges)"
    assert note in deep.stderr and f"%% {note}" in deep.stdout
    kept = json.loads(run_cli("graph", "--depth", "3", "--format", "json", "--no-cache", cwd=root).stdout)
    assert kept["depth"] == 3 and len(kept["edges"]) == 1260


def test_a_graph_under_the_limit_is_left_as_asked(tmp_path: Path) -> None:
    root = _tree(tmp_path / "ws")
    shallow = run_cli("graph", "--depth", "2", "--no-cache", cwd=root)
    assert shallow.returncode == 0 and "%%" not in shallow.stdout and "collapsed" not in shallow.stderr
