"""Project configuration: the ``[tool.python-architect]`` table of the workspace's pyproject.toml.

Configuration cannot silently do nothing: unknown keys, wrong types, ``select``/``ignore``/``ruff``
entries that match no code, and unknown or ill-typed ``options`` (checked against each code's
option schema in ``python_architect.codes``, the same one ADR ``check`` rules are checked
against) are reported as ``ConfigError`` values on the real line of the key (the CLI exits 2
on them, the server shows them once), with a suggestion when one is close.

Also reads, outside the tool table, the console-script targets (``[project.scripts]`` and
friends) so checks can tell command-line entry points from library code.

``pyproject.toml`` is read only when it resolves inside the root (``root_paths``: a link out of
the root gives the defaults, with one log line) and only when it is a regular file of bounded size.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .codes import METADATA, metadata
from .codes.options import option_problems, suggestion
from .codes.ruff import CURATED
from .root_paths import NotReadable, contained, read_bounded
from .script_entries import declared_scripts

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

log = logging.getLogger(__name__)

MAX_CONFIG_BYTES = 4 << 20
"""A ``pyproject.toml`` larger than this (or a device, a FIFO) is a configuration error, not a
read without end."""


@dataclass(frozen=True)
class ConfigError:
    """A problem in the configuration, with the file it was found in."""

    path: Path
    message: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ProjectConfig:
    """Settings read from ``[tool.python-architect]``; every field has the default shown."""

    src: tuple[str, ...] = ()
    """Source roots, relative to the workspace root. Empty: ``src/`` when it exists, else the root."""

    select: tuple[str, ...] = ()
    """Codes or prefixes to report (``ARC1``, ``ARC101``, ``ASYNC``). Empty: every default check."""

    ignore: tuple[str, ...] = ()
    """Codes or prefixes never reported; wins over ``select``."""

    exclude: tuple[str, ...] = ()
    """Gitignore-style globs of files not to check, on top of ``.gitignore``."""

    include_vendored: bool = False
    """Check vendored third-party code too (``_vendor/``, ``third_party/``, ...: see
    ``workspace.files.VENDORED_DIRS``). Off: those files are skipped and said once."""

    include_generated: bool = False
    """Check generated code too (protoc's ``*_pb2.py``, files whose header says "DO NOT EDIT" or
    the like: see ``workspace.generated``). Off: those files are skipped and said once."""

    ruff: bool | tuple[str, ...] = True
    """Run the curated ruff families. ``false`` turns them off; a list trims them to those codes."""

    knowledge_dir: str = ".ai"
    """Where ADRs (``<dir>/adrs/*.md``) and the architecture documents live."""

    agents_dir: str = ".claude/agents"
    """Where agent definitions (``*.md``) live."""

    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per-check options, ``[tool.python-architect.options.ARC202] max-depth = 4``."""

    baseline: str | None = None
    """A baseline file (relative to the root): findings recorded in it are not reported."""

    scripts: tuple[str, ...] = ()
    """Console-script target modules from ``[project.scripts]`` etc. (not a key of the table)."""

    @property
    def ruff_enabled(self) -> bool:
        return self.ruff is not False


_DERIVED = frozenset({"scripts"})
_KEYS = {f.name.replace("_", "-"): f.name for f in fields(ProjectConfig) if f.name not in _DERIVED}
TABLE_KEYS = tuple(_KEYS)
"""The keys ``[tool.python-architect]`` accepts, in declaration order."""


def _strings(value: Any, key: str, errors: list[tuple[tuple[str, ...], str]]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    errors.append(((key,), f"`{key}` must be a list of strings"))
    return ()


def _code_problems(key: str, entries: tuple[str, ...], known: list[str], what: str,
                   more: Callable[[], Iterable[str]] | None = None) -> list[tuple[tuple[str, ...], str]]:
    """Entries of ``select``/``ignore``/``ruff`` that are a prefix of no code they could mean.
    ``more`` lists further codes (every rule the installed ruff knows, which an ADR ``ruff`` rule
    may ask for); it is only called when an entry matches none of ``known``."""
    problems = []
    for entry in entries:
        code = entry.strip().upper()
        if code == "ALL" and key != "ruff":
            continue
        if code and (any(k.startswith(code) for k in known) or metadata(code) is not None):
            continue
        if code and more is not None and any(k.startswith(code) for k in more()):
            continue
        problems.append(((key, entry), f"`{key}` entry `{entry}` matches no {what}{suggestion(code, known)}"))
    return problems


def parse_project_config(table: dict[str, Any], path: Path, text: str | None = None,
                         ruff_codes: Callable[[], Iterable[str]] | None = None) -> tuple[ProjectConfig, list[ConfigError]]:
    """Builds a config from the ``[tool.python-architect]`` table, collecting every problem, each
    on the line of its key when ``text`` (the pyproject source) is given. ``ruff_codes`` lists
    the rules the installed ruff knows (``select``/``ignore`` may name those an ADR asks for)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = _KEYS.get(key)
        if name is None:
            known = ", ".join(sorted(_KEYS))
            problems.append(((key,), f"unknown key `{key}` in [tool.python-architect]{suggestion(key, _KEYS)} (known: {known})"))
            continue
        if name in ("src", "select", "ignore", "exclude"):
            values[name] = _strings(value, key, problems)
            if name in ("select", "ignore"):
                problems += _code_problems(key, values[name], sorted(METADATA), "check code", ruff_codes)
        elif name in ("include_vendored", "include_generated"):
            if isinstance(value, bool):
                values[name] = value
            else:
                problems.append(((key,), f"`{key}` must be true or false"))
        elif name == "ruff":
            if isinstance(value, bool):
                values[name] = value
            else:
                values[name] = _strings(value, key, problems)
                problems += _code_problems(key, values[name], sorted(CURATED), "curated ruff code")
        elif name in ("knowledge_dir", "agents_dir", "baseline"):
            if isinstance(value, str) and value:
                values[name] = value
            else:
                problems.append(((key,), f"`{key}` must be a non-empty string"))
        elif name == "options":
            if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
                values[name] = {code.upper(): dict(opts) for code, opts in value.items()}
                problems += _options_problems(value)
            else:
                problems.append(((key,), "`options` must be a table of tables keyed by check code"))
    errors = [ConfigError(path, message, locate_key(text, where) if text else 1) for where, message in problems]
    return ProjectConfig(**values), errors


def _options_problems(options: dict[str, dict[str, Any]]) -> list[tuple[tuple[str, ...], str]]:
    problems: list[tuple[tuple[str, ...], str]] = []
    for code, table in options.items():
        info = metadata(code.upper())
        if info is None:
            problems.append((("options", code), f"options for unknown check `{code}`{suggestion(code.upper(), METADATA)}"))
            continue
        problems += [(("options", code, key), message) for key, message in option_problems(info, table)]
    return problems


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def _header_path(header: str) -> tuple[str, ...] | None:
    """``tool.python-architect.options."ARC202"`` -> ``("options", "ARC202")``; None elsewhere."""
    parts = [part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", header)]
    if parts[:2] != ["tool", "python-architect"]:
        return None
    return tuple(parts[2:])


def locate_key(text: str | None, where: tuple[str, ...]) -> int:
    """The 1-based line of a key inside ``[tool.python-architect]``. ``where`` is the key path
    (``("options", "ARC202", "max-depth")``) and may end in a list entry (``("select", "ARC9")``):
    the deepest part found wins (a table header, a ``key =`` line, an entry on a later line of a
    multi-line list or inline table), else the table's header line, else 1."""
    if not text:
        return 1
    lines = text.splitlines()
    for depth in range(len(where), 0, -1):
        found = _find_key(lines, where[:depth])
        if found is None:
            continue
        if depth == len(where):
            return found
        # The rest is inside the value: a later line of a multi-line list or inline table.
        entry = re.compile(rf"""["']{re.escape(where[-1])}["']|(?:^|[\s{{,]){re.escape(where[-1])}\s*=""")
        for number in range(found, len(lines) + 1):
            line = lines[number - 1]
            if number > found and (_HEADER.match(line) or re.match(r"^[\w\"'-]+\s*=", line)):
                break
            if entry.search(line):
                return number
        return found
    return _table_line(lines) or 1


def _find_key(lines: list[str], path: tuple[str, ...]) -> int | None:
    """A table header equal to ``path``, or a ``key =`` line in the table ``path[:-1]``."""
    key = re.compile(rf"""^\s*["']?{re.escape(path[-1])}["']?\s*=""")
    table: tuple[str, ...] | None = None
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header:
            table = _header_path(header.group(1))
            if table == path:
                return number
            continue
        if table is not None and table == path[:-1] and key.match(line):
            return number
    return None


def _table_line(lines: list[str]) -> int | None:
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header and _header_path(header.group(1)) == ():
            return number
    return None


def pyproject_text(root: Path) -> str | None:
    """The root ``pyproject.toml``'s text for readers other than the loader (None when it is
    missing, a link out of the root, or not a bounded regular file: the loader reports those)."""
    path = Path(root) / "pyproject.toml"
    if contained(path, root) is None:
        return None
    try:
        return read_bounded(path, MAX_CONFIG_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def load_project_config(root: Path, ruff_codes: Callable[[], Iterable[str]] | None = None) -> tuple[ProjectConfig, list[ConfigError]]:
    """Reads ``root/pyproject.toml``; a missing file or table gives the defaults. ``ruff_codes``:
    see ``parse_project_config`` (the engine passes the ruff bridge's list)."""
    path = root / "pyproject.toml"
    if contained(path, root) is None:  # discovery lists it as skipped: ``check`` says so once
        log.info("skipped %s: it resolves outside the workspace root", path)
        return ProjectConfig(), []
    try:
        raw = read_bounded(path, MAX_CONFIG_BYTES)
    except NotReadable as exc:
        return ProjectConfig(), [ConfigError(path, f"pyproject.toml is not read: {exc}")]
    except OSError:  # no pyproject.toml: a setup.cfg or an egg-info may still name the scripts
        return ProjectConfig(scripts=declared_scripts(root, None)), []
    text = raw.decode("utf-8", errors="replace")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or 1
        return ProjectConfig(), [ConfigError(path, f"pyproject.toml does not parse: {exc}", line)]
    scripts = declared_scripts(root, document)
    table = document.get("tool", {}).get("python-architect")
    if table is None:
        return ProjectConfig(scripts=scripts), []
    if not isinstance(table, dict):
        return ProjectConfig(scripts=scripts), [ConfigError(path, "[tool.python-architect] must be a table")]
    config, errors = parse_project_config(table, path, text, ruff_codes)
    errors += _missing_src(root, config.src, path, text)
    return replace(config, scripts=scripts), errors


def _missing_src(root: Path, src: tuple[str, ...], path: Path, text: str) -> list[ConfigError]:
    """A ``src`` entry that is not a folder of the workspace: a typo (``sorce``) would otherwise
    leave every module unnamed, and every layer and cycle finding would silently disappear. An
    entry that resolves outside the root (a planted link) is ``workspace.roots``' to skip and say,
    like every other path out of the root (SECURITY.md): not a configuration error."""
    errors = []
    for entry in src:
        folder = root / entry
        if contained(folder, root) is None:
            continue
        if not folder.is_dir():
            line = _line_naming(text, entry) or locate_key(text, ("src",))
            errors.append(ConfigError(path, f"`src` entry `{entry}` is not a folder of the workspace: no module "
                                            "under it is named, so layers and cycles would check nothing", line))
    return errors


def _line_naming(text: str, entry: str) -> int | None:
    """The line of the ``src`` value quoting ``entry`` (the list may span lines)."""
    start = locate_key(text, ("src",))
    lines = text.splitlines()
    for number in range(start, min(len(lines), start + 50) + 1):
        line = lines[number - 1]
        if f'"{entry}"' in line or f"'{entry}'" in line:
            return number
    return None


def code_selected(code: str, config: ProjectConfig, extra_select: tuple[str, ...] = (), extra_ignore: tuple[str, ...] = ()) -> bool:
    """Whether ``code`` is reported under select/ignore prefixes (ignore wins, longest match)."""
    select = extra_select or config.select
    ignore = extra_ignore + config.ignore
    if any(code.startswith(prefix) for prefix in ignore if prefix):
        return False
    if not select or "ALL" in select:
        return True
    return any(code.startswith(prefix) for prefix in select)
