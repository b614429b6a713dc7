"""Tach's ``tach.toml`` read as-is into ``TachConfig``: what ``workspace.tach_check`` needs to judge
every import the way ``tach check`` (0.35) does. Owns the reading and the list of what is not read.

What is read (semantics from Tach's ``src/checks`` and ``src/config``, confirmed by running it):
- ``source_roots`` (default ``["."]``): module paths are dotted names under them; when
  ``[tool.python-architect] src`` is not set they are the workspace's source roots
  (``tach_source_roots``, used by ``workspace.roots``);
- ``exclude``: gitignore-style globs from the project root (Tach feeds them to ripgrep's
  overrides); files they match are not checked. No default: Tach excludes nothing unless told;
- ``[[modules]]`` (``path`` or ``paths``): ``depends_on`` (strings, ``{path, deprecated}``, globs
  ``a.*``/``a.**``; absent = anything goes), ``cannot_depend_on`` (wins over ``depends_on``),
  ``layer``, ``utility``, ``unchecked`` (its own imports are not checked), ``visibility`` (which
  modules may declare a dependency on it: a configuration error otherwise, as in Tach);
- ``layers`` (names or ``{name, closed}``): a higher layer may import a lower one unconditionally,
  a lower one never a higher one, and nothing may import across a ``closed`` layer;
- ``[[interfaces]]``: ``expose`` and ``from`` are regexes matched whole; an import of a member of
  a ``from`` module that no visible interface exposes is private (``visibility``, ``exclusive``);
- ``root_module`` (``ignore`` default, ``allow``, ``dependenciesonly``, ``forbid``) and ``<root>``;
- ``ignore_type_checking_imports`` (default true), ``rules.local_imports`` (error/warn/off).

- ``exact``: a declared dependency no import uses is an error; ``forbid_circular_dependencies``:
  modules whose declared dependencies form a cycle are an error (both on the module's line).

Not read (one ARC006 warning each, on its line, never silence): ``include_string_imports``,
``plugins``, glob module ``path`` definitions, interface ``data_types``, an interface regex that
could backtrack for ever in Python's ``re`` (``safe_regex``), and ``tach.domain.toml`` files
(``workspace.tach_findings`` warns on each), ``rules.unused_ignore_directives`` and
``rules.require_ignore_directive_reasons``. ``# tach-ignore`` comments are honoured
(``workspace.tach_findings``).
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..root_paths import NotReadable, read_bounded
from .globs import GlobSpec
from .importlinter_config import ConfigProblem
from .safe_regex import unsafe_regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE_NAME = "tach.toml"
ROOT = "<root>"
ROOT_MODES = ("ignore", "allow", "dependenciesonly", "forbid")
_LIMIT = 1_000_000
_NOT_READ = {
    "include_string_imports": "imports written as strings are not checked",
    "plugins": "framework plugins (Django foreign keys) are not read",
}


@functools.lru_cache(maxsize=4096)
def module_glob(pattern: str) -> re.Pattern[str] | None:
    """Tach's module globs (``a.*`` one segment, ``a.**`` any depth) as a regex; None for a plain path."""
    if "*" not in pattern:
        return None
    parts = []
    for segment in pattern.split("."):
        if segment == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        else:
            parts.append("[^.]*".join(re.escape(piece) for piece in segment.split("*")))
    return re.compile(r"\.".join(parts))


@dataclass(frozen=True)
class TachDependency:
    path: str
    deprecated: bool = False

    def matches(self, module: str) -> bool:
        glob = module_glob(self.path)
        return glob.fullmatch(module) is not None if glob else self.path == module


@dataclass(frozen=True)
class TachModule:
    path: str
    line: int
    depends_on: tuple[TachDependency, ...] | None = None
    cannot_depend_on: tuple[TachDependency, ...] = ()
    layer: str | None = None
    utility: bool = False
    unchecked: bool = False
    visibility: tuple[str, ...] | None = None

    def allows(self, module: str) -> TachDependency | None:
        return next((d for d in self.depends_on or () if d.matches(module)), None)

    def forbids(self, module: str) -> bool:
        return any(d.matches(module) for d in self.cannot_depend_on)


@dataclass(frozen=True)
class TachInterface:
    line: int
    expose: tuple[re.Pattern[str], ...]
    from_modules: tuple[re.Pattern[str], ...]
    visibility: tuple[str, ...] | None = None
    exclusive: bool = False

    def adopted_by(self, module: str) -> bool:
        return any(p.fullmatch(module) for p in self.from_modules)

    def exposes(self, member: str) -> bool:
        return any(p.fullmatch(member) for p in self.expose)

    def visible_to(self, module: str) -> bool:
        return self.visibility is None or module in self.visibility


