"""``pythonArchitect/setApiKey`` ``{apiKey: string | null}``: the Anthropic API key from the
client's SecretStorage, handed to the running server, so setting or clearing it needs no restart
(a restart blanked every diagnostic until the server was back).

The key lives where the launch put it before: ``ANTHROPIC_API_KEY`` in this process's
environment, which ``advisor.service.Advisor`` reads for each question (a new key gets a new API
client there). Owner: this handler, which alone writes it, on the event loop; readers only read.
The key is never logged: nothing here formats the parameters, and pygls logs incoming
notifications by method name only.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from .server import ArchitectServer

SET_API_KEY = "pythonArchitect/setApiKey"
ENVIRONMENT_VARIABLE = "ANTHROPIC_API_KEY"

log = logging.getLogger("python_architect")


def _key_of(params: Any) -> str | None:
    value = params.get("apiKey") if isinstance(params, dict) else getattr(params, "apiKey", None)
    return value.strip() if isinstance(value, str) and value.strip() else None


def set_api_key(ls: ArchitectServer, params: Any) -> None:
    key = _key_of(params)
    if key is None:
        os.environ.pop(ENVIRONMENT_VARIABLE, None)
        log.info("API key cleared: the chat answers offline")
    else:
        os.environ[ENVIRONMENT_VARIABLE] = key
        log.info("API key received (%d characters): the chat answers online", len(key))


def register(server: ArchitectServer) -> None:
    server.feature(SET_API_KEY)(set_api_key)
