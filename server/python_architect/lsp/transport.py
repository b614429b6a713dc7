"""How the server talks to its editor: stdio read by the event loop, or one TCP client.

pygls' own ``start_io`` reads stdin through its thread pool (a header line, the blank line and the
body: three hops to a worker thread and back for every message, ~1 ms of each keystroke's round
trip on a busy interpreter); here an ``asyncio`` pipe transport has the bytes in the loop already
(``PipeReader``), with pygls' reader kept for what the loop cannot watch. ``serve_tcp`` announces
the bound address on stderr once it listens, so whoever started the server connects without
guessing a free port or retrying. Both then run pygls' own message loop (``run_async``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any, BinaryIO

from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async

if TYPE_CHECKING:
    from .server import ArchitectServer

log = logging.getLogger("python_architect")
PYGLS_LOG = logging.getLogger("pygls.server")
"""pygls' own logger, as its start_io passes: it logs every message's length at debug."""


class PipeReader:
    """The editor's messages read by the event loop itself, for pygls' ``run_async``.

    pygls reads stdin through its thread pool: a header line, the blank line and the body are
    three hops to a worker thread and back for every message, ~1 ms of each keystroke's round
    trip on a busy interpreter. An ``asyncio`` pipe transport has the bytes in the loop already.
    End of input reads as ``b""`` (what ``run_async`` stops on) rather than raising.
    """

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream

    async def readline(self) -> bytes:
        try:
            return await self.stream.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            return exc.partial
        except asyncio.LimitOverrunError:  # a header line longer than any real one: a broken stream
            return b""

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self.stream.readexactly(n)
        except asyncio.IncompleteReadError:
            return b""


async def open_pipe_reader(stdin: BinaryIO, stdout: BinaryIO | None = None) -> PipeReader | None:
    """A ``PipeReader`` on ``stdin``, or None where the loop cannot watch it (a regular file, an
    event loop without pipe support) or must not: the transport makes the descriptor
    non-blocking, which would break the blocking writes if ``stdout`` is the same socket or pipe.
    pygls' own threaded reader serves those."""
    loop = asyncio.get_running_loop()
    stream = asyncio.StreamReader(limit=1 << 16, loop=loop)
    try:
        if stdout is not None and os.path.samestat(os.fstat(stdin.fileno()), os.fstat(stdout.fileno())):
            raise ValueError("stdin and stdout are one file")
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream, loop=loop), stdin)
    except (ValueError, OSError, NotImplementedError) as exc:
        logging.getLogger("python_architect").debug("stdin is not a pipe (%s): reading it in a thread", exc)
        return None
    return PipeReader(stream)


def serve_stdio(server: ArchitectServer, stdin: Any = None, stdout: Any = None) -> None:
    """pygls' ``start_io``, with stdin read by the event loop when it is a pipe or socket."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))

    async def serve() -> None:
        reader: Any = await open_pipe_reader(stdin, stdout)
        if reader is None:
            reader = StdinAsyncReader(stdin, server.thread_pool)
        await run_async(stop_event=server._stop_event, reader=reader, protocol=server.protocol,
                        logger=PYGLS_LOG, error_handler=server.report_server_error)

    try:
        asyncio.run(serve())
    except BrokenPipeError:
        log.error("the connection to the editor is lost; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()


def serve_tcp(server: ArchitectServer, host: str, port: int) -> None:
    """pygls' ``start_tcp``, announcing ``python-architect serve: listening on HOST:PORT`` on stderr
    once it listens (``port`` 0 picks a free one)."""
    server._stop_event = threading.Event()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(writer)  # type: ignore[arg-type]
        await run_async(stop_event=server._stop_event, reader=reader, protocol=server.protocol,
                        logger=PYGLS_LOG, error_handler=server.report_server_error)
        server.shutdown()

    async def serve() -> None:
        listening = await asyncio.start_server(connection, host, port)
        addresses = ", ".join("%s:%s" % sock.getsockname()[:2] for sock in listening.sockets)
        print(f"python-architect serve: listening on {addresses}", file=sys.stderr, flush=True)
        async with listening:
            await listening.serve_forever()

    try:
        asyncio.run(serve())
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
