"""import-linter's configuration, read where ``lint-imports`` reads it: ``setup.cfg``, then
``.importlinter`` (INI files with an ``[importlinter]`` section), then ``pyproject.toml``
(``[tool.importlinter]`` with a ``contracts`` array of tables). The first file that has the
section wins, as in ``lint-imports``.

Owns the parsed model (``ContractsConfig``: session options and one ``ContractSpec`` per
contract, each with the 1-based line of its section so findings can cite it) and the problems
found while reading (``ConfigProblem``, with file and line). Enforcement lives in
``workspace.contracts``; nothing here looks at code. Option values keep import-linter's raw
shapes: a string, or a list of strings (INI multi-line values, TOML arrays).
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..root_paths import NotReadable, read_bounded

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

Value = str | list[str]

CONFIG_FILES = ("setup.cfg", ".importlinter", "pyproject.toml")
"""Where ``lint-imports`` looks, in its order (INI readers before the TOML reader)."""
BUILT_IN_TYPES = ("forbidden", "layers", "independence", "protected", "acyclic_siblings")
"""The contract types enforced here; ``private_modules`` and custom types are reported as such."""
_LIMIT = 1_000_000
_SECTION = "importlinter"


@dataclass(frozen=True)
class ConfigProblem:
    """Something in the configuration that would make a contract mean nothing or fail."""

    path: Path
    line: int
    message: str


@dataclass
class ContractSpec:
    """One contract: ``id`` is the section name after ``importlinter:contract:`` (TOML: its
    ``id`` key, else its position), ``line`` the line its section starts on."""

    id: str
    name: str
    type: str
    options: dict[str, Value]
    path: Path
    line: int

    def value(self, key: str, default: Value | None = None) -> Value | None:
        return self.options.get(key, default)

    def values(self, key: str) -> list[str]:
        """A multi-valued option as import-linter reads it: blank lines dropped, a single value
        treated as a one-item list."""
        raw = self.options.get(key)
        if raw is None:
            return []
        items = raw if isinstance(raw, list) else [raw]
        return [item.strip() for item in items if item.strip()]

    def flag(self, key: str, default: bool = False) -> bool:
        raw = self.options.get(key)
        if raw is None:
            return default
        return str(raw).strip().lower() == "true"


@dataclass
class ContractsConfig:
    path: Path
    line: int
    root_packages: list[str]
    include_external_packages: bool = False
    exclude_type_checking_imports: bool = False
    contracts: list[ContractSpec] = field(default_factory=list)
    problems: list[ConfigProblem] = field(default_factory=list)

    def relative(self, root: Path) -> str:
        try:
            return self.path.relative_to(root).as_posix()
        except ValueError:
            return self.path.name


def load_contracts_config(root: Path) -> ContractsConfig | None:
    """The first configuration ``lint-imports`` would use at ``root``, or None when there is none.

    A file that cannot be read or parsed while it plainly means to configure import-linter
    yields a config with no contracts and the problem, never silence."""
    for name in CONFIG_FILES:
        path = root / name
        try:
            text = read_bounded(path, _LIMIT).decode("utf-8", errors="replace")
        except FileNotFoundError:
            continue
        except (NotReadable, OSError) as exc:
            if name == ".importlinter":
                return _broken(path, 1, f"{name} could not be read: {exc}")
            continue
        parsed = parse_toml(path, text) if name == "pyproject.toml" else parse_ini(path, text)
        if parsed is not None:
            return parsed
    return None


def _broken(path: Path, line: int, message: str) -> ContractsConfig:
    return ContractsConfig(path=path, line=line, root_packages=[], problems=[ConfigProblem(path, line, message)])


# --- INI (setup.cfg, .importlinter) ------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[([^\]]+)\]")


def _section_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match:
            lines.setdefault(match.group(1).strip(), number)
    return lines


def parse_ini(path: Path, text: str) -> ContractsConfig | None:
    if f"[{_SECTION}" not in text:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None) or 1
        return _broken(path, int(line), f"{path.name} does not parse: {str(exc).splitlines()[0]}")
    if _SECTION not in parser.sections():
        return None
    section_lines = _section_lines(text)
    session = {key: _ini_value(value) for key, value in parser[_SECTION].items()}
    config = _session(path, section_lines.get(_SECTION, 1), session)
    for section in parser.sections():
        if not section.startswith(f"{_SECTION}:"):
            continue
        options = {key: _ini_value(value) for key, value in parser[section].items()}
        line = section_lines.get(section, 1)
        _add_contract(config, section.split(":")[-1], options, line)
    return config


def _ini_value(value: str) -> Value:
    return value.strip().split("\n") if "\n" in value else value


# --- TOML (pyproject.toml) ------------------------------------------------------------------

def parse_toml(path: Path, text: str) -> ContractsConfig | None:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if "[tool.importlinter" not in text:
            return None
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))  # "at end of document"
        return _broken(path, line, f"{path.name} does not parse: {exc}")
    tool = document.get("tool")
    session = tool.get(_SECTION) if isinstance(tool, dict) else None
    if not isinstance(session, dict) or not session:
        return None
    session = dict(session)
    contracts = session.pop("contracts", [])
    header = _toml_line(text, r"^\s*\[tool\.importlinter\]")
    config = _session(path, header, {k: _toml_value(v) for k, v in session.items()})
    starts = [number for number, line in enumerate(text.splitlines(), start=1)
              if re.match(r"^\s*\[\[tool\.importlinter\.contracts\]\]", line)]
    if not isinstance(contracts, list):
        config.problems.append(ConfigProblem(path, header, "`contracts` must be an array of tables"))
        return config
    for position, contract in enumerate(contracts):
        line = starts[position] if position < len(starts) else header
        if not isinstance(contract, dict):
            config.problems.append(ConfigProblem(path, line, "a contract must be a table"))
            continue
        options = {k: _toml_value(v) for k, v in contract.items()}
        _add_contract(config, str(options.pop("id", "") or position), options, line)
    return config


def _toml_line(text: str, pattern: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line):
            return number
    return 1


def _toml_value(value: object) -> Value:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


# --- shared ----------------------------------------------------------------------------------

def _session(path: Path, line: int, options: dict[str, Value]) -> ContractsConfig:
    roots = options.get("root_packages")
    names = ([roots] if isinstance(roots, str) else list(roots)) if roots is not None else []
    single = options.get("root_package")
    if not names and isinstance(single, str):
        names = [single]
    names = [name.strip() for name in names if name.strip()]
    config = ContractsConfig(
        path=path, line=line, root_packages=names,
        include_external_packages=str(options.get("include_external_packages", "")).lower() == "true",
        exclude_type_checking_imports=str(options.get("exclude_type_checking_imports", "")).lower() == "true",
    )
    if not names:
        config.problems.append(ConfigProblem(path, line, "[importlinter] names no root_package or root_packages: no contract can be checked"))
    return config


def _add_contract(config: ContractsConfig, contract_id: str, options: dict[str, Value], line: int) -> None:
    name = options.pop("name", contract_id)
    kind = options.pop("type", "")
    if not isinstance(name, str):
        name = " ".join(name)
    if not isinstance(kind, str) or not kind.strip():
        config.problems.append(ConfigProblem(config.path, line, f"contract `{contract_id}` has no `type`"))
        return
    config.contracts.append(ContractSpec(id=contract_id, name=name, type=kind.strip(), options=options,
                                         path=config.path, line=line))
