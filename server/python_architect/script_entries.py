"""The console-script modules a project declares: where its command-line entry points live.

Read from three places, as packaging tools read them: ``pyproject.toml`` (``[project.scripts]``,
``[project.gui-scripts]``, ``[tool.poetry.scripts]``), ``setup.cfg``'s ``[options.entry_points]``
``console_scripts`` / ``gui_scripts``, and the ``entry_points.txt`` of an ``*.egg-info`` or
``*.dist-info`` folder at the root or under ``src/`` (what ``pip install -e .`` of a ``setup.py``
project writes, and what an unpacked wheel carries). ``setup.py`` itself is never run. Each file is
a stranger's input: read bounded, only inside the root, and a file that does not parse adds
nothing (the pyproject loader reports its own errors).
"""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Any

from .root_paths import NotReadable, contained, read_bounded

_MAX_BYTES = 256 * 1024
_MAX_METADATA_FOLDERS = 8
"""A root with more ``*.egg-info`` folders than this is not a project's own checkout."""


def script_modules(pyproject: dict[str, Any]) -> tuple[str, ...]:
    """Modules named by console-script entry points in ``pyproject.toml`` (``pkg.cli:main`` -> ``pkg.cli``)."""
    tables: list[Any] = []
    project = pyproject.get("project")
    if isinstance(project, dict):
        tables += [project.get("scripts"), project.get("gui-scripts")]
    tool = pyproject.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("poetry"), dict):
        tables.append(tool["poetry"].get("scripts"))
    targets: list[Any] = []
    for table in tables:
        if isinstance(table, dict):
            targets += [t.get("reference", "") if isinstance(t, dict) else t for t in table.values()]
    return _modules(targets)


def declared_scripts(root: Path, pyproject: dict[str, Any] | None) -> tuple[str, ...]:
    """Every console-script module the project declares (see the module docstring), in order."""
    targets = list(script_modules(pyproject)) if pyproject else []
    setup_cfg = _read(root, root / "setup.cfg")
    if setup_cfg is not None:
        targets += _ini_targets(setup_cfg, "options.entry_points")
    for folder in _metadata_folders(root):
        text = _read(root, folder / "entry_points.txt")
        if text is not None:
            targets += _ini_targets(text, None)
    return _modules(targets)


def _ini_targets(text: str, section: str | None) -> list[str]:
    """``name = pkg.cli:main`` lines of the console/gui script groups: in ``setup.cfg`` a
    multi-line value of ``[options.entry_points]``, in ``entry_points.txt`` its own section."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    targets: list[str] = []
    for group in ("console_scripts", "gui_scripts"):
        if section is None:
            if parser.has_section(group):
                targets += [value for _, value in parser.items(group)]
        elif parser.has_option(section, group):
            for line in parser.get(section, group).splitlines():
                if "=" in line:
                    targets.append(line.split("=", 1)[1])
    return targets


def _metadata_folders(root: Path) -> list[Path]:
    found: list[Path] = []
    for parent in (root, root / "src"):
        try:
            found += sorted(p for p in parent.iterdir() if p.suffix in (".egg-info", ".dist-info"))
        except OSError:
            continue
    return found[:_MAX_METADATA_FOLDERS]


def _read(root: Path, path: Path) -> str | None:
    inside = contained(path, root)
    if inside is None or not inside.is_file():
        return None
    try:
        return read_bounded(inside, _MAX_BYTES).decode("utf-8", errors="replace")
    except (NotReadable, OSError):
        return None


def _modules(targets: list[Any]) -> tuple[str, ...]:
    modules: dict[str, None] = {}
    for target in targets:
        if isinstance(target, str):
            module = target.split(":", 1)[0].split("[", 1)[0].strip()
            if module:
                modules[module] = None
    return tuple(modules)
