"""ARC900 on template files (issue 21: a cookiecutter project's ``.py`` files hold Jinja markup
and are Python only once rendered). A workspace check skips the parse error of a file whose
failing line holds ``{{``/``{%`` outside its strings, or that sits under a ``{{...}}`` folder,
and says so once; a real syntax error, markup only inside a string, and every error of a file
being edited (a half-typed line) are still reported."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from trees import write_tree

from python_architect.engine import Project
from python_architect.workspace import parse

TEMPLATES = {
    # the failing line is markup
    "hooks/post_gen.py": "import os\n\n{% if cookiecutter.use_docker == 'y' %}\nos.remove('x')\n{% endif %}\n",
    "{{cookiecutter.project_slug}}/app/settings.py": "DEBUG = {{ cookiecutter.debug }}\nif True\n    pass\n",
    "gen/models.py": "from {{ cookiecutter.package }} import base\n",
}
BROKEN = {
    "app/typo.py": "def f(:\n    return 1\n",
    # markup inside a string is Python: the error on that line is a real one
    "app/render.py": "TEMPLATE = f\"{{{{ name }}}}\" + (\n",
    "app/jinja.py": "PAGE = '{% if user %}hi{% endif %}'\nif PAGE\n",
}


@pytest.fixture(autouse=True)
def _unsaid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "_SAID_TEMPLATES", set())
    monkeypatch.setattr(parse, "_SAID_FIXTURES", set())


def test_a_workspace_check_skips_templates_and_says_so_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = write_tree(tmp_path, {**TEMPLATES, **BROKEN})
    with caplog.at_level(logging.WARNING, logger="python_architect.workspace.parse"):
        result = Project.load(root).check_paths(None, jobs=1)
    reported = sorted(f.path.relative_to(root).as_posix() for f in result.findings if f.code == "ARC900")
    assert reported == sorted(BROKEN)
    said = [r.getMessage() for r in caplog.records if "template markup" in r.getMessage()]
    assert len(said) == 1


def test_the_same_templates_in_two_workers(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**TEMPLATES, **BROKEN, **{f"pad/m{i}.py": "x = 1\n" for i in range(60)}})
    result = Project.load(root).check_paths(None, jobs=2)
    reported = sorted(f.path.relative_to(root).as_posix() for f in result.findings if f.code == "ARC900")
    assert reported == sorted(BROKEN)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_template_being_edited_keeps_its_parse_error(tmp_path: Path, name: str) -> None:
    root = write_tree(tmp_path, TEMPLATES)
    project = Project.load(root)
    path = root / name
    text = path.read_text()
    project.track_open(path, text)
    assert [f.code for f in project.analyze(path, text).findings] == ["ARC900"]


def test_a_half_typed_line_in_the_editor_is_reported(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/view.py": "def view():\n    return 1\n"})
    project = Project.load(root)
    path = root / "app/view.py"
    typing = "def view():\n    page = {% \n    return 1\n"
    project.track_open(path, typing)
    assert [f.code for f in project.analyze(path, typing).findings] == ["ARC900"]


BROKEN_ON_PURPOSE = {
    # nautobot's test repository of jobs that do not import (thirtieth reading)
    "nautobot/extras/tests/git_data/02-invalid-files/jobs/syntaxerror.py": "print(\n",
    "app/tests.py": "def test_x(:\n    pass\n",
}


def test_a_workspace_check_skips_test_files_that_do_not_parse(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A fixture broken on purpose; a real test file that does not parse fails the test run.
    The twins: the same error in application code, ``in-tests = true``, and an open document."""
    root = write_tree(tmp_path, {**BROKEN_ON_PURPOSE, **BROKEN})
    with caplog.at_level(logging.WARNING, logger="python_architect.workspace.parse"):
        result = Project.load(root).check_paths(None, jobs=1)
    reported = sorted(f.path.relative_to(root).as_posix() for f in result.findings if f.code == "ARC900")
    assert reported == sorted(BROKEN)
    assert len([r for r in caplog.records if "test file that fails to parse" in r.getMessage()]) == 1
    (root / "pyproject.toml").write_text("[tool.python-architect.options.ARC900]\nin-tests = true\n")
    result = Project.load(root).check_paths(None, jobs=1)
    reported = sorted(f.path.relative_to(root).as_posix() for f in result.findings if f.code == "ARC900")
    assert reported == sorted({**BROKEN_ON_PURPOSE, **BROKEN})
    (root / "pyproject.toml").unlink()
    project = Project.load(root)
    path = root / "app/tests.py"
    project.track_open(path, path.read_text())
    assert [f.code for f in project.analyze(path, path.read_text()).findings] == ["ARC900"]
