"""ARC111: the project's declared dependencies against what its first-party code imports (the
ADR rule ``{kind: external-dependencies}``, Tach's ``check-external``).

Two findings, both ARC111:
- an import of a third-party package no declaration names, on the import line;
- a runtime declaration (``[project] dependencies``, ``requirements.txt``) nothing imports, on the
  declaration's line in the dependency file (``unused: false`` turns this half off).

Declarations are read at the workspace root: ``pyproject.toml`` (``[project] dependencies``,
``optional-dependencies``, ``[dependency-groups]``, Poetry's dependency tables) and
``requirements*.txt`` / ``requirements/*.txt``, names normalised with ``packaging``. Import names
map to distributions through ``importlib.metadata.packages_distributions()`` of the interpreter
the checks run on (the project's: the editor starts the server with the interpreter the user
picked); a package that is not installed is matched by its normalised name.

What is never a finding, because a reviewer would dismiss it:
- stdlib modules (``sys.stdlib_module_names``), first-party modules, relative imports, and any
  name a Python file or folder of the workspace carries (``tests/support/trees.py`` imported as
  ``trees``);
- imports under ``TYPE_CHECKING`` (they never run) and optional imports inside
  ``try: ... except ImportError`` (or ``contextlib.suppress(ImportError)``);
- a namespace package (``google``) when any declared distribution provides it;
- in the unused half: extras, dependency groups and dev/test requirement files (their users, tests
  and tools, are often outside the source roots), distributions that are plugins or tools
  (console scripts or entry points), type stubs, the project itself, and a workspace with no
  declarations at all (nothing to compare with).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.registry import RawFinding, check
from ..codes import ARC111
from ..findings import Span
from ..root_paths import NotReadable, read_bounded

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from ..analysis.facts import ImportFact
    from ..knowledge.model import Adr, RuleSpec
    from .cycles import WorkspaceContext, WorkspaceFinding

FILE_LIMIT = 2_000_000
_DEV_FILE = re.compile(r"(dev|test|doc|lint|ci|type|check|style|tool|bench|extra)", re.IGNORECASE)
_OPTIONAL_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
# Import names that differ from their distribution's, for packages that are not installed.
KNOWN_ALIASES = {
    "yaml": "pyyaml", "PIL": "pillow", "sklearn": "scikit-learn", "cv2": "opencv-python",
    "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "dotenv": "python-dotenv",
    "jwt": "pyjwt", "magic": "python-magic", "docx": "python-docx", "attr": "attrs",
    "OpenSSL": "pyopenssl", "Crypto": "pycryptodome", "jose": "python-jose", "multipart": "python-multipart",
}


@dataclass(frozen=True)
class Declaration:
    """One declared distribution and where: ``runtime`` for ``[project] dependencies`` and plain
    requirements files (the ones judged for being unused)."""

    name: str
    path: Path
    span: Span
    runtime: bool


def canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


@lru_cache(maxsize=4)
def _installed(path_key: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Import name -> canonical distributions, and the distributions that are tools or plugins
    (console scripts, entry points), for one ``sys.path``."""
    from importlib import metadata

    mapping = {top: tuple(canonical(d) for d in dists) for top, dists in metadata.packages_distributions().items()}
    tools: set[str] = set()
    for dist in metadata.distributions():
        try:
            if dist.entry_points or any(_is_script(file) for file in dist.files or ()):
                tools.add(canonical(dist.metadata["Name"] or ""))
        except (OSError, ValueError, KeyError, TypeError):  # a broken METADATA file: a library
            pass
    return mapping, frozenset(tools)


def _is_script(file: Any) -> bool:
    """A file a wheel installs into the scripts folder (``ruff``, ``black``: tools, not imports)."""
    parts = Path(str(file)).parts
    return len(parts) > 1 and parts[-2] in ("bin", "Scripts") and ".." in parts


def installed_map() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    return _installed(tuple(sys.path))


def distributions_of(top: str, mapping: dict[str, tuple[str, ...]]) -> set[str]:
    """Every distribution that may provide the top-level import name ``top``."""
    found = set(mapping.get(top, ()))
    found.add(canonical(KNOWN_ALIASES.get(top, top)))
    return found


# -- declarations ------------------------------------------------------------------------------


