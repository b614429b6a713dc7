"""The platforms a VSIX is built for, and what each one's files must look like (owned by packaging).

One table read by ``bundle_python.py`` (which wheels to install: uv's ``--python-platform`` and the
CPython versions with wheels for every dependency) and by ``verify_vsix.py`` (what the
``*.dist-info/WHEEL`` platform tags and ruff's executable must be). VS Code's target names
(``vsce package --target``) are the keys.

Not built: ``linux-armhf``: PyYAML 6.0.x publishes no ``armv7l`` wheel (only an sdist, and the
bundle never compiles), and uv 0.13 cannot resolve for armv7. ``win32-arm64`` ships CPython 3.12
and 3.13 only: PyYAML publishes ``win_arm64`` wheels from 3.12 on (CPython for Windows on Arm is
itself only official from 3.11). A platform without a build installs the universal VSIX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ALL_VERSIONS = ("3.10", "3.11", "3.12", "3.13")
UNIVERSAL = "universal"


@dataclass(frozen=True)
class Target:
    name: str
    """VS Code's target (``vsce package --target``)."""
    uv_platform: str
    """uv's ``--python-platform``."""
    versions: tuple[str, ...]
    """CPython minor versions shipped (``bundled/libs-cp3XX``)."""
    wheel_platform: str
    """Regex a wheel's platform tag must match in full (``any`` is always allowed)."""
    ruff: str
    """The executable's name in ``bundled/libs/bin``."""
    ruff_format: str
    """Regex ``file`` must print for that executable (searched from the start)."""
    own_bytecode: bool = True
    """Ships the server's own start-up bytecode and generated code too (``bytecode.py``): every
    target does (alpine-x64, the largest, is 39.2 MB with it); False for one that would pass 40 MB."""


# VS Code itself needs glibc >= 2.28 on Linux, so wheels up to manylinux_2_28 run wherever it does.
# glibc builds name the glibc loader; musl builds (alpine) are static (or name musl's loader).
_GLIBC = r".*interpreter /lib\S*/ld-linux"
_MUSL = r".*(static|ld-musl)"
_ELF_X64 = r"ELF 64-bit LSB .*x86-64"
_ELF_ARM64 = r"ELF 64-bit LSB .*ARM aarch64"
TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("linux-x64", "x86_64-manylinux_2_28", ALL_VERSIONS,
           r"(manylinux1|manylinux2010|manylinux2014|manylinux_2_\d+)_x86_64", "ruff", _ELF_X64 + _GLIBC),
    Target("linux-arm64", "aarch64-manylinux_2_28", ALL_VERSIONS,
           r"(manylinux2014|manylinux_2_\d+)_aarch64", "ruff", _ELF_ARM64 + _GLIBC),
    Target("alpine-x64", "x86_64-unknown-linux-musl", ALL_VERSIONS,
           r"musllinux_\d+_\d+_x86_64", "ruff", _ELF_X64 + _MUSL),
    Target("alpine-arm64", "aarch64-unknown-linux-musl", ALL_VERSIONS,
           r"musllinux_\d+_\d+_aarch64", "ruff", _ELF_ARM64 + _MUSL),
    Target("darwin-x64", "x86_64-apple-darwin", ALL_VERSIONS,
           r"macosx_\d+_\d+_(x86_64|intel|universal2)", "ruff", r"Mach-O 64-bit (executable )?x86_64"),
    Target("darwin-arm64", "aarch64-apple-darwin", ALL_VERSIONS,
           r"macosx_\d+_\d+_(arm64|universal2)", "ruff", r"Mach-O 64-bit (executable )?arm64"),
    Target("win32-x64", "x86_64-pc-windows-msvc", ALL_VERSIONS,
           r"win_amd64", "ruff.exe", r"PE32\+ executable.*x86-64"),
    Target("win32-arm64", "aarch64-pc-windows-msvc", ("3.12", "3.13"),
           r"win_arm64", "ruff.exe", r"PE32\+ executable.*Aarch64"),
)}

NOT_BUILT = {
    "linux-armhf": "PyYAML publishes no armv7l wheel and uv 0.13 cannot resolve for armv7",
}


def platform_tag_allowed(target: Target, tag: str) -> bool:
    """True when a wheel tag's platform part (``cp312-cp312-win_amd64`` -> ``win_amd64``) fits."""
    platforms = tag.split("-")[-1].split(".")  # compressed tag sets: manylinux2014_x86_64.manylinux_2_17_x86_64
    return all(p == "any" or re.fullmatch(target.wheel_platform, p) for p in platforms)
