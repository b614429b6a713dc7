"""S113 in a helper only command-line code calls (issue 21, class "interactive-cli-command": spacy's
``cli/validate.py`` ``get_model_pkgs``, localstack's ``opensearch/versions.py`` maintainer script
called only from its main guard). Each shape beside its twin: the same helper also called from
library code, handed on as a callback, listed in ``__all__``, public with no caller, a method,
or imported and called by a sibling module."""

from __future__ import annotations

import ast
from pathlib import Path

from ruff_twins import reported_and_kept
from trees import write_tree

FETCH = "def fetch_table():\n    return requests.get('https://example.org/table.json').json()\n\n\n"
THROUGH_CLICK = ("import click\nimport requests\n\n\n" + FETCH
                 + "def validate():\n    return fetch_table()\n\n\n"
                 + "@click.command()\ndef validate_cli():\n    validate()\n")
THROUGH_ARGPARSE = ("import argparse\nimport requests\n\n\n" + FETCH
                    + "def main():\n    parser = argparse.ArgumentParser()\n    parser.parse_args()\n"
                    + "    print(fetch_table())\n")
THROUGH_MAIN_GUARD = ("import requests\n\n\n" + FETCH
                      + "if __name__ == '__main__':\n    print(fetch_table())\n")


def test_a_helper_only_a_click_command_reaches_through_another_helper() -> None:
    reported, kept = reported_and_kept(THROUGH_CLICK, "S113")
    assert reported == ["S113"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


def test_a_helper_only_an_argparse_main_calls() -> None:
    assert reported_and_kept(THROUGH_ARGPARSE, "S113") == (["S113"], [])


def test_a_maintainer_script_called_only_from_the_main_guard() -> None:
    assert reported_and_kept(THROUGH_MAIN_GUARD, "S113") == (["S113"], [])


def test_the_same_helper_also_called_from_library_code_is_reported() -> None:
    text = THROUGH_CLICK + "\n\ndef compatible(name):\n    return name in fetch_table()\n"
    assert reported_and_kept(text, "S113") == (["S113"], ["S113"])


def test_a_helper_whose_caller_has_no_caller_is_reported() -> None:
    """spacy's ``download.get_compatibility``: also called by the public ``get_latest_version``."""
    text = THROUGH_CLICK + "\n\ndef latest():\n    return max(fetch_table())\n"
    assert reported_and_kept(text, "S113") == (["S113"], ["S113"])


def test_a_helper_with_no_caller_is_reported() -> None:
    text = "import click\nimport requests\n\n\n" + FETCH + "@click.command()\ndef cli():\n    pass\n"
    assert reported_and_kept(text, "S113") == (["S113"], ["S113"])


def test_a_helper_handed_on_as_a_callback_is_reported() -> None:
    text = THROUGH_MAIN_GUARD + "\nHOOKS = [fetch_table]\n"
    assert reported_and_kept(text, "S113") == (["S113"], ["S113"])


def test_a_helper_listed_in_dunder_all_is_reported() -> None:
    text = "__all__ = ['fetch_table']\n" + THROUGH_MAIN_GUARD
    assert reported_and_kept(text, "S113") == (["S113"], ["S113"])


def test_a_decorated_command_of_a_chat_bot_is_no_terminal() -> None:
    text = THROUGH_CLICK.replace("import click\n", "").replace("@click.command()", "@bot.command()")
    assert reported_and_kept(text, "S113") == (["S113"], ["S113"])


def test_a_command_in_a_cli_folder_whose_app_a_sibling_made(tmp_path: Path) -> None:
    """spacy: ``from ._util import app`` then ``@app.command("validate")``: no click import here."""
    text = THROUGH_CLICK.replace("import click\n", "from ._util import app\n").replace(
        "@click.command()", "@app.command('validate')")
    root = write_tree(tmp_path / "ws", {"pkg/__init__.py": "", "pkg/cli/__init__.py": "from .validate import validate\n",
                                        "pkg/cli/validate.py": text})
    path = root / "pkg/cli/validate.py"
    assert reported_and_kept(text, "S113", path, root) == (["S113"], [])
    library = write_tree(tmp_path / "lib", {"pkg/__init__.py": "", "pkg/validate.py": text})
    assert reported_and_kept(text, "S113", library / "pkg/validate.py", library) == (["S113"], ["S113"])


def test_a_sibling_that_imports_the_helper_and_calls_it(tmp_path: Path) -> None:
    sibling = "from .tool import validate\n\n\ndef check():\n    return validate()\n"
    root = write_tree(tmp_path / "ws", {"pkg/__init__.py": "", "pkg/tool.py": THROUGH_CLICK, "pkg/checks.py": sibling})
    assert reported_and_kept(THROUGH_CLICK, "S113", root / "pkg/tool.py", root) == (["S113"], ["S113"])
    aliased = "from .tool import (\n    fetch_table as table,\n)\n\n\ndef check():\n    return table()\n"
    (root / "pkg/checks.py").write_text(aliased)
    assert reported_and_kept(THROUGH_CLICK, "S113", root / "pkg/tool.py", root) == (["S113"], ["S113"])


def test_a_re_export_without_a_call_and_a_test_sibling_are_no_callers(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "from .tool import validate  # noqa: F401\n", "pkg/tool.py": THROUGH_CLICK,
             "pkg/test_tool.py": "from .tool import fetch_table\n\n\ndef test_it():\n    fetch_table()\n"}
    root = write_tree(tmp_path / "ws", files)
    assert reported_and_kept(THROUGH_CLICK, "S113", root / "pkg/tool.py", root) == (["S113"], [])


def test_a_method_is_not_judged() -> None:
    text = ("import requests\n\n\nclass Client:\n    def fetch_table(self):\n"
            "        return requests.get('https://example.org')\n\n\n"
            "if __name__ == '__main__':\n    Client().fetch_table()\n")
    assert reported_and_kept(text, "S113") == (["S113"], ["S113"])


def test_a_batch_that_parsed_only_the_statements_around_the_findings_sees_every_caller() -> None:
    """The batch judges ruff's findings on ``parse_statements``: here the helper and the command
    (both have a finding) but not the library caller of the helper, which must keep it reported."""
    from python_architect.analysis import ruff_bridge
    from python_architect.analysis.reparse import parse_statements, statement_starts
    from python_architect.analysis.ruff_refine import post_process

    text = ("import click\nimport requests\n\n\n" + FETCH
            + "@click.command()\ndef validate_cli():\n    fetch_table()\n    requests.post('https://example.org')\n\n\n"
            + "def compatible(name):\n    return name in fetch_table()\n")
    lines = text.split("\n")
    raw = ruff_bridge.run_ruff(text, Path("mod.py"), ["S113"])
    assert [f.span.line for f in raw] == [6, 12]
    partial = parse_statements(lines, statement_starts(ast.parse(text)), [f.span.line for f in raw])
    assert partial is not None and len(partial.body) == 2, "the batch's tree: the helper and the command"
    assert [f.span.line for f in post_process(partial, lines, raw)] == [6]
    assert [f.span.line for f in post_process(ast.parse(text), lines, raw)] == [6]


def test_a_long_signature_and_a_decorator_over_several_lines_are_read() -> None:
    text = ("import click\nimport requests\n\n\ndef fetch_table(\n    url='https://example.org',\n"
            ") -> dict:\n    return requests.get(url).json()\n\n\n@click.command()\n@click.option(\n"
            "    '--name',\n)\ndef cli(name):\n    fetch_table()\n")
    assert reported_and_kept(text, "S113") == (["S113"], [])


VERSION_CHECK = ("import requests\n\n\ndef get_latest():\n"
                 "    return requests.get('https://example.org/pkg/json').json()['version']\n\n\n"
                 "def check_version(force=False):\n    return get_latest()\n")


def test_a_helper_of_a_command_line_front_end_beside_its_library(tmp_path: Path) -> None:
    """streamlink (twenty-fourth reading): ``streamlink_cli/utils/versioncheck.get_latest`` is
    called through ``check_version`` from ``streamlink_cli/main.py`` only; the library package
    ``streamlink`` beside it does not import its front end."""
    files = {"streamlink/__init__.py": "", "streamlink_cli/__init__.py": "", "streamlink_cli/utils/__init__.py": "",
             "streamlink_cli/utils/versioncheck.py": VERSION_CHECK,
             "streamlink_cli/main.py": "from streamlink_cli.utils.versioncheck import check_version\n"}
    root = write_tree(tmp_path / "ws", files)
    path = root / "streamlink_cli/utils/versioncheck.py"
    assert reported_and_kept(VERSION_CHECK, "S113", path, root) == (["S113"], [])
    # The twins: a `_cli` folder with no library beside it (a library's own subpackage named so),
    # the same module in the library, and a helper referred to without a call (handed on).
    (root / "streamlink/__init__.py").unlink()
    (root / "streamlink").rmdir()
    assert reported_and_kept(VERSION_CHECK, "S113", path, root) == (["S113"], ["S113"])
    library = write_tree(tmp_path / "lib", {"streamlink/__init__.py": "", "streamlink/versioncheck.py": VERSION_CHECK})
    assert reported_and_kept(VERSION_CHECK, "S113", library / "streamlink/versioncheck.py", library) == (["S113"], ["S113"])
    handed_on = VERSION_CHECK + "\n\nHOOKS = [get_latest]\n"
    root = write_tree(tmp_path / "ws2", {**files, "streamlink_cli/utils/versioncheck.py": handed_on})
    assert reported_and_kept(handed_on, "S113", root / "streamlink_cli/utils/versioncheck.py", root) == (["S113"], ["S113"])