def _line_of(text: str, name: str, start: int = 0) -> Span:
    """Where a name is first written (as a requirement string or a TOML key) from ``start``."""
    pattern = re.compile(rf"""(?im)^\s*["']?({re.escape(name)})\b|["']({re.escape(name)})\b""")
    found = pattern.search(text, start)
    if found is None:
        return Span(1, 1, 1, 1)
    group = 1 if found.group(1) else 2
    offset = found.start(group)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(line, column, line, column + len(name))


def _read(path: Path) -> str | None:
    try:
        return read_bounded(path, FILE_LIMIT).decode("utf-8", errors="replace")
    except (OSError, NotReadable):
        return None


def declarations(root: Path) -> tuple[list[Declaration], str | None]:
    """Every declared distribution at the workspace root, and the project's own name."""
    from ..analysis.dependencies import pyproject_entries, requirements_txt_entries

    found: list[Declaration] = []
    project_name: str | None = None
    pyproject = root / "pyproject.toml"
    text = _read(pyproject) if pyproject.is_file() else None
    if text is not None:
        runtime_lines = _runtime_lines(text)
        for entry in pyproject_entries(text):
            if entry.requirement is not None:
                found.append(Declaration(canonical(entry.requirement.name), pyproject, entry.span,
                                         entry.span.line in runtime_lines))
        try:
            document = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError):
            document = {}
        project = document.get("project")
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            project_name = canonical(project["name"])
        found.extend(_other_tables(document, text, pyproject))
    files = sorted(root.glob("requirements*.txt")) + sorted((root / "requirements").glob("*.txt"))
    for path in files:
        text = _read(path) if path.is_file() else None
        if text is None:
            continue
        runtime = _DEV_FILE.search(path.name.removeprefix("requirements")) is None
        for entry in requirements_txt_entries(text):
            if entry.requirement is not None:
                found.append(Declaration(canonical(entry.requirement.name), path, entry.span, runtime))
    return found, project_name


def _runtime_lines(text: str) -> set[int]:
    """Lines of ``[project] dependencies = [...]`` (not of the extras)."""
    match = re.search(r"(?ms)^\[project\]\s*$(.*?)(?=^\[)", text + "\n[")
    if match is None:
        return set()
    inner = re.search(r"(?ms)^dependencies\s*=\s*\[(.*?)\]", match.group(1))
    if inner is None:
        return set()
    start = match.start(1) + inner.start()
    first = text.count("\n", 0, start) + 1
    return set(range(first, first + inner.group(0).count("\n") + 1))


def _other_tables(document: dict[str, Any], text: str, path: Path) -> list[Declaration]:
    """``[dependency-groups]`` and Poetry's tables: names only (never judged as unused)."""
    from packaging.requirements import InvalidRequirement, Requirement

    names: list[str] = []
    groups = document.get("dependency-groups")
    for values in groups.values() if isinstance(groups, dict) else ():
        for value in values if isinstance(values, list) else ():
            if isinstance(value, str):
                try:
                    names.append(Requirement(value).name)
                except InvalidRequirement:
                    continue
    poetry = document.get("tool", {}).get("poetry", {}) if isinstance(document.get("tool"), dict) else {}
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    group_tables = poetry.get("group")
    if isinstance(group_tables, dict):
        tables += [g.get("dependencies") for g in group_tables.values() if isinstance(g, dict)]
    for table in tables:
        if isinstance(table, dict):
            names += [name for name in table if name.lower() != "python"]
    return [Declaration(canonical(name), path, _line_of(text, name), False) for name in names]


# -- imports -----------------------------------------------------------------------------------


def _optional_lines(text: str) -> list[tuple[int, int]]:
    """Line ranges of ``try:`` bodies that catch ImportError and of ``suppress(ImportError)``."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    ranges: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if _guards_imports(node):
            body = node.body  # type: ignore[attr-defined]
            ranges.append((body[0].lineno, body[-1].end_lineno or body[-1].lineno))
    return ranges


def _guards_imports(node: ast.AST) -> bool:
    if isinstance(node, ast.Try):
        return any(_catches_import_error(handler.type) for handler in node.handlers)
    if isinstance(node, ast.With):
        return any(isinstance(item.context_expr, ast.Call) and ast.unparse(item.context_expr.func).endswith("suppress")
                   and any(_catches_import_error(arg) for arg in item.context_expr.args) for item in node.items)
    return False


def _catches_import_error(node: ast.expr | None) -> bool:
    if node is None:
        return True  # a bare except
    names = node.elts if isinstance(node, ast.Tuple) else [node]
    return any(ast.unparse(name).rsplit(".", 1)[-1] in _OPTIONAL_ERRORS for name in names)


def _local_names(ctx: WorkspaceContext) -> set[str]:
    """Every module or folder name of the workspace's Python files (first-party or not)."""
    names = set(ctx.roots.first_party)
    for module in ctx.index.modules():
        names.update(module.split("."))
        path = ctx.index.path_of(module)
        if path is not None:
            try:
                names.update(Path(path).relative_to(ctx.root).with_suffix("").parts)
            except ValueError:
                continue
    return names


