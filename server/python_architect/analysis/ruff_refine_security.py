"""Security findings of ruff we know to be wrong (issue 21), judged on the parse of the file.

Owns two false-positive classes, each judged on the syntax tree, never on ruff's message:

- S506 "unsafe ``yaml.load``" when the loader is a safe one: ``yaml.SafeLoader``/``CSafeLoader``/
  ``BaseLoader``/``CBaseLoader`` however imported, or a project class built on a safe constructor
  (``class AnsibleLoader(Parser, AnsibleConstructor, Resolver)`` where ``AnsibleConstructor``
  derives from ``SafeConstructor``), or a factory function returning one. The loader's name is
  followed through the file's own bindings (classes, assignments, ``try``/``except ImportError``
  alternatives: every alternative must be safe) and through imports into the modules of the
  file's own top-level package (read from disk, bounded, never outside that package). Reported as
  before: no loader, ``Loader``/``UnsafeLoader``/``FullLoader``/``Constructor`` anywhere among the
  bases, and any name we cannot follow.
- S604 "call with ``shell=True``" when the callee runs nothing: ``dict(..., shell=...)``,
  ``settings.update(shell=...)``, a record's constructor (``Options(shell=True)``). Reported when
  the callee's name says it runs something (``run``, ``exec``, ``spawn``, ``popen``, ``system``,
  ``command``, ``call``, ...) or is a plain function we know nothing about.

``REFINERS`` (code -> judge on one file) is merged into ``ruff_refine.REFINERS``;
``WORKSPACE_REFINERS`` (the same, with the file's path to follow imports) into
``ruff_refine.WORKSPACE_REFINERS``. Pure functions of their inputs plus bounded, cached reads of
sibling modules; no other state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from enum import Enum
from functools import lru_cache
from pathlib import Path

from ..root_paths import NotReadable, contained, read_bounded
from .decoding import decode_source
from .registry import RawFinding
from .ruff_judge_nodes import name_of

# -- S506 ----------------------------------------------------------------------------------------


class Loader(Enum):
    """What a name given as ``Loader=`` turns out to be."""

    SAFE = "safe"  # builds plain data only (a safe or base constructor decides)
    NEUTRAL = "neutral"  # a part that constructs nothing (reader, scanner, parser, resolver)
    UNSAFE = "unsafe"  # may build arbitrary objects, or we cannot tell


YAML_SAFE = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "SafeConstructor", "BaseConstructor"})
YAML_NEUTRAL = frozenset({"Reader", "Scanner", "Parser", "Composer", "CParser", "Resolver", "BaseResolver"})
"""Loader parts that construct nothing; everything else of ``yaml`` (``Loader``, ``FullLoader``,
``UnsafeLoader``, ``Constructor``, ``FullConstructor``, ...) counts as unsafe."""
_MAX_MODULE_BYTES = 1_000_000
_MAX_LOOKUPS = 40
"""Names looked up for one loader (a class, each base, their imports...): a bound against a
pathological tree, not one real loaders reach (ansible's takes 16 over three modules)."""


def s506_safe_loader(near: list[ast.AST], lines: list[str], finding: RawFinding,
                     where: tuple[Path, Path] | None = None) -> bool:
    """True when the ``yaml.load``/``load_all`` at the finding is given a loader we can show is safe."""
    call = _innermost_call(near, finding.span.line, lambda c: name_of(c.func) in {"load", "load_all"})
    if call is None:
        return False
    loader = next((k.value for k in call.keywords if k.arg == "Loader"), None)
    if loader is None and len(call.args) >= 2:
        loader = call.args[1]
    if loader is None:
        return False
    module = _Module.of_text("\n".join(lines), where)
    if module is None:
        return False
    resolver = _Resolver()
    root = loader
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name):
        # ``import yaml`` / ``from yaml import BaseLoader`` inside the function doing the load;
        # ``yaml.loader.BaseLoader`` after a local ``import yaml`` (snakemake's ``parse_config``,
        # issue 21's seventh reading).
        local = [node for scope in _functions_around(module.tree, call.lineno)
                 for node in _module_statements(scope.body) if root.id in _bound_names(node)]
        if local and loader is root:
            return _all_of([resolver.binding(module, node, root.id) for node in local]) is Loader.SAFE
        if local and isinstance(loader, ast.Attribute):
            return all(_imports_yaml(node, root.id) for node in local) and _yaml_name(loader.attr) is Loader.SAFE
    return resolver.expression(module, loader) is Loader.SAFE


