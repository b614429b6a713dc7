"""Issue 20: import-linter contracts read natively give ``lint-imports``' verdicts.

``lint-imports`` (the pinned test dependency, run as a subprocess) and our engine check the same
trees and configurations; every contract must get the same verdict, the same direct violating
imports and the same (importer, imported) pairs for longer chains (import-linter's chains are
not unique, see tests/support/importlinter_parity.py). Each contract type has a KEPT and a
BROKEN twin; ignore_imports (with ``*`` and ``**``), containers, independent ``|`` and
non-independent ``:`` siblings, optional layers, exhaustive, allow_indirect_imports,
TYPE_CHECKING and external packages are covered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter_parity import acyclic_pairs, lint_imports, ours
from trees import write_tree

TREE = {
    "shop/__init__.py": "",
    "shop/web/__init__.py": "",
    "shop/web/views.py": "from shop.services import orders\n",
    "shop/web/api.py": "import json\n",
    "shop/services/__init__.py": "",
    "shop/services/orders.py": "from shop.infra import db\nfrom shop.domain import model\n",
    "shop/services/billing.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from shop.web import views\n"
    ),
    "shop/domain/__init__.py": "",
    "shop/domain/model.py": "from shop.web import api\n",
    "shop/domain/rules.py": "from shop.shared import util\n",
    "shop/shared/__init__.py": "",
    "shop/shared/util.py": "from shop.services import billing\n",
    "shop/infra/__init__.py": "",
    "shop/infra/db.py": "import sqlite3\n\n\ndef session():\n    from shop.services import orders\n    return orders\n",
    "shop/plugins/__init__.py": "",
    "shop/plugins/alpha/__init__.py": "",
    "shop/plugins/alpha/api.py": "",
    "shop/plugins/alpha/core.py": "from shop.plugins.alpha import api\nfrom shop.plugins.beta import core\n",
    "shop/plugins/alpha/extra.py": "",
    "shop/plugins/beta/__init__.py": "",
    "shop/plugins/beta/api.py": "from shop.plugins.beta import core\n",
    "shop/plugins/beta/core.py": "from shop.plugins.alpha import extra\n",
}

CONTRACTS = """
[importlinter:contract:layers-broken]
name = Layers broken
type = layers
layers =
    shop.web
    shop.services
    shop.domain
    shop.infra

[importlinter:contract:layers-kept]
name = Layers kept through ignore_imports
type = layers
layers =
    shop.web
    shop.services
    shop.domain
    shop.infra
ignore_imports =
    shop.domain.model -> shop.web.*
    shop.*.rules -> shop.shared.util
    shop.infra.** -> shop.services.orders
    shop.services.billing -> shop.web.views

[importlinter:contract:siblings-independent]
name = Independent siblings
type = layers
layers =
    shop.web | shop.shared
    (shop.missing) | shop.domain

[importlinter:contract:siblings-non-independent]
name = Non-independent siblings
type = layers
layers =
    shop.web : shop.services
    shop.infra

[importlinter:contract:containers-broken]
name = Containers exhaustive broken
type = layers
containers =
    shop.plugins.alpha
    shop.plugins.beta
layers =
    api
    core
exhaustive = true

[importlinter:contract:containers-kept]
name = Containers kept
type = layers
containers =
    shop.plugins.*
layers =
    core
    api
    (nothing)
exhaustive = True
exhaustive_ignores =
    extra
ignore_imports =
    shop.plugins.*.api -> shop.plugins.*.core

[importlinter:contract:forbidden-broken]
name = Domain does not reach web
type = forbidden
source_modules =
    shop.domain
forbidden_modules =
    shop.web
    sqlite3

[importlinter:contract:forbidden-direct-only]
name = Shared may reach services only indirectly
type = forbidden
source_modules =
    shop.domain
forbidden_modules =
    shop.services
allow_indirect_imports = true

[importlinter:contract:forbidden-indirect]
name = Domain never reaches services
type = forbidden
source_modules =
    shop.domain
forbidden_modules =
    shop.services

[importlinter:contract:independence-broken]
name = Plugins independent
type = independence
modules =
    shop.plugins.alpha
    shop.plugins.beta

[importlinter:contract:independence-kept]
name = Web and infra independent
type = independence
modules =
    shop.web
    shop.plugins
ignore_imports =
    shop.plugins.** -> shop.plugins.**

[importlinter:contract:protected-broken]
name = Only services touch infra
type = protected
protected_modules =
    shop.infra
allowed_importers =
    shop.web

[importlinter:contract:protected-kept]
name = Only services touch the api
type = protected
protected_modules =
    shop.web.api
allowed_importers =
    shop.domain

[importlinter:contract:acyclic-broken]
name = Plugin siblings acyclic
type = acyclic_siblings
ancestors =
    shop.plugins

[importlinter:contract:acyclic-kept]
name = Top level acyclic
type = acyclic_siblings
ancestors =
    shop.web
