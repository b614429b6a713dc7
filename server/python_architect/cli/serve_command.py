"""``python-architect serve``: the language server over stdio (default) or TCP for debugging."""

from __future__ import annotations

import argparse
import logging
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the language server (stdio by default)",
        description="Run the Python Architect language server for an LSP editor.",
    )
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT",
                           help="listen on a TCP address instead (debugging; port 0 picks a free one; "
                           "the address is printed on stderr once listening)")
    parser.add_argument("--log-file", metavar="FILE", help="also write the server's log to FILE")
    parser.set_defaults(func=run)


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"--tcp expects HOST:PORT, got {value!r}")
    return host, int(port)


def run(args: argparse.Namespace) -> int:
    address = None
    if args.tcp:
        try:
            address = _address(args.tcp)
        except ValueError as exc:
            print(f"python-architect serve: {exc}", file=sys.stderr)
            return 2
    # pygls logs whole messages at INFO (initialization options included): keep it quiet.
    logging.getLogger("pygls").setLevel(logging.WARNING)
    if args.log_file:
        handler = logging.FileHandler(args.log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(threadName)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger("python_architect").addHandler(handler)
    from ..lsp import generated_code

    generated_code.install()  # before lsprotocol's import: what attrs and cattrs compiled last start
    from ..lsp.app import create_server

    server = create_server()
    if address is not None:
        server.start_tcp(*address)
    else:
        server.start_io()
    return 0
