"""S113 in a helper only a command-line command runs (issue 21, class "interactive-cli-command").

Owns one false-positive class of S113 (HTTP request without a timeout), read on spacy's
``cli/validate.py`` (``get_model_pkgs``, called only by ``validate``, called only by the
``spacy validate`` command) and localstack's ``opensearch/versions.py`` (``fetch_latest_versions``,
a maintainer's script called only from the module's main guard): the request sits in a top-level
function every one of whose callers in its own module is itself command-line code, so the person
at the terminal sees a hang and presses Ctrl-C, as for a request written in the command itself
(``ruff_refine_scope``). Command-line code is:

- a function decorated as a click/Typer command or group (``ruff_refine_scope.is_cli_command``) in
  a module that imports click/Typer or sits in a ``cli/`` or ``commands/`` folder (spacy's
  ``@app.command("validate")`` with ``app`` made by a sibling: a chat bot's ``@bot.command()`` is
  neither);
- a function that builds an ``ArgumentParser``, calls ``.parse_args(`` or reads ``sys.argv``
  (an argparse ``main``, chromadb's ``app``);
- the lines of ``if __name__ == "__main__":``;
- a top-level function that has callers in its module, all of them command-line code (followed
  through the module, cycles counting as not);
- in a command-line front end beside its library (a package ``<name>_cli`` or ``<name>cli`` next
  to the package ``<name>``: streamlink's ``streamlink_cli/utils/versioncheck.get_latest``, called
  through ``check_version`` from ``streamlink_cli/main.py`` only, read wrong blind on the
  twenty-fourth set), a top-level function with no caller in its module as well: the library
  does not import its front end, so only the command reaches it.

Stays reported (the twin): a helper with any other caller in the module (a library function, a
method, module-level code, a class body), one referred to without being called (handed on as a
callback: we cannot see who calls it), one listed in ``__all__``, one with no caller in its module
(a public function: spacy's ``get_latest_version`` keeps ``download.get_compatibility`` reported),
and one that a sibling module of the same folder imports by name and calls (read bounded, tests
excluded, never outside the workspace root; a re-export without a call, as a package
``__init__`` does, is no caller). Methods are not judged. Without a path (the file alone) only
the module is read.

``WORKSPACE_REFINERS`` is merged into ``ruff_refine.WORKSPACE_REFINERS``.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

from ..root_paths import NotReadable, contained, read_bounded
from .context import is_test_path
from .decoding import decode_source
from .registry import RawFinding
from .reparse import whole_module
from .ruff_refine_scope import imports_cli, is_cli_command

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_CLI_FOLDERS = frozenset({"cli", "clis", "commands", "cmd"})
_MAX_SIBLINGS = 200
_MAX_SIBLING_BYTES = 1_000_000


def s113_cli_only_helper(near: list[ast.AST], lines: list[str], finding: RawFinding,
                         where: tuple[Path, Path] | None) -> bool:
    """True when the request is in a top-level function that only command-line code calls."""
    # Cheap on the text first: most S113 sit in methods or in functions nothing in the module
    # calls, and the batch's tree is partial (``whole_module`` parses the file again).
    name, decorated = _top_level_def(lines, finding.span.line)
    if name is None:
        return False
    frontend = where is not None and _in_cli_frontend(where)
    word = re.compile(rf"\b{re.escape(name)}\b")
    if not decorated and not frontend and sum(1 for line in lines if word.search(line)) < 2 and not any(
            _READS_COMMAND_LINE.search(line) for line in lines):
        return False  # no caller in the module and no command line read: a library function
    module = whole_module(next((node for node in near if isinstance(node, ast.Module)), None), lines)
    if module is None:
        return False
    function = next((node for node in module.body if isinstance(node, _FUNCTIONS)
                     and node.lineno <= finding.span.line <= (node.end_lineno or node.lineno)), None)
    if function is None:
        return False
    facts = _ModuleFacts(module, cli_folder=where is not None and _in_cli_folder(where), frontend=frontend)
    if not facts.cli_only(function.name, frozenset()):
        return False
    # In a front end a sibling calling the helper is command-line code too.
    return where is None or facts.frontend or not _called_by_sibling(function.name, facts.cli_chain(function.name), where)


_READS_COMMAND_LINE = re.compile(r"\bargv\b|\bparse_(?:known_)?args\b|\bArgumentParser\b")
_DEF = re.compile(r"(?:async\s+)?def\s+(\w+)")


def _top_level_def(lines: list[str], line: int) -> tuple[str | None, bool]:
    """(the name of the top-level ``def`` whose body holds ``line``, whether a decorator sits on
    it), read on the text: the nearest line above that starts in column 0 (a closing bracket of a
    long signature and comments skipped). None when that is no ``def`` (a class, module level); a
    string starting in column 0 can mislead this only into None, which keeps the finding."""
    number = min(line, len(lines))
    while number >= 1:
        text = lines[number - 1]
        if text[:1] and not text[:1].isspace() and not text.startswith(("#", ")", "]", "}")):
            match = _DEF.match(text)
            if match is None:
                return None, False
            above = number - 1
            while above >= 1 and lines[above - 1].startswith(("@", "#", " ", "\t", ")")):
                if lines[above - 1].startswith("@"):
                    return match.group(1), True
                above -= 1
            return match.group(1), False
        number -= 1
    return None, False


class _ModuleFacts:
    """The top-level functions of one module and who refers to each of them."""

    def __init__(self, module: ast.Module, cli_folder: bool = False, frontend: bool = False) -> None:
        self.frontend = frontend
        """The module is in a command-line front end beside its library: a function nothing in
        the module calls is reached from the front end's other modules only."""
        self.functions = {node.name: node for node in module.body if isinstance(node, _FUNCTIONS)}
        self.uses_click = cli_folder or imports_cli(module)
        self.exported = _dunder_all(module)
        self.callers: dict[str, list[str | None]] = {name: [] for name in self.functions}
        """name -> the top-level function each reference sits in: ``"__main__"`` for the main
        guard, None for anything we cannot follow (module level, a class, a reference that is
        not a call)."""
        for statement in module.body:
            owner: str | None = statement.name if isinstance(statement, _FUNCTIONS) else None
            if _is_main_guard(statement):
                owner = "__main__"
            calls: set[int] = set()
            names: list[ast.Name] = []
            for node in ast.walk(statement):  # one walk: a 2,000-line module is judged per finding
                if isinstance(node, ast.Call):
                    calls.add(id(node.func))
                elif isinstance(node, ast.Name) and node.id in self.callers and isinstance(node.ctx, ast.Load):
                    names.append(node)
            for name in names:
                self.callers[name.id].append(owner if id(name) in calls else None)

    def is_command(self, name: str) -> bool:
        function = self.functions[name]
        return (self.uses_click and is_cli_command(function)) or _parses_arguments(function)

    def cli_only(self, name: str, seen: frozenset[str]) -> bool:
        """Only command-line code reaches ``name`` (see the module docstring)."""
        if name in self.exported or name in seen:
            return False
        if self.is_command(name):
            return True
        callers = self.callers.get(name, [])
        if not callers:
            return self.frontend
        return all(
            caller == "__main__" or (caller is not None and caller in self.functions
                                     and self.cli_only(caller, seen | {name}))
            for caller in callers)

    def cli_chain(self, name: str) -> set[str]:
        """``name`` and the helpers between it and the commands (the names a sibling could call)."""
        chain, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in chain or current not in self.functions or self.is_command(current):
                continue
            chain.add(current)
            todo += [caller for caller in self.callers.get(current, []) if caller and caller != "__main__"]
        return chain


