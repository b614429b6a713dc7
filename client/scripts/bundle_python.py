"""Builds ``bundled/`` for one VSIX target: the server and its runtime dependencies per CPython.

Owned by packaging (``npm run package`` calls it). The dependencies are ``[project]
dependencies`` of ``pyproject.toml`` pinned by ``constraints.txt``, installed with ``uv pip install
--target`` for each CPython minor version the target ships and its platform (``vsix_targets.py``),
from wheels only. Then split by top-level entry
(a package folder, a module, a ``.dist-info``): an entry identical for every version goes once into
``bundled/libs/``; one that differs (compiled extensions: pydantic-core, jiter, PyYAML's
``_yaml``, ...) or exists for some versions only (tomli on 3.10) goes into
``bundled/libs-cp3XX/``. A package is never split across folders: Python imports a regular package
from the first ``sys.path`` entry that has it, so its compiled module must sit beside it. ruff's
executable goes once into ``bundled/libs/bin/`` (where ``ruff.find_ruff_bin`` looks for a
``--target`` install). Other console scripts are dropped: their shebangs name the build machine.

The dependency tree is cached under ``${XDG_CACHE_HOME:-~/.cache}/python-architect/bundle/<target>-<key>``,
keyed by the dependency list, the constraints, the platform, the versions and this script's
layout version, so a second run with unchanged inputs only copies. uv's download cache is
``.../python-architect/uv`` (unless ``UV_CACHE_DIR`` is set): one cache for every target and
CPython version (pure wheels and each platform's ruff are downloaded once), and one folder for CI
to keep between runs.

The ``universal`` target bundles the bootstrap only: the server comes from the interpreter's
environment (``pip install python-architect``; the client says so). The ``python_architect``
package itself is copied fresh from ``server/`` every time (it changes with every edit).

Usage: python client/scripts/bundle_python.py [--target linux-x64] [--out DIR] | --list-targets
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from bytecode import compile_start_path
from vsix_targets import TARGETS, UNIVERSAL, Target

LAYOUT_VERSION = "3"
REPO = Path(__file__).resolve().parents[2]
DEFAULT_TARGET = "linux-x64"
DROPPED = {"__pycache__", "bin", ".lock"}


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "python-architect" / "bundle"


def uv_environment() -> dict[str, str]:
    """uv's download cache beside ours (shared by every target and version) unless set already."""
    env = dict(os.environ)
    env.setdefault("UV_CACHE_DIR", str(cache_root().parent / "uv"))
    return env


def runtime_dependencies(pyproject: Path) -> list[str]:
    with pyproject.open("rb") as handle:
        return list(tomllib.load(handle)["project"]["dependencies"])


def cache_key(deps: list[str], constraints: str, platform: str, versions: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for part in (LAYOUT_VERSION, "\n".join(deps), constraints, platform, "\n".join(versions)):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


def uv_executable() -> str:
    """uv from this interpreter's environment (the test extra installs it), else PATH."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if not found:
        raise SystemExit("bundle: uv is missing; run ./dev setup (it installs the test extra)")
    return found


def install_target(target: Path, version: str, deps: list[str], constraints: Path, platform: str) -> None:
    # uv, not pip: pip evaluates environment markers (tomli, exceptiongroup, the 3.10 pins in
    # constraints.txt) against the interpreter running it, not the --python-version target.
    command = [uv_executable(), "pip", "install", "--quiet", "--no-compile", "--target", str(target),
               "--python-version", version, "--python-platform", platform, "--only-binary", ":all:",
               "-c", str(constraints)]
    subprocess.run(command + deps, check=True, env=uv_environment())


def tree_digest(path: Path) -> str:
    """Content hash of a file or folder (relative names, bytes, executable bits)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if "__pycache__" in file.parts:
            continue
        digest.update(str(file.relative_to(path.parent)).encode() + b"\0")
        digest.update(b"x" if os.access(file, os.X_OK) else b"-")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def split(per_version: dict[str, Path], out: Path) -> dict[str, list[str]]:
    """Writes ``out/libs`` and ``out/libs-cp3XX``; returns which entries went where."""
    shared = out / "libs"
    shared.mkdir(parents=True)
    names = sorted({p.name for d in per_version.values() for p in d.iterdir()} - DROPPED)
    placed: dict[str, list[str]] = {"libs": []}
    for name in names:
        digests = {v: tree_digest(d / name) for v, d in per_version.items() if (d / name).exists()}
        if len(digests) == len(per_version) and len(set(digests.values())) == 1:
            _copy(next(iter(per_version.values())) / name, shared / name)
            placed["libs"].append(name)
            continue
        for version in digests:
            folder = f"libs-cp{version.replace('.', '')}"
            _copy(per_version[version] / name, out / folder / name)
            placed.setdefault(folder, []).append(name)
    exe = next((n for n in ("ruff", "ruff.exe") if (next(iter(per_version.values())) / "bin" / n).is_file()), "ruff")
    rufs = {tree_digest(d / "bin" / exe) for d in per_version.values() if (d / "bin" / exe).is_file()}
    if len(rufs) != 1:
        raise SystemExit(f"bundle: expected one identical ruff executable across versions, found {len(rufs)}")
    (shared / "bin").mkdir()
    _copy(next(iter(per_version.values())) / "bin" / exe, shared / "bin" / exe)
    for version in per_version:  # every supported version gets its folder, even if empty
        (out / f"libs-cp{version.replace('.', '')}").mkdir(exist_ok=True)
    return placed


def _copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, dest)


