"""``check`` says once which vendored files it skipped, JSON carries it, config brings them back."""

from __future__ import annotations

from pathlib import Path

from cli_support import run_cli
from trees import write_tree

_NO_TIMEOUT = "import requests\n\n\ndef f(url):\n    return requests.get(url)\n"
_TREE = {
    "pyproject.toml": "[project]\nname = 'tool'\n",
    "tool/__init__.py": "",
    "tool/main.py": "from tool._vendor import rich\n",
    "tool/_vendor/__init__.py": "",
    "tool/_vendor/rich/__init__.py": _NO_TIMEOUT,
    "tool/_vendor/rich/console.py": _NO_TIMEOUT,
}
_NOTE = ("python-architect check: skipped 3 vendored files under tool/_vendor "
         "(include them with `include-vendored = true` in [tool.python-architect])\n")


def test_one_line_on_stderr_and_no_finding_in_vendored_code(tmp_path: Path) -> None:
    root = write_tree(tmp_path, _TREE)
    result = run_cli("check", "--no-cache", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == _NOTE
    assert "3 files checked" in result.stdout  # tool/__init__.py, tool/main.py, pyproject.toml


def test_json_carries_the_skip_and_include_vendored_reports_them(tmp_path: Path) -> None:
    root = write_tree(tmp_path, _TREE)
    document = run_cli("check", "--no-cache", "--format", "json", cwd=root).json()
    assert document["findings"] == []
    assert document["vendored"] == {"files": 3, "directories": ["tool/_vendor"]}
    (root / "pyproject.toml").write_text("[project]\nname = 'tool'\n[tool.python-architect]\ninclude-vendored = true\n")
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    document = result.json()
    assert "vendored" not in document and "vendored" not in result.stderr
    assert sorted((f["path"], f["code"]) for f in document["findings"]) == [
        ("tool/_vendor/rich/__init__.py", "S113"), ("tool/_vendor/rich/console.py", "S113")]
