"""Every VSIX target's bundle, checked the way ``verify_vsix.py`` checks a built VSIX.

For each target in ``client/scripts/vsix_targets.py`` this builds ``bundled/`` with
``bundle_python.py`` (uv's downloads and the per-target trees are cached under
``~/.cache/python-architect``: cold, all targets ~2-3 minutes; warm, copies only), packs it the way
vsce lays out a VSIX (``extension/bundled/...`` and ``extension.vsixmanifest`` with the
``TargetPlatform``) and runs the verifier: every ``*.dist-info/WHEEL`` tag is the target's or
``any``, ruff's executable is the target's format (``file``), and the size is under 40 MB. vsce
itself (about a minute per target here) runs in ``./dev package --target all``, which verifies
each real VSIX the same way: the e2e builds and verifies linux-x64, the release workflow all.

The verifier's own failures are shown on a bundle given the wrong target.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "client" / "scripts"
sys.path.insert(0, str(SCRIPTS))

from verify_vsix import verify
from vsix_targets import NOT_BUILT, TARGETS, UNIVERSAL

REST_OF_VSIX = 1_200_000
"""Bytes of a VSIX besides ``bundled/`` (the universal VSIX: the client, the webviews, the README)."""

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011">
  <Metadata><Identity Language="en-US" Id="python-architect" Version="0.1.0" Publisher="python-architect"{target}/></Metadata>
</PackageManifest>
"""


def build_bundle(target: str, out: Path) -> Path:
    subprocess.run([sys.executable, str(SCRIPTS / "bundle_python.py"), "--target", target, "--out", str(out)],
                   check=True, timeout=1800)
    return out


def pack(bundled: Path, manifest_target: str | None, vsix: Path) -> Path:
    """A VSIX-shaped zip of ``bundled``, deflated at zlib's default level as vsce's zip library does,
    with an incompressible stand-in for the rest of a target's VSIX (``REST_OF_VSIX``): its size is
    within ~0.1 MB of the real VSIX's (alpine-x64, the largest, is 39.2 MB)."""
    attribute = f' TargetPlatform="{manifest_target}"' if manifest_target else ""
    with zipfile.ZipFile(vsix, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("extension.vsixmanifest", MANIFEST.format(target=attribute))
        for file in sorted(bundled.rglob("*")):
            if file.is_file():
                archive.write(file, "extension/bundled/" + file.relative_to(bundled).as_posix())
        if manifest_target:
            archive.writestr("extension/rest-of-the-vsix.bin", os.urandom(REST_OF_VSIX), zipfile.ZIP_STORED)
    return vsix


@pytest.fixture(scope="module")
def vsixes(tmp_path_factory) -> dict[str, Path]:
    """One VSIX-shaped archive per target (and the universal one), each built from its bundle."""
    root = tmp_path_factory.mktemp("bundles")
    built = {}
    for name in [*TARGETS, UNIVERSAL]:
        bundled = build_bundle(name, root / name)
        if name == UNIVERSAL:
            assert sorted(p.name for p in bundled.iterdir()) == ["tool"]
        built[name] = pack(bundled, None if name == UNIVERSAL else name, root / f"{name}.vsix")
        shutil.rmtree(bundled)
    return built


def test_the_target_table_covers_vs_codes_platforms():
    expected = {"win32-x64", "win32-arm64", "darwin-x64", "darwin-arm64", "linux-x64", "linux-arm64",
                "alpine-x64", "alpine-arm64"}
    assert set(TARGETS) == expected
    assert set(NOT_BUILT) == {"linux-armhf"}  # the README says why


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_each_target_carries_only_its_own_wheels_and_ruff(vsixes, target):
    report = verify(vsixes[target], target)
    assert report.problems == []
    assert report.wheels >= 20  # every dependency's dist-info, per CPython folder
    assert report.ruff_format
    assert report.size < 40 * 1024 * 1024


def test_the_universal_vsix_has_no_libraries(vsixes):
    assert verify(vsixes[UNIVERSAL], UNIVERSAL).problems == []
    with zipfile.ZipFile(vsixes[UNIVERSAL]) as archive:
        assert archive.namelist()[1:] == ["extension/bundled/tool/bootstrap.py"]
    # ...and a platform VSIX is not a universal one.
    assert any("holds libraries" in p for p in verify(vsixes["linux-x64"], UNIVERSAL).problems)


def test_a_vsix_for_another_platform_is_refused(vsixes):
    problems = "\n".join(verify(vsixes["linux-x64"], "darwin-arm64").problems)
    assert "manifest target linux-x64, expected darwin-arm64" in problems
    assert "manylinux" in problems and "is not for darwin-arm64" in problems
    assert "ruff is `ELF 64-bit" in problems
    # glibc's ruff is not musl's, and a Windows VSIX must not hold .so modules or an ELF ruff.
    assert any(p.startswith("ruff is") for p in verify(vsixes["linux-x64"], "alpine-x64").problems)
    assert any(p.startswith("ruff is") for p in verify(vsixes["alpine-x64"], "linux-x64").problems)
    windows = "\n".join(verify(vsixes["linux-x64"], "win32-x64").problems)
    assert "compiled modules of another OS" in windows and "ruff.exe is missing" in windows


def test_missing_cpython_folders_are_refused(vsixes):
    problems = "\n".join(verify(vsixes["win32-arm64"], "win32-x64").problems)
    assert "CPython folders ['cp312', 'cp313']" in problems  # win32-x64 ships 3.10-3.13
    assert "win_arm64 is not for win32-x64" in problems
