"""Where a line of code runs: test code, a command-line entry point, or the application itself.

Owns the one answer to "is this test code / a script?" that every check and the finalizer use,
so no check guesses on its own:

- **test code**: files under a ``tests/``, ``test/``, ``testsuite/`` or ``testing/`` directory (``_testing/`` too),
  modules named for test support (``testing.py``, ``pytester.py``, ``mock.py``, ``fakes.py``...:
  ``TEST_SUPPORT_MODULES``), ``test_*.py``,
  ``*_test.py``, ``*_tests.py``, ``conftest.py``;
- **entry points**: ``__main__.py``, modules named as console-script targets in the project's
  ``pyproject.toml`` (``[project.scripts]``, ``[project.gui-scripts]``, ``[tool.poetry.scripts]``),
  ``setup.cfg`` or an egg-info/dist-info ``entry_points.txt`` (``script_entries``), and the lines of ``if __name__ == "__main__":`` blocks.

Which checks stay silent in which context is declared per check (``CONTEXT_DEFAULTS`` below,
overridable with the ``in-tests`` / ``in-scripts`` options of any check). Detection works on the
text lines, not the tree, so ruff's findings (which come without our parse) are judged the same
way as our own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from ..script_entries import script_modules  # noqa: F401  re-exported: the context's third source

TEST_DIRS = frozenset({"tests", "test", "testing", "mocks", "fakes", "testsuite", "testsuites", "test_suite",
                       "testutil", "testutils", "test_utils", "testing_utils", "test_helpers"})
"""``testsuite/`` (``pint/testsuite``) and its spellings are ``tests/`` by another name. ``testing/`` holds a package's test support (``sqlalchemy/testing``, ``prefect/testing``,
``celery/contrib/testing``): fixtures and assertion helpers that print, catch and fake on purpose;
``mocks/`` and ``fakes/`` hold test doubles; ``testutil/`` and its spellings hold test helpers
(``gluonts/testutil``: a client for a server the tests start). Matched after leading underscores
(``pandas/_testing/``)."""
TEST_SUPPORT_MODULES = frozenset(
    {"testing", "pytester", "mock", "mocks", "mocking", "fake", "fakes", "testutil", "testutils", "test_utils",
     "testing_utils", "test_helpers", "tests", "test"}
)
"""Module names (without ``.py`` and leading underscores) that say the module exists for tests
even when it ships inside the package: ``sklearn/utils/_testing.py``, ``sklearn/utils/_mocking.py``
(test doubles), ``_pytest/pytester.py`` (the plugin for testing plugins), ``flask/testing.py``,
``localstack/utils/testutil.py`` (requests to the emulator with test credentials), and a Django
app's ``tests.py`` (reviewboard's ``ssh/tests.py`` with its throwaway RSA key, read wrong blind on
the thirtieth set).
The whole name must match: ``mockup_parser.py`` or ``attestation.py`` only contain the word."""
_MAIN_GUARD = re.compile(r"""^if\s+(?:__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__)\s*:""")

# Checks whose premise does not hold in test code or in a command-line entry point. A test
# catches everything, prints, sleeps, builds SQL and hard-codes fake keys on purpose; a CLI's
# output *is* its prints, and its top level reports any error to the user instead of a traceback.
SILENT_IN_TESTS = frozenset(
    {
        "ARC201", "ARC202", "ARC203", "ARC301", "ARC302", "ARC402", "ARC502",
        "BLE001", "S110", "T201", "G004", "TRY400", "S311", "S608", "S301", "S307", "S113",
        "S501", "S602", "S604", "B006", "B019", "RUF006",
        "ASYNC109", "ASYNC110", "ASYNC115", "ASYNC116", "ASYNC230", "ASYNC240", "ASYNC251",
        # A blocking call in an async test stalls only that test's own loop, which serves no one
        # else (google-genai's ``tests/``: a sync ``client.close()`` in a test's ``finally``).
        "ASYNC210", "ASYNC211", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC250",
    }
)
SILENT_IN_SCRIPTS = frozenset({"T201", "BLE001", "TRY400", "G004", "S602", "S604", "S113"})
CONTEXT_OPTIONS = ("in-tests", "in-scripts")
"""Options every check accepts: ``in-tests = true`` reports it in test code too, and so on."""


@dataclass(frozen=True)
class FileContext:
    """What kind of code a file holds, and which of its lines only run as a script."""

    is_test: bool = False
    is_entry_point: bool = False
    """The whole file is a command-line entry point (``__main__.py`` or a console-script module)."""
    script_blocks: tuple[tuple[int, int], ...] = ()
    """1-based inclusive line ranges of ``if __name__ == "__main__":`` blocks."""

    def in_script(self, line: int) -> bool:
        return self.is_entry_point or any(start <= line <= end for start, end in self.script_blocks)

    def contexts_at(self, line: int) -> tuple[str, ...]:
        """``"tests"`` and/or ``"scripts"`` for a line of this file."""
        found = []
        if self.is_test:
            found.append("tests")
        if self.in_script(line):
            found.append("scripts")
        return tuple(found)


def is_test_path(relative: PurePosixPath | Path | str) -> bool:
    """Test code by path alone (``relative`` to the workspace root)."""
    parts = PurePosixPath(str(relative).replace("\\", "/")).parts
    if not parts:
        return False
    name = parts[-1]
    if (name == "conftest.py" or (name.startswith("test_") and name.endswith(".py"))
            or name.endswith(("_test.py", "_tests.py"))):  # ``integration_tests.py`` (apache-beam)
        return True
    if name.endswith((".py", ".pyi")) and name.rsplit(".", 1)[0].lstrip("_") in TEST_SUPPORT_MODULES:
        return True
    return any(part.lstrip("_") in TEST_DIRS for part in parts[:-1])


def script_blocks(lines: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Line ranges of top-level ``if __name__ == "__main__":`` blocks (the ``if`` line included).

    A block ends before the next non-blank line that starts in column 0 (comments too: a
    top-level comment after the block belongs to what follows).
    """
    lines = lines if isinstance(lines, list) else list(lines)
    # Most files have no guard: find the candidates with one cheap test per line before the
    # line-by-line walk (this runs on every keystroke).
    starts = [number for number, line in enumerate(lines, 1) if line.startswith("if") and _MAIN_GUARD.match(line)]
    blocks: list[tuple[int, int]] = []
    for start in starts:
        if blocks and start <= blocks[-1][1]:
            continue
        last = start
        for number in range(start + 1, len(lines) + 1):
            line = lines[number - 1]
            if line.strip():
                if not line[:1].isspace():
                    break
                last = number
        blocks.append((start, last))
    return tuple(blocks)


