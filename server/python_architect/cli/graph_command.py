"""``python-architect graph [PATH] [--format mermaid|dot|json] [--depth N] [--layers]``: the
workspace's module dependency graph, collapsed to packages at a depth, with layer violations
(ARC102) and import cycles (ARC103) marked and, with ``--layers``, the layers of the first
``layers`` rule as groups. Prints to stdout (or ``--output FILE``). Exit codes: 0, or 2 on a
usage or configuration error. Rendering lives in ``workspace.graph``. Files discovery skipped (a
link out of the root, a loop) are named on stderr once each, as ``check`` names them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..output import relative_path
from .check_command import find_root, report_config_errors

DEFAULT_DEPTH = 2


FORMATS = ("mermaid", "dot", "json")
"""As ``workspace.graph.FORMATS`` (not imported here: every command's parser is built at start)."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "graph",
        help="print the module dependency graph (mermaid, dot or json)",
        description="Print the first-party module dependency graph collapsed to packages, with "
        "layer violations and import cycles marked.",
    )
    parser.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH",
                        help="the workspace or a directory inside it (default: the current directory)")
    parser.add_argument("--format", dest="output_format", choices=FORMATS, default="mermaid",
                        help="output format (default: mermaid)")
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH, metavar="N",
                        help=f"collapse module names to their first N parts (default: {DEFAULT_DEPTH}; 0: no collapsing)")
    parser.add_argument("--layers", action="store_true",
                        help="group nodes by the layers of the first `layers` rule in the ADRs")
    parser.add_argument("--root", type=Path, metavar="DIR", help="workspace root (default: found from PATH)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the graph to FILE instead of stdout")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the cache in .python-architect-cache/")
    parser.set_defaults(func=run)


def _error(message: str) -> int:
    print(f"python-architect graph: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if args.depth < 0:
        return _error("--depth must be 0 or more")
    start = (args.path or Path.cwd()).resolve()
    if not start.exists():
        return _error(f"{args.path}: no such file or directory")
    if args.root is not None:
        root = args.root.resolve()
        if not root.is_dir():
            return _error(f"--root {args.root}: not a directory")
    else:
        root = find_root(start if start.is_dir() else start.parent)

    from ..engine import Project
    from ..workspace.graph import build_graph, mermaid_fitting_graph, render

    project = Project.load(root)
    if report_config_errors(project.config_errors, root):
        return 2
    from ..workspace.batch import default_jobs
    from ..workspace.cache import CheckCache
    from ..workspace.cached_run import warm_index

    for path, why in project.workspace_files.skipped:  # as ``check`` says it: once per path
        print(f"python-architect graph: warning: {relative_path(path, root)}: skipped ({why})", file=sys.stderr)
    files = list(project.workspace_files.python)
    # The facts of unchanged files come from the cache ``check`` keeps (and go back into it).
    warm_index(project.index, files, None if args.no_cache else CheckCache.for_cli(root),
               jobs=default_jobs(len(files)))
    if args.output_format == "mermaid":
        graph, collapsed = mermaid_fitting_graph(project.index, project.kb, depth=args.depth, with_layers=args.layers)
        if collapsed:
            graph.collapsed = collapsed
            print(f"python-architect graph: note: {collapsed}", file=sys.stderr)
    else:
        graph = build_graph(project.index, project.kb, depth=args.depth, with_layers=args.layers)
    if args.layers and not graph.layers:
        print("python-architect graph: warning: --layers: no ADR has a `layers` rule", file=sys.stderr)
    text = render(graph, args.output_format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        return _error(f"cannot write {args.output}: {exc.strerror or exc}")
    return 0
