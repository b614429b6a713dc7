"""``python-architect check [PATH ...]``: check a workspace against its ADRs and the built-in
principles, the way ``ruff check`` does.

Output goes to stdout (or ``--output FILE``) in ``--format text|json|sarif|github``; paths are
relative to the workspace root with ``/`` separators. Exit codes: 0 clean, 1 findings, 2 usage or
configuration error (configuration errors are printed to stderr as ``path:line: message``).
``--explain CODE`` prints what the registry says about a code. A progress bar (tqdm) appears on
stderr only when stderr is a terminal and the run takes a while. A run over an unchanged
workspace is answered from the record of the last identical run (``workspace.run_record``):
the same stdout, stderr lines and exit code, without importing the engine. A named path is
taken where it lies: one in the root that resolves outside it (a link out, a loop) is skipped
with the reason discovery gives the same file in a whole-workspace run, said once on stderr.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TextIO

from ..output import FORMATS, relative_path, render
from ..root_paths import contained

ROOT_MARKERS = ("pyproject.toml", ".ai")
_SELECTOR = re.compile(r"^(?:ALL|[A-Z]{1,10}[0-9]{0,4})$")
PROGRESS_AFTER_S = 1.0
"""Runs shorter than this never draw a progress bar (it would only flicker)."""


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
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the cache in .python-architect-cache/")
    parser.add_argument("--changed-since", metavar="REV",
                        help="check only files changed since the git revision REV (and uncommitted ones), "
                        "plus the import cycles and layer chains through them")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: 2 on large runs)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--baseline", type=Path, metavar="FILE",
                        help="report only findings not recorded in FILE (see `python-architect baseline`; "
                        "default: the `baseline` key of [tool.python-architect])")
    parser.add_argument("--no-baseline", action="store_true",
                        help="report every finding, ignoring the configured baseline")
    parser.add_argument("--explain", metavar="CODE", help="explain a rule code and exit")
    parser.set_defaults(func=run)


def find_root(start: Path) -> Path:
    """The nearest ancestor of ``start`` (itself included) holding a root marker, else ``start``."""
    for candidate in (start, *start.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return start


def report_config_errors(errors: list[Any], root: Path) -> bool:
    """Prints each configuration error as ``path:line: message`` on stderr (the commands then exit
    2); returns whether there were any."""
    for error in errors:
        print(f"{relative_path(error.path, root)}:{error.line}: {error.message}", file=sys.stderr)
    return bool(errors)


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
    if not selectors:  # the registry's import is a good part of a run answered from its record
        return
    from ..codes import METADATA

    codes = list(METADATA)
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in codes):
            print(f"python-architect check: warning: {option} `{selector}` matches no known check", file=sys.stderr)


def absolute_paths(paths: list[Path], cwd: Path) -> list[Path]:
    """The given paths made absolute with their symlinks kept: the root is found from where a
    path *is*, and where it points is ``within_root``'s question."""
    absolute = []
    for path in paths:
        given = path if path.is_absolute() else cwd / path
        if not os.path.lexists(given):
            raise UsageError(f"{path}: no such file or directory")
        absolute.append(Path(os.path.abspath(given)))
    return absolute


def within_root(paths: list[Path], root: Path) -> list[Path]:
    """Each path resolved when it lands inside ``root`` (as the walk finds it); a path that lies
    in the root but cannot be resolved there (a loop, a link to nothing, a link out of the root)
    keeps its place for discovery to skip with the reason (``root_paths``: the verdict a
    whole-workspace run gives the same file); any other path is a usage error."""
    base = root.resolve()
    kept = []
    for path in paths:
        resolved = contained(path, base)
        if resolved is not None and resolved.exists():
            kept.append(resolved)
            continue
        for anchor in (root, base):
            if path == anchor or anchor in path.parents:
                kept.append(base / path.relative_to(anchor))
                break
        else:
            raise UsageError(f"{path} is outside the workspace root {base}")
    return kept


def _warn_skipped(skipped: list[tuple[Path, str]], root: Path, notes: list[str]) -> None:
    """One warning line per path that could not be checked; the exit code follows the findings."""
    for path, why in skipped:
        _note(notes, f"python-architect check: warning: {relative_path(path, root)}: skipped ({why})\n")


