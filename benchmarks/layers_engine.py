"""ADR ``layers`` rules: our breadth-first search (``workspace/layers.py``) against grimp's
``find_illegal_dependencies_for_layers`` on the graph ``workspace/contracts.py`` builds from the
same index (issue 20: "measure it against the current layers.py and keep what is faster at equal
results").

Run: ``.venv/bin/python benchmarks/layers_engine.py ROOT PACKAGE LAYER [LAYER ...]`` (top layer
first; a layer may be ``a|b`` siblings), e.g. on Django copied from the venv:
``benchmarks/layers_engine.py /tmp/django django django.contrib django.views django.http django.db django.utils``.
Prints the median of 5 runs of each engine (ours over the index's graph; grimp: building its graph
from the index, then the query) and compares the (lower layer, higher layer) pairs each finds.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import grimp

from python_architect.engine import Project
from python_architect.knowledge.importlinter_config import ContractsConfig
from python_architect.workspace.contracts import build_graph
from python_architect.workspace.layers import layer_chains


def _median(run, times: int = 5):
    seconds, result = [], None
    for _ in range(times):
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def main(root: Path, package: str, layers: list[list[str]]) -> None:
    def level(module: str) -> int:
        return next(i for i, layer in enumerate(layers) if module in layer)

    project = Project.load(root)
    project.check_paths(ruff=False, jobs=1)  # scans the index
    index = project.index
    graph_s, graph = _median(lambda: index.graph(include_deferred=True))
    print(f"{root}: {len(list(index.modules()))} modules, layers {layers}")

    ours_s, chains = _median(lambda: layer_chains(graph, layers))
    # Compared per pair of layers (index top = 0): ours reports one chain per pair of layers, never
    # one per sibling (issue 20); grimp answers per sibling module. Direct imports are the module
    # check's (analysis/checks_imports.py), one finding per import statement, in both cases.
    ours = {(level(c.lower), level(c.higher)) for c in chains}
    config = ContractsConfig(path=root / ".importlinter", line=1, root_packages=[package])
    build_s, grimp_graph = _median(lambda: build_graph(index, config))
    query = [grimp.Layer(*layer, independent=False) for layer in layers]  # ADR siblings may import each other
    query_s, dependencies = _median(lambda: grimp_graph.find_illegal_dependencies_for_layers(layers=query))
    theirs = {(level(d.importer), level(d.imported)) for d in dependencies}
    routes = sum(len(d.routes) for d in dependencies)
    print(f"ours: graph {graph_s * 1000:.1f} ms + BFS {ours_s * 1000:.1f} ms, {len(ours)} layer pairs, {len(chains)} chains")
    print(f"grimp: graph {build_s * 1000:.1f} ms + query {query_s * 1000:.1f} ms, {len(theirs)} layer pairs, {routes} routes")
    print(f"same pairs: {ours == theirs}; only ours {sorted(ours - theirs)}; only grimp {sorted(theirs - ours)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), sys.argv[2], [layer.split("|") for layer in sys.argv[3:]])
