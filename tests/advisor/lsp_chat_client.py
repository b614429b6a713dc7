"""A language client for the chat: starts ``python-architect serve`` over stdio with a chosen
environment, initializes it on one workspace folder and records every ``pythonArchitect/chatChunk``
notification with its arrival time (text chunks in ``chunks``, tool steps in ``steps``). Used by the LSP chat tests and by ``benchmarks/bench_chat.py``."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER_COMMAND = [sys.executable, "-m", "python_architect", "serve"]
CHAT = "pythonArchitect/chat"
CHUNK = "pythonArchitect/chatChunk"


@dataclass
class Received:
    conversation: str
    request_id: Any
    text: str
    at: float


def plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _accept_registration(client: LanguageClient, params: types.RegistrationParams) -> None:
    return None


def _record_progress(client: LanguageClient, params: types.ProgressParams) -> None:
    client.progress.append({"token": params.token, "value": plain(params.value)})  # type: ignore[attr-defined]


def make_chat_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)  # configuration, logs, diagnostics, ...
    features[types.CLIENT_REGISTER_CAPABILITY] = _accept_registration
    features[types.PROGRESS] = _record_progress  # partial results carry no work-done kind
    register_lsp_features(client, features)
    client.chunks = []  # type: ignore[attr-defined]
    client.steps = []  # type: ignore[attr-defined]
    client.progress = []  # type: ignore[attr-defined]

    @client.feature(CHUNK)
    def on_chunk(params: Any) -> None:
        data = plain(params)
        if data.get("kind") == "step":
            client.steps.append({"conversationId": data["conversationId"], "at": len(client.chunks), **plain(data["step"])})  # type: ignore[attr-defined]
            return
        client.chunks.append(Received(data["conversationId"], data.get("requestId"), data["text"], time.perf_counter()))  # type: ignore[attr-defined]

    return client


async def start_chat_server(root: Path, env: dict[str, str], options: dict[str, Any] | None = None) -> LanguageClient:
    """A started, initialized server for ``root``; ``env`` is added to a copy of this
    process's environment with any inherited ``ANTHROPIC_*`` variables removed."""
    client = make_chat_client()
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    await client.start_io(*SERVER_COMMAND, env={**base, **env})
    folder = types.WorkspaceFolder(uri=root.resolve().as_uri(), name=root.name)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual_studio_code"),
            root_uri=folder.uri,
            workspace_folders=[folder],
            initialization_options={"pythonArchitect": options or {}},
        )
    )
    return client


async def ask(client: LanguageClient, params: dict[str, Any], msg_id: str | None = None) -> dict[str, Any]:
    result = await client.protocol.send_request_async(CHAT, params, msg_id=msg_id)
    return plain(result)