def _progress_printer(stream: TextIO) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress callback that shows a ``tqdm`` bar (``Checking  40%|####  | 352/880``) once the
    run has lasted ``PROGRESS_AFTER_S``, and a function that removes it again.

    tqdm is imported only when a bar is due, so short runs (every warm ``check``) never load it.
    """
    started = time.monotonic()
    state: dict[str, Any] = {"bar": None}

    def progress(done: int, total: int) -> None:
        bar = state["bar"]
        if bar is None:
            if time.monotonic() - started < PROGRESS_AFTER_S:
                return
            try:
                from tqdm import tqdm
            except ImportError:  # an environment without it (a trimmed bundle) just has no bar
                state["bar"] = _NoBar()
                return
            # leave=False: the bar is gone when the report is printed; mininterval keeps a
            # slow terminal from being redrawn on every file.
            bar = state["bar"] = tqdm(total=total, initial=done, desc="Checking", unit=" files", file=stream,
                                      leave=False, mininterval=0.1, dynamic_ncols=True)
            return
        if total != bar.total:
            bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.refresh()  # the last step may fall inside mininterval: show it all the same

    def clear() -> None:
        if state["bar"] is not None:
            state["bar"].close()
            state["bar"] = None

    return progress, clear


class _NoBar:
    """Stands in for the bar when tqdm is missing."""

    n = total = 0

    def update(self, _: int) -> None:
        pass

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        pass


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
        paths = absolute_paths(args.paths, cwd)
        if args.root is not None:
            root = args.root.resolve()
            if not root.is_dir():
                raise UsageError(f"--root {args.root}: not a directory")
        else:
            first = paths[0] if paths else cwd
            # A directory link is a place in the tree, not a project of its own: start above it.
            root = find_root(first if first.is_dir() and not first.is_symlink() else first.parent)
        if not paths and cwd.resolve() != root.resolve():
            # Like ruff: with no PATH, check the current directory's subtree.
            paths = [cwd.resolve()]
        paths = within_root(paths, root)
        root = root.resolve()
    except UsageError as exc:
        return _usage(str(exc))
    _warn_unknown(select, "--select")
    _warn_unknown(ignore, "--ignore")
    baseline = None if args.baseline is None else args.baseline if args.baseline.is_absolute() else cwd / args.baseline

    recorder = None
    if not args.no_cache and args.changed_since is None and not args.no_baseline:
        # An unchanged workspace is answered from the last identical run (workspace.run_record)
        # without importing the engine; any other run is recorded for the next one.
        from ..workspace import run_record

        key = run_record.invocation_key(root=root, paths=paths, select=select, ignore=ignore,
                                        output_format=args.output_format, exit_zero=args.exit_zero,
                                        ruff=not args.no_ruff, baseline=baseline)
        replay = run_record.replay(root, key)
        if replay is not None:
            sys.stderr.write("".join(replay.stderr))
            return replay.code if _write_report(replay.report, args.output) else 2
        from ..workspace.run_recorder import Recorder

        recorder = Recorder(root, key)
        if recorder.usable:  # else the cache folder cannot be written: run without recording
            recorder.add_environment([baseline])
        else:
            recorder = None
    notes: list[str] = []
    with recorder.watching_warnings() if recorder is not None else nullcontext():
        code, report = _check(args, root, paths, select, ignore, baseline, notes, recorder)
    if recorder is not None and report is not None:
        recorder.save(report, notes, code)
    return code


def _check(args: argparse.Namespace, root: Path, paths: list[Path], select: tuple[str, ...],
           ignore: tuple[str, ...], baseline_file: Path | None, notes: list[str],
           recorder: Any) -> tuple[int, str | None]:
    """The normal run: ``(exit code, the report as written)``, the report None when nothing (or
    not everything) was written. Each stderr line it prints is also appended to ``notes``."""
    from ..engine import Project
    from ..workspace.ignore_rules import observing_discovery

    with observing_discovery(recorder.racy_after_ns) if recorder is not None else nullcontext() as listing:
        project = Project.load(root)
    if report_config_errors(project.config_errors, root):
        return 2, None
    if recorder is not None:
        # Every file the run will read, stat before it reads them (discovery reported its own).
        recorder.add_listing(listing)
        # Skipped links too: one to nothing turns into a checked file when its target appears.
        found = project.workspace_files
        # Generated files too: adding or removing a do-not-edit header changes whether they are checked.
        for group in (found.python, found.dependencies, found.adrs, found.generated, paths,
                      [path for path, _ in found.skipped]):
            for path in group:
                recorder.add_file(path)

    whole = not paths or paths == [root]
    progress, clear = _progress_printer(sys.stderr) if sys.stderr.isatty() else (None, lambda: None)
    from ..workspace.cache import CheckCache

    options: dict[str, Any] = {"select": select, "ignore": ignore, "jobs": args.jobs, "progress": progress,
                               "ruff": not args.no_ruff,
                               "cache": None if args.no_cache else CheckCache.for_cli(root)}
    try:
        if args.changed_since is not None:
            from ..workspace.changed import ChangedSinceError
            from .changed_since import check_changed

            try:
                result = check_changed(project, args.changed_since, None if whole else paths, **options)
            except ChangedSinceError as exc:
                return _usage(f"--changed-since {args.changed_since}: {exc}"), None
        else:
            result = project.check_paths(None if whole else paths, **options)
    finally:
        clear()
    _warn_skipped(result.skipped, root, notes)
    if result.vendored is not None:
        _note(notes, f"python-architect check: {result.vendored.note()}\n")
    if result.generated is not None:
        _note(notes, f"python-architect check: {result.generated.note()}\n")
    findings = result.findings
    hidden = 0
    baseline = project.baseline
    if args.no_baseline:
        from ..baseline import Baseline

        baseline = Baseline.of(())
    elif baseline_file is not None:
        from ..baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(baseline_file)
        except BaselineError as exc:
            return _usage(f"--baseline: {exc}"), None
    if baseline.entries:
        from .baseline_command import apply_baseline, files_under, report_stale

        checked = None if whole else files_under(project, paths)
        if result.checked is not None:  # --changed-since: stale only among the files it checked
            checked = result.checked if checked is None else [p for p in checked if p in set(result.checked)]
        filtered = apply_baseline(baseline, findings, root, checked)
        hidden = len(findings) - len(filtered.new)
        findings = filtered.new
        stale: list[str] = []
        report_stale(filtered.stale, baseline.path, root, out=stale)
        for line in stale:
            _note(notes, line)
    report = render(args.output_format, findings, root=root, files=result.files,
                    adrs=result.adrs, kb=project.kb, vendored=result.vendored, generated=result.generated)
    if hidden:
        from ..root_paths import relative_path

        where = relative_path(baseline.path, root) if baseline.path else "the baseline"
        line = f"{hidden} {'finding' if hidden == 1 else 'findings'} hidden by the baseline ({where})\n"
        if args.output_format == "text":
            report += line
        else:  # machine formats keep their shape: said on stderr
            _note(notes, line)
    if not _write_report(report, args.output):
        return 2, None
    return (0 if args.exit_zero or not findings else 1), report


def _note(notes: list[str], line: str) -> None:
    """Prints one line on stderr and keeps it for the run record."""
    notes.append(line)
    sys.stderr.write(line)


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
