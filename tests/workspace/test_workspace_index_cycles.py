"""The workspace index (facts per module, graph, updates) and ARC103 import cycles."""

from __future__ import annotations

from pathlib import Path

from trees import write_tree
from python_architect.config import ProjectConfig
from python_architect.knowledge.model import KnowledgeBase
from python_architect.workspace.cycles import WorkspaceContext, find_cycles, import_cycles, strongly_connected
from python_architect.workspace.files import discover_files
from python_architect.workspace.index import WorkspaceIndex
from python_architect.workspace.roots import SourceRoots


def _index(root: Path) -> WorkspaceIndex:
    config = ProjectConfig()
    files = discover_files(root, config)
    index = WorkspaceIndex(SourceRoots.from_config(root, config, files.python))
    index.scan(files.python)
    return index


def _cycle_findings(index: WorkspaceIndex, root: Path, options: dict | None = None):
    ctx = WorkspaceContext(root=root, index=index, kb=KnowledgeBase(root=root), config=ProjectConfig(),
                           roots=index.roots, options_for=lambda code: dict(options or {}))
    return list(import_cycles(ctx))


def test_scan_indexes_modules_and_first_party_graph(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/a.py": "import os\nimport requests\nfrom app import b\n",
        "app/b.py": "from .c import helper\n",
        "app/c.py": "def helper(): ...\n",
    })
    index = _index(root)
    assert index.modules() == ["app", "app.a", "app.b", "app.c"]
    graph = index.graph()
    assert [e.target for e in graph["app.a"]] == ["app.b"]  # stdlib and third party are not edges
    assert [e.target for e in graph["app.b"]] == ["app.c"]
    assert index.lookup_module("app.c").defines == ("helper",)
    assert index.importers_of("app.c") == ["app.b"]


def test_cycle_is_one_finding_with_every_import_line_related(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/orders.py": "import os\nfrom app.billing import charge\n",
        "app/billing.py": "from app import orders\n",
    })
    findings = _cycle_findings(_index(root), root)
    assert len(findings) == 1  # not one per import line and both ends
    path, raw = findings[0]
    assert (path.name, raw.code, raw.span.line) == ("billing.py", "ARC103", 1)  # app.billing sorts first
    assert raw.message == "Import cycle: app.billing -> app.orders -> app.billing; `import app.billing` first fails on `charge`"
    assert [(r.path.name, r.span.line, r.message) for r in raw.related] == [
        ("billing.py", 1, "`app.billing` imports `app.orders`"),
        ("orders.py", 2, "`app.orders` imports `app.billing`"),
    ]
    assert raw.data["explains"] == 2


def test_import_under_main_guard_is_not_an_import_time_edge(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/orders.py": "from app.billing import charge\n",
        "app/billing.py": "def charge(): ...\n\nif __name__ == \"__main__\":\n    from app.orders import main\n",
    })
    assert _cycle_findings(_index(root), root) == []
    # The twin: the same import at module level closes the cycle.
    (root / "app/billing.py").write_text("from app.orders import main\n\ndef charge(): ...\n")
    assert len(_cycle_findings(_index(root), root)) == 1


def test_no_cycle_twin(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/orders.py": "from app.billing import charge\n",
        "app/billing.py": "from app import money\n",
        "app/money.py": "",
    })
    assert _cycle_findings(_index(root), root) == []


def test_cycle_through_relative_imports_of_three_modules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from . import b\n",
        "pkg/b.py": "from .c import thing\n",
        "pkg/c.py": "from .a import other\nthing = 1\n",
    })
    findings = _cycle_findings(_index(root), root)
    assert len(findings) == 1
    path, raw = findings[0]
    assert path.name == "a.py"
    assert raw.message == "Import cycle: pkg.a -> pkg.b -> pkg.c -> pkg.a; `import pkg.a` first fails on `other`"  # the whole group: no "in all"
    assert [r.path.name for r in raw.related] == ["a.py", "b.py", "c.py"]


def test_type_checking_import_is_not_a_cycle(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/orders.py": "from app.billing import charge\n",
        "app/billing.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from app.orders import Order\n"
        ),
    })
    assert _cycle_findings(_index(root), root) == []


