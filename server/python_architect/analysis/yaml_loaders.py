"""What a ``yaml.load`` ``Loader=`` expression turns out to be: safe, neutral or unsafe (S506, issue 21).

Follows the loader's name through the file's own bindings (classes, assignments, ``try``/``except
ImportError`` alternatives: every alternative must be safe), through factory functions (called or
not; a class defined inside one is followed there first), and through imports into the modules of
the file's own top-level package (read from disk, bounded, never outside that package). A class
that registers a generic ``python/`` constructor is unsafe whatever its bases; one that adds a
constructor for one named type (``python/object/apply:pathlib.Path``) is not. ``ruff_refine_security``
asks; this module answers. Pure functions plus bounded, cached reads of sibling modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from enum import Enum
from functools import lru_cache
from pathlib import Path

from ..root_paths import NotReadable, contained, read_bounded
from .decoding import decode_source
from .ruff_judge_nodes import name_of


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


class LoaderModule:
    """One parsed module, where it lives and the workspace root (either None: only its own
    bindings can be followed)."""

    def __init__(self, tree: ast.Module, path: Path | None, root: Path | None) -> None:
        self.tree = tree
        self.path = path
        self.root = root

    @staticmethod
    def of_text(text: str, where: tuple[Path, Path] | None) -> LoaderModule | None:
        tree = _parse(text)
        path, root = where if where is not None else (None, None)
        return None if tree is None else LoaderModule(tree, path, root)

    def bindings(self, name: str) -> list[ast.AST]:
        """Every module-level statement binding ``name`` (inside ``if``/``try`` too: each branch is
        one alternative). An ``Import`` binding ``a`` for ``import a.b`` counts."""
        return [node for node in module_statements(self.tree.body) if name in bound_names(node)]

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


def module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from module_statements(node.body)
            yield from module_statements(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            yield from module_statements(node.body)
        elif isinstance(node, ast.Try):
            yield from module_statements(node.body)
            for handler in node.handlers:
                yield from module_statements(handler.body)
            yield from module_statements(node.orelse)


def bound_names(node: ast.AST) -> set[str]:
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


class Resolver:
    """Follows one loader expression; ``budget`` bounds the bindings visited."""

    def __init__(self) -> None:
        self.budget = _MAX_LOOKUPS
        self.visiting: set[tuple[int, str]] = set()

    def expression(self, module: LoaderModule, node: ast.expr) -> Loader:
        if isinstance(node, ast.Name):
            return self.name(module, node.id)
        if isinstance(node, ast.Attribute):
            owner = self.module_ref(module, node.value)
            if owner == _YAML:
                return yaml_name(node.attr)
            if isinstance(owner, LoaderModule):
                return self.name(owner, node.attr)
            return Loader.UNSAFE
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                and len(node.args) in (2, 3) and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)):
            # getattr(yaml, "CSafeLoader", yaml.SafeLoader): the attribute and the fallback.
            verdicts = [self.expression(module, ast.Attribute(value=node.args[0], attr=node.args[1].value))]
            if len(node.args) == 3:
                verdicts.append(self.expression(module, node.args[2]))
            return all_of(verdicts)
        if isinstance(node, ast.Call):  # ``Loader=get_yaml_loader()``: what the factory returns
            found = self.function(module, node.func)
            return Loader.UNSAFE if found is None else self.returned(*found)
        return Loader.UNSAFE

    def function(self, module: LoaderModule, node: ast.expr) -> tuple[LoaderModule, ast.FunctionDef] | None:
        """The module-level function ``node`` names, here or in a module of the package."""
        if isinstance(node, ast.Attribute):
            owner = self.module_ref(module, node.value)
            return self.function(owner, ast.Name(id=node.attr)) if isinstance(owner, LoaderModule) else None
        if not isinstance(node, ast.Name) or self.budget <= 0:
            return None
        self.budget -= 1
        for binding in module.bindings(node.id):
            if isinstance(binding, ast.FunctionDef):
                return module, binding
            if isinstance(binding, ast.ImportFrom):
                alias = next(a for a in binding.names if (a.asname or a.name) == node.id)
                source = self.import_source(module, binding.module or "", binding.level)
                if isinstance(source, LoaderModule):
                    return self.function(source, ast.Name(id=alias.name))
        return None

    def returned(self, module: LoaderModule, function: ast.FunctionDef) -> Loader:
        """Every ``return`` of ``function`` (not of its nested classes or functions), each name
        followed through the function's own bindings first (omegaconf's ``get_yaml_loader``
        defines ``class OmegaConfLoader(CSafeLoader)`` inside and returns it)."""
        values = [node.value for node in _own_nodes(function.body) if isinstance(node, ast.Return)]
        if not values or any(value is None for value in values):
            return Loader.UNSAFE
        return all_of([self.local(module, function, value, depth=0) for value in values])  # type: ignore[arg-type]

    def local(self, module: LoaderModule, function: ast.FunctionDef, node: ast.expr, depth: int) -> Loader:
        if not isinstance(node, ast.Name) or depth > 3:
            return self.expression(module, node)
        if _registers_unsafe_constructor(function, node.id):  # type: ignore[arg-type]
            return Loader.UNSAFE
        found = [n for n in module_statements(function.body) if node.id in bound_names(n)]
        if not found:
            return self.expression(module, node)
        verdicts = []
        for binding in found:
            if isinstance(binding, ast.ClassDef):
                bases = [self.local(module, function, base, depth + 1) for base in binding.bases]
                verdicts.append(all_of(bases) if bases else Loader.NEUTRAL)
            elif isinstance(binding, (ast.Assign, ast.AnnAssign)) and binding.value is not None:
                verdicts.append(self.local(module, function, binding.value, depth + 1))
            else:
                verdicts.append(Loader.UNSAFE)
        return all_of(verdicts)

    def name(self, module: LoaderModule, name: str) -> Loader:
        key = (id(module.tree), name)
        if name == "object":
            return Loader.NEUTRAL
        if key in self.visiting or self.budget <= 0:
            return Loader.UNSAFE
        self.budget -= 1
        self.visiting.add(key)
        try:
            found = module.bindings(name)
            return all_of([self.binding(module, node, name) for node in found]) if found else Loader.UNSAFE
        finally:
            self.visiting.discard(key)

    def binding(self, module: LoaderModule, node: ast.AST, name: str) -> Loader:
        if isinstance(node, ast.ClassDef):
            if _registers_unsafe_constructor(module.tree, node.name):
                return Loader.UNSAFE
            verdicts = [self.expression(module, base) for base in node.bases]
            return all_of(verdicts) if verdicts else Loader.NEUTRAL
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A factory: every ``return`` builds a loader we can follow.
            returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return)]
            if not returns or not all(isinstance(value, ast.Call) for value in returns):
                return Loader.UNSAFE
            return all_of([self.expression(module, value.func) for value in returns])  # type: ignore[union-attr]
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            return self.expression(module, node.value)
        if isinstance(node, ast.ImportFrom):
            alias = next(a for a in node.names if (a.asname or a.name) == name)
            source = self.import_source(module, node.module or "", node.level)
            if source == _YAML:
                return yaml_name(alias.name)
            if isinstance(source, LoaderModule):
                return self.name(source, alias.name)
        return Loader.UNSAFE

    def module_ref(self, module: LoaderModule, node: ast.expr) -> LoaderModule | str | None:
        """What ``node`` (``yaml``, ``_loader``, ``pkg.sub``) names when it names a module."""
        if isinstance(node, ast.Attribute):
            owner = self.module_ref(module, node.value)
            if owner == _YAML:
                return _YAML
            return _submodule(owner, node.attr) if isinstance(owner, LoaderModule) else None
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
                if isinstance(source, LoaderModule):
                    return _submodule(source, alias.name)  # ``from pkg import sub``
        return None

    def import_source(self, module: LoaderModule, dotted: str, level: int) -> LoaderModule | str | None:
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
            if (isinstance(argument, ast.Constant) and isinstance(argument.value, str) and "python/" in argument.value
                    and (node.func.attr == "add_multi_constructor" or not _names_one_type(argument.value))):
                return True
            if any(isinstance(part, (ast.Name, ast.Attribute)) and name_of(part) in _UNSAFE_CONSTRUCTORS
                   for part in ast.walk(argument)):
                return True
    return False


def _names_one_type(tag: str) -> bool:
    """``...:python/object/apply:pathlib.Path``: a constructor for one named type (omegaconf builds
    paths this way), not the generic ``python/object`` tags that build anything."""
    target = tag.split("python/", 1)[1].partition(":")[2]
    return bool(target) and all(part.isidentifier() for part in target.split("."))


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of a function body, not those of the classes and functions defined in it."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


_UNSAFE_CONSTRUCTORS = frozenset({"Constructor", "FullConstructor", "UnsafeConstructor", "Loader", "FullLoader",
                                  "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"})


def _submodule(package: LoaderModule, name: str) -> LoaderModule | None:
    if package.path is None or package.path.name != "__init__.py":
        return None
    top = package.package_top()
    return _load(package.path.parent / name, top) if top is not None else None


def _load(stem: Path, top: Path | None) -> LoaderModule | None:
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
            return None if tree is None else LoaderModule(tree, inside, top)
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


def yaml_name(name: str) -> Loader:
    if name in YAML_SAFE:
        return Loader.SAFE
    return Loader.NEUTRAL if name in YAML_NEUTRAL else Loader.UNSAFE


def all_of(verdicts: list[Loader]) -> Loader:
    """Bases or alternatives together: one unsafe one spoils all; safe needs one safe part."""
    if Loader.UNSAFE in verdicts:
        return Loader.UNSAFE
    return Loader.SAFE if Loader.SAFE in verdicts else Loader.NEUTRAL