@dataclass
class TachConfig:
    path: Path
    line: int
    modules: dict[str, TachModule] = field(default_factory=dict)
    interfaces: list[TachInterface] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    closed_layers: frozenset[str] = frozenset()
    layers_line: int = 1
    exclude: GlobSpec = field(default_factory=lambda: GlobSpec([]))
    source_roots: tuple[str, ...] = ()
    """As written; () when the key is absent (Tach then reads ``["."]``)."""
    root_module: str = "ignore"
    ignore_type_checking_imports: bool = True
    local_imports: str = "error"
    exact: bool = False
    forbid_cycles: bool = False
    """``forbid_circular_dependencies`` (judged in ``workspace.tach_findings``)."""
    problems: list[ConfigProblem] = field(default_factory=list)
    errors: list[ConfigProblem] = field(default_factory=list)
    """Configuration errors ``tach check`` stops on (visibility, ``<root>`` where forbidden)."""


def load_tach_config(root: Path) -> TachConfig | None:
    """``tach.toml`` at ``root``, or None when there is none."""
    path = root / FILE_NAME
    try:
        text = read_bounded(path, _LIMIT).decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except (NotReadable, OSError) as exc:
        return TachConfig(path, 1, problems=[ConfigProblem(path, 1, f"{FILE_NAME} could not be read: {exc}")])
    return parse_tach(path, text)


def tach_source_roots(root: Path) -> tuple[str, ...]:
    """``source_roots`` of the ``tach.toml`` at ``root`` as written; () without one (or without the key)."""
    try:
        document = tomllib.loads(read_bounded(root / FILE_NAME, _LIMIT).decode("utf-8", errors="replace"))
    except (OSError, NotReadable, tomllib.TOMLDecodeError, ValueError):
        return ()
    roots = document.get("source_roots")
    return tuple(r for r in roots if isinstance(r, str)) if isinstance(roots, list) else ()


def _line(text: str, pattern: str, default: int = 1) -> int:
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else default


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _dependencies(value: Any) -> tuple[TachDependency, ...]:
    found = []
    for entry in value if isinstance(value, list) else ():
        if isinstance(entry, str):
            found.append(TachDependency(entry))
        elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
            found.append(TachDependency(entry["path"], entry.get("deprecated") is True))
    return tuple(found)


def _regexes(patterns: tuple[str, ...], config: TachConfig, line: int) -> tuple[re.Pattern[str], ...]:
    # A shipped tach.toml is a stranger's input: a pattern Python's backtracking ``re`` could
    # spend minutes on (Tach's Rust regex cannot) is skipped with a word, never run.
    compiled = []
    for pattern in patterns:
        reason = unsafe_regex(pattern)
        if reason is None:
            try:
                compiled.append(re.compile(pattern))
                continue
            except re.error as exc:  # pragma: no cover - unsafe_regex parsed it already
                reason = str(exc)
        config.problems.append(ConfigProblem(config.path, line, f"interface pattern `{pattern}` is skipped: {reason}"))
    return tuple(compiled)


def parse_tach(path: Path, text: str) -> TachConfig:
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        return TachConfig(path, line, problems=[ConfigProblem(path, line, f"{FILE_NAME} does not parse: {exc}")])
    config = TachConfig(path, _line(text, r"^[ \t]*\[\[\s*modules\s*\]\]"),
                        ignore_type_checking_imports=document.get("ignore_type_checking_imports", True) is not False)
    _read_settings(config, document, text)
    _read_modules(config, document, text)
    _read_layers(config, document, text)
    _read_interfaces(config, document, text)
    _check_visibility(config, text)
    _check_root_references(config, text)
    config.forbid_cycles = document.get("forbid_circular_dependencies") is True
    return config


def _read_settings(config: TachConfig, document: dict[str, Any], text: str) -> None:
    path = config.path
    config.source_roots = _strings(document.get("source_roots"))
    line = _line(text, r"^[ \t]*exclude\s*=")
    config.exclude = GlobSpec.from_lines(
        _strings(document.get("exclude")), gitignore=True,
        on_error=lambda pattern, why: config.problems.append(
            ConfigProblem(path, line, f"exclude pattern `{pattern}` is not used: {why}")))
    mode = document.get("root_module", "ignore")
    if mode in ROOT_MODES:
        config.root_module = mode
    else:
        config.problems.append(ConfigProblem(path, _line(text, r"^[ \t]*root_module\s*="),
                                             f"root_module `{mode}` is not one of {', '.join(ROOT_MODES)}: read as `ignore`"))
    rules = document.get("rules")
    local = rules.get("local_imports", "error") if isinstance(rules, dict) else "error"
    config.local_imports = local if local in ("error", "warn", "off") else "error"
    for rule in ("unused_ignore_directives", "require_ignore_directive_reasons"):
        if isinstance(rules, dict) and rules.get(rule) in ("error", "warn"):
            config.problems.append(ConfigProblem(path, _line(text, rf"^[ \t]*{rule}\s*="),
                                                 f"`rules.{rule}` is not read: `# tach-ignore` directives are not themselves checked"))
    config.exact = document.get("exact") is True
    for key, why in _NOT_READ.items():
        if document.get(key) not in (None, False, [], {}):
            config.problems.append(ConfigProblem(path, _line(text, rf"^[ \t]*\[?{key}\]?\s*=?"), f"`{key}` is not read: {why}"))


