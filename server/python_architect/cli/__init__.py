"""The ``python-architect`` command: ``check``, ``adrs``, ``ask``, ``serve``.

Each subcommand lives in its own module exposing ``add_parser(subparsers)`` (which sets
``func`` on its parser) so this file stays a dispatcher. Exit codes: 0 clean, 1 findings,
2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

SUBCOMMANDS = ("check", "adrs", "ask", "serve")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="python-architect",
        description="Check Python code against your team's architecture decision records.",
    )
    parser.add_argument("--version", action="version", version=f"python-architect {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}_command")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}_command":
                raise
            continue
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
