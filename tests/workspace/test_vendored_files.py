"""Vendored third-party code is skipped by discovery like a gitignored file, said once, and
``include-vendored = true`` brings it back (issue 21)."""

from __future__ import annotations

from pathlib import Path

from trees import write_tree
from python_architect.config import ProjectConfig, parse_project_config
from python_architect.engine import Project
from python_architect.workspace.files import discover_files
from python_architect.workspace.vendored import VENDORED_DIRS


def _relative(root: Path, paths: list[Path]) -> list[str]:
    return sorted(p.relative_to(root.resolve()).as_posix() for p in paths)


_TREE = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    "app/__init__.py": "",
    "app/main.py": "from app._vendor import six\n",
    "app/_vendor/__init__.py": "",
    "app/_vendor/six.py": "",
    "app/_vendor/packaging/version.py": "",
    "app/_vendor/packaging/pyproject.toml": "[project]\nname = 'packaging'\n",
    "third_party/lib/core.py": "",
    "app/vendors.py": "",  # a module *about* vendors is the team's own code
    "app/vendorish/x.py": "",
}


def test_vendored_directories_are_listed_apart_not_checked(tmp_path: Path) -> None:
    root = write_tree(tmp_path, _TREE)
    found = discover_files(root, ProjectConfig())
    assert _relative(root, found.python) == ["app/__init__.py", "app/main.py", "app/vendorish/x.py", "app/vendors.py"]
    assert _relative(root, found.vendored) == [
        "app/_vendor/__init__.py", "app/_vendor/packaging/version.py", "app/_vendor/six.py", "third_party/lib/core.py"]
    # A vendored package's own pyproject is not the project's dependency file.
    assert _relative(root, found.dependencies) == ["pyproject.toml"]
    skip = found.vendored_skip(root.resolve())
    assert skip is not None and skip.files == 4 and skip.directories == ("app/_vendor", "third_party")
    assert skip.note() == ("skipped 4 vendored files under app/_vendor, third_party "
                           "(include them with `include-vendored = true` in [tool.python-architect])")


def test_include_vendored_checks_them(tmp_path: Path) -> None:
    root = write_tree(tmp_path, _TREE)
    found = discover_files(root, ProjectConfig(include_vendored=True))
    assert "app/_vendor/six.py" in _relative(root, found.python)
    assert "third_party/lib/core.py" in _relative(root, found.python)
    assert found.vendored == [] and found.vendored_skip(root) is None


def test_a_vendored_directory_named_on_the_command_line_is_walked(tmp_path: Path) -> None:
    root = write_tree(tmp_path, _TREE)
    found = discover_files(root, ProjectConfig(), [root / "app" / "_vendor"])
    assert _relative(root, found.python) == [
        "app/_vendor/__init__.py", "app/_vendor/packaging/version.py", "app/_vendor/six.py"]
    assert found.vendored_skip(root) is None


def test_gitignore_still_wins_inside_vendored_trees(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"vendor/.gitignore": "gen.py\n", "vendor/gen.py": "", "vendor/lib.py": ""})
    found = discover_files(root, ProjectConfig())
    assert _relative(root, found.vendored) == ["vendor/lib.py"]


def test_every_listed_name_is_a_vendored_directory(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {f"pkg/{name}/m.py": "" for name in VENDORED_DIRS} | {"pkg/own.py": ""})
    found = discover_files(root, ProjectConfig())
    assert _relative(root, found.python) == ["pkg/own.py"]
    assert len(found.vendored) == len(VENDORED_DIRS)


def test_include_vendored_setting_is_typed(tmp_path: Path) -> None:
    config, errors = parse_project_config({"include-vendored": True}, tmp_path / "pyproject.toml")
    assert config.include_vendored is True and errors == []
    config, errors = parse_project_config({"include-vendored": "yes"}, tmp_path / "pyproject.toml",
                                          "[tool.python-architect]\ninclude-vendored = \"yes\"\n")
    assert config.include_vendored is False
    assert [(e.line, e.message) for e in errors] == [(2, "`include-vendored` must be true or false")]


def test_vendored_modules_are_not_findings_yet_stay_first_party(tmp_path: Path) -> None:
    """No finding comes from a vendored file, and importing one is an import of the project's
    own package (no unknown-package noise)."""
    root = write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/main.py": "from app._vendor import lib\n",
        "app/_vendor/__init__.py": "",
        "app/_vendor/lib.py": "import requests\n\n\ndef f(url):\n    return requests.get(url)\n",
        "third_party/tp/__init__.py": "import requests\n\n\ndef g(url):\n    return requests.post(url)\n",
    })
    project = Project.load(root)
    result = project.check_paths(None, jobs=1, cache=None)
    assert [f for f in result.findings if "_vendor" in str(f.path) or "third_party" in str(f.path)] == []
    assert result.vendored is not None and result.vendored.files == 3
    assert project.roots.is_first_party("app._vendor.lib") and project.roots.is_first_party("third_party.tp")
    included = write_tree(tmp_path / "with", {
        "pyproject.toml": "[tool.python-architect]\ninclude-vendored = true\n",
        "app/_vendor/lib.py": "import requests\n\n\ndef f(url):\n    return requests.get(url)\n",
    })
    codes = [f.code for f in Project.load(included).check_paths(None, jobs=1, cache=None).findings]
    assert "S113" in codes


def test_is_vendored_by_any_directory_between_root_and_file(tmp_path: Path) -> None:
    """The editor's file watcher asks this for a file changed outside the editor: a vendored
    one is not indexed, as discovery does not index it."""
    from python_architect.workspace.vendored import is_vendored

    assert is_vendored(tmp_path / "pip/_vendor/rich/console.py", tmp_path)
    assert is_vendored(tmp_path / "third_party/x.py", tmp_path)
    assert not is_vendored(tmp_path / "app/vendors.py", tmp_path)
    assert not is_vendored(tmp_path / "vendor.py", tmp_path)  # a module named so is the team's own
    assert not is_vendored(tmp_path / "_vendor" / "x.py", tmp_path / "_vendor")  # the root itself
    assert not is_vendored(Path("/elsewhere/_vendor/x.py"), tmp_path)
