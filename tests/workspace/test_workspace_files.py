"""File discovery: .gitignore (root and nested), exclude globs, skipped directories, kinds."""

from __future__ import annotations

from pathlib import Path

from trees import write_tree
from python_architect.config import ProjectConfig
from python_architect.workspace.files import discover_files, is_dependency_file


def _relative(root, paths):
    return sorted(p.relative_to(root.resolve()).as_posix() for p in paths)


def test_gitignore_root_and_nested_and_always_skipped(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        ".gitignore": "generated/\n*.tmp.py\n",
        "app/main.py": "",
        "app/cache.tmp.py": "",
        "generated/out.py": "",
        "app/sub/.gitignore": "local_only.py\n",
        "app/sub/local_only.py": "",
        "app/sub/kept.py": "",
        "lib/local_only.py": "",  # the nested .gitignore does not reach here
        ".venv/lib/site.py": "",
        "node_modules/x/y.py": "",
        "build/lib/app.py": "",
        "app/__pycache__/m.py": "",
    })
    found = discover_files(root, ProjectConfig())
    assert _relative(root, found.python) == ["app/main.py", "app/sub/kept.py", "lib/local_only.py"]


def test_gitignore_negation_keeps_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".gitignore": "*.py\n!keep.py\n", "keep.py": "", "drop.py": ""})
    assert _relative(root, discover_files(root, ProjectConfig()).python) == ["keep.py"]


def test_config_exclude_globs(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app/a.py": "", "app/migrations/0001.py": "", "scripts/x.py": ""})
    config = ProjectConfig(exclude=("migrations/", "scripts/*.py"))
    assert _relative(root, discover_files(root, config).python) == ["app/a.py"]


def test_kinds_dependency_and_adr_files(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pyproject.toml": "", "requirements-dev.txt": "", "requirements/base.txt": "",
        "notes.txt": "", ".ai/adrs/0001-use-x.md": "# 1. Use x\n", ".ai/adrs/README.md": "",
        ".ai/project-context.md": "", "docs/guide.md": "", "app.py": "",
    })
    found = discover_files(root, ProjectConfig())
    assert _relative(root, found.dependencies) == ["pyproject.toml", "requirements-dev.txt", "requirements/base.txt"]
    assert _relative(root, found.adrs) == [".ai/adrs/0001-use-x.md"]
    assert _relative(root, found.python) == ["app.py"]
    assert is_dependency_file(root / "requirements.txt") and not is_dependency_file(root / "notes.txt")


def test_explicit_file_is_included_even_when_ignored(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".gitignore": "gen.py\n", "gen.py": "", "other.py": ""})
    found = discover_files(root, ProjectConfig(), under=[root / "gen.py"])
    assert _relative(root, found.python) == ["gen.py"]
    found_dir = discover_files(root, ProjectConfig(), under=[root])
    assert _relative(root, found_dir.python) == ["other.py"]


def test_empty_workspace(tmp_path) -> None:
    found = discover_files(tmp_path, ProjectConfig())
    assert found.all() == []


def test_git_info_exclude_is_honoured(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".git/info/exclude": "scratch.py\n", "scratch.py": "", "app.py": ""})
    assert _relative(root, discover_files(root, ProjectConfig()).python) == ["app.py"]


def test_a_project_templates_files_are_not_the_projects_code(tmp_path: Path) -> None:
    # Read on kedro's cookiecutter template (issue 21): `{{ cookiecutter.repo_name }}/docs/conf.py`
    # holds placeholders and is Python only once the template is filled in; reporting it as a
    # file that does not parse (ARC900) is noise.
    from python_architect.engine import Project

    root = write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/templates/project/{{ cookiecutter.repo_name }}/docs/conf.py": "project = {{ cookiecutter.name }}\n",
        "pkg/templates/{% if docs %}docs{% endif %}/conf.py": "x = {{ y }}\n",
        "pkg/templates/project/{{ cookiecutter.repo_name }}/README.md": "",
        "pkg/templates/brace_free/broken.py": "def broken(:\n",  # the twin: an ordinary folder
        "pkg/cookiecutter_helpers.py": "",  # the word alone is no template
    })
    assert _relative(root, discover_files(root, ProjectConfig()).python) == [
        "pkg/__init__.py", "pkg/cookiecutter_helpers.py", "pkg/templates/brace_free/broken.py"]
    codes = [(f.path.name, f.code) for f in Project.load(root).check_paths(ruff=False).findings if f.code == "ARC900"]
    assert codes == [("broken.py", "ARC900")]
