"""The Anthropic Messages API through the official async SDK: streaming, counting, closing.

Retries with exponential backoff on 429/5xx (honouring ``retry-after``) and the request timeout
are the SDK's own. Cancellation is structural: the text generator reads inside
``async with client.messages.stream(...)``, so when the consuming task is cancelled (or the
generator is closed) the ``async with`` exits and closes the HTTP response — the server sees the
connection drop and stops generating.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import anthropic

log = logging.getLogger(__name__)

MAX_ANSWER_TOKENS = 4096
DEFAULT_MAX_RETRIES = 2  # the SDK's own default, kept explicit


@dataclass(frozen=True)
class Turn:
    """One finished model reply: its content blocks as request params (ready to send back as
    the assistant turn), why it stopped, and the tokens it cost (input + output)."""

    content: list[dict[str, Any]]
    stop_reason: str | None
    tokens: int


class OnlineChat:
    """One ``AsyncAnthropic`` client (one connection pool) for a key, address and timeout."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        self.timeout_s = timeout_s
        # base_url None lets the SDK read ANTHROPIC_BASE_URL itself.
        self.client = anthropic.AsyncAnthropic(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout_s,
            max_retries=max_retries,
        )
        self.identity = self.identity_of(api_key, base_url, timeout_s, max_retries)

    @staticmethod
    def identity_of(api_key: str, base_url: str | None, timeout_s: float, max_retries: int) -> tuple:
        """What makes two clients interchangeable (the key only as a fingerprint)."""
        return (_fingerprint(api_key), base_url, timeout_s, max_retries)

    async def count_tokens(
        self, *, model: str, system: Sequence[dict[str, Any]], messages: Sequence[dict[str, Any]]
    ) -> int:
        """The exact input token count of a request, from the API's counting endpoint."""
        result = await self.client.messages.count_tokens(
            model=model, system=list(system), messages=list(messages)
        )
        return int(result.input_tokens)

    async def stream_text(
        self,
        *,
        model: str,
        system: Sequence[dict[str, Any]],
        messages: Sequence[dict[str, Any]],
        max_tokens: int = MAX_ANSWER_TOKENS,
    ) -> AsyncIterator[str]:
        """Yields the answer's text deltas as they arrive."""
        async with self.client.messages.stream(
            model=model,
            max_tokens=max_tokens,
            system=list(system),
            messages=list(messages),
        ) as stream:
            async for text in stream.text_stream:
                yield text
            message = await stream.get_final_message()
            usage = message.usage
            log.info(
                "chat answer: %s input tokens (%s from cache, %s written to cache), %s output tokens",
                usage.input_tokens,
                getattr(usage, "cache_read_input_tokens", None),
                getattr(usage, "cache_creation_input_tokens", None),
                usage.output_tokens,
            )

    async def stream_turn(
        self,
        *,
        model: str,
        system: Sequence[dict[str, Any]],
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] = (),
        tool_choice: dict[str, Any] | None = None,
        max_tokens: int = MAX_ANSWER_TOKENS,
    ) -> AsyncIterator[str | Turn]:
        """Yields the reply's text deltas as they arrive, then one ``Turn`` (the agent loop's
        step: tool-use blocks arrive whole in it, their input assembled by the SDK from the
        streamed ``input_json_delta`` events)."""
        extra: dict[str, Any] = {}
        if tools:
            extra["tools"] = list(tools)
        if tool_choice is not None:
            extra["tool_choice"] = tool_choice
        async with self.client.messages.stream(
            model=model, max_tokens=max_tokens, system=list(system), messages=list(messages), **extra
        ) as stream:
            async for event in stream:
                if event.type == "text":
                    yield event.text
            message = await stream.get_final_message()
        usage = message.usage
        log.info("agent turn: %s input tokens (%s from cache), %s output tokens, stop %s", usage.input_tokens,
                 getattr(usage, "cache_read_input_tokens", None), usage.output_tokens, message.stop_reason)
        content: list[dict[str, Any]] = []
        for block in message.content:
            if block.type == "text" and block.text:  # the API refuses empty text blocks
                content.append({"type": "text", "text": block.text})
            elif block.type == "tool_use":
                content.append({"type": "tool_use", "id": block.id, "name": block.name, "input": block.input})
        yield Turn(content, message.stop_reason, int(usage.input_tokens or 0) + int(usage.output_tokens or 0))

    async def close(self) -> None:
        await self.client.close()


def _fingerprint(api_key: str) -> int:
    """Tells keys apart without keeping a second copy of the key around in plain sight."""
    import hashlib

    return int.from_bytes(hashlib.sha256(api_key.encode()).digest()[:8], "big")
