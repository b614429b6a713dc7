"""How the server talks to its editor: stdio read by the event loop, or one TCP client.

pygls' own ``start_io`` reads stdin through its thread pool (a header line, the blank line and the
body: three hops to a worker thread and back for every message, ~1 ms of each keystroke's round
trip on a busy interpreter); here an ``asyncio`` pipe transport has the bytes in the loop already
(``open_pipe_stream``), with a thread kept for what the loop cannot watch. ``serve_tcp`` announces
the bound address on stderr once it listens, so whoever started the server connects without
guessing a free port or retrying.

Both run ``serve_messages`` rather than pygls' ``run_async``: frames are cut by
``framing.FrameReader`` (which finds the stream again after a frame without ``Content-Length``)
and each body is answered by ``protocol.ArchitectProtocol.receive`` (-32700, -32600, -32602
rather than silence).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from pygls.io_ import StdoutWriter

from .framing import CHUNK, FrameReader

if TYPE_CHECKING:
    # Any pygls server: only its loop, stop event and protocol are used (not ArchitectServer, which
    # would make server.py and this module import each other).
    from pygls.lsp.server import LanguageServer

    from .protocol import ArchitectProtocol

log = logging.getLogger("python_architect")


async def open_pipe_stream(stdin: BinaryIO, stdout: BinaryIO | None = None) -> asyncio.StreamReader | None:
    """An ``asyncio`` stream on ``stdin``, or None where the loop cannot watch it (a regular file,
    an event loop without pipe support) or must not: the transport makes the descriptor
    non-blocking, which would break the blocking writes if ``stdout`` is the same socket or pipe.
    ``read_in_thread`` serves those."""
    loop = asyncio.get_running_loop()
    stream = asyncio.StreamReader(limit=CHUNK, loop=loop)
    try:
        if stdout is not None and os.path.samestat(os.fstat(stdin.fileno()), os.fstat(stdout.fileno())):
            raise ValueError("stdin and stdout are one file")
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream, loop=loop), stdin)
    except (ValueError, OSError, NotImplementedError) as exc:
        log.debug("stdin is not a pipe (%s): reading it in a thread", exc)
        return None
    return stream


def read_stream(stream: asyncio.StreamReader) -> Callable[[], Awaitable[bytes]]:
    """The next bytes a stream has (``b""`` at its end), for ``FrameReader``."""
    return lambda: stream.read(CHUNK)


def read_in_thread(stdin: BinaryIO, pool: Any) -> Callable[[], Awaitable[bytes]]:
    """The next bytes of a blocking file, read in ``pool`` (``read1``: what is there, not a full
    chunk, so a message is handled before the editor sends the next)."""
    read = getattr(stdin, "read1", stdin.read)
    return lambda: asyncio.get_running_loop().run_in_executor(pool, read, CHUNK)


async def serve_messages(stop_event: threading.Event, frames: FrameReader, protocol: ArchitectProtocol) -> None:
    """Hands each body to the protocol until the input ends or the server stops."""
    while not stop_event.is_set():
        body = await frames.next_body()
        if body is None:
            break
        try:
            protocol.receive(body)
        except BrokenPipeError:
            raise
        except Exception as exc:  # one message's fault must not end the loop
            log.error("internal error handling a message: %s: %s", type(exc).__name__, exc)
            log.debug("traceback", exc_info=exc)


def serve_stdio(server: LanguageServer, stdin: Any = None, stdout: Any = None) -> None:
    """pygls' ``start_io``, with stdin read by the event loop when it is a pipe or socket."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))

    async def serve() -> None:
        stream = await open_pipe_stream(stdin, stdout)
        read = read_stream(stream) if stream is not None else read_in_thread(stdin, server.thread_pool)
        await serve_messages(server._stop_event, FrameReader(read), server.protocol)

    try:
        asyncio.run(serve())
    except BrokenPipeError:
        log.error("the connection to the editor is lost; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()


def serve_tcp(server: LanguageServer, host: str, port: int) -> None:
    """pygls' ``start_tcp``, announcing ``python-architect serve: listening on HOST:PORT`` on stderr
    once it listens (``port`` 0 picks a free one)."""
    server._stop_event = threading.Event()

    finished = asyncio.Event()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(writer)  # type: ignore[arg-type]
        try:
            await serve_messages(server._stop_event, FrameReader(read_stream(reader)), server.protocol)
        except SystemExit:  # ``exit`` raises it in this task: end the server, not just the task
            pass
        finally:
            writer.close()
            finished.set()

    async def serve() -> None:
        listening = await asyncio.start_server(connection, host, port)
        addresses = ", ".join("{}:{}".format(*sock.getsockname()[:2]) for sock in listening.sockets)
        print(f"python-architect serve: listening on {addresses}", file=sys.stderr, flush=True)
        async with listening:
            await finished.wait()

    try:
        asyncio.run(serve())
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