def _in_cli_folder(where: tuple[Path, Path]) -> bool:
    """The file sits in a folder of command-line modules inside the root (spacy's ``cli/``, whose
    modules decorate with an ``app`` that a sibling made with Typer)."""
    path, root = where
    try:
        folders = path.parent.relative_to(root).parts
    except ValueError:
        return False
    return any(part.lstrip("_") in _CLI_FOLDERS for part in folders)


def _in_cli_frontend(where: tuple[Path, Path]) -> bool:
    """A folder of the file's path inside the root is ``<name>_cli`` (or ``<name>cli``) and a
    package ``<name>`` sits beside it: the command-line front end of a library."""
    path, root = where
    try:
        folders = path.parent.relative_to(root).parts
    except ValueError:
        return False
    parent = root
    for folder in folders:
        match = _FRONTEND.match(folder)
        if match is not None and (parent / match.group(1) / "__init__.py").is_file():
            return True
        parent = parent / folder
    return False


_FRONTEND = re.compile(r"^(\w+?)_?cli$")


def _dunder_all(module: ast.Module) -> frozenset[str]:
    names: set[str] = set()
    for statement in module.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else (
            [statement.target] if isinstance(statement, (ast.AugAssign, ast.AnnAssign)) else [])
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and statement.value is not None:
            names |= {n.value for n in ast.walk(statement.value)
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return frozenset(names)


def _is_main_guard(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.If) or not isinstance(statement.test, ast.Compare):
        return False
    sides = [statement.test.left, *statement.test.comparators]
    return (any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def _parses_arguments(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The function reads the command line: builds an ``ArgumentParser``, calls ``parse_args``,
    or reads ``sys.argv``."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            callee = node.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
            if name in {"ArgumentParser", "parse_args", "parse_known_args"}:
                return True
        if (isinstance(node, ast.Attribute) and node.attr == "argv"
                and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            return True
    return False


def _called_by_sibling(name: str, chain: set[str], where: tuple[Path, Path]) -> bool:
    """A non-test module of the same folder imports one of ``chain`` from this module by name
    and calls it."""
    path, root = where
    folder = contained(path.parent, root)
    if folder is None:
        return False
    siblings = sorted(p for p in folder.glob("*.py") if p.name != path.name)[:_MAX_SIBLINGS]
    for sibling in siblings:
        inside = contained(sibling, root)
        if inside is None or is_test_path(inside.name):
            continue
        try:
            stat = inside.stat()
        except OSError:
            continue
        called = _imported_and_called(str(inside), stat.st_mtime_ns, stat.st_size, path.stem)
        if called & (chain | {name}):
            return True
    return False


_FROM_IMPORT = re.compile(r"^\s*from\s+([.\w]+)\s+import\s+(\([^)]*\)|[^\n]*)", re.MULTILINE)


@lru_cache(maxsize=128)
def _imported_and_called(path: str, mtime_ns: int, size: int, stem: str) -> frozenset[str]:
    """The names a file imports from a module named ``stem`` and calls somewhere in its text.
    ``mtime_ns`` and ``size`` are part of the key so an edit is seen; an unreadable file: none."""
    try:
        text = decode_source(read_bounded(path, _MAX_SIBLING_BYTES, follow_symlinks=False))
    except (NotReadable, OSError):
        return frozenset()
    names: dict[str, str] = {}
    for match in _FROM_IMPORT.finditer(text):
        if match.group(1).rsplit(".", 1)[-1] != stem:
            continue
        for part in match.group(2).strip("()").replace("\n", ",").split(","):
            words = part.split("#", 1)[0].split()
            if words:
                names[words[-1]] = words[0]  # ``a as b``: the file calls ``b``, which is our ``a``
    return frozenset(name for local, name in names.items()
                     if re.search(rf"(?<![\w.]){re.escape(local)}\s*\(", text))


WORKSPACE_REFINERS = {"S113": s113_cli_only_helper}
"""code -> judge(near, lines, finding, (path, root)) (``ruff_refine`` merges these)."""
