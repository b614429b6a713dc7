"""The one answer to "may the tool read this path?": inside the workspace root after resolving
symlinks, and a regular file read within a size bound.

Everything a repository ships is a stranger's input (SECURITY.md): a symlinked ADR, module or
cache pack may point anywhere on the machine, a ``*.pack`` may be a link to ``/dev/zero``. Every
reader of workspace paths — discovery, the knowledge loader, the cache, MCP, the chat's context
and the agent's tools — asks here, so the same path gets the same answer everywhere. Readers:

* ``workspace.files``: the walk and paths named on the command line (links out: ``skipped``).
* ``workspace.roots``: ``src`` roots and ``path_of_module`` (no import reaches outside code).
* ``config``, ``baseline``, ``workspace.parse``: ``pyproject.toml`` and the configured baseline.
* ``engine.Project.analyze``: any file, from disk or an editor; ``output.sarif``: flagged lines.
* ``lsp.background`` (watched-file events), ``lsp.scheduling.read_inside`` (closed-file positions),
  ``lsp.server.folder_for_path`` (a link out stays its folder's document, never a new project).
* ``cli.check_command.within_root`` (``check`` and ``baseline``: named paths keep their place so
  discovery says why), ``cli.init_command`` (writes nothing through a link out).

* ``contained(path, root)``: the resolved path when it lies inside the resolved root, else None
  (a link out of the root, a loop, a dangling link). ``skip_outside`` is the same with one log
  line per skipped path, for walkers that skip and go on; ``contained_many`` answers for a
  whole list at once (the root and each directory resolved once).
* ``resolve_in_root(raw, root)``: a user- or model-given path (absolute or relative to the root)
  resolved and refused with ``OutsideRoot`` (a clear message) when it leaves the root.
* ``relative_path(path, root)``: how every output names a path (``/`` separators, relative to the
  root when inside it).
* ``read_bounded(path, limit)``: the bytes of a *regular* file of at most ``limit`` bytes, opened
  without following a final symlink where the platform allows, checked with ``fstat`` on the
  open descriptor (a device, FIFO or directory is refused before a byte is read), and read at
  most ``limit + 1`` bytes so a file growing under us cannot exceed the bound.

Imports only the standard library, so every layer (knowledge upwards) may use it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO would block open() until a writer comes
_O_BINARY = getattr(os, "O_BINARY", 0)


class OutsideRoot(ValueError):
    """A path that resolves outside the workspace root; the message says which and where."""


class NotReadable(OSError):
    """A path that is not a regular file within its size bound; the message says why."""


def _resolved_root(root: Path | str) -> Path:
    return Path(root).resolve()


def contained(path: Path | str, root: Path | str) -> Path | None:
    """``path`` resolved (symlinks followed), or None when that lands outside ``root`` or cannot
    be resolved (a loop). ``root`` is resolved too, so a root reached through a link works."""
    base = _resolved_root(root)
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = base / candidate
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        return None
    if resolved == base or resolved.is_relative_to(base):
        return resolved
    return None


def contained_many(paths: list[Path], root: Path | str) -> list[Path]:
    """``contained`` for many paths under one root, in order, dropping those outside: the root
    is resolved once and each directory once (a search over a whole tree asks for every file)."""
    base = str(_resolved_root(root))
    real_dirs: dict[str, str] = {}
    kept: list[Path] = []
    for path in paths:
        candidate = os.path.join(base, path)  # an absolute path stays as it is
        parent, name = os.path.split(candidate)
        real_parent = real_dirs.get(parent)
        if real_parent is None:
            real_parent = real_dirs[parent] = os.path.realpath(parent)
        real = os.path.realpath(candidate) if os.path.islink(candidate) else os.path.join(real_parent, name)
        if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
            kept.append(Path(real))
    return kept


def skip_outside(path: Path | str, root: Path | str, what: str = "file") -> Path | None:
    """``contained`` with one log line when the path is skipped (for walkers that go on)."""
    resolved = contained(path, root)
    if resolved is None:
        import logging  # here: the run record's fast path reads through this module without logging

        logging.getLogger("python_architect").warning(
            "skipped %s %s: it resolves outside the workspace root %s", what, path, root)
    return resolved


def resolve_in_root(raw: str | Path, root: Path | str, *, must_exist: bool = True) -> Path:
    """A given path (absolute, or relative to ``root``) resolved inside the root, or
    ``OutsideRoot`` saying why not. Empty strings and NUL bytes are refused as well."""
    text = str(raw)
    if not text.strip() or "\x00" in text:
        raise OutsideRoot("a path must be a non-empty string without NUL bytes")
    base = _resolved_root(root)
    candidate = Path(text.strip()).expanduser()
    if not candidate.is_absolute():
        candidate = base / candidate
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutsideRoot(f"cannot resolve path {text!r}: {exc}") from None
    if resolved != base and not resolved.is_relative_to(base):
        raise OutsideRoot(f"refused: {text!r} is outside the workspace root {base}")
    if must_exist and not resolved.exists():
        raise OutsideRoot(f"no such file or directory in the workspace: {text!r}")
    return resolved


def read_bounded(path: Path | str, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; ``NotReadable``
    for a device, FIFO, socket, directory, a file over the limit, or (``follow_symlinks=False``)
    a symlink. Other ``OSError``s (missing, permission) propagate as they are."""
    flags = os.O_RDONLY | _O_NONBLOCK | _O_BINARY
    if not follow_symlinks:
        flags |= _O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_symlinks and os.path.islink(path):
            raise NotReadable(f"{path}: a symbolic link, not read") from exc
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"{path}: not a regular file, not read")
        if info.st_size > limit:
            raise NotReadable(f"{path}: {info.st_size} bytes, over the {limit}-byte limit")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise NotReadable(f"{path}: grew over the {limit}-byte limit while read")
        return data
    finally:
        os.close(fd)


def relative_path(path: Path | str, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (unchanged when outside the root)."""
    candidate = Path(path)
    if candidate.is_absolute():
        for base in (root, root.resolve()):
            try:
                return candidate.relative_to(base).as_posix()
            except ValueError:
                continue
        try:
            return candidate.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            return candidate.as_posix()
    text = PurePath(candidate).as_posix()
    return text.removeprefix("./")
