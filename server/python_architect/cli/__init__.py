"""The ``python-architect`` command: ``check``, ``adrs``, ``ask``, ``serve``, ``graph``, ``mcp``, ``init``.

Each subcommand lives in its own module exposing ``add_parser(subparsers)`` (which sets
``func`` on its parser) so this file stays a dispatcher. Only the chosen subcommand's module is
imported (``check`` must not pay for ``ask``'s asyncio and ssl on every pre-commit run); the
top-level help, a missing or unknown subcommand import them all.

Exit codes (``EXIT_CODES``, also in ``--help`` and the README): a crash must never read as
"findings" to a CI job, so ``main`` turns any exception a command lets escape, ``MemoryError``
included, into one line on stderr and status 2 (the traceback only with ``--verbose`` or
``PYTHON_ARCHITECT_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

SUBCOMMANDS = ("check", "adrs", "ask", "serve", "graph", "mcp", "init", "baseline")
CLEAN, FINDINGS, ERROR, INTERRUPTED = 0, 1, 2, 130
EXIT_CODES = """exit codes:
  0    clean: no findings (check), no ADR problems (adrs), the command did what was asked
  1    findings: check found violations, adrs found problems in ADR files, ask got no answer
  2    usage or configuration error, or an internal error (a bug: one line on stderr;
       the traceback with --verbose or PYTHON_ARCHITECT_DEBUG=1)
  130  interrupted (Ctrl-C)
"""
DEBUG_VARIABLE = "PYTHON_ARCHITECT_DEBUG"


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
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"python-architect {__version__}")
    parser.add_argument("--verbose", action="store_true", help="print the traceback of an internal error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only else SUBCOMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}_command")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}_command":
                raise
            continue
        module.add_parser(subparsers)
    for subparser in subparsers.choices.values():
        # SUPPRESS: a subcommand's default must not overwrite ``--verbose`` given before it.
        subparser.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                               help="print the traceback of an internal error")
        if subparser.epilog is None:
            subparser.epilog = EXIT_CODES
            if subparser.formatter_class is argparse.HelpFormatter:
                subparser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser(chosen_subcommand(words))
        args = parser.parse_args(words)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return ERROR
        return int(args.func(args) or CLEAN)
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:
        return CLEAN
    except Exception as exc:  # noqa: BLE001 - MemoryError and RecursionError are Exceptions too
        return internal_error(exc, words)


def internal_error(exc: Exception, words: list[str]) -> int:
    """One line on stderr (the traceback too when asked for) and status 2, never 1."""
    import traceback

    options = words[:words.index("--")] if "--" in words else words
    if "--verbose" in options or os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
        traceback.print_exception(exc, file=sys.stderr)
        hint = "please report it with the traceback above"
    else:
        hint = f"please report it with the traceback that --verbose or {DEBUG_VARIABLE}=1 prints"
    detail = str(exc) or "no message"
    if isinstance(exc, MemoryError):
        detail = f"out of memory ({detail})"
    print(f"python-architect: internal error: {type(exc).__name__}: {detail} ({hint})", file=sys.stderr)
    return ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
