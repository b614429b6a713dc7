"""Paths as Windows and macOS give them, checked on Linux with ``PureWindowsPath`` and URI fixtures.

- File URIs as VS Code sends them on Windows (``file:///c%3A/...``: a lower-case, percent-encoded
  drive letter, ``%20`` for spaces, UNC shares) become the right Windows path, and a folder's URI
  with an upper-case drive still contains its documents (drive letters are case-insensitive).
- The user cache folder: ``%LOCALAPPDATA%`` on Windows (``~\\AppData\\Local`` without it),
  ``~/Library/Caches`` on macOS, ``$XDG_CACHE_HOME`` or ``~/.cache`` elsewhere.
- The bootstrap names ``ruff.exe`` on Windows.
- A CRLF file gets the same findings at the same lines and columns as its LF twin.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pygls.uris
import pytest
from python_architect.workspace.cache_key import platform_cache_base

REPO = Path(__file__).resolve().parents[2]
CLI = "import sys; from python_architect.cli import main; sys.exit(main())"


@pytest.fixture
def windows_uris(monkeypatch):
    """pygls' URI functions as they behave under Windows (its ``IS_WIN`` switch)."""
    monkeypatch.setattr(pygls.uris, "IS_WIN", True)
    return pygls.uris


@pytest.mark.parametrize(("uri", "expected"), [
    ("file:///c%3A/Users/Me/My%20Project/app.py", r"C:\Users\Me\My Project\app.py"),
    ("file:///C:/Users/Me/app.py", r"c:\Users\Me\app.py"),
    ("file:///d%3A/src/caf%C3%A9/%23tag/m%C3%B3dulo.py", r"D:\src\café\#tag\módulo.py"),
    ("file://fileserver/share/proj/a.py", r"\\fileserver\share\proj\a.py"),
])
def test_windows_file_uris_become_windows_paths(windows_uris, uri, expected):
    path = windows_uris.to_fs_path(uri)
    assert path is not None and "/" not in path and "%" not in path
    assert PureWindowsPath(path) == PureWindowsPath(expected)  # compared case-insensitively, as Windows does


def test_a_document_uri_with_a_lower_case_drive_is_inside_its_upper_case_folder(windows_uris):
    folder = PureWindowsPath(windows_uris.to_fs_path("file:///C:/Work/Shop"))
    document = PureWindowsPath(windows_uris.to_fs_path("file:///c%3A/work/shop/orders/api.py"))
    assert document.is_relative_to(folder)
    assert document.relative_to(folder).as_posix() == "orders/api.py"
    # ...while on a case-sensitive file system the same spelling is another folder.
    assert not PurePosixPath("/work/shop/orders/api.py").is_relative_to(PurePosixPath("/Work/Shop"))


def test_windows_paths_round_trip_through_uris(windows_uris):
    path = r"C:\Users\Me\My Project\app.py"
    uri = windows_uris.from_fs_path(path)
    assert uri is not None and uri.startswith("file:///c:/Users/Me/")
    assert PureWindowsPath(windows_uris.to_fs_path(uri)) == PureWindowsPath(path)


def test_the_cache_lives_in_localappdata_on_windows():
    home = PureWindowsPath(r"C:\Users\Me")
    env = {"LOCALAPPDATA": r"D:\Profiles\Me\AppData\Local", "XDG_CACHE_HOME": "/ignored"}
    assert platform_cache_base("win32", env, home) == PureWindowsPath(r"D:\Profiles\Me\AppData\Local\python-architect")
    assert platform_cache_base("win32", {}, home) == PureWindowsPath(r"C:\Users\Me\AppData\Local\python-architect")
    assert platform_cache_base("win32", {"PYTHON_ARCHITECT_CACHE_DIR": r"E:\c"}, home) == PureWindowsPath(r"E:\c")


def test_the_cache_lives_in_library_caches_on_macos_and_xdg_elsewhere():
    home = PurePosixPath("/Users/me")
    assert platform_cache_base("darwin", {"XDG_CACHE_HOME": "/x"}, home) == PurePosixPath("/Users/me/Library/Caches/python-architect")
    assert platform_cache_base("linux", {"XDG_CACHE_HOME": "/x"}, home) == PurePosixPath("/x/python-architect")
    assert platform_cache_base("linux", {}, home) == PurePosixPath("/Users/me/.cache/python-architect")


def test_the_bootstrap_names_ruff_exe_on_windows(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("pa_bootstrap_windows", REPO / "client" / "bundle" / "tool" / "bootstrap.py")
    bootstrap = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(bootstrap)
    libs = tmp_path / "libs"
    (libs / "bin").mkdir(parents=True)
    for name in ("ruff", "ruff.exe"):
        (libs / "bin" / name).write_bytes(b"MZ")
        (libs / "bin" / name).chmod(0o755)
    monkeypatch.setattr(bootstrap.os, "name", "nt")
    assert bootstrap.bundled_ruff([str(libs)]) == str(libs / "bin" / "ruff.exe")
    monkeypatch.setattr(bootstrap.os, "name", "posix")
    assert bootstrap.bundled_ruff([str(libs)]) == str(libs / "bin" / "ruff")


def _check(workspace: Path) -> list[tuple[str, int, int, str]]:
    env = {**os.environ, "PYTHON_ARCHITECT_CACHE_DIR": str(workspace.parent / f"cache-{workspace.name}")}
    proc = subprocess.run([sys.executable, "-c", CLI, "check", "--format", "json", "--no-cache"],
                          cwd=workspace, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    return sorted((f["path"], f["line"], f["column"], f["code"]) for f in findings)


def test_a_crlf_workspace_gets_the_same_findings_at_the_same_places(tmp_path):
    lf = tmp_path / "lf"
    shutil.copytree(REPO / "examples" / "service", lf)
    crlf = tmp_path / "crlf"
    shutil.copytree(lf, crlf)
    for file in crlf.rglob("*"):
        if file.suffix in (".py", ".md", ".toml", ".txt"):
            file.write_bytes(file.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    expected = _check(lf)
    assert expected, "the example has findings to compare"
    assert _check(crlf) == expected
