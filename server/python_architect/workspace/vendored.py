"""Vendored third-party code: which directories hold it, and the one sentence said about it.

A project that copies someone else's package into its tree (pip's ``_vendor``, a
``third_party/`` folder) does not own that code: findings there are noise nobody will act on.
Discovery (``workspace.files``) lists those files apart and does not check them unless
``[tool.python-architect] include-vendored = true``; every front end says so once with
``VendoredSkip.note`` (the CLI on stderr and in ``--format json``, the editor in its log).

Detection is by directory name only. A license header of a foreign project in each file would
catch vendored code in a folder named otherwise, but an own project's headers look the same, so
that is not done.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VENDORED_DIRS = frozenset(
    # pip, setuptools, pkg_resources and prefect keep theirs in ``_vendor`` (older setuptools had an
    # ``extern`` shim loading it); botocore has ``vendored``, scikit-learn ``externals``, astropy
    # ``extern``, jedi and many C-extension projects ``third_party``.
    {"_vendor", "_vendored", "vendor", "vendored", "third_party", "thirdparty", "third-party",
     "externals", "extern", "_extern"}
)
"""Directory names whose contents are someone else's code (see the module docstring)."""


@dataclass(frozen=True)
class VendoredSkip:
    """The vendored Python files a run did not check: how many, under which directories."""

    files: int
    directories: tuple[str, ...]
    """Root-relative, ``/``-separated: the outermost vendored directory of each tree."""

    def note(self) -> str:
        """The one sentence every front end says about them (CLI stderr, the editor's log)."""
        shown = ", ".join(self.directories[:3])
        if len(self.directories) > 3:
            shown += f" and {len(self.directories) - 3} more"
        plural = "" if self.files == 1 else "s"
        return (f"skipped {self.files} vendored file{plural} under {shown} "
                "(include them with `include-vendored = true` in [tool.python-architect])")

    def to_dict(self) -> dict[str, object]:
        return {"files": self.files, "directories": list(self.directories)}


def is_vendored(path: Path, root: Path) -> bool:
    """Whether a directory between ``root`` and ``path`` is a vendored one (``VENDORED_DIRS``);
    a path outside ``root`` is not."""
    try:
        parts = Path(path).relative_to(root).parts[:-1]
    except ValueError:
        return False
    return any(part in VENDORED_DIRS for part in parts)


def relative_posix(path: Path, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)
