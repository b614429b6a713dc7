"""Tach's ``tach.toml`` read into import-linter contracts, so the same engine
(``workspace.contracts``) enforces it and the same findings (ARC101/ARC102) report it.

What is read (direct imports only, as ``tach check`` judges them):
- each ``[[modules]]`` with a ``depends_on`` list: a ``forbidden`` contract from the module to every
  other declared module it does not list (``utility = true`` modules, its own ancestors and
  descendants are never forbidden; a ``{path = ..., deprecated = true}`` entry still allows);
  a module without ``depends_on`` may import anything, as in Tach;
- ``layers = [top, ..., bottom]`` with each module's ``layer``: per layered module, a ``forbidden``
  contract (direct imports) against the modules of every higher layer;
- ``ignore_type_checking_imports`` (Tach's default: true).

Not read (reported as one ARC006 warning each, never silence): ``[[interfaces]]`` (write an ADR
``kind: interface`` rule) and ``<root>`` in ``depends_on``. Contract ids are ``tach:<module>``
and ``tach:layers:<module>``; each carries the line of its table so findings can cite it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from ..root_paths import NotReadable, read_bounded
from .importlinter_config import ConfigProblem, ContractsConfig, ContractSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE_NAME = "tach.toml"
_LIMIT = 1_000_000


def load_tach_config(root: Path) -> ContractsConfig | None:
    """``tach.toml`` at ``root`` as contracts, or None when there is none."""
    path = root / FILE_NAME
    try:
        text = read_bounded(path, _LIMIT).decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except (NotReadable, OSError) as exc:
        return ContractsConfig(path, 1, [], problems=[ConfigProblem(path, 1, f"{FILE_NAME} could not be read: {exc}")])
    return parse_tach(path, text)


def _line(text: str, pattern: str, default: int = 1) -> int:
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else default


def _dependency(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and isinstance(entry.get("path"), str):
        return entry["path"]
    return None


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def parse_tach(path: Path, text: str) -> ContractsConfig:
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        return ContractsConfig(path, line, [], problems=[ConfigProblem(path, line, f"{FILE_NAME} does not parse: {exc}")])
    modules = [m for m in document.get("modules", []) if isinstance(m, dict) and isinstance(m.get("path"), str)]
    paths = [m["path"] for m in modules if m["path"] != "<root>"]
    config = ContractsConfig(
        path, _line(text, r"^[ \t]*\[\[\s*modules\s*\]\]"),
        root_packages=sorted({p.split(".", 1)[0] for p in paths}),
        exclude_type_checking_imports=document.get("ignore_type_checking_imports", True) is not False)
    utility = {m["path"] for m in modules if m.get("utility") is True}
    for module in modules:
        source = module["path"]
        depends_on = module.get("depends_on")
        if source == "<root>" or not isinstance(depends_on, list):
            continue
        line = _line(text, rf"""^[ \t]*path\s*=\s*["']{re.escape(source)}["']""")
        allowed = {d for d in map(_dependency, depends_on) if d}
        if "<root>" in allowed:
            config.problems.append(ConfigProblem(path, line, f"`<root>` in `{source}`'s depends_on is not enforced"))
        forbidden = [p for p in paths if p not in allowed and p not in utility and not _related(p, source)]
        if forbidden:
            config.contracts.append(ContractSpec(
                id=f"tach:{source}", name=f"tach module {source} depends only on its depends_on", type="forbidden",
                options={"source_modules": [source], "forbidden_modules": forbidden, "allow_indirect_imports": "true"},
                path=path, line=line))
    layers = document.get("layers")
    if isinstance(layers, list) and layers:
        # Tach's layers judge direct imports only: each module may not import a module of a
        # higher layer, i.e. one forbidden contract (direct imports) per layered module.
        rank = {layer: position for position, layer in enumerate(layers) if isinstance(layer, str)}
        placed = [(m["path"], rank[m["layer"]]) for m in modules if m.get("layer") in rank and m["path"] != "<root>"]
        line = _line(text, r"^[ \t]*layers\s*=")
        for source, level in placed:
            higher = [other for other, other_level in placed if other_level < level and not _related(other, source)]
            if higher:
                config.contracts.append(ContractSpec(
                    id=f"tach:layers:{source}", name=f"tach layers: {source} imports no higher layer", type="forbidden",
                    options={"source_modules": [source], "forbidden_modules": higher, "allow_indirect_imports": "true"},
                    path=path, line=line))
    for _interface in document.get("interfaces", []) if isinstance(document.get("interfaces"), list) else []:
        line = _line(text, r"^[ \t]*\[\[\s*interfaces\s*\]\]")
        config.problems.append(ConfigProblem(
            path, line, "[[interfaces]] is not read from tach.toml: write an ADR rule `kind: interface` for it"))
        break
    return config
