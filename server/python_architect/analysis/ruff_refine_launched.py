"""S301 in a worker program its own package launches with a pickle it wrote (issue 21).

Owns one false-positive class of S301 ("``pickle.load`` of untrusted data"), read on luigi's
``contrib/lsf_runner.py``, ``sge_runner.py`` and ``pyspark_runner.py``: a module run as a program
(it reads ``sys.argv`` or has a main guard) whose file a sibling module of the same package hands
to another process to run (``lsf_runner.__file__``, ``"pyspark_runner.py"``), where that sibling
writes pickles (``pickle.dump(self, f)``). The pickle is the package's own transport between its
launcher and its worker: the same code writes it and reads it back, and no outside party is in
between. Stays reported: a load whose source names a request, a socket or an upload
(``ruff_refine_judgment.FROM_OUTSIDE``), a module no sibling launches (imported only: an
``import runner`` is no hand-over), a launcher that writes no pickle, and any module outside the
package directory (siblings only, read bounded, never outside the workspace root).

``WORKSPACE_REFINERS`` is merged into ``ruff_refine.WORKSPACE_REFINERS``: the judge is given the
file's path and the root. Each sibling's two facts are kept while its file is unchanged (a small
``lru_cache`` keyed by path, mtime and size); nothing else is kept.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

from ..root_paths import NotReadable, contained, read_bounded
from .decoding import decode_source
from .registry import RawFinding
from .ruff_judge_nodes import call_at, module_has
from .ruff_refine_judgment import FROM_OUTSIDE, WRITES_PICKLES

_RUN_AS_PROGRAM = re.compile(r"\bsys\.argv\b|^if\s+__name__\s*==\s*['\"]__main__['\"]\s*:")
_LAUNCHES = re.compile(r"\b(\w+)\.__file__\b|[\"'](?:[^\"'\n]*[/\\])?(\w+)\.py[\"']")
"""A module's file handed on: ``runner.__file__``, or its file name in a string."""
_MAX_SIBLINGS = 200
_MAX_SIBLING_BYTES = 1_000_000


def s301_launched_worker(near: list[ast.AST], lines: list[str], finding: RawFinding,
                         where: tuple[Path, Path] | None) -> bool:
    """True when the load at the finding is in a worker its own package launches with a pickle
    the launcher writes (see the module docstring)."""
    if where is None:
        return False
    call = call_at(near, lines, finding.span.line, finding.span.column)
    if call is None or not call.args or FROM_OUTSIDE.search(ast.unparse(call.args[0])):
        return False
    if not module_has(lines, _RUN_AS_PROGRAM):
        return False
    path, root = where
    folder = contained(path.parent, root)
    if folder is None or not (folder / "__init__.py").is_file():
        return False
    siblings = sorted(p for p in folder.glob("*.py") if p.name != path.name)[:_MAX_SIBLINGS]
    for sibling in siblings:
        inside = contained(sibling, root)
        if inside is None:
            continue  # a link out of the workspace: not ours to read
        try:
            stat = inside.stat()
        except OSError:
            continue
        launched, writes = _sibling_facts(str(inside), stat.st_mtime_ns, stat.st_size)
        if writes and path.stem in launched:
            return True
    return False


@lru_cache(maxsize=64)
def _sibling_facts(path: str, mtime_ns: int, size: int) -> tuple[frozenset[str], bool]:
    """(the modules whose file this one hands on, whether it writes pickles); nothing when the
    file cannot be read. ``mtime_ns`` and ``size`` are part of the key so an edit is seen."""
    try:
        text = decode_source(read_bounded(path, _MAX_SIBLING_BYTES, follow_symlinks=False))
    except (NotReadable, OSError):
        return frozenset(), False
    launched = frozenset(name for match in _LAUNCHES.finditer(text) for name in match.groups() if name)
    writes = any(WRITES_PICKLES.search(line) for line in text.splitlines())
    return launched, writes


WORKSPACE_REFINERS = {"S301": s301_launched_worker}
"""code -> judge(near, lines, finding, (path, root)) (``ruff_refine`` merges these)."""
