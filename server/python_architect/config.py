"""Project configuration: the ``[tool.python-architect]`` table of the workspace's pyproject.toml.

Unknown keys and wrong types are reported as ``ConfigError`` values (the CLI exits 2 on them,
the server shows them once) instead of being silently ignored.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


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

    ruff: bool | tuple[str, ...] = True
    """Run the curated ruff families. ``false`` turns them off; a list trims them to those codes."""

    knowledge_dir: str = ".ai"
    """Where ADRs (``<dir>/adrs/*.md``) and the architecture documents live."""

    agents_dir: str = ".claude/agents"
    """Where agent definitions (``*.md``) live."""

    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per-check options, ``[tool.python-architect.options.ARC202] max-depth = 4``."""

    @property
    def ruff_enabled(self) -> bool:
        return self.ruff is not False


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(ProjectConfig)}


def _strings(value: Any, key: str, errors: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    errors.append(f"`{key}` must be a list of strings")
    return ()


def parse_project_config(table: dict[str, Any], path: Path) -> tuple[ProjectConfig, list[ConfigError]]:
    """Builds a config from the ``[tool.python-architect]`` table, collecting every problem."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = _KEYS.get(key)
        if name is None:
            known = ", ".join(sorted(_KEYS))
            problems.append(f"unknown key `{key}` in [tool.python-architect] (known: {known})")
            continue
        if name in ("src", "select", "ignore", "exclude"):
            values[name] = _strings(value, key, problems)
        elif name == "ruff":
            if isinstance(value, bool):
                values[name] = value
            else:
                values[name] = _strings(value, key, problems)
        elif name in ("knowledge_dir", "agents_dir"):
            if isinstance(value, str) and value:
                values[name] = value
            else:
                problems.append(f"`{key}` must be a non-empty string")
        elif name == "options":
            if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
                values[name] = {code.upper(): dict(opts) for code, opts in value.items()}
            else:
                problems.append("`options` must be a table of tables keyed by check code")
    return ProjectConfig(**values), [ConfigError(path, message) for message in problems]


def load_project_config(root: Path) -> tuple[ProjectConfig, list[ConfigError]]:
    """Reads ``root/pyproject.toml``; a missing file or table gives the defaults."""
    path = root / "pyproject.toml"
    try:
        raw = path.read_bytes()
    except OSError:
        return ProjectConfig(), []
    try:
        document = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or 1
        return ProjectConfig(), [ConfigError(path, f"pyproject.toml does not parse: {exc}", line)]
    table = document.get("tool", {}).get("python-architect")
    if table is None:
        return ProjectConfig(), []
    if not isinstance(table, dict):
        return ProjectConfig(), [ConfigError(path, "[tool.python-architect] must be a table")]
    return parse_project_config(table, path)


def code_selected(code: str, config: ProjectConfig, extra_select: tuple[str, ...] = (), extra_ignore: tuple[str, ...] = ()) -> bool:
    """Whether ``code`` is reported under select/ignore prefixes (ignore wins, longest match)."""
    select = extra_select or config.select
    ignore = extra_ignore + config.ignore
    if any(code.startswith(prefix) for prefix in ignore if prefix):
        return False
    if not select or "ALL" in select:
        return True
    return any(code.startswith(prefix) for prefix in select)
