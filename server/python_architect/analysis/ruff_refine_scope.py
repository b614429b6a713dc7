"""Default-tier findings that the definition around them decides (issue 21, ninth reading).

- **S113** inside a command-line command (a function decorated ``@click.command``,
  ``@cli.command(...)``, ``@app.command()`` of Typer, ``@click.group``): the person who ran it
  watches it and stops a hang with Ctrl-C, as in a script under the main guard (flytekit's
  ``pyflyte init`` downloading its template). A library function the command calls stays
  reported, where the hang reaches every other caller. The same for every method of a command
  class of a command-line framework: a class whose base is named ``…Command`` and that declares
  its command-line options (``cmd_options`` of nikola's ``nikola theme -i``/``plugin -i``, read
  wrong blind nine times on the twenty-sixth set; ``add_arguments`` of a Django management
  command, ``get_parser`` of cliff, setuptools' ``user_options``, cleo's ``options``/``arguments``),
  or Django's ``BaseCommand`` with its ``handle``. A class of the command *pattern* (a CQRS
  ``CreateOrder(Command)`` a web request runs) declares no options and stays reported.
- **B006** on a function defined inside another function: its defaults are made each time the
  outer function runs the ``def`` (ddtrace's per-request ``receive_wrapped(once=[True])``), so
  state lives one outer call, by design; the bug B006 exists for is state shared by every caller.

Merged into ``ruff_refine.REFINERS`` by ``with_scope`` (or'd with a code's own judge). Pure
functions of (near, lines, finding); no state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from .registry import RawFinding
from .reparse import whole_module
from .ruff_judge_nodes import dotted, starts_at
from .ruff_refine_driven import or_into

Judge = Callable[[list[ast.AST], list[str], RawFinding], bool]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMMAND_DECORATORS = frozenset({"command", "group"})


def _functions_around(near: list[ast.AST], line: int) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions whose body holds ``line``, outermost first."""
    return sorted((node for node in near if isinstance(node, _FUNCTIONS)
                   and node.body and node.body[0].lineno <= line <= (node.end_lineno or node.lineno)),
                  key=lambda node: node.lineno)


_CLI_LIBRARIES = frozenset({"click", "typer", "rich_click", "asyncclick", "cloup"})


def in_cli_command(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """The finding's innermost function is a click/Typer command or group (in a module that
    imports one of those libraries: ``@bot.command()`` of a chat bot is no terminal)."""
    functions = _functions_around(near, finding.span.line)
    if not functions or not is_cli_command(functions[-1]):
        return False
    # A batch hands over only the statements around the finding: the imports are elsewhere.
    module = whole_module(next((node for node in near if isinstance(node, ast.Module)), None), lines)
    return module is not None and imports_cli(module)


def imports_cli(module: ast.Module) -> bool:
    for node in ast.walk(module):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in _CLI_LIBRARIES for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in _CLI_LIBRARIES:
            return True
    return False


def is_cli_command(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted(target) or ""
        parts = name.split(".")
        # ``@click.command``, ``@cli.command("x")``, ``@app.command()``; a bare ``@command`` only
        # when imported from click or typer is not checked here: the dotted forms are the common ones.
        if len(parts) >= 2 and parts[-1] in _COMMAND_DECORATORS:
            return True
    return False


_COMMAND_BASE = re.compile(r"class\s+\w+\s*\([^)]*Command")
_OPTION_METHODS = frozenset({"add_arguments", "add_options", "get_parser", "create_parser", "configure_parser"})
_OPTION_ATTRIBUTES = frozenset({"cmd_options", "user_options", "option_list", "options", "arguments"})
_OPTION_LISTS = frozenset({"cmd_options", "user_options", "option_list"})
"""Names only a command's option table has; ``options``/``arguments`` are common words, counted
only for a list of calls (cleo's ``options = [option("dry-run")]``), not a CQRS command's field."""


def _made_by_calls(value: ast.expr | None) -> bool:
    return (isinstance(value, (ast.List, ast.Tuple)) and bool(value.elts)
            and all(isinstance(element, ast.Call) for element in value.elts))


def in_command_class(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """The finding is in a method of a command-line command class (see the module docstring)."""
    if not any(line.startswith("class") and _COMMAND_BASE.match("".join(lines[number:number + 10]))
               for number, line in enumerate(lines)):
        return False  # cheap on the text: the batch's tree holds the method, not its class
    module = whole_module(next((node for node in near if isinstance(node, ast.Module)), None), lines)
    if module is None:
        return False
    owner = next((node for node in module.body if isinstance(node, ast.ClassDef)
                  and node.lineno <= finding.span.line <= (node.end_lineno or node.lineno)), None)
    if owner is None or not any(_functions_around([n for n in owner.body if isinstance(n, _FUNCTIONS)],
                                                  finding.span.line)):
        return False
    bases = [(dotted(base) or "").rsplit(".", 1)[-1] for base in owner.bases]
    if not any(base.endswith("Command") for base in bases):
        return False
    members = {n.name for n in owner.body if isinstance(n, _FUNCTIONS)}
    attributes = {t.id for n in owner.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                  for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)
                  and (t.id in _OPTION_LISTS or _made_by_calls(n.value))}
    return bool(members & _OPTION_METHODS or attributes & _OPTION_ATTRIBUTES
                or ("BaseCommand" in bases and "handle" in members))


def default_of_nested_def(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """The default belongs to a ``def`` inside another function's body."""
    for node in near:
        if not isinstance(node, _FUNCTIONS):
            continue
        arguments = node.args
        defaults = [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
        if any(starts_at(default, lines, finding.span.line, finding.span.column) for default in defaults):
            return any(isinstance(outer, _FUNCTIONS) and outer is not node and _holds(outer, node) for outer in near)
    return False


def _holds(outer: ast.AST, inner: ast.AST) -> bool:
    return any(child is inner for statement in getattr(outer, "body", []) for child in ast.walk(statement))


def _in_command(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    return in_cli_command(near, lines, finding) or in_command_class(near, lines, finding)


SCOPE_JUDGES: dict[str, Judge] = {"S113": _in_command, "B006": default_of_nested_def}


def with_scope(judges: dict[str, Judge]) -> dict[str, Judge]:
    """``judges`` with the scope judges above or'd into each code's own."""
    return or_into(judges, SCOPE_JUDGES)
