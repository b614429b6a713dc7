"""Issue 20, Tach's rule kinds in the ADR rule language: ``interface`` (ARC104), ``independence``
(ARC105) and ``deprecated-import`` (ARC106). Each test holds a shape a reviewer would dismiss
next to its true-positive twin, and runs the whole check (index, rules, finalizer)."""

from __future__ import annotations

from pathlib import Path

from python_architect.engine import Project
from trees import write_tree


def _adr(rules: str) -> str:
    return f"""---
id: ADR-020
title: Module boundaries
status: accepted
date: 2026-12-01
rules:
{rules}---

# ADR-020
"""


def _found(project: Project, code: str) -> list[tuple[str, int, str]]:
    result = project.check_paths(ruff=False, jobs=1)
    return sorted((f.path.relative_to(project.root).as_posix(), f.line, f.message)
                  for f in result.findings if f.code == code)


INTERFACE = """  - id: pricing-api
    kind: interface
    module: pricing
    expose: [pricing.api, "pricing.models.Quote"]
"""
PRICING = {
    "pricing/__init__.py": "",
    "pricing/api.py": "from pricing.internal import engine\n",          # inside: free
    "pricing/models.py": "class Quote: ...\nclass Draft: ...\n",
    "pricing/internal/__init__.py": "from pricing import models\n",     # inside: free
    "pricing/internal/engine.py": "",
}


def test_interface_lets_exposed_members_and_the_module_itself_through(tmp_path: Path) -> None:
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(INTERFACE), **PRICING,
                          "shop/__init__.py": "",
                          "shop/cart.py": ("import pricing\nimport pricing.api\nfrom pricing.api import quote\n"
                                           "from pricing import api\nfrom pricing.models import Quote\n"
                                           "from pricing.api.v1 import x\n")})
    project = Project.load(tmp_path)
    assert _found(project, "ARC104") == []
    assert [p for p in project.kb.problems if p.code in ("ARC002", "ARC005")] == []


def test_interface_reports_each_import_past_it_from_outside(tmp_path: Path) -> None:
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(INTERFACE), **PRICING,
                          "shop/__init__.py": "",
                          "shop/cart.py": ("import pricing.internal.engine\nfrom pricing.internal import engine\n"
                                           "from pricing.models import Draft\nfrom pricing import internal\n"
                                           "from pricing.models import Quote\n")})
    found = _found(Project.load(tmp_path), "ARC104")
    assert [(path, line) for path, line, _ in found] == [("shop/cart.py", n) for n in (1, 2, 3, 4)]
    assert "`pricing.internal.engine` is not part of `pricing`'s interface (rule `pricing-api`" in found[0][2]
    assert "`pricing.models.Draft`" in found[2][2]


def test_interface_with_a_pattern_gives_every_slice_its_own_interface(tmp_path: Path) -> None:
    rules = "  - id: slices\n    kind: interface\n    module: app.*\n    expose: [app.*.api]\n"
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(rules), "app/__init__.py": "",
                          "app/orders/__init__.py": "", "app/orders/api.py": "", "app/orders/db.py": "",
                          "app/billing/__init__.py": "",
                          "app/billing/api.py": "from app.orders import api\nfrom app.billing import db\n",
                          "app/billing/db.py": "from app.orders.db import x\n"})
    found = _found(Project.load(tmp_path), "ARC104")
    # app.billing.api -> app.billing.db is inside its own slice; app.orders.db is another's internal.
    assert [(path, line) for path, line, _ in found] == [("app/billing/db.py", 1)]


def test_an_interface_module_naming_nothing_is_an_adr_problem(tmp_path: Path) -> None:
    rules = "  - id: pricing-api\n    kind: interface\n    module: pricnig\n    expose: [pricnig.api]\n"
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(rules), **PRICING})
    problems = [p for p in Project.load(tmp_path).kb.problems if p.code == "ARC005"]
    assert len(problems) == 1 and "`pricnig`" in problems[0].message and problems[0].line == 7


def test_rule_entries_of_the_new_kinds_are_validated(tmp_path: Path) -> None:
    rules = ("  - id: a\n    kind: interface\n    module: pricing\n"
             "  - id: b\n    kind: independence\n    modules: [pricing]\n"
             "  - id: c\n    kind: deprecated-import\n    module: pricing.internal\n")
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(rules), **PRICING})
    messages = sorted(p.message for p in Project.load(tmp_path).kb.problems if p.code == "ARC002")
    assert any("needs `expose`" in m for m in messages)
    assert any("at least two modules" in m for m in messages)
    assert any("needs `use`" in m for m in messages)


INDEPENDENCE = "  - id: apart\n    kind: independence\n    modules: [billing, shipping]\n"


def test_independent_modules_may_share_a_lower_module(tmp_path: Path) -> None:
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(INDEPENDENCE),
                          "billing/__init__.py": "from common import money\nfrom billing import tax\n",
                          "billing/tax.py": "", "common/__init__.py": "", "common/money.py": "",
                          "shipping/__init__.py": "from common import money\n",
                          "shipping/rates.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                                "    from billing import tax\n")})
    assert _found(Project.load(tmp_path), "ARC105") == []


def test_independence_reports_direct_imports_and_one_chain_per_pair(tmp_path: Path) -> None:
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(INDEPENDENCE),
                          "billing/__init__.py": "", "billing/invoice.py": "from shipping import rates\n",
                          "billing/refund.py": "import shipping.rates\n",
                          "shipping/__init__.py": "", "shipping/rates.py": "from glue import bridge\n",
                          "shipping/label.py": "from glue import bridge\n",
                          "glue/__init__.py": "", "glue/bridge.py": "from billing import invoice\n"})
    found = _found(Project.load(tmp_path), "ARC105")
    assert [(path, line) for path, line, _ in found] == [
        ("billing/invoice.py", 1), ("billing/refund.py", 1), ("shipping/label.py", 1)]
    indirect = found[2][2]
    assert "shipping.label -> glue.bridge -> billing.invoice" in indirect and "indirectly" in indirect


DEPRECATED = "  - id: old-pricing\n    kind: deprecated-import\n    module: legacy.pricing\n    use: pricing.api\n"


def test_deprecated_import_is_a_warning_naming_the_replacement(tmp_path: Path) -> None:
    write_tree(tmp_path, {".ai/adrs/0020-boundaries.md": _adr(DEPRECATED), "legacy/__init__.py": "",
                          "legacy/pricing.py": "from legacy.pricing_helpers import x\n",
                          "legacy/pricing_helpers.py": "",
                          "shop/__init__.py": "",
                          "shop/a.py": "from legacy import pricing\nfrom legacy import pricing_helpers\n",
                          "shop/b.py": "import legacy.pricing.sub\nfrom legacy.pricing import quote\n"})
    result = Project.load(tmp_path).check_paths(ruff=False, jobs=1)
    found = sorted((f.path.relative_to(tmp_path).as_posix(), f.line, f.severity.value, f.message)
                   for f in result.findings if f.code == "ARC106")
    assert [(p, line) for p, line, _, _ in found] == [("shop/a.py", 1), ("shop/b.py", 1), ("shop/b.py", 2)]
    assert {severity for _, _, severity, _ in found} == {"warning"}
    assert found[0][3] == "`legacy.pricing` is deprecated: use `pricing.api` instead (rule `old-pricing`)"
