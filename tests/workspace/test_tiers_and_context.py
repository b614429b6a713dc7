"""Tiers (a judgment check is silent until the team adopts it; a hint in the editor) and context
(test code and command-line entry points keep checks quiet that do not apply there)."""

from __future__ import annotations

from pathlib import Path

from hint_shape import HINT_CODE, HINT_MODULE
from trees import write_tree
from python_architect.analysis.context import file_context, is_test_path, script_blocks, script_modules
from python_architect.engine import Project
from python_architect.findings import Severity

INHERITS = "class Engine:\n    def __init__(self):\n        self.x = 1\n\n\nclass Turbo(Engine):\n    pass\n"

COMPOSITION_ADR = """---
id: ADR-009
title: Composition over inheritance
status: accepted
tags: [composition]
---
# ADR-009: Composition over inheritance

## Decision
Hold collaborators; inherit only interfaces.
"""

CHECK_RULE_ADR = """---
id: ADR-020
title: Logging goes through the logger
status: accepted
rules:
  - id: no-print
    kind: ruff
    codes: [T201]
---
# ADR-020: Logging goes through the logger

## Decision
No print in service code.
"""


def _codes(project: Project, relative: str) -> list[str]:
    return [f.code for f in project.analyze(project.root / relative).findings]


def test_judgment_check_is_silent_without_an_adr_and_reported_with_one(tmp_path: Path) -> None:
    bare = Project.load(write_tree(tmp_path / "bare", {"app/models.py": INHERITS}))
    assert _codes(bare, "app/models.py") == []
    adopted = Project.load(write_tree(tmp_path / "adr", {"app/models.py": INHERITS,
                                                          ".ai/adrs/0009-composition.md": COMPOSITION_ADR}))
    (finding,) = adopted.analyze(adopted.root / "app/models.py").findings
    assert (finding.code, finding.line, finding.adrs) == ("ARC201", 6, ("ADR-009",))


def test_config_select_or_options_adopt_a_judgment_check(tmp_path: Path) -> None:
    selected = Project.load(write_tree(tmp_path / "s", {
        "app/models.py": INHERITS, "pyproject.toml": '[tool.python-architect]\nselect = ["ARC201", "ARC7"]\n'}))
    assert _codes(selected, "app/models.py") == ["ARC201"]
    tuned = Project.load(write_tree(tmp_path / "o", {
        "app/models.py": INHERITS,
        "pyproject.toml": '[tool.python-architect.options.ARC201]\nallow-bases = ["Other"]\n'}))
    assert _codes(tuned, "app/models.py") == ["ARC201"]


def test_the_editor_shows_an_unadopted_judgment_finding_as_a_hint(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/models.py": HINT_MODULE})
    (finding,) = Project.load(root, editor=True).analyze(root / "app/models.py").findings
    assert finding.code == HINT_CODE and finding.severity is Severity.HINT
    assert Project.load(root).analyze(root / "app/models.py").findings == []  # check: silent


def test_ruff_rule_adopts_print_and_entry_points_stay_quiet(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        ".ai/adrs/0020-logging.md": CHECK_RULE_ADR,
        "app/service.py": "def run():\n    print('x')\n",
        "app/__main__.py": "print('usage: app')\n",
        "app/tool.py": "def main():\n    pass\n\n\nif __name__ == '__main__':\n    print('done')\n",
        "app/cli.py": "def main():\n    print('hello')\n",
        "tests/test_service.py": "def test_run():\n    print('debug')\n",
        "pyproject.toml": '[project]\nname = "app"\n\n[project.scripts]\napp = "app.cli:main"\n',
    })
    project = Project.load(root)
    assert _codes(project, "app/service.py") == ["T201"]  # adopted by ADR-020 and applies here
    for quiet in ("app/__main__.py", "app/tool.py", "app/cli.py", "tests/test_service.py"):
        assert _codes(project, quiet) == [], quiet


def test_context_option_reports_a_check_in_scripts_again(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "app/__main__.py": "print('usage: app')\n",
        "pyproject.toml": '[tool.python-architect.options.T201]\nin-scripts = true\n',
    })
    assert _codes(Project.load(root), "app/__main__.py") == ["T201"]


def test_core_checks_still_fire_in_tests_and_scripts(tmp_path: Path) -> None:
    live = 'KEY = "sk_live_' + "a1B2c3D4e5F6g7H8i9J0k1L2" + '"\n'
    root = write_tree(tmp_path, {"tests/test_pay.py": live, "app/__main__.py": live})
    project = Project.load(root)
    assert _codes(project, "tests/test_pay.py") == ["ARC701"]
    assert _codes(project, "app/__main__.py") == ["ARC701"]


def test_context_recognition() -> None:
    assert all(is_test_path(p) for p in ("tests/a.py", "pkg/test/b.py", "test_x.py", "x_test.py", "conftest.py"))
    assert not any(is_test_path(p) for p in ("app/attestation.py", "app/contest.py", "latest/x.py"))
    # Issue 21, thirteenth reading: test helpers in a `testutil` package or module.
    assert all(is_test_path(p) for p in ("gluonts/testutil/shell.py", "pkg/utils/testutil.py", "pkg/_test_utils/x.py",
                                         "apache_beam/yaml/integration_tests.py"))
    assert not any(is_test_path(p) for p in ("pkg/utils/util.py", "pkg/testutility.py", "pkg/test_utilities/x.py",
                                             "pkg/contests.py", "pkg/latests/x.py"))
    lines = ["import sys", "", "if __name__ == \"__main__\":", "    main()", "", "    exit()", "# after", "x = 1"]
    assert script_blocks(lines) == ((3, 6),)
    assert script_modules({"project": {"scripts": {"a": "pkg.cli:main"}, "gui-scripts": {"b": "pkg.gui:run"}},
                           "tool": {"poetry": {"scripts": {"c": "pkg.other:go"}}}}) == ("pkg.cli", "pkg.gui", "pkg.other")
    context = file_context(Path("/r/src/pkg/cli.py"), Path("/r"), None, [], scripts=("pkg.cli",))
    assert context.is_entry_point and context.in_script(1)
    assert not file_context(Path("/r/src/pkg/core.py"), Path("/r"), None, [], scripts=("pkg.cli",)).is_entry_point


