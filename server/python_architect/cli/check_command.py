"""``python-architect check [PATH ...]``: check a workspace against its ADRs and the built-in
principles, the way ``ruff check`` does.

Output goes to stdout (or ``--output FILE``) in ``--format text|json|sarif|github``; paths are
relative to the workspace root with ``/`` separators. Exit codes: 0 clean, 1 findings, 2 usage or
configuration error (configuration errors are printed to stderr as ``path:line: message``).
``--explain CODE`` prints what the registry says about a code. A progress line appears on stderr
only when stderr is a terminal and the run takes a while.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Callable, TextIO

from ..output import FORMATS, relative_path, render

ROOT_MARKERS = ("pyproject.toml", ".ai")
_SELECTOR = re.compile(r"^(?:ALL|[A-Z]{1,10}[0-9]{0,4})$")
PROGRESS_AFTER_S = 1.0
"""Runs shorter than this never draw a progress line (it would only flicker)."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check files against the ADRs and the built-in principles",
        description="Check Python code and dependency files against your team's ADRs and the "
        "architect's built-in principles. Exit 0 when clean, 1 with findings, 2 on a usage or "
        "configuration error.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or directories to check (default: the current directory; "
                        "at the root, the whole workspace)")
    parser.add_argument("--format", dest="output_format", choices=FORMATS, default="text",
                        help="output format (default: text)")
    parser.add_argument("--select", default="", metavar="CODES",
                        help="comma-separated codes or prefixes to report (e.g. ARC1,ASYNC)")
    parser.add_argument("--ignore", default="", metavar="CODES",
                        help="comma-separated codes or prefixes never to report (wins over --select)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--root", type=Path, metavar="DIR",
                        help="workspace root (default: the nearest ancestor of the first PATH with a "
                        "pyproject.toml or .ai/ directory, else the current directory)")
    parser.add_argument("--no-ruff", action="store_true", help="do not run the ruff-derived checks")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: 2 on large runs)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--explain", metavar="CODE", help="explain a rule code and exit")
    parser.set_defaults(func=run)


def find_root(start: Path) -> Path:
    """The nearest ancestor of ``start`` (itself included) holding a root marker, else ``start``."""
    for candidate in (start, *start.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return start


def parse_selectors(raw: str, option: str) -> tuple[str, ...]:
    """``"arc1, ASYNC"`` -> ``("ARC1", "ASYNC")``; a malformed entry is a usage error."""
    selectors = tuple(part.strip().upper() for part in raw.split(",") if part.strip())
    for selector in selectors:
        if not _SELECTOR.match(selector):
            raise UsageError(f"{option}: `{selector}` is not a rule code or prefix (like ARC101, ARC1 or ASYNC)")
    return selectors


class UsageError(Exception):
    """A mistake on the command line: reported on stderr, exit code 2."""


def _usage(message: str) -> int:
    print(f"python-architect check: error: {message}", file=sys.stderr)
    return 2


def _warn_unknown(selectors: tuple[str, ...], option: str) -> None:
    from ..analysis.registry import all_checks

    codes = [info.code for info in all_checks()]
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in codes):
            print(f"python-architect check: warning: {option} `{selector}` matches no known check", file=sys.stderr)


def _resolve_paths(paths: list[Path], cwd: Path) -> list[Path]:
    resolved = []
    for path in paths:
        absolute = (cwd / path).resolve() if not path.is_absolute() else path.resolve()
        if not absolute.exists():
            raise UsageError(f"{path}: no such file or directory")
        resolved.append(absolute)
    return resolved


def _progress_printer(stream: TextIO) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress callback that draws ``Checking 120/880 files`` once the run is long, and a
    function that clears the line again."""
    started = time.monotonic()
    drawn = {"last": 0.0, "shown": False}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - started < PROGRESS_AFTER_S or now - drawn["last"] < 0.1 and done < total:
            return
        drawn["last"], drawn["shown"] = now, True
        stream.write(f"\rChecking {done}/{total} files")
        stream.flush()

    def clear() -> None:
        if drawn["shown"]:
            stream.write("\r\x1b[K")
            stream.flush()

    return progress, clear


def run(args: argparse.Namespace) -> int:
    if args.explain:
        from .rules_doc import explain

        text = explain(args.explain)
        if text is None:
            return _usage(f"unknown rule code `{args.explain}`")
        sys.stdout.write(text)
        return 0
    try:
        select = parse_selectors(args.select, "--select")
        ignore = parse_selectors(args.ignore, "--ignore")
        if args.jobs is not None and args.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        cwd = Path.cwd()
        paths = _resolve_paths(args.paths, cwd)
        if args.root is not None:
            root = args.root.resolve()
            if not root.is_dir():
                raise UsageError(f"--root {args.root}: not a directory")
        else:
            first = paths[0] if paths else cwd
            root = find_root(first if first.is_dir() else first.parent)
        if not paths and cwd.resolve() != root.resolve():
            # Like ruff: with no PATH, check the current directory's subtree.
            paths = [cwd.resolve()]
        for path in paths:
            if path != root and root not in path.parents:
                raise UsageError(f"{path} is outside the workspace root {root}")
    except UsageError as exc:
        return _usage(str(exc))
    _warn_unknown(select, "--select")
    _warn_unknown(ignore, "--ignore")

    from ..engine import Project

    project = Project.load(root)
    if project.config_errors:
        for error in project.config_errors:
            where = relative_path(error.path, root)
            print(f"{where}:{error.line}: {error.message}", file=sys.stderr)
        return 2

    whole = not paths or paths == [root]
    progress, clear = _progress_printer(sys.stderr) if sys.stderr.isatty() else (None, lambda: None)
    try:
        result = project.check_paths(None if whole else paths, select=select, ignore=ignore,
                                     jobs=args.jobs, progress=progress, ruff=not args.no_ruff)
    finally:
        clear()
    report = render(args.output_format, result.findings, root=root, files=result.files,
                    adrs=result.adrs, kb=project.kb)
    if not _write_report(report, args.output):
        return 2
    return 0 if args.exit_zero or not result.findings else 1


def _write_report(report: str, output: Path | None) -> bool:
    if output is None:
        stream = sys.stdout
        if hasattr(stream, "reconfigure"):
            # A terminal in a legacy encoding must not turn an arrow in a message into a crash.
            stream.reconfigure(errors="backslashreplace")
        stream.write(report)
        stream.flush()
        return True
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
    except OSError as exc:
        print(f"python-architect check: error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True
