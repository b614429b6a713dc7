"""``tach.toml`` as findings: each violation ``workspace.tach_check`` finds is one finding on the
import line, like every other finding of the engine (editor, CLI, MCP).

Codes: an undeclared or ``cannot_depend_on`` dependency is ARC101, an import up the layers (or
across a closed layer) ARC102, a member outside a module's interfaces ARC104, a ``deprecated``
dependency ARC106 (a warning, as Tach prints it). What tach.toml holds that is not read is an
ARC006 warning on its line; what Tach refuses as a configuration error (a ``visibility`` the
``depends_on`` breaks, ``<root>`` where ``root_module`` forbids it) is an ARC006 error.

A finding cites the binding ADR that names its contract in backticks (``tach:<module>``,
``tach:layers:<module>``, ``tach:interfaces:<module>``); otherwise it points at the line of
tach.toml that states the rule, as related information. ``data`` carries ``contract``,
``chain`` (importer -> imported) and ``imported`` as import-linter findings do.

``# tach-ignore`` directives are honoured as Tach reads them (on the import's line, or alone on
the line above; limited to the names after it when there are any). They are read from the file
on disk: a directive typed in the editor counts once the file is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.registry import RawFinding
from ..codes import ARC006, ARC101, ARC102, ARC104, ARC106
from ..findings import Related, Severity, Span
from ..knowledge.importlinter_config import ContractSpec
from ..knowledge.tach_config import ROOT, TachConfig, load_tach_config
from ..root_paths import NotReadable, contained, read_bounded
from .contract_findings import citing_rule
from .cycles import strongly_connected
from .tach_check import TachViolation, check_tach

if TYPE_CHECKING:
    from .cycles import WorkspaceContext, WorkspaceFinding

_TEXT_LIMIT = 5_000_000
_CODE = {"dependency": ARC101, "layers": ARC102, "interface": ARC104}
_TYPE = {"dependency": "forbidden", "layers": "layers", "interface": "interface"}


def tach_findings(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    """The findings of the workspace's ``tach.toml`` (none without one)."""
    config = load_tach_config(ctx.root)
    if config is None:
        return
    for problem in config.problems:
        yield problem.path, _config_finding(f"tach.toml: {problem.message}", problem.line, Severity.WARNING)
    for problem in config.errors:
        yield problem.path, _config_finding(f"tach.toml: {problem.message}", problem.line, Severity.ERROR)
    yield from _setup_findings(ctx, config)
    if config.forbid_cycles:
        yield from _cycle_findings(config)
    outcome = check_tach(ctx.index, config, ctx.root)
    directives: dict[Path, dict[int, tuple[str, ...]]] = {}
    for violation in outcome.violations:
        path = ctx.index.path_of(violation.importer)
        if path is None:
            continue
        if path not in directives:
            directives[path] = ignore_directives(path)
        ignored = directives[path].get(violation.fact.span.line)
        if ignored is None or (ignored and not any(violation.imported.endswith(name) for name in ignored)):
            yield path, _violation_finding(ctx, config, violation)
    for module, dependency in outcome.unused:
        yield config.path, _config_finding(
            f"tach.toml: `{module.path}` declares a dependency on `{dependency.path}` it does not use "
            "(exact = true)", module.line, Severity.ERROR)


_DIRECTIVE = re.compile(r"# *tach-ignore(?:\(([^)]*)\))?((?:\s+[\w.]+)*)\s*$")
"""Tach's own pattern: ``# tach-ignore``, an optional ``(reason)``, optional names."""


def ignore_directives(path: Path) -> dict[int, tuple[str, ...]]:
    """``# tach-ignore`` directives of a file on disk: the line each applies to (its own line, or
    the next one for a comment alone on its line) -> the names it is limited to (() for all)."""
    try:
        text = read_bounded(path, _TEXT_LIMIT).decode("utf-8", errors="replace")
    except (NotReadable, OSError):
        return {}
    if "tach-ignore" not in text:
        return {}
    found: dict[int, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _DIRECTIVE.search(line) if "tach-ignore" in line else None
        if match is not None:
            target = number + 1 if line.lstrip().startswith("#") else number
            found.setdefault(target, tuple(match.group(2).split()))
    return found


def _config_finding(message: str, line: int, severity: Severity) -> RawFinding:
    return RawFinding(code=ARC006, message=message, span=Span(line, 1, line, 2), severity=severity)


def _cycle_findings(config: TachConfig) -> Iterator[WorkspaceFinding]:
    """``forbid_circular_dependencies``: modules whose declared ``depends_on`` form a cycle (a
    strongly connected component of two or more, as Tach computes it), an error on each."""
    graph = {m.path: [d.path for d in m.depends_on or () if d.path in config.modules] for m in config.modules.values()}
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        members = ", ".join(f"`{name}`" for name in sorted(component))
        for name in sorted(component):
            yield config.path, _config_finding(
                f"tach.toml: `{name}` is in a circular dependency between {members} (forbid_circular_dependencies)",
                config.modules[name].line, Severity.ERROR)


def _setup_findings(ctx: WorkspaceContext, config: TachConfig) -> Iterator[WorkspaceFinding]:
    """Source roots that are not the workspace's, and modules that name nothing: each would make
    rules check nothing without a word."""
    ours = set(ctx.roots.roots)
    theirs = {contained(ctx.root / entry, ctx.root) for entry in config.source_roots}
    if config.source_roots and theirs - ours:
        listed = ", ".join(f"`{entry}`" for entry in config.source_roots)
        yield config.path, _config_finding(
            f"tach.toml: source_roots {listed} are not this workspace's source roots (`src` in "
            "[tool.python-architect] wins): module paths are read under those", 1, Severity.WARNING)
    modules = ctx.index.modules()
    for module in modules:
        path = ctx.index.path_of(module)
        domain = path.parent / "tach.domain.toml" if path is not None and path.stem == "__init__" else None
        if domain is not None and domain.is_file():  # Tach reads these too; we would miss its rules
            yield domain, _config_finding(
                "tach.domain.toml is not read: its modules and interfaces are not checked (state them in tach.toml)",
                1, Severity.WARNING)
    packages = {m.rsplit(".", depth)[0] for m in modules for depth in range(1, m.count(".") + 1)}
    for module in config.modules.values():
        if module.path != ROOT and module.path not in ctx.index and module.path not in packages:
            yield config.path, _config_finding(
                f"tach.toml: module `{module.path}` names no module under the source roots: its rules check nothing",
                module.line, Severity.WARNING)


def _violation_finding(ctx: WorkspaceContext, config: TachConfig, violation: TachViolation) -> RawFinding:
    fact = violation.fact
    deprecated = violation.kind == "dependency" and violation.warning and "deprecated" in violation.message
    code = ARC106 if deprecated else _CODE[violation.kind]
    spec = ContractSpec(id=violation.contract, name=f"tach.toml {violation.kind} rules", type=_TYPE[violation.kind],
                        options={}, path=config.path, line=violation.config_line)
    rule = citing_rule(ctx.kb, spec)
    section = Span(violation.config_line, 1, violation.config_line, 2)
    return RawFinding(
        code=code, span=fact.statement_span or fact.span, rule=rule,
        severity=Severity.WARNING if violation.warning else None,
        message=f"tach.toml contract `{violation.contract}` is broken: {violation.message}",
        data={"contract": violation.contract, "chain": [violation.importer, violation.imported],
              "imported": violation.imported, "contract_type": spec.type,
              "between": [violation.usage, violation.definition]},
        related=() if rule is not None else (Related(config.path, section, f"tach.toml `{violation.contract}`"),))