def test_default_ruff_set_reports_core_codes_only(tmp_path: Path) -> None:
    code = (
        "import logging\nimport requests\n\nlog = logging.getLogger(__name__)\n\n\n"
        "def fetch(url, parts):\n    for part in parts:\n        log.debug(f\"part {part}\")\n"
        "    try:\n        return requests.get(url)\n"
        "    except Exception as exc:\n        log.error(\"request failed\")\n        print(exc)\n"
    )
    root = write_tree(tmp_path, {"app/client.py": code, "pyproject.toml": '[project]\nname = "app"\n'})
    bare = Project.load(root)
    assert _codes(bare, "app/client.py") == ["S113"]  # TRY400, G004, BLE001 and T201 are opt-in
    (root / "pyproject.toml").write_text('[project]\nname = "app"\n\n[tool.python-architect]\nselect = ["ALL"]\n')
    everything = Project.load(root)
    findings = everything.analyze(root / "app/client.py").findings
    assert "S113" in {f.code for f in findings}
    assert not {"BLE001", "T201", "G004", "TRY400"} & {f.code for f in findings}  # opt-in: adopted only by their exact code (issue 21)
    (root / "pyproject.toml").write_text('[project]\nname = "app"\n\n[tool.python-architect]\nselect = ["ALL", "TRY400"]\n')
    assert "TRY400" in {f.code for f in Project.load(root).analyze(root / "app/client.py").findings}
    (root / "pyproject.toml").write_text('[project]\nname = "app"\n\n[tool.python-architect]\nselect = ["ALL", "G004"]\n')
    assert "G004" in {f.code for f in Project.load(root).analyze(root / "app/client.py").findings}
    (root / "pyproject.toml").write_text('[project]\nname = "app"\n\n[tool.python-architect]\nselect = ["ALL", "T201"]\n')
    (printed,) = [f for f in Project.load(root).analyze(root / "app/client.py").findings if f.code == "T201"]
    assert printed.fix is None  # deleting a print would delete a CLI's output: no fix offered


def test_example_programs_a_package_ships_are_scripts(tmp_path: Path) -> None:
    """Read on airflow's `example_dags/` (issue 21): documentation programs run by hand, where a
    request without a timeout is the example's brevity, not a service hanging."""
    fetch = "import requests\n\n\ndef run():\n    return requests.get('https://api.example.com/data')\n"
    root = write_tree(tmp_path, {"pkg/example_dags/retry.py": fetch, "pkg/docs_examples/a.py": fetch,
                                 "pkg/service.py": fetch, "pyproject.toml": '[project]\nname = "pkg"\n'})
    project = Project.load(root)
    assert _codes(project, "pkg/example_dags/retry.py") == []
    assert _codes(project, "pkg/docs_examples/a.py") == []
    assert _codes(project, "pkg/service.py") == ["S113"]  # the twin: the same call in the package itself


def test_a_blocking_call_in_an_async_test_stalls_no_one(tmp_path: Path) -> None:
    """Issue 21 (twentieth reading, google-genai's ``tests/``): a sync call in an async test blocks
    only the test's own loop. The same coroutine in application code is reported."""
    body = ("import httpx\n\n\nasync def test_stream():\n    client = httpx.Client()\n    try:\n"
            "        pass\n    finally:\n        client.close()\n")
    root = write_tree(tmp_path, {"app/stream.py": body.replace("test_stream", "stream"),
                                 "tests/test_stream.py": body})
    project = Project.load(root)
    assert _codes(project, "app/stream.py") == ["ASYNC212"]
    assert _codes(project, "tests/test_stream.py") == []


def test_a_module_importing_pytest_is_test_code_wherever_it_lives(tmp_path: Path) -> None:
    """Twenty-first reading (pydantic-ai's ``workspaces/conformance.py``): a pytest suite a package
    ships for its backends polls files and runs shell scripts as tests do. The same code without
    the pytest import is application code and stays reported; a nested or aliased mention is no
    top-level import of pytest."""
    body = "import requests\n\n\ndef check_backend(url):\n    return requests.get(url)\n"
    root = write_tree(tmp_path, {"pkg/conformance.py": "import pytest\n" + body, "pkg/client.py": body,
                                 "pkg/lazy.py": body + "\n\ndef skip():\n    import pytest\n    pytest.skip()\n"})
    project = Project.load(root)
    assert _codes(project, "pkg/conformance.py") == []
    assert _codes(project, "pkg/client.py") == ["S113"]
    assert _codes(project, "pkg/lazy.py") == ["S113"]
    assert file_context(Path("/r/pkg/fixtures.py"), Path("/r"), None, ["from _pytest.fixtures import fixture"]).is_test
