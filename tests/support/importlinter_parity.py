"""Run ``lint-imports`` and our engine on the same tree and reduce both to what must agree.

Per contract name: the verdict (KEPT / BROKEN), the *direct* violating imports (one-hop chains)
as ``(importer, imported)`` pairs, and the (importer, imported) package pairs of every
violation. import-linter's longer chains are not unique (several shortest chains, picked
differently from run to run), so chains of more than one hop are compared by their pair only.
``lint-imports`` 2.x prints text only (no JSON, import-linter #291); this parses that text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from python_architect.engine import Project
from python_architect.knowledge.importlinter_config import load_contracts_config

LINT_IMPORTS = shutil.which("lint-imports") or str(Path(os.sys.executable).with_name("lint-imports"))

_VERDICT = re.compile(r"^(?P<name>.+?) (?P<verdict>KEPT|BROKEN)(?: \(\d+ ignored imports?\))?$")
_PAIR = re.compile(r"^(?P<importer>[\w.]+) is not allowed to import (?P<imported>[\w.]+):$")
_LINK = re.compile(r"^-?\s*(?P<importer>[\w.]+) -> (?P<imported>[\w.]+) \((?:l\.[\d?, l.]+)\)$")
_HEAD = re.compile(r"^-?\s*(?P<importer>[\w.]+) \((?:l\.[\d?, l.]+)\)$")
_EXTRA = re.compile(r"^\s*& (?P<importer>[\w.]+) -> (?P<imported>[\w.]+) \(")
_PROTECTED = re.compile(r"^Illegal imports of protected package (?P<package>[\w.]+)")
_CYCLE_PACKAGE = re.compile(r"^No cycles are allowed in (?P<package>[\w.]+)\.$")


@dataclass
class Verdicts:
    verdict: dict[str, str] = field(default_factory=dict)
    direct: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    pairs: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    undeclared: dict[str, set[str]] = field(default_factory=dict)
    """Modules an ``exhaustive`` layers contract does not list."""
    problem_lines: dict[str, list[int]] = field(default_factory=dict)
    """Ours only: the config-file lines of a contract's ARC006 problems."""


def lint_imports(root: Path, *extra: str) -> tuple[Verdicts, str]:
    completed = subprocess.run(
        [LINT_IMPORTS, "--no-cache", *extra], cwd=root, capture_output=True, text=True, encoding="utf-8",
        timeout=300, check=False, stdin=subprocess.DEVNULL,
        # Wide: wrapped at 80 columns a long chain link spans two lines and the parser misreads it.
        env={**os.environ, "PYTHONPATH": str(root), "COLUMNS": "1000"},
    )
    text = completed.stdout + completed.stderr
    return parse_report(text), text


def parse_report(text: str) -> Verdicts:
    result = Verdicts()
    lines = text.splitlines()
    names: list[str] = []
    for line in lines:
        match = _VERDICT.match(line.strip())
        if match:
            result.verdict[match["name"]] = match["verdict"]
            names.append(match["name"])
    # The broken contracts' sections: a name line underlined by dashes.
    current: str | None = None
    pair: tuple[str, str] | None = None
    chain: list[tuple[str, str]] = []
    heads: list[str] = []
    listing = False

    def close() -> None:
        if current is None or not chain:
            return
        if len(chain) == 1:
            for importer in heads + [chain[0][0]]:
                result.direct.setdefault(current, set()).add((importer, chain[0][1]))
        if pair is not None:
            result.pairs.setdefault(current, set()).add(pair)

    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if line.strip() in names and following.strip() and set(following.strip()) == {"-"}:
            close()
            current, pair, chain, heads = line.strip(), None, [], []
            continue
        if current is None:
            continue
        stripped = line.rstrip()
        if stripped == "The following modules are not listed as layers:":
            close()
            pair, chain, heads, listing = None, [], [], True
            continue
        if listing and (match := re.match(r"^- ([\w.]+)$", stripped)):
            result.undeclared.setdefault(current, set()).add(match[1])
            continue
        listing = listing and not stripped.startswith("(")
        if match := _PAIR.match(stripped):
            close()
            pair, chain, heads = (match["importer"], match["imported"]), [], []
        elif match := _PROTECTED.match(stripped):
            close()
            pair, chain, heads = None, [], []
        elif stripped.startswith("-") and (match := _LINK.match(stripped)):
            close()
            chain, heads = [(match["importer"], match["imported"])], []
            if pair is None:  # protected: each line is one direct import
                result.direct.setdefault(current, set()).add(chain[0])
                chain = []
        elif stripped.startswith("-") and (match := _HEAD.match(stripped)):
            close()
            chain, heads = [], [match["importer"]]
        elif match := _EXTRA.match(stripped):
            if not chain:
                chain = [(match["importer"], match["imported"])]
            else:
                heads.append(match["importer"])
        elif match := _LINK.match(stripped):
            chain.append((match["importer"], match["imported"]))
    close()
    return result


def ours(root: Path) -> Verdicts:
    """Our engine's findings for every contract of the tree's import-linter configuration."""
    project = Project.load(root)
    result = project.check_paths(ruff=False, jobs=1)
    config = load_contracts_config(root)
    assert config is not None
    names = {spec.id: spec.name for spec in config.contracts}
    verdicts = Verdicts(verdict=dict.fromkeys(names.values(), "KEPT"))
    for finding in result.findings:
        contract = finding.data.get("contract")
        if contract not in names:
            continue
        name = names[contract]
        if finding.code == "ARC006":
            verdicts.verdict[name] = "ERROR: " + finding.message
            verdicts.problem_lines.setdefault(name, []).append(finding.span.line)
            continue
        verdicts.verdict[name] = "BROKEN"
        chain = finding.data.get("chain") or []
        between = tuple(finding.data.get("between") or ())
        if len(chain) == 1:  # a module an exhaustive contract does not list
            verdicts.undeclared.setdefault(name, set()).add(chain[0])
            continue
        if finding.data.get("contract_type") == "acyclic_siblings":
            verdicts.pairs.setdefault(name, set()).add(between)
            continue
        if len(chain) == 2:
            verdicts.direct.setdefault(name, set()).add((chain[0], chain[1]))
        if len(between) == 2 and finding.data.get("contract_type") != "protected":
            verdicts.pairs.setdefault(name, set()).add(between)
    return verdicts


def acyclic_pairs(text: str, contract: str) -> set[tuple[str, str]]:
    """``lint-imports``' acyclic_siblings summary: "- .a -> .b (N imports)" under a package."""
    pairs: set[tuple[str, str]] = set()
    package = None
    inside = False
    for line in text.splitlines():
        if line.strip() == contract:
            inside = True
        if not inside:
            continue
        if match := _CYCLE_PACKAGE.match(line.strip()):
            package = match["package"]
        elif package and (match := re.match(r"^- \.(\w+) -> \.(\w+) \(", line.strip())):
            pairs.add((f"{package}.{match[1]}", f"{package}.{match[2]}"))
    return pairs
