"""Message bodies cut out of the editor's byte stream, and the stream found again when a frame is bad.

LSP frames each JSON body with a header block (``Content-Length: N``, optional other headers, an
empty line). pygls' ``run_async`` reads header lines and only recognises ``Content-Length`` at the
start of a line: after one frame without it, the next frame's header sits glued to the end of the
bad body and is never seen again, so nothing later is answered, ``shutdown`` included (issue 24).

``FrameReader`` instead looks for ``Content-Length: N`` followed by a line end anywhere in what it
holds. That is reliable for JSON bodies: JSON allows no raw line break inside a string and no bare
words but ``true``/``false``/``null`` outside one, so no JSON body can contain that pattern. Bytes
before the header that are not header lines (the rest of a frame without a length, a body longer
than its header said) are skipped with one log line each time. A length above ``MAX_BODY`` (or
longer than twelve digits) is not believed and skipped the same way. A length that is too large
but believable cannot be told from a slow editor: those bytes are waited for (the body then fails
as JSON and gets a -32700 answer, ``protocol``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

log = logging.getLogger("python_architect")

MAX_BODY = 256 << 20
"""The largest body believed (VS Code sends no document over 50 MB to extensions)."""
MAX_HEADER = 8 << 10
"""A header block longer than this is not one: the bytes are skipped as noise."""
CHUNK = 1 << 16

_CONTENT_LENGTH = re.compile(rb"Content-Length:[ \t]*(\d{1,12})[ \t]*\r?\n", re.IGNORECASE)
_HEADER_LINES = re.compile(rb"(?:[A-Za-z0-9-]+:[^\r\n]*\r?\n)*")
_BLOCK_END = re.compile(rb"\n\r?\n")
_KEEP_WHILE_SEARCHING = 64
"""Bytes kept when noise is dropped: a header may have started in them."""


class FrameReader:
    """The bodies of the frames read through ``read`` (an awaitable giving the next bytes there
    are, ``b""`` at the end of input). One reader per connection; not shared between tasks."""

    def __init__(self, read: Callable[[], Awaitable[bytes]]) -> None:
        self._read = read
        self._buffer = bytearray()
        self._eof = False
        self.skipped = 0
        """Bytes skipped as not belonging to any frame, since the reader was made."""

    async def _more(self) -> bool:
        if self._eof:
            return False
        chunk = await self._read()
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def _skip(self, count: int, why: str) -> None:
        junk = bytes(self._buffer[:count])
        del self._buffer[:count]
        if junk.strip():
            self.skipped += len(junk)
            log.warning("the editor sent %d bytes that are not a message (%s): skipped to the next message", len(junk), why)

    async def next_body(self) -> bytes | None:
        """The next frame's body; None at the end of input (a partial frame there is dropped)."""
        buffer = self._buffer
        while True:
            header = _CONTENT_LENGTH.search(buffer)
            if header is None:
                if len(buffer) > MAX_HEADER:
                    self._skip(len(buffer) - _KEEP_WHILE_SEARCHING, "no Content-Length header")
                if not await self._more():
                    self._skip(len(buffer), "no Content-Length header")
                    return None
                continue
            if header.start() and not _HEADER_LINES.fullmatch(buffer, 0, header.start()):
                self._skip(header.start(), "a frame without a valid Content-Length")
                continue
            end = _BLOCK_END.search(buffer, header.end() - 1)
            if end is None:
                if len(buffer) - header.end() > MAX_HEADER:
                    self._skip(header.end(), "a header block that does not end")
                elif not await self._more():
                    return None
                continue
            length = int(header.group(1))
            if length > MAX_BODY:
                self._skip(header.end(), f"Content-Length {length} is beyond any real message")
                continue
            start = end.end()
            while len(buffer) < start + length:
                if not await self._more():
                    return None
            body = bytes(buffer[start:start + length])
            del buffer[:start + length]
            return body
