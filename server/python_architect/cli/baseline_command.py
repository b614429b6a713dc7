"""``python-architect baseline``: record today's findings so ``check`` reports only new ones.

``baseline [PATH ...] [--output FILE] [--prune] [--root DIR]`` runs the same check as
``check`` (whole workspace by default) and writes every finding's fingerprint to FILE (default:
the ``baseline`` key of ``[tool.python-architect]``, else ``architect-baseline.json``).
``--prune`` keeps only the entries that still match a finding: fixed findings leave the file,
new findings do not enter it. ``apply_baseline`` is what ``check`` uses to drop recorded findings
and to tell which entries went stale. Exit codes: 0 written, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..baseline import DEFAULT_FILE, Baseline, BaselineError, FilterResult, lines_reader
from ..output import relative_path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "baseline",
        help="record today's findings so check reports only new ones",
        description="Record the current findings in a baseline file; `check` then reports only "
        "findings that are not in it (set `baseline = \"FILE\"` in [tool.python-architect] or pass "
        "--baseline FILE). Entries survive code moving up or down; --prune drops entries whose "
        "finding was fixed.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or directories to record (default: the whole workspace)")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help=f"baseline file to write (default: the configured one, else {DEFAULT_FILE})")
    parser.add_argument("--prune", action="store_true",
                        help="only drop entries whose finding is gone; add nothing new")
    parser.add_argument("--root", type=Path, metavar="DIR", help="workspace root (default: found as for check)")
    parser.set_defaults(func=run)


def apply_baseline(baseline: Baseline, findings: list, root: Path, checked: list[Path] | None) -> FilterResult:
    """``findings`` without the recorded ones, and the recorded ones that matched nothing among
    ``checked`` (None: the whole workspace was checked)."""
    return baseline.filter(findings, root, lines_reader(), checked)


def files_under(project, paths: list[Path]) -> list[Path]:
    """The workspace files a run over ``paths`` looks at."""
    return [f for f in project.files() if any(f == p or p in f.parents for p in paths)]


def report_stale(stale: list, baseline_path: Path | None, root: Path, out: list[str] | None = None) -> None:
    """Tells which baseline entries matched no finding: on stderr, or appended to ``out`` (each
    line ending in a newline) for a caller that prints them itself (``check`` keeps them for its
    run record)."""
    if not stale:
        return
    where = relative_path(baseline_path, root) if baseline_path else "the baseline"
    lines = [(f"{where}: {len(stale)} baseline {'entry matches' if len(stale) == 1 else 'entries match'} no "
              "finding any more (fixed); `python-architect baseline --prune` drops them:")]
    lines += [f"  {entry.path}: {entry.code} {entry.message}" for entry in stale[:20]]
    if len(stale) > 20:
        lines.append(f"  ... and {len(stale) - 20} more")
    if out is None:
        sys.stderr.write("".join(f"{line}\n" for line in lines))
    else:
        out.extend(f"{line}\n" for line in lines)


def run(args: argparse.Namespace) -> int:
    from ..engine import Project
    from .check_command import UsageError, absolute_paths, find_root, report_config_errors, within_root

    cwd = Path.cwd()
    try:  # the paths as ``check`` takes them: a link out of the root is skipped, said once
        paths = absolute_paths(args.paths, cwd)
        first = paths[0] if paths else cwd
        root = args.root if args.root is not None else find_root(
            first if first.is_dir() and not first.is_symlink() else first.parent)
        paths = within_root(paths, root)
        root = root.resolve()
    except UsageError as exc:
        print(f"python-architect baseline: error: {exc}", file=sys.stderr)
        return 2
    project = Project.load(root)
    # A configured baseline that cannot be read is the one thing we are about to (re)write.
    errors = [e for e in project.config_errors if "baseline file" not in e.message]
    if report_config_errors(errors, root):
        return 2
    configured = root / project.config.baseline if project.config.baseline else None
    output = (args.output if args.output is None or args.output.is_absolute() else cwd / args.output) \
        if args.output is not None else (configured or root / DEFAULT_FILE)
    whole = not paths or paths == [root]
    result = project.check_paths(None if whole else paths)
    for path, why in result.skipped:  # as ``check`` says it: once per path
        print(f"python-architect baseline: warning: {relative_path(path, root)}: skipped ({why})", file=sys.stderr)
    # The missing (or broken) baseline file's own problem is about to be resolved by this very
    # run: recorded, it would be called "fixed" by the next check.
    own_problems = {e.message for e in project.config_errors if "baseline file" in e.message}
    findings = [f for f in result.findings if not (f.code == "ARC006" and f.message in own_problems)]
    current = Baseline.record(findings, root, lines_reader())
    if args.prune:
        try:
            previous = Baseline.load(output)
        except BaselineError as exc:
            print(f"python-architect baseline: error: {exc}", file=sys.stderr)
            return 2
        checked = None if whole else files_under(project, paths)
        stale = {e.key for e in apply_baseline(previous, findings, root, checked).stale}
        pruned = Baseline.of(e for e in previous.entries if e.key not in stale)
        pruned.write(output)
        dropped = len(previous.entries) - len(pruned.entries)
        print(f"{relative_path(output, root)}: dropped {dropped} stale "
              f"{'entry' if dropped == 1 else 'entries'}, kept {len(pruned.entries)}", file=sys.stderr)
        return 0
    if not whole and output.exists():
        # Recording part of the workspace keeps the other files' entries.
        try:
            previous = Baseline.load(output)
        except BaselineError:
            previous = Baseline()
        recorded = {relative_path(f, root) for f in files_under(project, paths)}
        current = Baseline.of([*(e for e in previous.entries if e.path not in recorded), *current.entries])
    output.parent.mkdir(parents=True, exist_ok=True)
    current.write(output)
    print(f"{relative_path(output, root)}: recorded {len(current.entries)} "
          f"{'finding' if len(current.entries) == 1 else 'findings'}", file=sys.stderr)
    if configured is None or configured.resolve() != output.resolve():
        hint = relative_path(output, root)
        print(f'add `baseline = "{hint}"` under [tool.python-architect] in pyproject.toml '
              f"(or pass --baseline {hint} to check) to report only new findings", file=sys.stderr)
    return 0
