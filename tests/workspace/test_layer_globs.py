"""Issue 20, layers that fit real apps: globs in ADR ``layers`` rules (``*`` one segment, ``**``
any), one indirect chain per pair of layers (never one per sibling), and a layer entry naming no
first-party module reported on the rule's line."""

from __future__ import annotations

from pathlib import Path

from python_architect.engine import Project
from python_architect.knowledge.module_patterns import matched_prefix, module_matches
from trees import write_tree


def _adr(layers: str) -> str:
    return f"""---
id: ADR-005
title: Layered slices
status: accepted
date: 2026-12-01
rules:
  - id: slices
    kind: layers
    layers:
{layers}
---

# ADR-005
"""


def _layer_findings(project: Project) -> list[tuple[str, int, str]]:
    result = project.check_paths(ruff=False, jobs=1)
    return sorted((f.path.relative_to(project.root).as_posix(), f.line, f.message)
                  for f in result.findings if f.code == "ARC102")


def test_patterns_mean_one_segment_any_segments_and_within_a_segment() -> None:
    assert module_matches("app.orders.api", "app.*.api")
    assert module_matches("app.orders.api.views", "app.*.api")
    assert not module_matches("app.orders.sub.api", "app.*.api")
    assert module_matches("app.orders.sub.api", "app.**.api") and module_matches("app.api", "app.**.api")
    assert module_matches("app.api_v2", "app.api_*") and not module_matches("app.apiv2.x", "app.api_")
    assert not module_matches("apps.orders.api", "app.*.api")
    assert matched_prefix("app.x.y.api.views", "app.**.api") == "app.x.y.api"


def test_a_glob_layer_catches_every_slice(tmp_path: Path) -> None:
    adr = _adr("      - app.*.api\n      - app.**.domain\n")
    write_tree(tmp_path, {
        ".ai/adrs/0005-slices.md": adr,
        "app/__init__.py": "",
        "app/orders/__init__.py": "", "app/orders/api.py": "from app.orders.domain import model\n",
        "app/orders/domain/__init__.py": "", "app/orders/domain/model.py": "",
        "app/billing/__init__.py": "", "app/billing/api.py": "",
        "app/billing/deep/__init__.py": "",
        "app/billing/deep/domain/__init__.py": "",
        "app/billing/deep/domain/rules.py": "from app.billing import api\n",
    })
    project = Project.load(tmp_path)
    found = _layer_findings(project)
    assert [(path, line) for path, line, _ in found] == [("app/billing/deep/domain/rules.py", 1)]
    assert "`app.billing.api`" in found[0][2] and "`app.*.api`" in found[0][2]
    assert [p for p in project.kb.problems if p.code == "ARC005"] == []


def test_an_indirect_chain_is_reported_once_per_pair_of_layers_not_per_sibling(tmp_path: Path) -> None:
    siblings = "".join(f"        - app.top{n}\n" for n in range(5))
    adr = _adr(f"      -\n{siblings}      - app.low\n")
    files = {".ai/adrs/0005-slices.md": adr, "app/__init__.py": "", "app/low.py": "from app import util\n",
             "app/util.py": "".join(f"from app import top{n}\n" for n in range(5))}
    files.update({f"app/top{n}.py": "" for n in range(5)})
    write_tree(tmp_path, files)
    found = _layer_findings(Project.load(tmp_path))
    assert len(found) == 1, found
    path, line, message = found[0]
    assert (path, line) == ("app/low.py", 1) and "app.low -> app.util -> app.top0" in message


def test_a_layer_that_names_no_module_is_an_adr_problem_on_the_rule_line(tmp_path: Path) -> None:
    adr = _adr("      - [app.api, app.*.handlers]\n      - app.domian\n")
    write_tree(tmp_path, {".ai/adrs/0005-slices.md": adr, "app/__init__.py": "", "app/api.py": "",
                          "app/domain.py": ""})
    project = Project.load(tmp_path)
    problems = sorted((p.span.line, p.message) for p in project.kb.problems if p.code == "ARC005")
    rule_line = adr.splitlines().index("  - id: slices") + 1
    assert [line for line, _ in problems] == [rule_line, rule_line]
    assert "`app.*.handlers`" in problems[0][1] + problems[1][1] and "`app.domian`" in problems[0][1] + problems[1][1]
