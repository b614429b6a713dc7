"""The ``python-architect`` command: ``check``, ``adrs``, ``ask``, ``serve``, ``graph``, ``mcp``, ``init``.

Each subcommand lives in its own module exposing ``add_parser(subparsers)`` (which sets
``func`` on its parser) so this file stays a dispatcher. Only the chosen subcommand's module is
imported (``check`` must not pay for ``ask``'s asyncio and ssl on every pre-commit run); the
top-level help, a missing or unknown subcommand import them all. Exit codes: 0 clean,
1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

SUBCOMMANDS = ("check", "adrs", "ask", "serve", "graph", "mcp", "init", "baseline")


def chosen_subcommand(argv: list[str]) -> str | None:
    """The subcommand ``argv`` names (its first non-option word), or None."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word if word in SUBCOMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with ``only`` that one (the others' modules are not
    imported)."""
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="python-architect",
        description="Check Python code against your team's architecture decision records.",
    )
    parser.add_argument("--version", action="version", version=f"python-architect {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only else SUBCOMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}_command")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}_command":
                raise
            continue
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(chosen_subcommand(words))
    args = parser.parse_args(words)
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
