"""Security findings of ruff we know to be wrong (issue 21), judged on the parse of the file.

Owns the false-positive classes of S506, judged on the syntax tree, never on ruff's message
(S604's ``shell=`` on a call that runs nothing is ``ruff_refine_shell``'s):

- S506 "unsafe ``yaml.load``" when the loader is a safe one: ``yaml.SafeLoader``/``CSafeLoader``/
  ``BaseLoader``/``CBaseLoader`` however imported, or a project class built on a safe constructor
  (``class AnsibleLoader(Parser, AnsibleConstructor, Resolver)`` where ``AnsibleConstructor``
  derives from ``SafeConstructor``), or a factory function returning one (called:
  ``Loader=get_yaml_loader()``, with a class defined inside it). The loader's name is
  followed through the file's own bindings (classes, assignments, ``try``/``except ImportError``
  alternatives: every alternative must be safe) and through imports into the modules of the
  file's own top-level package (read from disk, bounded, never outside that package). Reported as
  before: no loader, ``Loader``/``UnsafeLoader``/``FullLoader``/``Constructor`` anywhere among the
  bases, and any name we cannot follow.
- S506 on a document the package ships itself: the stream is opened from a path built on
  ``__file__`` (a table of the package's own ``*.yml`` files), as trusted as its code.

``WORKSPACE_REFINERS`` (code -> judge, given the file's path to follow imports) is merged into
``ruff_refine.WORKSPACE_REFINERS``. Pure functions of their inputs plus bounded, cached reads of
sibling modules; no other state.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from .registry import RawFinding
from .ruff_judge_nodes import name_of
from .yaml_loaders import Loader, LoaderModule, Resolver, all_of, bound_names, module_statements, yaml_name


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
    module = LoaderModule.of_text("\n".join(lines), where)
    if module is None:
        return False
    if call.args and _package_own_file(module.tree, call):
        return True
    resolver = Resolver()
    root = loader
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name):
        # ``import yaml`` / ``from yaml import BaseLoader`` inside the function doing the load;
        # ``yaml.loader.BaseLoader`` after a local ``import yaml`` (snakemake's ``parse_config``,
        # issue 21's seventh reading).
        local = [node for scope in _functions_around(module.tree, call.lineno)
                 for node in module_statements(scope.body) if root.id in bound_names(node)]
        if local and loader is root:
            return all_of([resolver.binding(module, node, root.id) for node in local]) is Loader.SAFE
        if local and isinstance(loader, ast.Attribute):
            return all(_imports_yaml(node, root.id) for node in local) and yaml_name(loader.attr) is Loader.SAFE
    return resolver.expression(module, loader) is Loader.SAFE


def _package_own_file(tree: ast.Module, call: ast.Call) -> bool:
    """The document is a file shipped beside the module: the stream (or the ``with open(...) as
    stream`` binding it, in the same function) is opened from a path built on ``__file__``
    (junos-eznc loads its own ``op/*.yml`` tables, issue 21's sixteenth reading). Those files are
    as trusted as the package's code; a path from anywhere else stays reported."""
    stream = call.args[0]
    origins: list[ast.AST] = [stream]
    if isinstance(stream, ast.Name):
        for scope in _functions_around(tree, call.lineno):
            for node in ast.walk(scope):
                if isinstance(node, (ast.With, ast.AsyncWith)):
                    origins += [item.context_expr for item in node.items if isinstance(item.optional_vars, ast.Name)
                                and item.optional_vars.id == stream.id]
                elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == stream.id for t in node.targets):
                    origins.append(node.value)
        origins = origins[1:]
    return bool(origins) and all(
        isinstance(origin, ast.Call) and any(isinstance(part, ast.Name) and part.id == "__file__" for part in ast.walk(origin))
        and not any(isinstance(part, (ast.IfExp, ast.BoolOp)) for part in ast.walk(origin))  # ``given or own``
        for origin in origins)


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


WORKSPACE_REFINERS = {"S506": s506_safe_loader}
"""code -> judge(near, lines, finding, (path, root)): the same, given where the file lives to follow
its imports inside the workspace root."""
