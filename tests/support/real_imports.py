"""What the real interpreter says about an import cycle: the ground truth ARC103's replay is
tested against (``tests/workspace/test_cycle_*``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


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
