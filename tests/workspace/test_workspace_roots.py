"""Source roots, module names and first-party names."""

from __future__ import annotations

from pathlib import Path

from trees import write_tree
from python_architect.config import ProjectConfig
from python_architect.workspace.roots import SourceRoots, is_stdlib, source_roots_for


def test_src_layout_uses_src_as_root(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"src/app/__init__.py": "", "src/app/core/models.py": "", "tests/test_a.py": ""})
    roots = SourceRoots.from_config(root, ProjectConfig())
    assert roots.roots == ((root / "src").resolve(),)
    assert roots.module_name(root / "src/app/core/models.py") == "app.core.models"
    assert roots.module_name(root / "src/app/__init__.py") == "app"
    # outside every source root: no module name
    assert roots.module_name(root / "tests/test_a.py") is None
    assert roots.first_party == frozenset({"app"})


def test_flat_layout_uses_workspace_root(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/views.py": "", "manage.py": "", "docs/readme.txt": ""})
    roots = SourceRoots.from_config(root, ProjectConfig())
    assert roots.roots == (root.resolve(),)
    assert roots.module_name(root / "app/views.py") == "app.views"
    assert roots.module_name(root / "manage.py") == "manage"
    assert roots.first_party == frozenset({"app", "manage"})  # docs holds no Python


def test_config_src_wins_and_deepest_root_names_modules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"lib/core/a.py": "", "services/api/b.py": "", "src/ignored/c.py": ""})
    config = ProjectConfig(src=("lib", "services"))
    roots = SourceRoots.from_config(root, config)
    assert set(roots.roots) == {(root / "lib").resolve(), (root / "services").resolve()}
    assert roots.module_name(root / "lib/core/a.py") == "core.a"
    assert roots.module_name(root / "services/api/b.py") == "api.b"
    assert roots.module_name(root / "src/ignored/c.py") is None
    nested = source_roots_for(root, ProjectConfig(src=(".", "lib")))
    assert nested[0] == (root / "lib").resolve()  # deepest first


def test_namespace_package_and_relative_path(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"company/billing/invoice.py": ""})  # no __init__.py anywhere
    roots = SourceRoots.from_config(root, ProjectConfig())
    assert roots.module_name(Path("company/billing/invoice.py")) == "company.billing.invoice"
    assert roots.is_first_party("company.billing")
    assert roots.path_of_module("company.billing.invoice") == (root / "company/billing/invoice.py").resolve()
    assert roots.path_of_module("company.nothing") is None


def test_non_identifier_paths_and_non_python_have_no_module(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"my-scripts/run.py": "", "app/data.json": ""})
    roots = SourceRoots.from_config(root, ProjectConfig())
    assert roots.module_name(root / "my-scripts/run.py") is None
    assert roots.module_name(root / "app/data.json") is None


def test_first_party_from_files_and_stdlib() -> None:
    root = Path("/ws")
    roots = SourceRoots.from_config(root, ProjectConfig(src=("src",)),
                                    files=[Path("/ws/src/shop/a.py"), Path("/ws/src/tools.py")])
    assert roots.first_party == frozenset({"shop", "tools"})
    assert roots.is_first_party("shop.domain.models")
    assert not roots.is_first_party("requests")
    assert is_stdlib("os.path") and is_stdlib("asyncio") and is_stdlib("__future__")
    assert not is_stdlib("requests") and not is_stdlib("shop")