def file_context(path: Path, root: Path, module: str | None, lines: list[str] | None,
                 scripts: Iterable[str] = ()) -> FileContext:
    """The context of one file; ``scripts`` are the console-script modules of the project."""
    is_test, entry = _path_context(Path(path), Path(root), module, tuple(scripts))
    if not is_test and lines:
        is_test = any(line.startswith(_PYTEST_IMPORTS) for line in lines)
    blocks = script_blocks(lines) if lines and not entry else ()
    return FileContext(is_test=is_test, is_entry_point=entry, script_blocks=blocks)


_PYTEST_IMPORTS = ("import pytest", "from pytest import", "import _pytest", "from _pytest")
"""A module importing pytest at its top level is test code wherever it lives: a conformance suite
a package ships for its backends (pydantic-ai's ``workspaces/conformance.py``), a plugin, fixtures."""


@lru_cache(maxsize=4096)
def relative_to_root(path: Path, root: Path) -> str | None:
    """``path`` relative to ``root`` as a posix string, None when it lies outside. Both are nearly
    always absolute and resolved already (the engine resolves the root and discovery walks from
    it), so a comparison of the names answers; only a path that is not textually under the root is
    resolved (a resolve stats every folder on the way: it was ~5% of a cold check on Django)."""
    if path.is_absolute() and root.is_absolute():
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None


@lru_cache(maxsize=4096)
def _path_context(path: Path, root: Path, module: str | None, scripts: tuple[str, ...]) -> tuple[bool, bool]:
    """(test code, entry point) by path, remembered: the editor asks on every keystroke."""
    inside = relative_to_root(path, root)
    relative = PurePosixPath(inside if inside is not None else path.name)
    entry = (relative.name == "__main__.py" or _is_script_module(relative, module, scripts)
             or is_example_path(relative))
    return is_test_path(relative) or is_benchmark_path(relative), entry


EXAMPLE_DIRS = frozenset({"example", "examples", "example_dags", "tutorials"})
"""Folders of example programs a package ships as documentation (``airflow/example_dags``): run by
hand like a script, so the script-only codes (a request's timeout, ``print``) keep quiet there."""
BENCHMARK_DIRS = frozenset({"bench", "benchmarks", "asv_bench"})
"""Folders of benchmark harnesses (``falcon/bench``): developer-run code that exercises the package
with made-up input, like its tests (an ``eval`` picking a factory by a name from ``argparse``
choices, random data, prints), so they keep the test-code context, not only a script's."""


def is_example_path(relative: PurePosixPath) -> bool:
    return any(part in EXAMPLE_DIRS or part.endswith("_examples") for part in relative.parts[:-1])


def is_benchmark_path(relative: PurePosixPath) -> bool:
    return any(part in BENCHMARK_DIRS for part in relative.parts[:-1])


def _is_script_module(relative: PurePosixPath, module: str | None, scripts: Iterable[str]) -> bool:
    """The file is a console-script target: by module name, else by its path ending in the
    module's dotted path (``src/pkg/cli.py`` for ``pkg.cli``: source roots are not known here)."""
    if module is not None:
        return module in set(scripts)
    dotted = ".".join(relative.with_suffix("").parts)
    dotted = dotted.removesuffix(".__init__")
    return any(dotted == target or dotted.endswith("." + target) for target in scripts)


def silent_here(code: str, context: FileContext, line: int, options: Mapping[str, Any]) -> bool:
    """Whether ``code`` keeps quiet on ``line`` of a file in ``context`` (options may re-enable it)."""
    if context.is_test and not options.get("in-tests", code not in SILENT_IN_TESTS):
        return True
    return context.in_script(line) and not options.get("in-scripts", code not in SILENT_IN_SCRIPTS)
