"""The chat is left out of the server's start (``lsp/chat_routes.py``): creating the server
imports neither the chat, the stored conversations nor any advisor module, yet registers every
chat request and command, and the first call builds the chat's handlers once."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from python_architect.lsp import chat_routes

SERVER = Path(__file__).resolve().parents[2] / "server"
LEFT_OUT = {"python_architect.advisor", "python_architect.lsp.chat", "python_architect.lsp.conversations"}


def test_creating_the_server_imports_no_chat_module():
    script = (
        "import json, sys\n"
        "from python_architect.lsp.app import create_server\n"
        "server = create_server()\n"
        "fm = server.protocol.fm\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'features': sorted(fm.features),"
        " 'commands': sorted(fm.commands)}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SERVER)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout
    seen = json.loads(out.splitlines()[-1])
    assert [m for m in seen["modules"] if m in LEFT_OUT or m.startswith("python_architect.advisor.")] == []
    assert set(chat_routes.REQUESTS) <= set(seen["features"])
    assert set(chat_routes.COMMANDS) <= set(seen["commands"])


class FakeServer:
    def __init__(self) -> None:
        self.table = chat_routes.HandlerTable()

    def feature(self, name, *options):
        return self.table.feature(name, *options)

    def command(self, name):
        return self.table.command(name)


def test_the_first_call_builds_the_handlers_and_later_calls_reuse_them(monkeypatch):
    built = []

    def register_chat(server, on):
        built.append(server)

        @on.feature(chat_routes.CHAT_REQUEST)
        async def chat(ls, params):
            return {"asked": params}

        @on.command(chat_routes.ASK_ABOUT_FINDING)
        async def ask(ls, *arguments):
            return {"arguments": list(arguments)}

    import python_architect.lsp.chat as chat_module

    monkeypatch.setattr(chat_module, "register_chat", register_chat)
    server = FakeServer()
    chat_routes.register(server)
    request = server.table.handlers[chat_routes.CHAT_REQUEST]
    command = server.table.handlers[chat_routes.ASK_ABOUT_FINDING]
    assert built == []  # registering imports and builds nothing
    assert asyncio.run(request(server, "why?")) == {"asked": "why?"}
    assert asyncio.run(command(server, 1, 2)) == {"arguments": [1, 2]}
    assert built == [server]
