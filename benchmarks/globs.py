"""The glob matcher (``knowledge/globs.py``) against its anchor, pathspec, on Django's file list.

Run: ``.venv/bin/python benchmarks/globs.py`` (needs the ``bench`` extra: django, pathspec).
Prints, for a set of typical ADR globs and a typical ``.gitignore``, the time to answer every
file of Django's source tree (directories too, with the trailing ``/`` the walker adds) with ours
and with pathspec, the ratio, and whether every answer agreed; then the adversarial patterns of
issue 24, ours only (pathspec takes minutes to hours on each).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import django
import pathspec

from python_architect.knowledge.globs import GlobSpec

ADR_GLOBS = [
    "django/db/**", "!django/db/backends/oracle/**", "**/migrations/*.py", "django/contrib/*/models.py",
    "**/test_*.py", "django/core/[a-m]*/**", "*.py", "./django/utils/", "django/**/templatetags/**",
]
GITIGNORE = [
    "*.pyc", "__pycache__/", "*.egg-info/", "build/", "dist/", "/docs/_build", ".tox/", "*.mo",
    "!django/conf/locale/en/LC_MESSAGES/django.mo", "**/static/admin/js/vendor/", "*.sw?", ".DS_Store",
]
ADVERSARIAL = [
    ("*a" * 25 + "*b", "a" * 60 + ".py"),
    ("**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b", "/".join(["a"] * 80) + "/c"),
]


def django_paths() -> list[str]:
    root = Path(django.__file__).resolve().parent.parent
    paths = []
    for path in sorted((root / "django").rglob("*")):
        relative = path.relative_to(root).as_posix()
        paths.append(relative + "/" if path.is_dir() else relative)
    return paths


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def compare(label: str, lines: list[str], gitignore: bool, paths: list[str]) -> None:
    cleaned = [line.removeprefix("./") for line in lines]
    ours = GlobSpec.from_lines(cleaned, gitignore=gitignore)
    theirs = pathspec.GitIgnoreSpec.from_lines(cleaned) if gitignore else pathspec.PathSpec.from_lines("gitignore", cleaned)
    agree = all(ours.match_file(p) == theirs.match_file(p) for p in paths)
    mine = best_of(5, lambda: [ours.match_file(p) for p in paths])
    anchor = best_of(5, lambda: [theirs.match_file(p) for p in paths])
    compile_ours = statistics.median(
        best_of(1, lambda: GlobSpec.from_lines(cleaned, gitignore=gitignore)) for _ in range(5)
    )
    print(f"{label}: {len(lines)} patterns x {len(paths)} paths")
    print(f"  ours {mine * 1e3:.1f} ms ({mine / len(paths) * 1e6:.2f} us per path), compile {compile_ours * 1e3:.2f} ms")
    print(f"  anchor (pathspec {pathspec.__version__}) {anchor * 1e3:.1f} ms; ratio ours / anchor: {mine / anchor:.2f}x")
    print(f"  every answer equal: {agree}")


def main() -> None:
    paths = django_paths()
    compare("ADR globs (PathSpec semantics)", ADR_GLOBS, False, paths)
    compare(".gitignore (GitIgnoreSpec semantics)", GITIGNORE, True, paths)
    for pattern, path in ADVERSARIAL:
        spec = GlobSpec.from_lines([pattern])
        elapsed = best_of(3, lambda spec=spec, path=path: spec.match_file(path))
        print(f"adversarial {pattern[:24]}... on a {len(path)}-character path: {elapsed * 1e6:.0f} us (ours)")


if __name__ == "__main__":
    main()