def _third_party(ctx: WorkspaceContext, fact: ImportFact, local: set[str]) -> str | None:
    if fact.level or not fact.module or fact.module.startswith("."):
        return None
    top = fact.module.split(".", 1)[0]
    if ctx.roots.is_stdlib(top) or ctx.roots.is_first_party(top) or top in local:
        return None
    return top


@check(ARC111)
def external_dependency_findings(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    rules: list[tuple[Adr, RuleSpec]] = list(ctx.kb.rules("external-dependencies"))
    if not rules:
        return
    declared, project_name = declarations(ctx.root)
    if not declared:
        return  # nothing declared (or declared where we cannot read): nothing to compare with
    mapping, tools = installed_map()
    declared_names = {d.name for d in declared} | ({project_name} if project_name else set())
    local = _local_names(ctx)
    used: set[str] = set()
    candidates: list[tuple[str, ImportFact, str]] = []
    for module in ctx.index.modules():
        facts = ctx.index.lookup_module(module)
        for fact in facts.imports if facts is not None else ():
            top = _third_party(ctx, fact, local)
            if top is None:
                continue
            providers = distributions_of(top, mapping)
            used |= providers
            if not fact.type_checking and not providers & declared_names:
                candidates.append((module, fact, top))
    for adr, rule in rules:
        yield from _undeclared(ctx, adr, rule, candidates)
        if rule.options.get("unused", True) is not False:
            yield from _unused(ctx, adr, rule, declared, used, tools, project_name, mapping)


def _undeclared(ctx: WorkspaceContext, adr: Adr, rule: RuleSpec,
                candidates: list[tuple[str, ImportFact, str]]) -> Iterator[WorkspaceFinding]:
    from ..knowledge.scope import rule_applies_to

    ignored = {canonical(name) for name in _strings(rule.options.get("ignore"))}
    optional: dict[Path, list[tuple[int, int]]] = {}
    for module, fact, top in candidates:
        path = ctx.index.path_of(module)
        if path is None or canonical(top) in ignored or not rule_applies_to(adr, rule, path, ctx.root):
            continue
        if path not in optional:
            text = _read(Path(path))
            optional[path] = _optional_lines(text) if text is not None else []
        if any(start <= fact.span.line <= end for start, end in optional[path]):
            continue
        yield path, RawFinding(
            code=ARC111,
            message=rule.message or (
                f"`{top}` is imported but no dependency declares it (pyproject.toml or requirements; rule `{rule.id}`)"),
            span=fact.span,
            rule=rule,
            data={"imported": fact.module, "package": top, "rule": rule.id, "problem": "undeclared"},
        )


def _unused(ctx: WorkspaceContext, adr: Adr, rule: RuleSpec, declared: list[Declaration], used: set[str],
            tools: frozenset[str], project_name: str | None,
            mapping: dict[str, tuple[str, ...]]) -> Iterator[WorkspaceFinding]:
    ignored = {canonical(name) for name in _strings(rule.options.get("ignore"))}
    # A distribution that is not installed has import names we cannot know: not judged (a miss
    # beats a false "unused"), unless its import name is a well-known alias.
    installed = {dist for dists in mapping.values() for dist in dists}
    seen: set[str] = set()
    for declaration in declared:
        name = declaration.name
        if (not declaration.runtime or name in used or name in ignored or name in tools or name == project_name
                or name.startswith("types-") or name.endswith("-stubs") or name in seen
                or (name not in installed and name not in KNOWN_ALIASES.values())):
            continue
        seen.add(name)
        yield declaration.path, RawFinding(
            code=ARC111,
            message=rule.message or (
                f"`{name}` is declared as a dependency but no first-party module imports it (rule `{rule.id}`)"),
            span=declaration.span,
            rule=rule,
            data={"package": name, "rule": rule.id, "problem": "unused"},
        )


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]
