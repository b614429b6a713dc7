"""ARC102 indirect layer violations: chains of first-party imports from a lower layer up to a
higher one, one report per (lower, higher) pair with the shortest chain."""

from __future__ import annotations

from pathlib import Path

from python_architect.engine import Project
from python_architect.workspace.cycles import WorkspaceContext
from python_architect.workspace.layers import indirect_layer_violations, layer_chains
from trees import layers_adr, write_tree

LAYERS_ADR = layers_adr("app")

TREE = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    ".ai/adrs/0005-layers.md": LAYERS_ADR,
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": "from app.services import orders\n",
    "app/services/__init__.py": "",
    "app/services/orders.py": "from app.domain import model\n",
    "app/domain/__init__.py": "",
    # domain -> util.format -> util.web -> api: two hops through modules outside every layer
    "app/domain/model.py": "import os\nfrom app.util import format\n",
    "app/domain/other.py": "from app.util import web\n",
    "app/util/__init__.py": "",
    "app/util/format.py": "from app.util import web\n",
    "app/util/web.py": "from app.api import views\n",
}


def _violations(root: Path):
    project = Project.load(root)
    project.ensure_index(jobs=1)
    ctx = WorkspaceContext(root=project.root, index=project.index, kb=project.kb, config=project.config,
                           roots=project.roots, options_for=project.finalizer.options_for)
    return project, list(indirect_layer_violations(ctx))


def test_indirect_chain_is_reported_once_per_pair_with_the_shortest_chain(tmp_path: Path) -> None:
    root = write_tree(tmp_path, TREE)
    project, found = _violations(root)
    assert len(found) == 1, [raw.message for _, raw in found]
    path, raw = found[0]
    # Two domain modules reach the API; the shortest chain (one helper) is the one reported.
    assert path == project.root / "app/domain/other.py"
    assert raw.code == "ARC102"
    assert raw.span.line == 1
    assert raw.message.endswith("indirectly: app.domain.other -> app.util.web -> app.api.views")
    assert raw.data["chain"] == ["app.domain.other", "app.util.web", "app.api.views"]
    assert raw.data["higher_layer"] == "app.api" and raw.data["layer"] == "app.domain"
    assert [(h.path.name, h.span.line, h.message) for h in raw.related] == [
        ("other.py", 1, "`app.domain.other` imports `app.util.web`"),
        ("web.py", 1, "`app.util.web` imports `app.api.views`"),
    ]
    assert raw.rule is not None and raw.rule.id == "layers"


def test_workspace_findings_cite_the_adr_and_keep_direct_imports_to_the_module_check(tmp_path: Path) -> None:
    tree = dict(TREE)
    tree["app/services/orders.py"] = "from app.domain import model\nfrom app.util import web\n"
    root = write_tree(tmp_path, tree)
    project = Project.load(root)
    findings = [f for f in project.check_paths(None, ruff=False).findings if f.code == "ARC102"]
    messages = sorted(f.message for f in findings)
    assert any("app.services.orders -> app.util.web -> app.api.views" in m for m in messages), messages
    assert any("app.domain.other -> app.util.web -> app.api.views" in m for m in messages), messages
    assert all(f.adrs == ("ADR-005",) for f in findings)
    assert len(findings) == 2


def test_a_direct_import_makes_the_pair_the_module_checks_alone(tmp_path: Path) -> None:
    tree = dict(TREE)
    tree["app/domain/model.py"] = "from app.api import views\n"
    root = write_tree(tmp_path, tree)
    _, found = _violations(root)
    assert [raw for _, raw in found if raw.data["layer"] == "app.domain"] == []


def test_chains_never_pass_through_another_layer(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/api.py": "",
        "app/services.py": "import app.api\n",  # a direct services -> api violation
        "app/domain.py": "import app.services\n",  # domain -> services: direct, its own pair
    })
    project = Project.load(root)
    project.ensure_index(jobs=1)
    chains = layer_chains(project.index.graph(), [["app.api"], ["app.services"], ["app.domain"]])
    pairs = {(c.lower, c.higher): c.chain for c in chains}
    assert pairs == {
        ("app.domain", "app.services"): ("app.domain", "app.services"),
        ("app.services", "app.api"): ("app.services", "app.api"),
    }


def test_no_layers_rule_no_findings(tmp_path: Path) -> None:
    tree = {k: v for k, v in TREE.items() if not k.startswith(".ai")}
    root = write_tree(tmp_path, tree)
    _, found = _violations(root)
    assert found == []
