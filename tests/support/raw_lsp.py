"""A language server subprocess spoken to in raw bytes: for frames no LSP client library would send.

``RawServer`` writes whatever bytes a test gives it (or frames a dict), reads the server's frames
from stdout in a task, answers the server's own requests (``workspace/configuration`` with empty
settings, anything else with null) and keeps stderr, so a test can assert that a bad frame got its
error response, that later requests are still answered, and that no traceback was printed.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

SERVE = [sys.executable, "-m", "python_architect", "serve"]
TIMEOUT = 60.0
"""A hang guard only: every wait below ends on a message, not on time."""


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def initialize_params(root: Path) -> dict[str, Any]:
    return {
        "processId": os.getpid(),
        "rootUri": root.resolve().as_uri(),
        "workspaceFolders": [{"uri": root.resolve().as_uri(), "name": root.name}],
        "capabilities": {"textDocument": {"publishDiagnostics": {}, "hover": {"contentFormat": ["markdown"]}}},
    }


class RawServer:
    """One server process; ``messages`` holds every notification it sent, in order."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.messages: list[dict[str, Any]] = []
        self.responses: dict[Any, asyncio.Future[dict[str, Any]]] = {}
        self.unmatched: list[dict[str, Any]] = []
        """Responses to no request this client made (id null, or an id it never sent)."""
        self.stderr = bytearray()
        self.arrived = asyncio.Event()
        self.ids = itertools.count(1000)
        self._tasks = [asyncio.ensure_future(self._read_stdout()), asyncio.ensure_future(self._read_stderr())]

    @classmethod
    async def start(cls, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                    command: list[str] | None = None) -> RawServer:
        """``command`` (default ``python -m python_architect``) ``serve ARGS``."""
        process = await asyncio.create_subprocess_exec(
            *(command or SERVE[:-1]), "serve", *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, cwd=cwd, env=env)
        return cls(process)

    # -- writing ------------------------------------------------------------------------------
    async def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        await self.process.stdin.drain()

    async def notify(self, method: str, params: Any) -> None:
        await self.write(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def expect(self, msg_id: Any) -> asyncio.Future[dict[str, Any]]:
        return self.responses.setdefault(msg_id, asyncio.get_running_loop().create_future())

    async def request(self, method: str, params: Any = None, msg_id: Any = None) -> dict[str, Any]:
        """The response (result or error) to one well-formed request."""
        msg_id = next(self.ids) if msg_id is None else msg_id
        answer = self.expect(msg_id)
        message = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        await self.write(frame(message))
        return await asyncio.wait_for(answer, TIMEOUT)

    async def initialize(self, root: Path) -> dict[str, Any]:
        result = await self.request("initialize", initialize_params(root))
        await self.notify("initialized", {})
        return result

    async def wait_for(self, predicate: Any) -> dict[str, Any]:
        """The first notification (already received or to come) that ``predicate`` accepts."""
        async def scan() -> dict[str, Any]:
            seen = 0
            while True:
                for message in self.messages[seen:]:
                    if predicate(message):
                        return message
                seen = len(self.messages)
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(scan(), TIMEOUT)

    def logged(self) -> list[str]:
        return [m["params"]["message"] for m in self.messages if m.get("method") == "window/logMessage"]

    async def stop(self) -> int:
        """``shutdown`` answered and ``exit`` sent: the exit code (the process must end by itself)."""
        answer = await self.request("shutdown")
        assert "error" not in answer, answer
        await self.notify("exit", None)
        return await self.ended()

    async def ended(self) -> int:
        """The exit code once the process ended by itself and its output is all read."""
        code = await asyncio.wait_for(self.process.wait(), TIMEOUT)
        await asyncio.wait_for(asyncio.gather(*self._tasks), TIMEOUT)
        return code

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        for task in self._tasks:
            task.cancel()

    # -- reading ------------------------------------------------------------------------------
    async def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        while chunk := await self.process.stderr.read(1 << 16):
            self.stderr += chunk

    async def _read_stdout(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = None
            while True:
                line = await stdout.readline()
                if not line:
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None, "the server sent a header block without Content-Length"
            await self._received(json.loads(await stdout.readexactly(length)))

    async def _received(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # the server asks: answer so it never waits
            result: Any = None
            if message["method"] == "workspace/configuration":
                result = [{} for _ in message["params"]["items"]]
            await self.write(frame({"jsonrpc": "2.0", "id": message["id"], "result": result}))
        elif "method" in message:
            self.messages.append(message)
            self.arrived.set()
        else:
            future = self.responses.get(message.get("id"))
            if future is None or future.done():
                self.unmatched.append(message)
                self.arrived.set()
            else:
                future.set_result(message)
