"""Each API failure ends the answer with its own short message, and cancellation really stops
the stream (the fake server sees the connection close; no chunk arrives afterwards)."""

from __future__ import annotations

import asyncio
import socket

import pytest
from chat_support import collect, make_advisor
from fake_anthropic import Failure, Reply
from python_architect.advisor import errors
from python_architect.advisor.service import Advisor, ChatChunk
from python_architect.settings import EditorSettings


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (Failure(401, "invalid x-api-key"), errors.INVALID_KEY),
        (Failure(529, "Overloaded"), errors.OVERLOADED),
        (Failure(400, "prompt is too long: 212345 tokens > 200000 maximum"), errors.CONTEXT_TOO_LONG),
        (Failure(500, "Internal server error"), errors.SERVER_ERROR.format(status=500)),
    ],
    ids=["401", "529", "400-too-long", "500"],
)
async def test_status_errors_become_short_messages(project, fake_api, failure, expected):
    fake_api.default = failure
    advisor = make_advisor(project, fake_api)
    chunks, final = await collect(advisor.ask("c", "Where do Stripe calls belong?"))
    assert chunks == []
    assert final.error == expected and final.text == expected
    assert "Traceback" not in final.text and final.citations == ()


async def test_other_400_keeps_the_api_reason(project, fake_api):
    fake_api.default = Failure(400, "messages: roles must alternate")
    advisor = make_advisor(project, fake_api)
    _, final = await collect(advisor.ask("c", "Hello"))
    assert final.error == "The Anthropic API rejected the request (400): messages: roles must alternate"


async def test_rate_limit_is_retried_with_backoff_then_reported(project, fake_api):
    fake_api.default = Failure(429, "Number of request tokens has exceeded your rate limit", {"retry-after-ms": "20"})
    advisor = make_advisor(project, fake_api, max_retries=2)
    _, final = await collect(advisor.ask("c", "Hello"))
    assert final.error == errors.RATE_LIMITED
    attempts = fake_api.message_requests()
    assert len(attempts) == 3  # the first try and the SDK's two retries
    assert [r.headers["x-stainless-retry-count"] for r in attempts] == ["0", "1", "2"]


async def test_rate_limit_then_success_answers(project, fake_api):
    fake_api.script(Failure(429, "rate limited", {"retry-after-ms": "10"}), Reply(chunks=["Fine now."]))
    advisor = make_advisor(project, fake_api, max_retries=2)
    chunks, final = await collect(advisor.ask("c", "Hello"))
    assert chunks == ["Fine now."] and final.error is None


async def test_network_down(project):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    advisor = Advisor(project, EditorSettings(), api_key="sk-ant-test", base_url=f"http://127.0.0.1:{port}",
                      max_retries=0, environ={})
    _, final = await collect(advisor.ask("c", "Hello"))
    assert final.error == errors.NETWORK_DOWN


async def test_timeout(project, fake_api):
    fake_api.default = Reply(first_delay=3.0)
    advisor = make_advisor(project, fake_api, chat_timeout_s=0.3)
    _, final = await collect(advisor.ask("c", "Hello"))
    assert final.error == errors.timed_out(0.3)
    assert "0.3 s" in final.error


async def test_advisor_keeps_serving_after_an_error(project, fake_api):
    fake_api.script(Failure(529, "Overloaded"))
    advisor = make_advisor(project, fake_api)
    _, failed = await collect(advisor.ask("c", "First"))
    chunks, answered = await collect(advisor.ask("c", "Second"))
    assert failed.error == errors.OVERLOADED
    assert answered.error is None and "".join(chunks).startswith("The architect")
    # The failed turn left no half conversation behind.
    assert [m["role"] for m in fake_api.message_requests()[-1].body["messages"]] == ["user"]


async def test_error_event_mid_stream_keeps_partial_text(project, fake_api):
    fake_api.default = Reply(chunks=["Partial ", "answer ", "never sent"], error_after=2)
    advisor = make_advisor(project, fake_api)
    chunks, final = await collect(advisor.ask("c", "Hello"))
    assert chunks == ["Partial ", "answer "]
    assert final.error == errors.OVERLOADED
    assert final.text == f"Partial answer \n\n{errors.OVERLOADED}"


async def test_cancellation_closes_the_stream(project, fake_api):
    total = 400
    fake_api.default = Reply(chunks=[f"word{i} " for i in range(total)], delay=0.02)
    advisor = make_advisor(project, fake_api)
    received: list[str] = []
    two_chunks = asyncio.Event()

    async def consume() -> None:
        async for event in advisor.ask("c", "Tell me everything"):
            if isinstance(event, ChatChunk):
                received.append(event.text)
                if len(received) == 2:
                    two_chunks.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(two_chunks.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    count_at_cancel = len(received)
    disconnect = await asyncio.to_thread(fake_api.wait_for_disconnect, 5.0)
    assert disconnect is not None, "the server never saw the connection close"
    assert disconnect.deltas_sent < total / 4
    assert task.done() and len(received) == count_at_cancel  # the consumer is finished: nothing more can arrive
    assert fake_api.completed_streams == 0
    # A cancelled turn is not remembered.
    assert advisor.conversations["c"].messages == []


def test_no_key_message_names_the_variable():
    assert "ANTHROPIC_API_KEY" in errors.user_message(errors.NoApiKeyError())
