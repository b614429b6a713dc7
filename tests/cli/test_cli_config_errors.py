"""Configuration that cannot silently do nothing: entries that match no code and unknown or
ill-typed options are errors (exit 2) on the real line of the key, with a suggestion."""

from __future__ import annotations

from pathlib import Path

from cli_support import run_cli
from python_architect.config import locate_key, parse_project_config, tomllib  # tomli on 3.10

PYPROJECT = """[project]
name = "app"

[tool.python-architect]
src = ["src"]
select = [
  "ARC2",
  "ARC9X",
]
ignore = ["BLE01"]
ruff = ["E501"]

[tool.python-architect.options.ARC202]
max-depth = "four"
maxdepth = 3

[tool.python-architect.options.ARC999]
x = 1
"""


def _errors(text: str) -> list[str]:
    table = tomllib.loads(text)["tool"]["python-architect"]
    return [str(error) for error in parse_project_config(table, Path("pyproject.toml"), text)[1]]


def test_every_problem_is_an_error_on_its_own_line_with_a_suggestion():
    assert _errors(PYPROJECT) == [
        "pyproject.toml:8: `select` entry `ARC9X` matches no check code (did you mean `ARC900`?)",
        "pyproject.toml:10: `ignore` entry `BLE01` matches no check code (did you mean `BLE001`?)",
        "pyproject.toml:11: `ruff` entry `E501` matches no curated ruff code (did you mean `S501`?)",
        "pyproject.toml:14: option `max-depth` of ARC202 must be a whole number, not 'four'",
        "pyproject.toml:15: ARC202 has no option `maxdepth` (did you mean `max-depth`?) "
        "(its options: `in-scripts`, `in-tests`, `max-depth`)",
        "pyproject.toml:17: options for unknown check `ARC999` (did you mean `ARC900`?)",
    ]


def test_valid_entries_and_context_options_are_accepted():
    text = ('[tool.python-architect]\nselect = ["ALL"]\nignore = ["ARC2", "ASYNC", "S"]\nruff = ["ASYNC", "T201"]\n'
            '[tool.python-architect.options.T201]\nin-scripts = true\n')
    assert _errors(text) == []


def test_inline_tables_point_at_the_line_holding_the_nested_key():
    text = ('[tool.python-architect]\nsrc = ["src"]\noptions = { ARC202 = { max-depth = "x" }, '
            'ARC201 = { allow-bases = 3 } }\n')
    assert _errors(text) == [
        "pyproject.toml:3: option `max-depth` of ARC202 must be a whole number, not 'x'",
        "pyproject.toml:3: option `allow-bases` of ARC201 must be a list of strings, not 3",
    ]
    assert locate_key(text, ("nothing",)) == 1  # the table's header line


def test_cli_exits_2_and_prints_path_and_line(workspace):
    root = workspace({"src/app/__init__.py": ""})
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = run_cli("check", cwd=root)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "pyproject.toml:8: `select` entry `ARC9X` matches no check code (did you mean `ARC900`?)"
    assert len(lines) == 6


def test_select_may_name_any_rule_the_installed_ruff_knows():
    # An ADR `ruff` rule can ask for codes outside the curated set; selecting them is not a typo.
    text = '[tool.python-architect]\nselect = ["ARC", "PLW0602"]\n'
    table = tomllib.loads(text)["tool"]["python-architect"]
    assert parse_project_config(table, Path("pyproject.toml"), text, lambda: ["PLW0602", "E501"])[1] == []
    (error,) = parse_project_config(table, Path("pyproject.toml"), text, lambda: ["E501"])[1]
    assert (error.line, "`PLW0602` matches no check code" in error.message) == (2, True)