def _imports_yaml(node: ast.AST, name: str) -> bool:
    """``import yaml`` / ``import yaml as y`` / ``import yaml.loader`` / ``from yaml import loader``
    binding ``name`` to a module of ``yaml``."""
    if isinstance(node, ast.Import):
        return any((alias.asname or alias.name.split(".")[0]) == name and alias.name.split(".")[0] == "yaml"
                   for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.level == 0 and (node.module or "").split(".")[0] == "yaml"
                and any((alias.asname or alias.name) == name for alias in node.names))
    return False


def _functions_around(tree: ast.Module, line: int) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The innermost function whose body holds ``line`` (a list: none at module level)."""
    found = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
             and node.lineno <= line <= (node.end_lineno or node.lineno)]
    return sorted(found, key=lambda node: node.lineno, reverse=True)[:1]


def _innermost_call(near: list[ast.AST], line: int, wanted: Callable[[ast.Call], bool]) -> ast.Call | None:
    """The innermost call spanning ``line`` that ``wanted`` accepts (the latest-starting one)."""
    best = None
    for node in near:
        if (isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or node.lineno) and wanted(node)
                and (best is None or (node.lineno, node.col_offset) >= (best.lineno, best.col_offset))):
            best = node
    return best


class _Module:
    """One parsed module, where it lives and the workspace root (either None: only its own
    bindings can be followed)."""

    def __init__(self, tree: ast.Module, path: Path | None, root: Path | None) -> None:
        self.tree = tree
        self.path = path
        self.root = root

    @staticmethod
    def of_text(text: str, where: tuple[Path, Path] | None) -> _Module | None:
        tree = _parse(text)
        path, root = where if where is not None else (None, None)
        return None if tree is None else _Module(tree, path, root)

    def bindings(self, name: str) -> list[ast.AST]:
        """Every module-level statement binding ``name`` (inside ``if``/``try`` too: each branch is
        one alternative). An ``Import`` binding ``a`` for ``import a.b`` counts."""
        return [node for node in _module_statements(self.tree.body) if name in _bound_names(node)]

    def package_top(self) -> Path | None:
        """The outermost package directory holding this module (``__init__.py`` all the way),
        never above the workspace root."""
        if self.path is None or self.root is None:
            return None
        top = None
        folder = self.path.parent
        while (folder / "__init__.py").is_file() and contained(folder, self.root) is not None:
            top = folder
            if folder.parent == folder:
                break
            folder = folder.parent
        return top


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _module_statements(node.body)
            yield from _module_statements(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            yield from _module_statements(node.body)
        elif isinstance(node, ast.Try):
            yield from _module_statements(node.body)
            for handler in node.handlers:
                yield from _module_statements(handler.body)
            yield from _module_statements(node.orelse)


def _bound_names(node: ast.AST) -> set[str]:
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        return {node.target.id}
    if isinstance(node, ast.Import):
        return {alias.asname or alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom):
        return {alias.asname or alias.name for alias in node.names if alias.name != "*"}
    return set()


_YAML = "yaml"
"""A reference to the ``yaml`` package or one of its modules: attributes are classified by name."""


class _Resolver:
    """Follows one loader expression; ``budget`` bounds the bindings visited."""

    def __init__(self) -> None:
        self.budget = _MAX_LOOKUPS
        self.visiting: set[tuple[int, str]] = set()

    def expression(self, module: _Module, node: ast.expr) -> Loader:
        if isinstance(node, ast.Name):
            return self.name(module, node.id)
        if isinstance(node, ast.Attribute):
            owner = self.module_ref(module, node.value)
            if owner == _YAML:
                return _yaml_name(node.attr)
            if isinstance(owner, _Module):
                return self.name(owner, node.attr)
            return Loader.UNSAFE
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                and len(node.args) in (2, 3) and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)):
            # getattr(yaml, "CSafeLoader", yaml.SafeLoader): the attribute and the fallback.
            verdicts = [self.expression(module, ast.Attribute(value=node.args[0], attr=node.args[1].value))]
            if len(node.args) == 3:
                verdicts.append(self.expression(module, node.args[2]))
            return _all_of(verdicts)
        return Loader.UNSAFE

    def name(self, module: _Module, name: str) -> Loader:
        key = (id(module.tree), name)
        if name == "object":
            return Loader.NEUTRAL
        if key in self.visiting or self.budget <= 0:
            return Loader.UNSAFE
        self.budget -= 1
        self.visiting.add(key)
        try:
            found = module.bindings(name)
            return _all_of([self.binding(module, node, name) for node in found]) if found else Loader.UNSAFE
        finally:
            self.visiting.discard(key)

    def binding(self, module: _Module, node: ast.AST, name: str) -> Loader:
        if isinstance(node, ast.ClassDef):
            if _registers_unsafe_constructor(module.tree, node.name):
                return Loader.UNSAFE
            verdicts = [self.expression(module, base) for base in node.bases]
            return _all_of(verdicts) if verdicts else Loader.NEUTRAL
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A factory: every ``return`` builds a loader we can follow.
            returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return)]
            if not returns or not all(isinstance(value, ast.Call) for value in returns):
                return Loader.UNSAFE
            return _all_of([self.expression(module, value.func) for value in returns])  # type: ignore[union-attr]
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            return self.expression(module, node.value)
        if isinstance(node, ast.ImportFrom):
            alias = next(a for a in node.names if (a.asname or a.name) == name)
            source = self.import_source(module, node.module or "", node.level)
            if source == _YAML:
                return _yaml_name(alias.name)
            if isinstance(source, _Module):
                return self.name(source, alias.name)
        return Loader.UNSAFE

    def module_ref(self, module: _Module, node: ast.expr) -> _Module | str | None:
        """What ``node`` (``yaml``, ``_loader``, ``pkg.sub``) names when it names a module."""
        if isinstance(node, ast.Attribute):
            owner = self.module_ref(module, node.value)
            if owner == _YAML:
                return _YAML
            return _submodule(owner, node.attr) if isinstance(owner, _Module) else None
        if not isinstance(node, ast.Name):
            return None
        for binding in module.bindings(node.id):
            if isinstance(binding, ast.Import):
                alias = next(a for a in binding.names if (a.asname or a.name.split(".")[0]) == node.id)
                dotted = alias.name if alias.asname else alias.name.split(".")[0]
                return self.import_source(module, dotted, 0)
            if isinstance(binding, ast.ImportFrom):
                source = self.import_source(module, binding.module or "", binding.level)
                if source == _YAML:
                    return _YAML
                alias = next(a for a in binding.names if (a.asname or a.name) == node.id)
                if isinstance(source, _Module):
                    return _submodule(source, alias.name)  # ``from pkg import sub``
        return None

    def import_source(self, module: _Module, dotted: str, level: int) -> _Module | str | None:
        """The module an import names: ``yaml`` (any of its modules), or a module file of this
        module's own top-level package; None for anything else."""
        if level == 0 and (dotted == "yaml" or dotted.startswith("yaml.")):
            return _YAML
        top = module.package_top()
        if top is None or module.path is None:
            return None
        parts = [p for p in dotted.split(".") if p]
        if level:
            base = module.path.parent
            for _ in range(level - 1):
                base = base.parent
        else:
            if not parts or parts[0] != top.name:
                return None  # another distribution's module: not ours to read
            base, parts = top, parts[1:]
        return _load(base.joinpath(*parts), top)


