"""The cache is keyed on the code that made it, not only the version number: editing a check's
source (a development edit, or an upgrade that forgot to bump ``__version__``) must not let the
findings of the old code come back from the cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from python_architect.workspace import cache as cache_module
from python_architect.workspace.cache import CLI_CACHE_DIR
from trees import write_tree

TREE = {
    "pyproject.toml": "[project]\nname = 'app'\n\n[tool.python-architect]\nselect = [\"ARC201\"]\n",
    "src/app/__init__.py": "",
    "src/app/base.py": ("class Repository:\n    def __init__(self):\n        self.items = []\n\n"
                        "    def save(self, item):\n        self.items.append(item)\n"),
    "src/app/child.py": "from app.base import Repository\n\n\nclass OrderRepository(Repository):\n    pass\n",
}
OLD = "inherits implementation from the concrete class"
NEW = "inherits behaviour from the concrete class     "  # same length: a size check alone misses it


def check_with(package_parent: Path, root: Path) -> list[str]:
    """ARC201 messages of ``check`` run by the package copy under ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--no-ruff", "--format", "json"],
        cwd=root, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert completed.returncode == 1, completed.stderr
    report = json.loads(completed.stdout)
    findings = report["findings"] if isinstance(report, dict) else report
    return [f["message"] for f in findings if f["code"] == "ARC201"]


def test_editing_a_check_module_invalidates_the_cache(tmp_path: Path) -> None:
    copy = tmp_path / "site" / "python_architect"
    shutil.copytree(cache_module.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    root = write_tree(tmp_path / "ws", TREE)
    first = check_with(copy.parent, root)
    assert len(first) == 1 and OLD in first[0]
    assert list((root / CLI_CACHE_DIR).glob("*.pack")), "the first run filled the cache"

    module = copy / "analysis" / "checks_design.py"
    text = module.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    module.write_text(text.replace(OLD, NEW), encoding="utf-8")
    second = check_with(copy.parent, root)
    assert len(second) == 1 and NEW in second[0], "the edited check ran again; nothing stale came back"


def test_code_fingerprint_follows_the_bytes_of_every_file(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "mod.py").write_text("X = 1\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"compiled")
    (package / ".ruff_cache").mkdir()
    (package / ".ruff_cache" / "entry").write_bytes(b"lint state")
    before = cache_module.code_fingerprint(package)
    assert cache_module.code_fingerprint(package) == before  # computed once, answered again
    cache_module._CODE_FINGERPRINTS.clear()
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"recompiled")
    (package / ".ruff_cache" / "entry").write_bytes(b"other lint state")
    assert cache_module.code_fingerprint(package) == before, "compiled files and tool caches are not the code"
    cache_module._CODE_FINGERPRINTS.clear()
    (package / "sub" / "mod.py").write_text("X = 2\n")
    assert cache_module.code_fingerprint(package) != before
