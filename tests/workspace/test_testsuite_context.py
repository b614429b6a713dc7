"""A ``testsuite/`` directory is test code like ``tests/`` (issue 21, fifth reading: pint's
``pint/testsuite/helpers.py`` evaluates a test author's expression): the checks that keep quiet in
tests keep quiet there. The twin: a module merely named for the word (``testsuite_parser.py``) is
application code and stays reported."""

from __future__ import annotations

from pathlib import Path

from trees import write_tree

from python_architect.analysis.context import is_test_path
from python_architect.engine import Project

EVALUATOR = ("def assert_quantity(expression, namespace):\n"
             "    return eval(expression, namespace)\n")


def test_testsuite_directories_are_test_code() -> None:
    for path in ("pint/testsuite/helpers.py", "pkg/testsuites/x.py", "pkg/test_suite/x.py",
                 "pkg/_testsuite/x.py"):
        assert is_test_path(path), path


def test_names_that_only_contain_the_word_are_application_code() -> None:
    for path in ("pkg/testsuite_parser.py", "pkg/mytestsuite/app.py",
                 "pkg/testsuite_tools/app.py"):
        assert not is_test_path(path), path


def test_eval_in_a_testsuite_helper_is_not_reported_and_its_twin_is(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pyproject.toml": '[tool.python-architect]\nselect = ["S307"]\n',
        "pint/__init__.py": "",
        "pint/testsuite/__init__.py": "",
        "pint/testsuite/helpers.py": EVALUATOR,
        "pint/testsuite_parser.py": EVALUATOR,
    })
    project = Project.load(root)
    assert [f.code for f in project.analyze(root / "pint/testsuite/helpers.py").findings] == []
    assert [f.code for f in project.analyze(root / "pint/testsuite_parser.py").findings] == ["S307"]
