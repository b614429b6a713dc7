"""``python-architect mcp``: the Model Context Protocol server over stdio, for coding agents.

The ``mcp`` SDK is an optional extra (the editor bundle stays small without it): when it is
missing the command says how to install it and exits 2. Logs go to stderr; stdout is the wire.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from pathlib import Path

INSTALL_HINT = (
    "python-architect mcp: the MCP server needs the `mcp` package (the Model Context Protocol SDK).\n"
    "Install it with:  pip install 'python-architect[mcp]'   (or: pip install 'mcp>=2.3,<3')"
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mcp",
        help="run the MCP server for coding agents (stdio)",
        description="Serve the workspace's ADRs and checks to MCP clients (Claude Code, ...) over stdio.",
    )
    parser.add_argument("--root", metavar="DIR", help="the workspace root (default: the nearest folder "
                        "with a pyproject.toml or .ai/ above the current directory)")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help="how much to log to stderr (default WARNING)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("mcp") is None or importlib.util.find_spec("mcp.server.mcpserver") is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    from .ask_command import find_root

    root = Path(args.root).expanduser() if args.root else find_root(Path.cwd())
    if not root.is_dir():
        print(f"python-architect mcp: no such directory: {root}", file=sys.stderr)
        return 2
    logging.basicConfig(stream=sys.stderr, level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from ..mcp.server import serve

    try:
        serve(root.resolve())
    except KeyboardInterrupt:
        return 0
    return 0
