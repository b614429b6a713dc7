"""Driving ``python-architect mcp`` through the ``mcp`` SDK's own stdio client."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import get_default_environment, stdio_client

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "service"


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", ".architect-cache"))
    return target


@asynccontextmanager
async def architect_session(root: Path, errlog: Any = None, extra_env: dict[str, str] | None = None
                            ) -> AsyncIterator[ClientSession]:
    # The SDK passes the server only a few "safe" variables; PYTHONPATH picks the tree under test.
    env = get_default_environment()
    for name in ("PYTHONPATH", "PYTHON_ARCHITECT_CACHE_DIR"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    env.update(extra_env or {})
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "python_architect", "mcp", "--root", str(root)], cwd=str(root), env=env
    )
    async with stdio_client(params, errlog=errlog or sys.stderr) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


def payload(result: Any) -> Any:
    """A successful tool result's value (structured content, else the JSON or text it carries)."""
    assert not result.is_error, result.content
    if result.structured_content is not None:
        content = result.structured_content
        return content.get("result", content) if set(content) == {"result"} else content
    text = result.content[0].text
    try:
        return json.loads(text)
    except ValueError:
        return text


def error_text(result: Any) -> str:
    assert result.is_error, result
    return " ".join(getattr(block, "text", "") for block in result.content)
