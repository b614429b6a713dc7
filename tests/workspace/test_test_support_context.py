"""Test-support modules shipped inside a package (issue 21, third reading): a module whose name says
it exists for tests (``sklearn/utils/_mocking.py``, ``_pytest/pytester.py``, ``pkg/testing.py``)
is test code, so the checks that keep quiet in tests keep quiet there; a module whose name only
contains the word (``mockup_parser.py``, ``attestation.py``) is application code."""

from __future__ import annotations

from pathlib import Path

from python_architect.analysis.context import is_test_path
from python_architect.engine import Project
from trees import write_tree

# A test double: every public method hands its arguments to the wrapped estimator (ARC203's shape).
WRAPPER = '''
class NoSampleWeightWrapper:
    def __init__(self, est):
        self.est = est

    def fit(self, X, y):
        return self.est.fit(X, y)

    def predict(self, X):
        return self.est.predict(X)

    def predict_proba(self, X):
        return self.est.predict_proba(X)
'''

# A helper that evaluates a check expression the test author wrote (S307's shape).
EVALUATOR = '''
def assert_contains(entries, check, namespace):
    for entry in entries:
        if eval(check, namespace, entry):
            return entry
    raise AssertionError(check)
'''

SELECT = '[tool.python-architect]\nselect = ["ARC203", "S307"]\n'


def _codes(project: Project, relative: str) -> list[str]:
    return sorted(f.code for f in project.analyze(project.root / relative).findings)


def test_modules_named_for_test_support_are_test_code() -> None:
    for path in ("pkg/utils/_mocking.py", "pkg/utils/mocking.py", "pkg/mock.py", "pkg/mocks.py",
                 "pkg/fakes.py", "pkg/fake.py", "pkg/testing.py", "pkg/utils/_testing.py",
                 "_pytest/pytester.py", "pkg/_testing/asserters.py", "pkg/testing/fixtures.py",
                 "pkg/mocks/client.py",
                 # a Django app's tests module (reviewboard's `ssh/tests.py`, thirtieth reading)
                 "reviewboard/ssh/tests.py", "pkg/test.py"):
        assert is_test_path(path), path


def test_a_name_that_only_contains_the_word_is_application_code() -> None:
    for path in ("pkg/mockup_parser.py", "pkg/attestation.py", "pkg/testing_ground/app.py",
                 "pkg/fakery.py", "pkg/contest.py", "pkg/latest/x.py", "pkg/mocking_bird/app.py",
                 "pkg/testing.txt", "pkg/fixtures.py", "pkg/greatest.py", "pkg/contests.py",
                 "pkg/attest.py", "pkg/tests.txt"):
        assert not is_test_path(path), path


def test_a_test_double_shipped_in_the_package_is_not_reported(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pyproject.toml": SELECT,
        "pkg/__init__.py": "",
        "pkg/utils/__init__.py": "",
        "pkg/utils/_mocking.py": WRAPPER,
        "pkg/pytester.py": EVALUATOR,
        # The twins: the same code in modules whose names only contain the words.
        "pkg/utils/mockup_parser.py": WRAPPER,
        "pkg/attestation.py": EVALUATOR,
    })
    project = Project.load(root)
    assert _codes(project, "pkg/utils/_mocking.py") == []
    assert _codes(project, "pkg/pytester.py") == []
    assert _codes(project, "pkg/utils/mockup_parser.py") == ["ARC203"]
    assert _codes(project, "pkg/attestation.py") == ["S307"]
