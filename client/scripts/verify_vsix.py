"""Checks a built VSIX against its target (owned by packaging; run by package.mjs and the tests).

For a platform target (``vsix_targets.py``):
- the manifest's ``TargetPlatform`` is the target;
- every ``*.dist-info/WHEEL`` tag names the target's platform or ``any``, and a wheel in
  ``libs-cp3XX`` was built for that CPython (``cp3XX``, ``abi3`` or ``py3``);
- ``libs-cp3XX`` folders are exactly the target's versions;
- ruff's executable is the target's (``file``: PE32+/Mach-O/ELF, the machine, glibc or musl), and
  no other ruff executable is shipped; no compiled module of another OS (``.pyd`` vs ``.so``);
- the VSIX is at most 40 MB.
For ``universal``: no target platform, no libraries, the bootstrap present.

Usage: python client/scripts/verify_vsix.py --target linux-x64 dist/python-architect-linux-x64-0.1.0.vsix
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from vsix_targets import TARGETS, UNIVERSAL, Target, platform_tag_allowed

LIMIT_BYTES = 40 * 1024 * 1024
BUNDLED = "extension/bundled/"


@dataclass
class Report:
    target: str
    size: int
    wheels: int = 0
    ruff_format: str = ""
    problems: list[str] = field(default_factory=list)


def wheel_tags(text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Tag:")]


def _version_folder(name: str) -> str | None:
    """``extension/bundled/libs-cp312/x.dist-info/WHEEL`` -> ``cp312``; ``libs/...`` -> None."""
    folder = PurePosixPath(name).parts[2]
    return folder[len("libs-"):] if folder.startswith("libs-cp") else None


def _interpreter_fits(tag: str, version: str | None) -> bool:
    interpreter, abi, _ = tag.split("-", 2)
    if interpreter.startswith("py") or abi in ("none", "abi3") or version is None:
        return True
    return interpreter == version


def file_format(data: bytes) -> str:
    """What ``file`` says about an executable's bytes."""
    tool = shutil.which("file")
    if tool is None:
        raise SystemExit("verify: the `file` command is missing (Debian: apt-get install file)")
    with tempfile.NamedTemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run([tool, "-b", handle.name], capture_output=True, text=True, check=True).stdout.strip()


def verify(vsix: Path, target_name: str) -> Report:
    report = Report(target_name, vsix.stat().st_size)
    if report.size > LIMIT_BYTES:
        report.problems.append(f"{report.size / 1024 / 1024:.1f} MB, over the 40 MB limit")
    with zipfile.ZipFile(vsix) as archive:
        names = archive.namelist()
        manifest = archive.read("extension.vsixmanifest").decode("utf-8")
        platform = re.search(r'TargetPlatform="([^"]*)"', manifest)
        if f"{BUNDLED}tool/bootstrap.py" not in names:
            report.problems.append("bundled/tool/bootstrap.py is missing")
        if target_name == UNIVERSAL:
            if platform:
                report.problems.append(f"a universal VSIX names the target {platform.group(1)}")
            libs = sorted({n.split("/")[2] for n in names if n.startswith(f"{BUNDLED}libs")})
            if libs:
                report.problems.append(f"a universal VSIX holds libraries: {', '.join(libs)}")
            return report
        target = TARGETS[target_name]
        if not platform or platform.group(1) != target_name:
            report.problems.append(f"manifest target {platform.group(1) if platform else 'none'}, expected {target_name}")
        _check_wheels(archive, names, target, report)
        _check_ruff(archive, names, target, report)
    return report


def _check_wheels(archive: zipfile.ZipFile, names: list[str], target: Target, report: Report) -> None:
    folders = sorted({n.split("/")[2][len("libs-"):] for n in names if n.startswith(f"{BUNDLED}libs-cp")})
    expected = sorted(f"cp{v.replace('.', '')}" for v in target.versions)
    if folders != expected:
        report.problems.append(f"CPython folders {folders}, expected {expected}")
    for name in names:
        if not (name.startswith(BUNDLED) and name.endswith(".dist-info/WHEEL")):
            continue
        report.wheels += 1
        version = _version_folder(name)
        tags = wheel_tags(archive.read(name).decode("utf-8"))
        if not tags:
            report.problems.append(f"{name}: no Tag lines")
        for tag in tags:
            if not platform_tag_allowed(target, tag):
                report.problems.append(f"{name}: tag {tag} is not for {target.name}")
            elif not _interpreter_fits(tag, version):
                report.problems.append(f"{name}: tag {tag} in the folder for {version}")
    windows = target.ruff.endswith(".exe")
    foreign = [n for n in names if n.startswith(BUNDLED) and n.endswith(".so" if windows else ".pyd")]
    if foreign:
        report.problems.append(f"compiled modules of another OS: {', '.join(foreign[:3])}")


def _check_ruff(archive: zipfile.ZipFile, names: list[str], target: Target, report: Report) -> None:
    expected = f"{BUNDLED}libs/bin/{target.ruff}"
    others = [n for n in names if re.search(r"/bin/ruff(\.exe)?$", n) and n != expected]
    if others:
        report.problems.append(f"other ruff executables: {', '.join(others)}")
    if expected not in names:
        report.problems.append(f"ruff's executable {expected} is missing")
        return
    report.ruff_format = file_format(archive.read(expected))
    if not re.match(target.ruff_format, report.ruff_format):
        report.problems.append(f"ruff is `{report.ruff_format}`, expected /{target.ruff_format}/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, choices=[*TARGETS, UNIVERSAL])
    parser.add_argument("vsix", type=Path)
    args = parser.parse_args(argv)
    report = verify(args.vsix, args.target)
    for problem in report.problems:
        print(f"verify {args.vsix.name}: {problem}", file=sys.stderr)
    if report.problems:
        return 1
    print(f"verify {args.vsix.name}: {report.size / 1024 / 1024:.1f} MB, {report.wheels} wheels fit {args.target}"
          + (f", ruff: {report.ruff_format.split(',')[0]}" if report.ruff_format else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
