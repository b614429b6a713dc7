"""Bytecode for the server's start-up path, shipped in the bundle (owned by packaging).

Why: an installed VSIX holds sources only, so the first start of every install compiled each
module the server imports (about a second on two cores: lsprotocol, pygls, cattrs, attrs, PyYAML
and the server itself) before it could answer. With ``__pycache__/*.cpython-3XX.pyc`` shipped,
that start reads bytecode for them like any later start.

What: every module of the libraries the server imports between its start and the first
diagnostics (``START_PATH``; ``tests/packaging/test_bytecode.py`` runs a real start and fails
when it compiles a bundled module outside the server itself) for the CPython versions in
``BYTECODE_VERSIONS`` that the target ships. The budget is the VSIX's 40 MB: the alpine-x64
bundle is 38.7 MB without bytecode; these libraries add 0.6 MB per version, the server's own
modules would add 0.9 MB more (they are ~30% of the compile time for 60% of the bytes), so it
is these libraries for one version. The server's modules, and every module for the other
versions, are compiled on the first start and written beside the sources (or, in a read-only
install, under the extension's storage: the bootstrap's ``PYTHON_ARCHITECT_PYCACHE_PREFIX``,
which hides shipped bytecode too, so such an install compiles everything once).

The ``.pyc`` files are ``unchecked-hash`` (PEP 552): an install does not keep the files' times, so
timestamp-checked bytecode would be stale at once; unchecked bytecode is used as it is, which is
right for files nobody edits. Bytecode is CPython-version specific but platform independent, so it
is compiled by an interpreter of that version on the build machine (found on PATH, in pyenv or by
uv; the release workflow installs them); a version without one is skipped with a warning.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

BYTECODE_VERSIONS = ("3.11",)
"""Compiled at packaging time (the size budget above): Debian 12's ``python3`` and this project's
reference machine's. Another version here costs ~0.6 MB of every VSIX that ships it."""

START_PATH = ("attr", "attrs", "cattrs", "lsprotocol", "pygls", "ruff", "typing_extensions.py", "yaml")
"""Top-level entries (in ``libs`` or ``libs-cp3XX``) of the libraries the server's start imports."""

_COMPILE = r"""
import py_compile, sys
for source in sys.stdin.read().splitlines():
    py_compile.compile(source, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
print(sys.implementation.cache_tag)
"""


def start_path_sources(bundle: Path, version: str) -> list[Path]:
    """The ``.py`` files to compile for ``version`` (``3.11``) in an assembled ``bundle``."""
    folders = [bundle / "libs", bundle / f"libs-cp{version.replace('.', '')}"]
    sources: list[Path] = []
    for folder in folders:
        for name in START_PATH:
            entry = folder / name
            if entry.is_file():
                sources.append(entry)
            elif entry.is_dir():
                sources.extend(sorted(entry.rglob("*.py")))
    return sources


def interpreter_for(version: str) -> str | None:
    """A CPython ``version`` on this machine: ``python3.X`` on PATH, pyenv's, then uv's."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if pyenv.is_dir():
        candidates += [str(d / "bin" / f"python{version}") for d in sorted(pyenv.glob(f"{version}.*"), reverse=True)]
    uv = Path(sys.executable).with_name("uv")
    if uv.is_file():
        found = subprocess.run([str(uv), "python", "find", "--no-python-downloads", version],
                               capture_output=True, text=True, check=False)
        candidates.append(found.stdout.strip() if found.returncode == 0 else None)
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and _is_cpython(candidate, version):
            return candidate
    return None


def _is_cpython(python: str, version: str) -> bool:
    try:
        said = subprocess.run([python, "-c", "import sys; print(sys.implementation.name, '%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60, check=False).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return False
    return said == ["cpython", version]


def compile_start_path(bundle: Path, versions: tuple[str, ...]) -> dict[str, str]:
    """Writes the bytecode for each of ``versions`` in ``BYTECODE_VERSIONS``; returns what compiled
    each (version -> interpreter) and warns on stderr about a version without an interpreter."""
    compiled: dict[str, str] = {}
    for version in (v for v in versions if v in BYTECODE_VERSIONS):
        python = interpreter_for(version)
        if python is None:
            print(f"bundle: no CPython {version} here: its bytecode is compiled on the first start instead",
                  file=sys.stderr)
            continue
        sources = start_path_sources(bundle, version)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")}
        subprocess.run([python, "-c", _COMPILE], input="\n".join(map(str, sources)), text=True, check=True,
                       env=env, stdout=subprocess.DEVNULL)
        compiled[version] = python
        print(f"bundle: bytecode for CPython {version} ({len(sources)} modules, {python})", file=sys.stderr)
    return compiled
