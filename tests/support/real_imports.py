"""Import cycles both ways: what the real interpreter says (the ground truth) and what ARC103
reports on the same tree (``tests/workspace/test_cycle_*`` compare the two)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from trees import write_tree

from python_architect.config import ProjectConfig
from python_architect.knowledge.model import KnowledgeBase
from python_architect.workspace.cycles import WorkspaceContext, import_cycles
from python_architect.workspace.files import discover_files
from python_architect.workspace.index import WorkspaceIndex
from python_architect.workspace.roots import SourceRoots


def module_of(relative: str) -> str:
    """``pkg/sub.py`` -> ``pkg.sub``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = relative[: -len(".py")].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def fails_on_the_cycle(root: Path, module: str) -> bool:
    """Imports ``module`` first in a fresh interpreter; True when it stops on the cycle."""
    done = subprocess.run(
        [sys.executable, "-I", "-B", "-c", f"import sys; sys.path.insert(0, {str(root)!r}); import {module}"],
        capture_output=True, text=True, timeout=60,
    )
    if done.returncode == 0:
        return False
    assert "circular import" in done.stderr, done.stderr  # the shape itself must be valid Python
    return True


def arc103_findings(root: Path, options: dict | None = None) -> list:
    """ARC103's raw findings on the tree at ``root`` (``options``: the check's options)."""
    config = ProjectConfig()
    files = discover_files(root, config)
    index = WorkspaceIndex(SourceRoots.from_config(root, config, files.python))
    index.scan(files.python)
    ctx = WorkspaceContext(root=root, index=index, kb=KnowledgeBase(root=root), config=config,
                           roots=index.roots, options_for=lambda code: dict(options or {}))
    return [raw for _path, raw in import_cycles(ctx)]


def assert_arc103_agrees_with_the_interpreter(tmp_path: Path, files: dict[str, str], fails: bool) -> None:
    """ARC103 reports the cycle of ``files`` exactly when importing some module of it first fails
    in a fresh interpreter (``fails``: the table's claim, proven here too), and names that order."""
    root = write_tree(tmp_path, files)
    failing = {module for module in map(module_of, files) if fails_on_the_cycle(root, module)}
    assert bool(failing) is fails  # the table's claim, proven by the interpreter
    findings = arc103_findings(root)
    assert len(findings) == (1 if fails else 0), [raw.message for raw in findings]
    if fails:
        (raw,) = findings
        assert raw.data["entry"] in failing  # the order it names really fails
        assert raw.message.startswith("Import cycle: ")
        assert f"; `import {raw.data['entry']}` first fails on `" in raw.message  # and the message says which
        assert raw.data["cycle"][0] == raw.data["cycle"][-1]