"""

SESSION = "[importlinter]\nroot_package = shop\ninclude_external_packages = True\n"


def _compare(root: Path) -> tuple[object, object, str]:
    theirs, text = lint_imports(root)
    mine = ours(root)
    assert theirs.verdict, text  # lint-imports ran and reported its contracts
    assert mine.verdict == theirs.verdict, text
    assert mine.direct == theirs.direct, text
    assert mine.undeclared == theirs.undeclared, text
    for name in theirs.pairs:
        assert mine.pairs.get(name) == theirs.pairs[name], (name, text)
    return theirs, mine, text


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shop")
    return write_tree(root, {**TREE, ".importlinter": SESSION + CONTRACTS})


def test_every_contract_type_gets_lint_imports_verdicts_and_direct_violations(shop: Path) -> None:
    theirs, mine, text = _compare(shop)
    for kind in ("layers", "forbidden", "independence", "protected", "acyclic"):
        verdicts = {v for name, v in theirs.verdict.items()
                    if any(spec_kind.startswith(kind) for spec_kind in _ids_of(name))}
        assert verdicts == {"KEPT", "BROKEN"}, (kind, theirs.verdict)
    # The twins differ only by ignore_imports: their wildcards removed every violation.
    assert theirs.verdict["Layers broken"] == "BROKEN" and theirs.verdict["Layers kept through ignore_imports"] == "KEPT"
    assert ("shop.domain.model", "shop.web.api") in mine.direct["Layers broken"]
    assert mine.undeclared["Containers exhaustive broken"] == {"shop.plugins.alpha.extra"}
    # acyclic_siblings: the same sibling pairs as lint-imports' summary.
    assert mine.pairs["Plugin siblings acyclic"] == acyclic_pairs(text, "Plugin siblings acyclic")


def test_exclude_type_checking_imports_and_no_externals_change_verdicts_like_lint_imports(tmp_path: Path) -> None:
    session = "[importlinter]\nroot_packages =\n    shop\nexclude_type_checking_imports = True\n"
    contracts = CONTRACTS.split("[importlinter:contract:layers-kept]")[0]
    write_tree(tmp_path, {**TREE, "setup.cfg": "[metadata]\nname = shop\n\n" + session + contracts})
    _, mine, _ = _compare(tmp_path)
    assert mine.verdict == {"Layers broken": "BROKEN"}
    assert ("shop.services.billing", "shop.web.views") not in mine.direct["Layers broken"]
    assert ("shop.domain.model", "shop.web.api") in mine.direct["Layers broken"]


def test_an_ignored_import_that_matches_nothing_stops_the_contract_with_file_and_line(tmp_path: Path) -> None:
    config = SESSION + """
[importlinter:contract:stale]
name = Stale ignore
type = forbidden
source_modules =
    shop.web
forbidden_modules =
    shop.infra
ignore_imports =
    shop.nowhere.* -> shop.infra
"""
    write_tree(tmp_path, {**TREE, ".importlinter": config})
    _, text = lint_imports(tmp_path)
    assert "No matches for ignored import shop.nowhere.* -> shop.infra" in text
    mine = ours(tmp_path)
    assert mine.verdict["Stale ignore"].startswith("ERROR: ") and "shop.nowhere.* -> shop.infra" in mine.verdict["Stale ignore"]
    assert mine.problem_lines["Stale ignore"] == [config.splitlines().index("[importlinter:contract:stale]") + 1]


def test_pyproject_contracts_read_like_lint_imports(tmp_path: Path) -> None:
    pyproject = """[project]
name = "shop"

[tool.importlinter]
root_package = "shop"

[[tool.importlinter.contracts]]
id = "toml-layers"
name = "TOML layers"
type = "layers"
layers = ["shop.web", "shop.services", "shop.domain"]
ignore_imports = ["shop.domain.model -> shop.web.api"]

[[tool.importlinter.contracts]]
name = "TOML forbidden"
type = "forbidden"
source_modules = ["shop.plugins.alpha"]
forbidden_modules = ["shop.plugins.beta"]
allow_indirect_imports = true
"""
    write_tree(tmp_path, {**TREE, "pyproject.toml": pyproject})
    theirs, mine, _ = _compare(tmp_path)
    assert theirs.verdict == {"TOML layers": "BROKEN", "TOML forbidden": "BROKEN"}
    assert mine.direct["TOML forbidden"] == {("shop.plugins.alpha.core", "shop.plugins.beta.core")}


def _ids_of(name: str) -> list[str]:
    """The section ids of CONTRACTS whose name is ``name``."""
    ids = []
    current = None
    for line in CONTRACTS.splitlines():
        if line.startswith("[importlinter:contract:"):
            current = line[len("[importlinter:contract:"):-1]
        elif line == f"name = {name}" and current:
            ids.append(current)
    return ids


DJANGO_CONFIG = Path(__file__).resolve().parents[1] / "fixtures" / "django.importlinter"


def test_django_with_every_contract_type_gets_lint_imports_verdicts(tmp_path: Path) -> None:
    """A real package from the registry (Django, pinned in constraints.txt), copied so both tools
    read the same files, with a config that uses every built-in contract type."""
    import shutil

    import django

    shutil.copytree(Path(django.__file__).parent, tmp_path / "django",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(DJANGO_CONFIG, tmp_path / ".importlinter")
    theirs, mine, text = _compare(tmp_path)
    assert set(theirs.verdict.values()) == {"KEPT", "BROKEN"}
    assert len(theirs.verdict) == 7
    assert mine.direct, "Django breaks some contract with a direct import"
    assert mine.pairs["Database siblings acyclic"] == acyclic_pairs(text, "Database siblings acyclic")
