"""import-linter contracts as findings: each violation of a broken contract is one finding on the
import that starts its chain, like every other finding of the engine (editor, CLI, MCP).

Codes: ``forbidden``, ``protected`` and ``independence`` report ARC101 (an import the team
forbade), ``layers`` ARC102 (an import up the layers; an undeclared module of an ``exhaustive``
contract lands on the contract's section), ``acyclic_siblings`` ARC103 (an import that closes a
cycle between siblings). A configuration problem, an unknown or custom contract type, or a
contract that cannot be checked is ARC006 on the config file's line: never silence.

A finding cites the binding ADR that names the contract (its section name
``importlinter:contract:<id>`` or the id in backticks); otherwise it points at the contract's
section (path and line) as related information. ``data`` carries ``contract`` (the id, the JSON
``rule``) and ``chain`` (importer -> imported).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.registry import RawFinding
from ..codes import ARC006, ARC101, ARC102, ARC103
from ..findings import Related, Severity, Span
from ..knowledge.importlinter_config import ContractsConfig, ContractSpec, load_contracts_config
from ..knowledge.model import RuleSpec
from .contracts import ContractOutcome, Violation, check_contracts

if TYPE_CHECKING:
    from ..knowledge.model import KnowledgeBase
    from .cycles import WorkspaceContext, WorkspaceFinding
    from .index import WorkspaceIndex

CODE_OF_TYPE = {"forbidden": ARC101, "protected": ARC101, "independence": ARC101,
                "layers": ARC102, "acyclic_siblings": ARC103}


def contract_findings(ctx: WorkspaceContext) -> Iterator[WorkspaceFinding]:
    """The findings of every contract in the workspace's import-linter configuration (if any)."""
    from .tach_findings import tach_findings

    yield from _config_findings(ctx, load_contracts_config(ctx.root), "import-linter configuration", None)
    # tach.toml is judged per import as ``tach check`` judges it (its own checker, not contracts).
    yield from tach_findings(ctx)


def _config_findings(ctx: WorkspaceContext, config: ContractsConfig | None, what: str,
                     problem_severity: Severity | None) -> Iterator[WorkspaceFinding]:
    if config is None:
        return
    for problem in config.problems:
        yield problem.path, RawFinding(code=ARC006, message=f"{what}: {problem.message}",
                                       span=Span(problem.line, 1, problem.line, 2), severity=problem_severity)
    if not config.root_packages:
        return
    for module in config.root_packages:
        if module not in ctx.index:
            yield config.path, RawFinding(
                code=ARC006, span=Span(config.line, 1, config.line, 2),
                message=f"{what}: root package `{module}` is not a first-party module of this "
                        "workspace (check `src` in [tool.python-architect]): its contracts check nothing")
    for outcome in check_contracts(ctx.index, config):
        yield from _outcome_findings(ctx, outcome)


def _outcome_findings(ctx: WorkspaceContext, outcome: ContractOutcome) -> Iterator[WorkspaceFinding]:
    spec = outcome.spec
    section = _section_span(spec)
    for problem in outcome.problems:
        # A type we do not enforce is a warning (lint-imports may well check it); a contract
        # that is misconfigured is an error, as lint-imports stops on it.
        severity = Severity.WARNING if spec.type not in CODE_OF_TYPE else None
        yield spec.path, RawFinding(code=ARC006, span=section, data={"contract": spec.id}, severity=severity,
                                    message=f"import-linter contract `{spec.id}` ({spec.type}) is not checked: {problem}")
    rule = citing_rule(ctx.kb, spec)
    where = Related(spec.path, section, f"contract `{spec.id}` ({spec.name})")
    for violation in outcome.violations:
        located = _location(ctx.index, violation)
        if located is None:
            path, span = spec.path, section
        else:
            path, span = located
        yield path, RawFinding(
            code=CODE_OF_TYPE[spec.type], message=_message(spec, violation), span=span, rule=rule,
            data={"contract": spec.id, "chain": list(violation.chain), "imported": violation.chain[-1],
                  "contract_type": spec.type, "between": [violation.importer, violation.imported]},
            related=() if rule is not None else (where,),
        )


def _message(spec: ContractSpec, violation: Violation) -> str:
    label = f"import-linter contract `{spec.id}` ({spec.name}) is broken"
    if violation.line == 0:
        return f"{label}: `{violation.importer}` is not listed as a layer of `{violation.imported}` (exhaustive)"
    if spec.type == "acyclic_siblings":
        return (f"{label}: `{violation.chain[0]}` imports `{violation.chain[1]}`, closing a cycle between "
                f"`{violation.importer}` and `{violation.imported}`")
    if violation.direct:
        return f"{label}: `{violation.chain[0]}` imports `{violation.chain[1]}`"
    return (f"{label}: `{violation.importer}` reaches `{violation.imported}` indirectly: "
            + " -> ".join(violation.chain))


def _location(index: WorkspaceIndex, violation: Violation) -> tuple[Path, Span] | None:
    if violation.line <= 0:
        return None
    path = index.path_of(violation.chain[0])
    facts = index.lookup_module(violation.chain[0])
    if path is None:
        return None
    for fact in facts.imports if facts is not None else ():
        if fact.span.line == violation.line:
            return path, fact.statement_span or fact.span
    return path, Span(violation.line, 1, violation.line, 2)


def _section_span(spec: ContractSpec) -> Span:
    return Span(spec.line, 1, spec.line, 2)


def citing_rule(kb: KnowledgeBase, spec: ContractSpec) -> RuleSpec | None:
    """A synthetic rule of the first binding ADR that names the contract, so the finding cites it."""
    section = re.compile(rf"importlinter:contract:{re.escape(spec.id)}(?![\w-])|`{re.escape(spec.id)}`")
    for adr in kb.adrs:
        if adr.binding and section.search(f"{adr.title}\n{adr.body}"):
            return RuleSpec(id=spec.id, kind="importlinter", adr_id=adr.id, line=spec.line)
    return None
