"""How the server talks: stdin read by the event loop (and when it must not be), TCP announced.
(The TCP announcement is exercised end to end in ``test_settings_and_transport``.)"""

from __future__ import annotations

import asyncio
import os
import socket

from python_architect.lsp import transport


def test_stdin_is_read_by_the_loop_unless_it_shares_stdout(tmp_path) -> None:
    """A pipe gets the event loop's reader (messages split across writes and end of input read
    right); a socket that is also stdout, or a regular file, keeps pygls' threaded reader."""
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        with open(read_end, "rb", buffering=0) as stdin:
            reader = await transport.open_pipe_reader(stdin)
            assert isinstance(reader, transport.PipeReader)
            os.write(write_end, b"Content-Length: 2\r\n\r\n{")
            assert await reader.readline() == b"Content-Length: 2\r\n"
            assert await reader.readline() == b"\r\n"
            os.write(write_end, b"}")
            assert await reader.readexactly(2) == b"{}"
            os.close(write_end)
            assert await reader.readline() == b"" and await reader.readexactly(5) == b""
        one, other = socket.socketpair()
        with one, other, one.makefile("rb") as stdin, one.makefile("wb") as stdout:
            assert await transport.open_pipe_reader(stdin, stdout) is None
        regular = tmp_path / "input"
        regular.write_bytes(b"")
        with open(regular, "rb") as stdin:
            assert await transport.open_pipe_reader(stdin) is None

    asyncio.run(scenario())
