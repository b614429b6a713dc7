"""How the server talks: stdin read by the event loop (and when it must not be), frames cut out of
the byte stream and found again after a bad one. (The TCP announcement is exercised end to end in
``test_settings_and_transport``; bad frames against the real process in ``test_protocol_errors``.)"""

from __future__ import annotations

import asyncio
import os
import socket

from python_architect.lsp import framing, transport


def test_stdin_is_read_by_the_loop_unless_it_shares_stdout(tmp_path) -> None:
    """A pipe gets the event loop's reader (a message split across writes, end of input read
    right); a socket that is also stdout, or a regular file, is read in a thread."""
    async def scenario() -> None:
        read_end, write_end = os.pipe()
        with open(read_end, "rb", buffering=0) as stdin:
            stream = await transport.open_pipe_stream(stdin)
            assert isinstance(stream, asyncio.StreamReader)
            frames = framing.FrameReader(transport.read_stream(stream))
            os.write(write_end, b"Content-Length: 2\r\n\r\n{")
            pending = asyncio.ensure_future(frames.next_body())
            os.write(write_end, b"}")
            assert await pending == b"{}"
            os.close(write_end)
            assert await frames.next_body() is None
        one, other = socket.socketpair()
        with one, other, one.makefile("rb") as stdin, one.makefile("wb") as stdout:
            assert await transport.open_pipe_stream(stdin, stdout) is None
        regular = tmp_path / "input"
        regular.write_bytes(b"Content-Length: 4\r\n\r\nnull")
        with open(regular, "rb") as stdin:
            assert await transport.open_pipe_stream(stdin) is None
            frames = framing.FrameReader(transport.read_in_thread(stdin, None))
            assert await frames.next_body() == b"null" and await frames.next_body() is None

    asyncio.run(scenario())


def bodies(*chunks: bytes) -> tuple[list[bytes], int]:
    """Every body ``FrameReader`` cuts from ``chunks`` (fed one at a time), and the bytes skipped."""
    async def scenario() -> tuple[list[bytes], int]:
        feed = iter(chunks)

        async def read() -> bytes:
            return next(feed, b"")

        frames = framing.FrameReader(read)
        found = []
        while (body := await frames.next_body()) is not None:
            found.append(body)
        return found, frames.skipped

    return asyncio.run(scenario())


def test_frames_with_other_headers_in_any_order_and_split_anywhere() -> None:
    stream = (b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}"
              b"content-length:3\r\n\r\n[1]")
    assert bodies(stream) == ([b"{}", b"[1]"], 0)
    assert bodies(*(stream[i:i + 1] for i in range(len(stream)))) == ([b"{}", b"[1]"], 0)


def test_a_frame_without_a_valid_length_is_skipped_up_to_the_next_header() -> None:
    lost = b'{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}'
    good = b"Content-Length: 2\r\n\r\n{}"
    assert bodies(b"X-Other: 1\r\n\r\n" + lost + good) == ([b"{}"], 14 + len(lost))
    assert bodies(b"Content-Length: two\r\n\r\n" + lost + good)[0] == [b"{}"]
    assert bodies(b"Content-Length: -2\r\n\r\n{}" + good)[0] == [b"{}"]
    assert bodies(b"Content-Length: 9999999999999\r\n\r\n" + good)[0] == [b"{}"]
    too_big = b"Content-Length: %d\r\n\r\n" % (framing.MAX_BODY + 1)
    assert bodies(too_big + good) == ([b"{}"], len(too_big) - 2)


def test_noise_is_dropped_as_it_comes_and_a_header_split_at_the_cut_survives() -> None:
    noise = b"x" * (framing.MAX_HEADER * 8)
    found, skipped = bodies(noise, b"Content-Len", b"gth: 2\r\n\r\n{}")
    assert found == [b"{}"] and skipped == len(noise)


def test_end_of_input_inside_a_frame_is_the_end() -> None:
    assert bodies(b"Content-Length: 10\r\n\r\n{}") == ([], 0)
    assert bodies(b"Content-Length: 10\r\n") == ([], 0)
    assert bodies(b"\r\n\r\n") == ([], 0)
