"""Engine over whole workspaces and odd inputs: syntax errors, encodings, huge files, empty
workspaces, dependency files, ADR files, configuration errors, cycles and parallel runs."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from trees import write_tree
from python_architect.engine import Project
from python_architect.findings import Severity

PINNING_ADR = """---
id: ADR-010
title: Pin what we ship
status: accepted
rules:
  - id: exact-pins
    kind: pinned-dependencies
    policy: exact
---
# ADR-010: Pin what we ship

## Decision
Every dependency is pinned with `==`.
"""


def test_empty_workspace(tmp_path: Path) -> None:
    project = Project.load(tmp_path)
    result = project.check_paths()
    assert (result.findings, result.files, result.adrs) == ([], 0, 0)
    assert project.workspace_findings() == []


# T201 (print) is a judgment check: these engine tests use it as their sample finding, so the
# workspace adopts it by selecting it.
ADOPT_PRINT = '[tool.python-architect]\nselect = ["ARC", "T201"]\n'


def test_syntax_error_gives_one_finding_and_does_not_stop_the_run(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/broken.py": "def f(:\n    print('x')\n", "app/ok.py": "print('y')\n",
                                 "pyproject.toml": ADOPT_PRINT})
    project = Project.load(root)
    broken = project.analyze(root / "app/broken.py")
    assert broken.facts is None and broken.syntax_error is not None
    assert [(f.code, f.line, f.severity) for f in broken.findings] == [("ARC900", 1, Severity.ERROR)]
    assert "does not parse" in broken.findings[0].message
    result = project.check_paths()
    assert [(f.path.name, f.code) for f in result.findings] == [("broken.py", "ARC900"), ("ok.py", "T201")]


def test_null_bytes_do_not_crash(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"bad.py": b"x = 1\x00\n"})
    analysis = Project.load(root).analyze(root / "bad.py")
    assert [f.code for f in analysis.findings] == ["ARC900"]


def test_latin1_file_with_cookie_is_checked(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\nNAME = 'café'\nprint(NAME)\n"
    root = write_tree(tmp_path, {"legacy.py": source.encode("latin-1"), "pyproject.toml": ADOPT_PRINT})
    project = Project.load(root)
    assert [(f.code, f.line) for f in project.analyze(root / "legacy.py").findings] == [("T201", 3)]
    assert [(f.code, f.line) for f in project.check_paths().findings] == [("T201", 3)]


def test_invalid_utf8_without_cookie_is_decoded_with_replacement(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"odd.py": b"NAME = '\xff\xfe'\nprint(NAME)\n", "pyproject.toml": ADOPT_PRINT})
    assert [f.code for f in Project.load(root).analyze(root / "odd.py").findings] == ["T201"]
    # The batch's one ruff run cannot read it (not UTF-8): it goes through stdin, and ruff's own
    # "cannot read" finding, asked for only to learn that, is never shown.
    assert [(f.code, f.line) for f in Project.load(root).check_paths().findings] == [("T201", 2)]


def test_five_megabyte_file_finishes(tmp_path: Path) -> None:
    # Generated-code shape: many functions with long docstrings and long literal lines.
    doc = "word " * 200
    block = "".join(
        f'def handler_{i}(request):\n    """{doc}"""\n    return request.get("k{i}", {list(range(20))})\n\n\n'
        for i in range(4_500)
    )
    text = block + "print('end')\n"
    assert len(text) > 5_000_000
    root = write_tree(tmp_path, {"big.py": text, "pyproject.toml": ADOPT_PRINT})
    findings = Project.load(root).analyze(root / "big.py").findings
    assert [f.code for f in findings] == ["T201"]
    assert findings[0].line == text.count("\n")


def test_missing_file_gives_empty_analysis(tmp_path: Path) -> None:
    analysis = Project.load(tmp_path).analyze(tmp_path / "gone.py")
    assert analysis.kind == "python" and analysis.findings == []


def test_unknown_config_key_is_reported_on_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n\n[tool.python-architect]\nsrc = ["."]\nselekt = ["ARC"]\n'})
    project = Project.load(root)
    assert len(project.config_errors) == 1
    result = project.check_paths()
    (problem,) = result.findings
    assert problem.code == "ARC006" and problem.line == 6 and problem.path.name == "pyproject.toml"
    assert "selekt" in problem.message
    in_editor = project.analyze(root / "pyproject.toml")
    assert [(f.code, f.line) for f in in_editor.findings] == [("ARC006", 6)]


def test_broken_pyproject_is_a_config_finding(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n[tool.python-architect\nsrc = 1\n', "a.py": "x = 1\n"})
    result = Project.load(root).check_paths()
    assert [(f.code, f.line) for f in result.findings] == [("ARC006", 3)]


def test_dependency_file_pinning_fires_and_pinned_twin_does_not(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        ".ai/adrs/0010-pin.md": PINNING_ADR,
        "requirements.txt": "requests>=2.0\n",
        "requirements-dev.txt": "pytest==8.3.2\n",
    })
    project = Project.load(root)
    loose = project.analyze(root / "requirements.txt")
    assert loose.kind == "dependencies"
    assert [(f.code, f.line, f.adrs) for f in loose.findings] == [("ARC110", 1, ("ADR-010",))]
    assert project.analyze(root / "requirements-dev.txt").findings == []
    # unsaved text is what counts
    assert project.analyze(root / "requirements.txt", "requests==2.32.0\n").findings == []


def test_adr_file_problems_follow_unsaved_text(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".ai/adrs/0010-pin.md": PINNING_ADR})
    project = Project.load(root)
    path = root / ".ai/adrs/0010-pin.md"
    assert project.analyze(path).kind == "adr"
    assert project.analyze(path).findings == []
    broken = PINNING_ADR.replace("policy: exact", "policy: [exact")
    codes = [f.code for f in project.analyze(path, broken).findings]
    assert codes == ["ARC001"]


def test_adr_problems_appear_in_check_paths(tmp_path: Path) -> None:
    adr = PINNING_ADR.replace("kind: pinned-dependencies", "kind: pinned-dependencys")
    root = write_tree(tmp_path, {".ai/adrs/0010-pin.md": adr})
    result = Project.load(root).check_paths()
    assert [(f.code, f.path.name) for f in result.findings] == [("ARC002", "0010-pin.md")]
    assert result.adrs == 1


def test_cycles_reported_by_workspace_findings_and_follow_edits(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/a.py": "from app import b\n", "app/b.py": "x = 1\n"})
    project = Project.load(root)
    assert project.workspace_findings() == []
    project.analyze(root / "app/b.py", "from app.a import A\n")  # fails: a has no A yet
    cycles = project.workspace_findings()
    # One finding per cycle, on an import of its first module, the other line as related information.
    assert [(f.code, f.path.name) for f in cycles] == [("ARC103", "a.py")]
    assert [r.path.name for r in cycles[0].related] == ["a.py", "b.py"]
    assert all(f.severity is Severity.WARNING and f.principle == "layering" for f in cycles)
    (root / "app/a.py").write_text("from app import b  # architect: ignore[ARC103]\n")
    assert project.workspace_findings() == []


def test_check_paths_on_a_subset_still_sees_cycles_through_other_files(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/a.py": "from app import b\n", "app/b.py": "from app.a import A\n",
                 "other/c.py": "print(1)\n"})
    result = Project.load(root).check_paths([root / "app/a.py"])
    assert [(f.code, f.path.name) for f in result.findings] == [("ARC103", "a.py")]
    assert result.files == 1


def test_parallel_run_matches_serial_run(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pyproject.toml": ADOPT_PRINT.replace('"T201"', '"T201", "S113"')}
    for i in range(60):
        # Sizes differ (the workers take the largest first) and three files have a ruff finding
        # whose fix needs the file's parse (judged in the workers when there are some).
        body = "".join(f"def f{n}(u):\n    return u + {n}\n" for n in range(i % 7 * 20))
        if i % 20 == 0:
            body += "import requests\n\n\ndef fetch(u):\n    return requests.get(u)\n"
        files[f"pkg/m{i}.py"] = f"from pkg.m{(i + 1) % 60} import VALUE\nprint({i})\nVALUE = {i}\n{body}"
    root = write_tree(tmp_path, files)
    serial = Project.load(root).check_paths(jobs=1)
    parallel = Project.load(root).check_paths(jobs=2)
    seen: list[tuple[int, int]] = []
    with_progress = Project.load(root).check_paths(jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert serial.findings == parallel.findings == with_progress.findings
    assert {f.code for f in serial.findings} == {"ARC103", "T201", "S113"}
    assert len([f for f in serial.findings if f.code == "T201"]) == 60
    timeouts = [f for f in parallel.findings if f.code == "S113"]
    assert len(timeouts) == 3 and all(f.fix is not None for f in timeouts)
    assert seen[-1] == (62, 62) and len(seen) == 62


def test_ruff_off_for_a_keystroke(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"a.py": "print(1)\n", "pyproject.toml": ADOPT_PRINT})
    project = Project.load(root)
    assert project.analyze(root / "a.py", ruff=False).findings == []
    assert [f.code for f in project.analyze(root / "a.py").findings] == ["T201"]


def test_a_failing_check_does_not_hide_the_others(tmp_path: Path) -> None:
    from python_architect.catalog import REGISTRY

    def explode(ctx):
        raise RuntimeError("boom")

    registry = REGISTRY.replacing("ARC502", explode)
    root = write_tree(tmp_path, {"a.py": "print(1)\n", "pyproject.toml": ADOPT_PRINT})
    assert [f.code for f in Project.load(root, registry).analyze(root / "a.py").findings] == ["T201"]


def test_refresh_files_follows_added_and_deleted_modules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/__init__.py": "", "app/a.py": "from app import b\n", "app/b.py": "x = 1\n"})
    project = Project.load(root)
    assert project.workspace_findings() == []
    (root / "app/b.py").write_text("from app.a import A\n")
    (root / "app/c.py").write_text("from app import a\n")
    project.analyze(root / "app/b.py")  # a saved edit reaches the index through analyze
    project.refresh_files()  # a created file reaches it through a refresh
    assert project.index.lookup_module("app.c") is not None
    assert {f.path.name for f in project.workspace_findings()} == {"a.py"}
    (root / "app/b.py").unlink()
    project.refresh_files()
    assert project.index.lookup_module("app.b") is None
    assert project.workspace_findings() == []


def test_reload_config_with_new_source_roots_renames_modules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"lib/app/__init__.py": "", "lib/app/a.py": ""})
    project = Project.load(root)
    assert project.module_name(root / "lib/app/a.py") == "lib.app.a"
    (root / "pyproject.toml").write_text('[tool.python-architect]\nsrc = ["lib"]\n')
    project.reload_config()
    assert project.module_name(root / "lib/app/a.py") == "app.a"
    project.ensure_index()
    assert project.index.modules() == ["app", "app.a"]


def test_deeply_nested_expression_is_one_clear_finding(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"deep.py": "x = 1" + " + 1" * 100_000 + "\nprint(x)\n"})
    findings = Project.load(root).analyze(root / "deep.py").findings
    assert [f.code for f in findings] == ["ARC900"]
    assert "nested too deeply" in findings[0].message


NEWER_SYNTAX = {
    "app/queue.py": "from queue import Queue\n\n\nclass InterruptibleQueue[T](Queue):\n    pass\n",
    "app/events.py": "type TransformedEvent = dict | str\n",
    "app/run.py": "def dry_run[T](func, *args: T) -> T:\n    return func(*args)\n",
    "app/broken.py": "class Broken[T](:\n    pass\n",
    "app/typo.py": "def f(:\n    return 1\n",
}


def test_syntax_of_a_newer_python_is_no_parse_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Issue 21, thirteenth reading: localstack's PEP 695 classes and `type` statements were reported
    # as "File does not parse" by a server on Python 3.11. Valid for the project's own Python, they
    # are not a finding; a file broken for every Python still is.
    root = write_tree(tmp_path, NEWER_SYNTAX)
    with caplog.at_level(logging.WARNING, logger="python_architect.workspace.parse"):
        result = Project.load(root).check_paths()
    assert sorted((f.path.name, f.code) for f in result.findings) == [("broken.py", "ARC900"), ("typo.py", "ARC900")]
    said = [record.getMessage() for record in caplog.records if "not analysed" in record.getMessage()]
    if sys.version_info < (3, 12):  # on 3.12+ these files parse and are checked like any other
        assert sorted(Path(message.split(":", 1)[0]).name for message in said) == ["events.py", "queue.py", "run.py"]
        assert all("Python 3.12" in message for message in said)
    else:
        assert said == []