def _registers_unsafe_constructor(tree: ast.Module, name: str) -> bool:
    """``Name.add_constructor("tag:yaml.org,2002:python/object", ...)`` or one built from an unsafe
    yaml constructor (``FullConstructor.construct_python_object``) anywhere in the module: a safe
    base no longer makes the loader safe."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"add_constructor", "add_multi_constructor"}):
            continue
        owner = node.func.value
        if not (isinstance(owner, ast.Name) and owner.id in {name, "cls", "self"}):
            continue
        for argument in node.args:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and "python/" in argument.value:
                return True
            if any(isinstance(part, (ast.Name, ast.Attribute)) and name_of(part) in _UNSAFE_CONSTRUCTORS
                   for part in ast.walk(argument)):
                return True
    return False


_UNSAFE_CONSTRUCTORS = frozenset({"Constructor", "FullConstructor", "UnsafeConstructor", "Loader", "FullLoader",
                                  "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"})


def _submodule(package: _Module, name: str) -> _Module | None:
    if package.path is None or package.path.name != "__init__.py":
        return None
    top = package.package_top()
    return _load(package.path.parent / name, top) if top is not None else None


def _load(stem: Path, top: Path | None) -> _Module | None:
    """``stem.py`` or ``stem/__init__.py``, read only when it lies inside ``top`` (links out refused)."""
    if top is None:
        return None
    for candidate in (stem.with_name(stem.name + ".py"), stem / "__init__.py"):
        inside = contained(candidate, top)
        if inside is not None and inside.is_file():
            try:
                stat = inside.stat()
            except OSError:
                continue
            tree = _parse_file(str(inside), stat.st_mtime_ns, stat.st_size)
            return None if tree is None else _Module(tree, inside, top)
    return None


@lru_cache(maxsize=16)
def _parse_file(path: str, mtime_ns: int, size: int) -> ast.Module | None:
    """A sibling module's parse, kept while the file is unchanged (several findings follow the
    same loader; mtime and size are part of the key so an edit is seen). Few are kept: the
    language server lives long, and every tree it holds slows its garbage collector."""
    try:
        text = decode_source(read_bounded(path, _MAX_MODULE_BYTES, follow_symlinks=False))
    except (NotReadable, OSError, UnicodeDecodeError):
        return None
    return _parse(text)


@lru_cache(maxsize=2)
def _parse(text: str) -> ast.Module | None:
    """The whole file (the batch hands refiners only the statements around the findings); kept
    for the next finding of the same file."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _yaml_name(name: str) -> Loader:
    if name in YAML_SAFE:
        return Loader.SAFE
    return Loader.NEUTRAL if name in YAML_NEUTRAL else Loader.UNSAFE


