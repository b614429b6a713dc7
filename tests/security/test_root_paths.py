"""The one resolver for workspace paths (root_paths): containment after symlinks, bounded reads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from python_architect.root_paths import NotReadable, OutsideRoot, contained, read_bounded, resolve_in_root


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("x = 1\n")
    outside = tmp_path / "secret.txt"
    outside.write_text("top secret\n")
    os.symlink(outside, root / "pkg" / "leak.py")
    os.symlink(root / "pkg" / "mod.py", root / "pkg" / "alias.py")
    os.symlink(root / "loop_b", root / "loop_a")
    os.symlink(root / "loop_a", root / "loop_b")
    return root


def test_contained_follows_links_and_refuses_what_leaves_the_root(tree: Path) -> None:
    assert contained(tree / "pkg" / "mod.py", tree) == (tree / "pkg" / "mod.py").resolve()
    assert contained(tree / "pkg" / "alias.py", tree) == (tree / "pkg" / "mod.py").resolve()
    assert contained(tree / "pkg" / "leak.py", tree) is None
    assert contained(tree / "loop_a", tree) is None
    assert contained("pkg/mod.py", tree) == (tree / "pkg" / "mod.py").resolve()


@pytest.mark.parametrize("raw", ["../secret.txt", "pkg/leak.py", "pkg/../../secret.txt", "", "a\x00b"])
def test_resolve_in_root_refuses_with_a_message(tree: Path, raw: str) -> None:
    with pytest.raises(OutsideRoot) as caught:
        resolve_in_root(raw, tree)
    assert str(caught.value)


def test_resolve_in_root_accepts_inside_paths(tree: Path) -> None:
    assert resolve_in_root("pkg/alias.py", tree) == (tree / "pkg" / "mod.py").resolve()
    assert resolve_in_root(str(tree / "pkg"), tree) == (tree / "pkg").resolve()


def test_read_bounded_refuses_devices_large_files_and_links_when_asked(tree: Path) -> None:
    assert read_bounded(tree / "pkg" / "mod.py", 100) == b"x = 1\n"
    with pytest.raises(NotReadable, match="not a regular file"):
        read_bounded("/dev/zero", 1 << 20)
    with pytest.raises(NotReadable, match="limit"):
        read_bounded(tree / "pkg" / "mod.py", 3)
    with pytest.raises(NotReadable, match="symbolic link"):
        read_bounded(tree / "pkg" / "alias.py", 100, follow_symlinks=False)
    fifo = tree / "pipe.pack"
    os.mkfifo(fifo)
    with pytest.raises(NotReadable, match="not a regular file"):
        read_bounded(fifo, 100)
