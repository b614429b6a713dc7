"""The project: one workspace's configuration, knowledge base and module index, and the checks.

This is the single entry point the CLI, the language server and the advisor call. It owns the
order of work: one parse per file version, module checks, the ruff bridge, ADR-rule citations,
severity caps for proposed ADRs, select/ignore and suppression comments.

SKELETON: signatures are the contract between the core, the LSP layer and the advisor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import ConfigError, ProjectConfig
from .findings import Finding
from .knowledge.model import KnowledgeBase
from .analysis.facts import ModuleFacts


@dataclass
class FileAnalysis:
    """The result of analysing one file's text (saved or not).

    ``kind`` is ``python``, ``dependencies`` (requirements*.txt / pyproject.toml), ``adr``
    (an ADR markdown file) or ``other``. ``syntax_error`` is set (and ``findings`` holds only it
    plus ADR/dependency findings) when Python text does not parse; ``facts`` is None then.
    """

    path: Path
    kind: str
    findings: list[Finding] = field(default_factory=list)
    syntax_error: Finding | None = None
    facts: ModuleFacts | None = None
    module: str | None = None


@dataclass
class CheckResult:
    findings: list[Finding]
    files: int
    adrs: int


class Project:
    """A workspace root with its configuration, knowledge base and (lazily built) module index."""

    root: Path
    config: ProjectConfig
    config_errors: list[ConfigError]
    kb: KnowledgeBase

    @classmethod
    def load(cls, root: Path) -> "Project":
        """Reads config and knowledge base. Does not scan the workspace (see ``ensure_index``)."""
        raise NotImplementedError

    def reload_knowledge(self) -> None:
        """Re-reads ``.ai/`` and ``.claude/`` (after an ADR or agent file changed)."""
        raise NotImplementedError

    def reload_config(self) -> None:
        """Re-reads ``pyproject.toml`` (config, source roots) and then the knowledge base."""
        raise NotImplementedError

    def ensure_index(self) -> None:
        """Scans every workspace Python file into the module index (idempotent; slow: off the
        editor's keystroke path)."""
        raise NotImplementedError

    def files(self) -> list[Path]:
        """Every checkable file under the root, respecting .gitignore and ``exclude``."""
        raise NotImplementedError

    def module_name(self, path: Path) -> str | None:
        raise NotImplementedError

    def analyze(self, path: Path, text: str | None = None, *, ruff: bool | None = None) -> FileAnalysis:
        """Analyses one file's current text (read from disk when ``text`` is None).

        Python files: module checks + ruff bridge; dependency files: ARC110; ADR files: the
        knowledge problems located in that file. Updates the index entry for Python files.
        Never raises on bad input (syntax errors, odd encodings, huge files).
        """
        raise NotImplementedError

    def workspace_findings(self) -> list[Finding]:
        """Findings that need the whole index (import cycles ARC103), grouped by file by callers."""
        raise NotImplementedError

    def check_paths(
        self,
        paths: list[Path] | None = None,
        *,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        jobs: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> CheckResult:
        """The CLI's ``check``: every file under ``paths`` (default: the root) plus workspace and
        ADR-file findings, sorted."""
        raise NotImplementedError