def build_dependencies(target: Target) -> Path:
    deps = runtime_dependencies(REPO / "pyproject.toml")
    constraints = REPO / "constraints.txt"
    key = cache_key(deps, constraints.read_text(encoding="utf-8"), target.uv_platform, target.versions)
    final = cache_root() / f"{target.name}-{key}"
    if (final / "complete").is_file():
        print(f"bundle: dependencies from cache {final}", file=sys.stderr)
        return final
    work = final.with_name(f"{final.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    started = time.monotonic()
    per_version = {}
    for version in target.versions:
        folder = work / "targets" / f"cp{version.replace('.', '')}"
        print(f"bundle: installing dependencies for {target.name}, CPython {version}", file=sys.stderr)
        install_target(folder, version, deps, constraints, target.uv_platform)
        per_version[version] = folder
    placed = split(per_version, work / "out")
    shutil.rmtree(work / "targets")
    (work / "out" / "placement.txt").write_text(
        "".join(f"{folder}: {' '.join(names)}\n" for folder, names in sorted(placed.items())), encoding="utf-8")
    (work / "out" / "complete").write_text(key, encoding="utf-8")
    shutil.rmtree(final, ignore_errors=True)
    (work / "out").rename(final)
    shutil.rmtree(work, ignore_errors=True)
    prune(keep=final, prefix=f"{target.name}-")
    print(f"bundle: dependencies built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return final


def prune(keep: Path, prefix: str, entries: int = 2) -> None:
    """Drops all but the newest few cached trees of one target (each ~90 MB; constraints change often)."""
    trees = sorted((p for p in keep.parent.iterdir()
                    if p.name.startswith(prefix) and (p / "complete").is_file() and p != keep),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for old in trees[entries - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def assemble(deps: Path | None, out: Path, versions: tuple[str, ...] = (), own_bytecode: bool = False) -> None:
    """``out/tool/bootstrap.py`` and, unless universal (``deps`` None), the libraries, the server and
    the bytecode of its start-up path for those of ``versions`` it is shipped for (``bytecode.py``;
    the server's own modules' too when ``own_bytecode``)."""
    shutil.rmtree(out, ignore_errors=True)
    _copy(REPO / "client" / "bundle" / "tool" / "bootstrap.py", out / "tool" / "bootstrap.py")
    if deps is None:
        return
    for entry in deps.iterdir():
        if entry.is_dir() and entry.name.startswith("libs"):
            shutil.copytree(entry, out / entry.name, symlinks=False)
    _copy(REPO / "server" / "python_architect", out / "libs" / "python_architect")
    compile_start_path(out, versions, own=own_bytecode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=DEFAULT_TARGET, choices=[*TARGETS, UNIVERSAL],
                        help=f"VS Code target (default {DEFAULT_TARGET})")
    parser.add_argument("--out", default=str(REPO / "bundled"), help="output folder (default: bundled/)")
    parser.add_argument("--list-targets", action="store_true", help="print the buildable targets, one a line")
    args = parser.parse_args(argv)
    if args.list_targets:
        print("\n".join(TARGETS))
        return 0
    try:
        deps = None if args.target == UNIVERSAL else build_dependencies(TARGETS[args.target])
    except subprocess.CalledProcessError as exc:
        print(f"bundle: uv failed (exit {exc.returncode}); see its message above", file=sys.stderr)
        return 1
    target = TARGETS.get(args.target)
    assemble(deps, Path(args.out), target.versions if target else (), own_bytecode=bool(target and target.own_bytecode))
    print(f"bundle: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
