"""``check --changed-since REV``: which files changed since a git revision, and which
workspace-wide findings those changes can affect (the run itself is ``cli.changed_since``).

Changed files are those ``git diff --name-only REV`` lists (committed since REV, staged or not)
plus untracked files git does not ignore; deleted files are gone and so not checked. A
workspace-wide finding (ARC103 cycle, ARC102 indirect chain) is affected when its file changed or
when its cycle or chain passes through a changed module: editing one module can close a cycle that
is reported on another file's import line.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from ..findings import Finding


class ChangedSinceError(Exception):
    """Git could not answer (not a repository, unknown revision, git missing): a usage error."""


# A repository that ships its own ``.git/config`` (an archive, not a clone) is a stranger's input:
# settings that make git run a program are overridden on the command line (which wins over every
# config file), and ``diff`` never runs external diff or textconv drivers (SECURITY.md).
_GIT_SAFETY = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.pager=cat",
               "-c", "diff.external=", "-c", "core.sshCommand=false", "-c", "protocol.allow=never")


def _git(root: Path, *args: str) -> str:
    try:
        completed = subprocess.run(["git", *_GIT_SAFETY, *args], cwd=root, capture_output=True, text=True, check=False,
                                   encoding="utf-8", errors="surrogateescape", timeout=60,
                                   stdin=subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise ChangedSinceError("git is not installed (needed by --changed-since)") from exc
    except subprocess.TimeoutExpired as exc:
        raise ChangedSinceError("git did not answer within 60 s") from exc
    if completed.returncode != 0:
        message = (completed.stderr.strip().splitlines() or ["git failed"])[-1]
        raise ChangedSinceError(message.removeprefix("fatal: "))
    return completed.stdout


def changed_files(root: Path, revision: str) -> list[Path]:
    """Existing files under ``root`` changed since ``revision`` or untracked, sorted."""
    if revision.startswith("-"):
        raise ChangedSinceError(f"`{revision}` is not a revision")
    root = Path(root).resolve()
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()
    _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    names = _git(root, "diff", "--no-ext-diff", "--no-textconv", "--name-only", "-z", "--no-renames", revision, "--", ".").split("\0")
    names += _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".").split("\0")
    found: set[Path] = set()
    for name in names:
        if not name:
            continue
        path = (top / name) if not Path(name).is_absolute() else Path(name)
        # ``diff`` names are relative to the repository's top, ``ls-files`` ones to ``root``.
        for candidate in (path, root / name):
            candidate = candidate.resolve()
            if candidate.is_file() and (candidate == root or root in candidate.parents):
                found.add(candidate)
                break
    return sorted(found)


def affected(findings: Iterable[Finding], changed_paths: set[Path], changed_modules: set[str]) -> list[Finding]:
    """The workspace-wide findings a change can affect (see the module docstring)."""
    kept = []
    for finding in findings:
        through = finding.data.get("cycle") or finding.data.get("chain") or ()
        if Path(finding.path).resolve() in changed_paths or changed_modules.intersection(through):
            kept.append(finding)
    return kept

