"""Loading a workspace's knowledge base: ADRs, architecture documents and agent definitions, plus
the problems that need every ADR at once (ARC003 missing references, ARC004 duplicate ids,
ARC005 globs matching nothing).

Files are read as bytes and decoded robustly; an unreadable or broken file costs that file only.
Only files inside the root are read, each within a size bound (``reading``): a link out of the
root is skipped with a log line, an oversized ADR is an ARC001 problem on that file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..config import ProjectConfig
from ..findings import Finding, sort_key
from ..root_paths import NotReadable
from .adr_parser import parse_adr
from .agents import load_agents
from .documents import load_documents
from .markdown import decode_text, normalize_text
from .model import Adr, KnowledgeBase
from .problems import (
    FRONTMATTER_ERROR,
    adr_problem,
    duplicate_id_problems,
    missing_reference_problems,
    unmatched_glob_problems,
    unmatched_layer_problems,
)
from .reading import read_inside
from .scope import relative_posix

NOT_ADRS = frozenset({"readme", "index", "template", "adr-template"})
"""File stems in the ADR folder that adr-tools, MADR and log4brains use for non-records."""


def adr_dir(root: Path, config: ProjectConfig) -> Path:
    return root / config.knowledge_dir / "adrs"


def adr_files(root: Path, config: ProjectConfig) -> list[Path]:
    """The ADR markdown files, in file-name order (the numbering order)."""
    folder = adr_dir(root, config)
    try:
        candidates = sorted(p for p in folder.glob("*.md") if p.is_file())
    except OSError:
        return []
    return [p for p in candidates if p.stem.lower() not in NOT_ADRS]


def is_adr_file(path: Path, root: Path, config: ProjectConfig) -> bool:
    """Whether ``path`` is one of the ADR files (for routing an edited file to ``parse_adr``)."""
    return (
        path.suffix.lower() == ".md"
        and path.parent == adr_dir(root, config)
        and path.stem.lower() not in NOT_ADRS
    )


def load_knowledge(
    root: Path,
    config: ProjectConfig,
    workspace_files: Callable[[], Iterable[Path]] | None = None,
) -> KnowledgeBase:
    """Reads ``<knowledge-dir>/adrs/*.md``, the documents and ``<agents-dir>/*.md`` under ``root``.

    ``workspace_files`` lists the workspace's files (any kind, absolute or relative to ``root``);
    it is called at most once, and only when some ADR has a glob to check (ARC005).
    """
    kb = KnowledgeBase(root=root)
    lines_of: dict[Path, list[str]] = {}
    for path in adr_files(root, config):
        try:
            data = read_inside(path, root, "ADR")
        except NotReadable as error:
            # Over the size bound, a FIFO, a device: the file is a problem to fix, shown on it.
            kb.problems.append(adr_problem(FRONTMATTER_ERROR, path, 1, f"not loaded: {error}"))
            continue
        except OSError:
            continue
        if data is None:
            continue
        text = decode_text(data)
        adr, problems = parse_adr(path, text)
        kb.problems.extend(problems)
        if adr is not None:
            kb.adrs.append(adr)
            lines_of[path] = text.split("\n")
    kb.documents = load_documents(root / config.knowledge_dir, root)
    kb.agents = load_agents(root / config.agents_dir, root)
    kb.problems.extend(cross_adr_problems(kb.adrs, lines_of, root, workspace_files))
    kb.problems.sort(key=sort_key)
    return kb


def cross_adr_problems(
    adrs: list[Adr],
    lines_of: dict[Path, list[str]],
    root: Path,
    workspace_files: Callable[[], Iterable[Path]] | None = None,
) -> list[Finding]:
    """ARC003, ARC004 and (with ``workspace_files``) ARC005 over a set of parsed ADRs."""
    found = missing_reference_problems(adrs, lines_of)
    found.extend(duplicate_id_problems(adrs, lines_of))
    layered = any(rule.kind in ("layers", "interface", "independence") for adr in adrs for rule in adr.rules)
    if workspace_files is not None and (layered or any(adr.globs for adr in adrs)):
        relative = [
            r for r in (relative_posix(p, root) for p in workspace_files()) if r is not None
        ]
        found.extend(unmatched_glob_problems(adrs, relative, lines_of))
        found.extend(unmatched_layer_problems(adrs, relative, lines_of))
    return found


def adr_file_problems(
    kb: KnowledgeBase,
    path: Path,
    text: str,
    relative_files: list[str] | None = None,
) -> list[Finding]:
    """ARC001-ARC005 for one ADR file's current (possibly unsaved) text, against the other ADRs.

    For the editor: the edited text replaces the loaded record of ``path`` when checking links
    and ids; ``relative_files`` (workspace files relative to the root) enables ARC005.
    """
    adr, found = parse_adr(path, text)
    if adr is None:
        return found
    others = [other for other in kb.adrs if other.path != path]
    lines_of = {path: normalize_text(text).split("\n")}
    cross = missing_reference_problems([*others, adr], lines_of)
    cross.extend(duplicate_id_problems([*others, adr], lines_of))
    if relative_files is not None:
        cross.extend(unmatched_glob_problems([adr], relative_files, lines_of))
        cross.extend(unmatched_layer_problems([adr], relative_files, lines_of))
    found.extend(problem for problem in cross if problem.path == path)
    return sorted(found, key=sort_key)