def _all_of(verdicts: list[Loader]) -> Loader:
    """Bases or alternatives together: one unsafe one spoils all; safe needs one safe part."""
    if Loader.UNSAFE in verdicts:
        return Loader.UNSAFE
    return Loader.SAFE if Loader.SAFE in verdicts else Loader.NEUTRAL


# -- S604 ----------------------------------------------------------------------------------------

_RUNS_SOMETHING = re.compile(r"run|call|exec|spawn|popen|system|command|cmd|check_output|shell|process|launch|"
                             r"invoke|start|partial|sh$", re.IGNORECASE)
_RECORD_BUILDERS = frozenset({"dict", "update", "setdefault", "fromkeys", "defaultdict", "OrderedDict",
                              "SimpleNamespace", "Namespace", "namedtuple", "replace", "_replace", "evolve",
                              "set", "add_argument", "set_defaults", "append", "extend", "get", "pop"})


def s604_runs_nothing(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """True when the call carrying ``shell=`` builds data: a dict, an update, a record."""
    call = _innermost_call(near, finding.span.line, lambda c: any(k.arg == "shell" for k in c.keywords))
    if call is None:
        return False
    name = name_of(call.func)
    if not name or _RUNS_SOMETHING.search(name):
        return False
    # A record's constructor (``Options(shell=True)``) or a mapping/namespace builder.
    return name in _RECORD_BUILDERS or name[0].isupper()



REFINERS = {"S604": s604_runs_nothing}
"""code -> judge(near, lines, finding): True for a known false positive (``ruff_refine`` merges these)."""
WORKSPACE_REFINERS = {"S506": s506_safe_loader}
"""code -> judge(near, lines, finding, (path, root)): the same, given where the file lives to follow
its imports inside the workspace root."""
