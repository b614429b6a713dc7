"""S113 in a command-line command and B006 on a nested def (issue 21, ninth reading: flytekit's
``pyflyte init`` downloads its template in a click command; ddtrace's per-request
``receive_wrapped(once=[True])``). Each shape beside the twin that stays reported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from ruff_twins import reported_and_kept

CLI_COMMAND = ("import click\nimport requests\n\n\n@click.command()\n@click.argument('name')\ndef init(name):\n"
               "    response = requests.get('https://example.org/template.zip')\n    return response.content\n")
TYPER_COMMAND = ("import requests\nimport typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef pull(url: str):\n"
                 "    requests.get(url)\n")
NESTED_DEFAULT = ("def wrap(receive):\n    async def receive_wrapped(once=[True]):\n        if once[0]:\n"
                  "            once[0] = False\n        return await receive()\n    return receive_wrapped\n")


@pytest.mark.parametrize(("text", "code"), [(CLI_COMMAND, "S113"), (TYPER_COMMAND, "S113"), (NESTED_DEFAULT, "B006")])
def test_the_definition_around_makes_it_no_finding(text: str, code: str) -> None:
    reported, kept = reported_and_kept(text, code)
    assert reported == [code], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize(("text", "code"), [
    # the library function a command calls that library code calls too: every other caller hangs
    # (one only commands call: ``ruff_refine_cli_helper``)
    ("import click\nimport requests\n\n\ndef fetch(url):\n    return requests.get(url)\n\n\n@click.command()\n"
     "def init():\n    fetch('https://example.org')\n\n\ndef library():\n    return fetch('https://example.org')\n",
     "S113"),
    # a chat bot's command is no terminal a person watches
    ("import requests\nfrom discord.ext import commands\n\nbot = commands.Bot()\n\n\n@bot.command()\n"
     "def weather(ctx):\n    requests.get('https://example.org')\n", "S113"),
    # a module-level def: its default is shared by every caller
    ("def receive_wrapped(once=[True]):\n    if once[0]:\n        once[0] = False\n", "B006"),
    # a method of a class defined at module level: the same
    ("class Wrapper:\n    def receive(self, once=[True]):\n        once[0] = False\n", "B006"),
])
def test_a_library_function_or_a_shared_default_is_reported(text: str, code: str) -> None:
    reported, kept = reported_and_kept(text, code)
    assert reported == kept == [code]


def test_a_click_command_judged_on_a_batch_tree_without_the_imports() -> None:
    """A batch judges ruff's findings on the statements around them only (``parse_statements``):
    the ``import click`` above is not in that tree, and the command must still be recognised, as
    in the editor, which has the whole file. A chat bot's ``@bot.command()`` (no click) stays."""
    from python_architect.analysis import ruff_bridge
    from python_architect.analysis.reparse import parse_statements, statement_starts
    from python_architect.analysis.ruff_refine import nodes_spanning
    from python_architect.analysis.ruff_refine_scope import in_cli_command

    def judged(imports: str) -> bool:
        text = (imports + "import requests\n\n\n"
                + "@cli.command()\ndef update():\n    requests.get('https://example.org/latest')\n")
        lines = text.split("\n")
        finding = next(f for f in ruff_bridge.run_ruff(text, Path("tool.py"), ["S113"]))
        partial = parse_statements(lines, statement_starts(ast.parse(text)), [finding.span.line])
        assert partial is not None and not any(isinstance(n, ast.Import) for n in partial.body)
        return in_cli_command(list(nodes_spanning(partial, [finding.span.line])), lines, finding)

    assert judged("import click\n")
    assert not judged("import discord\n")


NIKOLA_THEME = ("import requests\nfrom nikola.plugin_categories import Command\n\n\nclass CommandTheme(Command):\n"
                "    name = 'theme'\n    cmd_options = [{'name': 'install', 'short': 'i'}]\n\n"
                "    def _execute(self, options, args):\n        return self.do_install(args[0])\n\n"
                "    def do_install(self, url):\n        return requests.get(url).content\n")
DJANGO_COMMAND = ("import requests\nfrom django.core.management.base import BaseCommand\n\n\nclass Command(BaseCommand):\n"
                  "    def handle(self, *args, **options):\n        requests.get('https://example.org/feed')\n")
MULTI_LINE_HEADER = NIKOLA_THEME.replace("class CommandTheme(Command):", "class CommandTheme(\n    Command,\n):")


@pytest.mark.parametrize("text", [NIKOLA_THEME, DJANGO_COMMAND, MULTI_LINE_HEADER,
                                  NIKOLA_THEME.replace("cmd_options = [", "def add_arguments(self, parser):\n        pass\n    x = [")])
def test_a_method_of_a_command_line_command_class(text: str) -> None:
    """nikola's `nikola theme -i` (twenty-sixth reading, nine of its S113 read wrong): every method
    of a command class that declares its command-line options runs with a person at the terminal."""
    reported, kept = reported_and_kept(text, "S113")
    assert reported == ["S113"]
    assert kept == []


@pytest.mark.parametrize("text", [
    # the command *pattern*: a class a web request runs declares no command-line options
    ("import requests\nfrom app.bus import Command\n\n\nclass CreateOrder(Command):\n    def execute(self, order):\n"
     "        requests.post('https://payments.example.org', json=order)\n"),
    # options declared, but no command base
    NIKOLA_THEME.replace("class CommandTheme(Command):", "class Theme(Plugin):"),
    # a function after the command class, at module level
    NIKOLA_THEME + "\n\ndef fetch(url):\n    return requests.get(url)\n",
    # Django-named base without `handle`
    DJANGO_COMMAND.replace("def handle(", "def run("),
])
def test_a_command_pattern_class_or_a_module_function_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "S113")
    assert reported == ["S113"] * (2 if "def fetch" in text else 1)
    assert kept == ["S113"]  # with `fetch` after the class: the command's is dropped, fetch's stays


def test_options_named_by_a_common_word_count_only_as_a_list_of_option_calls() -> None:
    """cleo's `options = [option("dry-run")]` is a command's option table; a CQRS command's
    `options: dict` field is not."""
    body = "    def handle(self):\n        requests.get('https://example.org')\n"
    head = "import requests\nfrom cleo.commands.command import Command\n\n\nclass Add(Command):\n"
    assert reported_and_kept(head + "    options = [option('dry-run'), option('lock')]\n\n" + body, "S113") == (["S113"], [])
    assert reported_and_kept(head + "    options: dict = {}\n\n" + body, "S113") == (["S113"], ["S113"])