_QUOTED = re.compile(r"""["']([^"'\n]*)["']""")


def _path_lines(text: str) -> dict[str, int]:
    """Each module path named by a ``path = "..."`` or inside a ``paths = [...]`` array -> the line
    that names it first: one pass over the text, however many modules there are."""
    lines: dict[str, int] = {}
    in_paths = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.split("#", 1)[0]
        starts = re.match(r"[ \t]*(paths?)\s*=", stripped)
        if starts or in_paths:
            for name in _QUOTED.findall(stripped):
                lines.setdefault(name, number)
            if starts and starts.group(1) == "paths":
                in_paths = "]" not in stripped
            elif in_paths and "]" in stripped:
                in_paths = False
    return lines


def _read_modules(config: TachConfig, document: dict[str, Any], text: str) -> None:
    entries = document.get("modules")
    lines = _path_lines(text)
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        names = [entry["path"]] if isinstance(entry.get("path"), str) else list(_strings(entry.get("paths")))
        for name in names:
            line = lines.get(name, config.line)
            if "*" in name:
                config.problems.append(ConfigProblem(config.path, line, f"module path `{name}` is a glob: glob module definitions are not read"))
                continue
            visibility = entry.get("visibility")
            config.modules[name] = TachModule(
                path=name, line=line,
                depends_on=_dependencies(entry["depends_on"]) if isinstance(entry.get("depends_on"), list) else None,
                cannot_depend_on=_dependencies(entry.get("cannot_depend_on")),
                layer=entry["layer"] if isinstance(entry.get("layer"), str) else None,
                utility=entry.get("utility") is True, unchecked=entry.get("unchecked") is True,
                visibility=_strings(visibility) if isinstance(visibility, list) else None)


def _read_layers(config: TachConfig, document: dict[str, Any], text: str) -> None:
    layers = document.get("layers")
    config.layers_line = _line(text, r"^[ \t]*(layers\s*=|\[\[\s*layers\s*\]\])")
    closed = set()
    for layer in layers if isinstance(layers, list) else ():
        if isinstance(layer, dict) and isinstance(layer.get("name"), str):
            config.layers.append(layer["name"])
            if layer.get("closed") is True:
                closed.add(layer["name"])
        elif isinstance(layer, str):
            config.layers.append(layer)
    config.closed_layers = frozenset(closed)
    for module in config.modules.values():
        if module.layer is not None and module.layer not in config.layers:
            config.problems.append(ConfigProblem(config.path, module.line, f"`{module.path}`'s layer `{module.layer}` is not in `layers`: its layer is not checked"))


def _read_interfaces(config: TachConfig, document: dict[str, Any], text: str) -> None:
    starts = [m.start() for m in re.finditer(r"^[ \t]*\[\[\s*interfaces\s*\]\]", text, re.MULTILINE)]
    entries = document.get("interfaces")
    for position, entry in enumerate(entries if isinstance(entries, list) else ()):
        if not isinstance(entry, dict):
            continue
        line = text.count("\n", 0, starts[position]) + 1 if position < len(starts) else 1
        visibility = entry.get("visibility")
        from_modules = _strings(entry.get("from")) if "from" in entry else (".*",)
        config.interfaces.append(TachInterface(
            line=line, expose=_regexes(_strings(entry.get("expose")), config, line),
            from_modules=_regexes(from_modules, config, line),
            visibility=_strings(visibility) if isinstance(visibility, list) else None,
            exclusive=entry.get("exclusive") is True))
        if entry.get("data_types") not in (None, "all"):
            config.problems.append(ConfigProblem(config.path, line, "interface `data_types` is not read: every exposed member is allowed"))


def _check_visibility(config: TachConfig, text: str) -> None:
    """A dependency declared on a module whose ``visibility`` leaves the declaring module out:
    Tach refuses the whole configuration; here it is an error on the declaring module's line."""
    for module in config.modules.values():
        for dependency in module.depends_on or ():
            target = config.modules.get(dependency.path)
            if target is None or target.visibility is None:
                continue
            if not any((module_glob(p) or re.compile(re.escape(p))).fullmatch(module.path) for p in target.visibility):
                config.errors.append(ConfigProblem(
                    config.path, module.line,
                    f"`{module.path}` cannot depend on `{target.path}`: `{module.path}` is not in its visibility "
                    f"{list(target.visibility)} (tach.toml `visibility`)"))


def _check_root_references(config: TachConfig, text: str) -> None:
    if config.root_module not in ("dependenciesonly", "forbid"):
        return
    for module in config.modules.values():
        listed = any(d.path == ROOT for d in (module.depends_on or ()))
        if listed or (config.root_module == "forbid" and module.path == ROOT):
            config.errors.append(ConfigProblem(
                config.path, module.line,
                f"root_module = \"{config.root_module}\" forbids `<root>` in "
                + ("the module configuration" if module.path == ROOT else f"`{module.path}`'s depends_on")))