def test_deferred_import_counts_only_with_the_option(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/orders.py": "from app.billing import charge\n",
        "app/billing.py": "def charge():\n    from app.orders import Order\n",
    })
    index = _index(root)
    assert _cycle_findings(index, root) == []
    assert _cycle_findings(index, root, {"include-deferred": False}) == []
    assert len(_cycle_findings(index, root, {"include-deferred": True})) == 1


def test_update_replaces_facts_and_keeps_last_good_on_syntax_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/a.py": "from app import b\n", "app/b.py": ""})
    index = _index(root)
    assert not find_cycles(index)
    index.update(root / "app/b.py", "from app import a\n")
    assert len(find_cycles(index)) == 2
    index.update(root / "app/b.py", "from app import (\n")  # does not parse: last good facts stay
    assert [i.module for i in index.lookup_module("app.b").imports] == ["app"]
    index.update(root / "app/b.py", "x = 1\n")
    assert not find_cycles(index)
    index.remove(root / "app/b.py")
    assert "app.b" not in index


def test_lookup_reads_unscanned_first_party_module_on_demand(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/base.py": "class Base:\n    pass\n"})
    index = WorkspaceIndex(SourceRoots.from_config(root, ProjectConfig()))
    assert index.lookup_module("app.base").classes[0].name == "Base"
    assert index.lookup_module("requests") is None
    assert index.lookup_module("app.missing") is None


def test_strongly_connected_handles_long_chain_without_recursion() -> None:
    chain = {f"m{i}": [f"m{i + 1}"] for i in range(5000)}
    chain["m5000"] = ["m0"]
    components = strongly_connected(chain)
    assert len(components) == 1 and len(components[0]) == 5001


def test_parallel_scan_gives_the_same_index_as_a_serial_scan(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": ""}
    for i in range(210):
        files[f"pkg/m{i}.py"] = f"from pkg import m{(i + 1) % 210}\nclass C{i}:\n    pass\n"
    files["pkg/broken.py"] = "def (:\n"
    root = write_tree(tmp_path, files)
    config = ProjectConfig()
    python = discover_files(root, config).python
    serial = WorkspaceIndex(SourceRoots.from_config(root, config, python))
    serial.scan(python)
    parallel = WorkspaceIndex(SourceRoots.from_config(root, config, python))
    parallel.scan(python, jobs=2)
    assert parallel.modules() == serial.modules() and len(serial) == 211  # broken.py is skipped
    assert all(parallel.lookup_module(m) == serial.lookup_module(m) for m in serial.modules())
    assert len(find_cycles(parallel)) == 210


def test_scan_leaves_out_files_too_large_to_parse_in_the_background(tmp_path: Path) -> None:
    from python_architect.workspace.scan import MAX_INDEXED_BYTES

    generated = "TABLE = [\n" + "    1,\n" * (MAX_INDEXED_BYTES // 6) + "]\n"
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/small.py": "from app import generated\n",
        "app/generated.py": generated,
    })
    index = _index(root)
    assert "app.small" in index
    assert "app.generated" not in index


def test_a_larger_group_states_its_shortest_cycle_first(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/a.py": "from app.b import B\nA = 1\n",
        "app/b.py": "from app.a import A\nfrom app.c import C\nB = 1\n",
        "app/c.py": "from app.d import D\nC = 1\n",
        "app/d.py": "from app.b import B\nD = 1\n",
    })
    ((_path, raw),) = _cycle_findings(_index(root), root)
    assert raw.message == "Import cycle: app.a -> app.b -> app.a; 4 modules import each other in all; `import app.a` first fails on `A`"
    # The stated cycle's lines first (what the editor shows), then the rest of the group.
    assert raw.data["explains"] == 2
    assert [(r.path.name, r.span.line) for r in raw.related][:2] == [("a.py", 1), ("b.py", 1)]
    assert sorted((r.path.name, r.span.line) for r in raw.related[2:]) == [("b.py", 2), ("c.py", 1), ("d.py", 1)]
