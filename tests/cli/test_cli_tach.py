"""``python-architect check`` on a workspace that keeps its architecture in a real-looking
``tach.toml`` (src layout, ``source_roots``, ``exclude``, layers, interfaces, a deprecated
dependency): the lines it reports are the lines the real ``tach check`` (tach 0.35.3, run once in
a scratch venv on these files) printed, and each cites the line of tach.toml that states its rule.

``tach check`` printed, for these files:
  [FAIL] src/shop/ui/views.py:2: The path 'shop.core.internal.helper' is not part of the public interface for 'shop.core'.
  [WARN] src/shop/ui/views.py:3: Dependency 'shop.legacy.old' is deprecated. ...
  [FAIL] src/shop/core/orders.py:2: Cannot use 'shop.ui.views'. Layer 'core' ('shop.core') is lower than layer 'ui' ('shop.ui').
  [FAIL] src/shop/core/orders.py:3: Cannot use 'shop.billing.invoice'. Module 'shop.core' cannot depend on 'shop.billing'.
"""

from __future__ import annotations

from pathlib import Path

from cli_support import run_cli
from trees import write_tree

TACH_TOML = """\
exclude = ["**/tests", "src/shop/scripts"]
source_roots = ["src"]
layers = ["ui", "core"]

[[modules]]
path = "shop.ui"
layer = "ui"
depends_on = [{ path = "shop.legacy", deprecated = true }]

[[modules]]
path = "shop.core"
layer = "core"
depends_on = ["shop.db"]

[[modules]]
path = "shop.db"
depends_on = []
utility = true

[[modules]]
path = "shop.billing"
depends_on = ["shop.core"]

[[modules]]
path = "shop.legacy"
depends_on = []

[[interfaces]]
expose = ["api", "Service"]
from = ["shop.core"]
"""
FILES = {
    "tach.toml": TACH_TOML,
    "src/shop/__init__.py": "",
    "src/shop/ui/__init__.py": "",
    "src/shop/ui/views.py": ("from shop.core import api, Service\nfrom shop.core.internal import helper\n"
                             "from shop.legacy import old\n"),
    "src/shop/core/__init__.py": "class Service: ...\n",
    "src/shop/core/api.py": "",
    "src/shop/core/internal.py": "def helper(): ...\n",
    "src/shop/core/orders.py": "from shop.db import models\nfrom shop.ui import views\nfrom shop.billing import invoice\n",
    "src/shop/db/__init__.py": "",
    "src/shop/db/models.py": "",
    "src/shop/billing/__init__.py": "",
    "src/shop/billing/invoice.py": "from shop.core import api\n",
    "src/shop/legacy/__init__.py": "",
    "src/shop/legacy/old.py": "",
    "src/shop/scripts/__init__.py": "",
    "src/shop/scripts/fix.py": "from shop.core.internal import helper\nfrom shop.ui import views\n",
    "src/shop/tests/test_orders.py": "from shop.core.internal import helper\n",
}


def test_check_reports_what_tach_check_reports_citing_tach_toml(tmp_path: Path) -> None:
    write_tree(tmp_path, FILES)
    run = run_cli("check", str(tmp_path), "--no-ruff", "--no-cache", "--format", "json", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = TACH_TOML.splitlines()
    found = sorted((f["path"], f["line"], f["code"], f["severity"], f["rule"],
                    [(r["path"], r["line"]) for r in f["related"]]) for f in run.json()["findings"])
    assert found == [
        ("src/shop/core/orders.py", 2, "ARC102", "error", "tach:layers:shop.core",
         [("tach.toml", lines.index('layers = ["ui", "core"]') + 1)]),
        ("src/shop/core/orders.py", 3, "ARC101", "error", "tach:shop.core",
         [("tach.toml", lines.index('path = "shop.core"') + 1)]),
        ("src/shop/ui/views.py", 2, "ARC104", "error", "tach:interfaces:shop.core",
         [("tach.toml", lines.index("[[interfaces]]") + 1)]),
        ("src/shop/ui/views.py", 3, "ARC106", "warning", "tach:shop.ui",
         [("tach.toml", lines.index('path = "shop.ui"') + 1)]),
    ]


def test_the_text_report_names_tach_toml_and_the_rule(tmp_path: Path) -> None:
    write_tree(tmp_path, {**FILES, "src/shop/core/orders.py": "from shop.db import models\n",
                          "src/shop/ui/views.py": "from shop.core import api, Service\n"})
    clean = run_cli("check", str(tmp_path), "--no-ruff", "--no-cache", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (tmp_path / "src/shop/core/orders.py").write_text("from shop.billing import invoice\n", encoding="utf-8")
    broken = run_cli("check", str(tmp_path), "--no-ruff", "--no-cache", cwd=tmp_path)
    assert broken.returncode == 1
    reported = [line for line in broken.stdout.splitlines() if "ARC" in line and "Found" not in line]
    assert reported == [("src/shop/core/orders.py:1:1: ARC101 tach.toml contract `tach:shop.core` is broken: "
                         "Cannot use `shop.billing.invoice`: `shop.core` cannot depend on `shop.billing` "
                         "(not in its depends_on)")], broken.stdout
