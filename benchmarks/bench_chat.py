"""Time to the first streamed chunk of a chat answer: through the language server vs. the SDK alone.

Both talk to the same fake Anthropic Messages API on 127.0.0.1 (``tests/advisor/fake_anthropic.py``),
in the same run. "Through the server" is what the editor sees: a ``pythonArchitect/chat``
request over stdio to ``python-architect serve`` until the first ``pythonArchitect/chatChunk``
notification arrives — persona choice, ADR ranking, context assembly, redaction, the checks on
the file in view and the SDK call included. "SDK alone" replays the very request body the server
sent, with ``AsyncAnthropic.messages.stream`` in this process, until the first text delta.

Run: ``.venv/bin/python benchmarks/bench_chat.py [--runs 20] [--settle 5] [--root examples/service]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "advisor"))

from fake_anthropic import FakeAnthropic, Reply
from lsp_chat_client import CHAT, start_chat_server
from lsprotocol import types

API_KEY = "sk-ant-" + "bench-not-a-real-key-000000000000"
CHUNKS = [f"token{i} " for i in range(40)]


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


async def through_server(client, fake: FakeAnthropic, runs: int, params: dict) -> tuple[float, list[float]]:
    """(cold first request, warm samples)."""
    samples: list[float] = []
    cold = 0.0
    for run in range(runs + 1):
        conversation = f"bench-{run}-{params.get('uri', 'q')}"
        started = time.perf_counter()
        pending = asyncio.ensure_future(
            client.protocol.send_request_async(CHAT, {**params, "conversationId": conversation})
        )
        while not any(c.conversation == conversation for c in client.chunks):
            if pending.done():
                raise RuntimeError(f"answer without chunks: {pending.result()}")
            await asyncio.sleep(0.0005)
        first = next(c.at for c in client.chunks if c.conversation == conversation)
        await pending
        if run == 0:
            cold = first - started
        else:
            samples.append(first - started)
    return cold, samples


async def sdk_alone(fake: FakeAnthropic, runs: int, body: dict) -> tuple[float, list[float]]:
    started = time.perf_counter()
    import anthropic  # timed: the server pays this import on its first question too

    client = anthropic.AsyncAnthropic(api_key=API_KEY, base_url=fake.base_url, max_retries=0)
    samples: list[float] = []
    cold = 0.0
    for run in range(runs + 1):
        if run:
            started = time.perf_counter()
        first = None
        async with client.messages.stream(
            model=body["model"], max_tokens=body["max_tokens"], system=body["system"], messages=body["messages"]
        ) as stream:
            async for _ in stream.text_stream:
                if first is None:
                    first = time.perf_counter()
        assert first is not None
        if run == 0:
            cold = first - started
        else:
            samples.append(first - started)
    await client.close()
    return cold, samples


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds to let analysis and the index scan finish after opening the file (0: smoke run)")
    parser.add_argument("--root", type=Path, default=REPO / "examples" / "service")
    args = parser.parse_args()
    root = args.root.resolve()
    file_in_view = next(iter(sorted((root / "src").rglob("*_service.py"))), None) or next(root.rglob("*.py"))

    fake = FakeAnthropic()
    fake.default = Reply(chunks=CHUNKS)
    fake.start()
    client = await start_chat_server(root, {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake.base_url})
    try:
        question = {"question": "Should the pricing service cache quotes in Redis?"}
        cold_q, server_q = await through_server(client, fake, args.runs, question)
        body = fake.message_requests()[-1].body

        uri = file_in_view.resolve().as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=uri, language_id="python", version=1, text=file_in_view.read_text(encoding="utf-8"))))
        await asyncio.sleep(args.settle)  # let the editor's analysis and the background index scan finish
        with_file = {"question": "Review this file against our ADRs", "uri": uri}
        _, server_f = await through_server(client, fake, args.runs, with_file)
        body_f = fake.message_requests()[-1].body

        cold_sdk, sdk_q = await sdk_alone(fake, args.runs, body)
        _, sdk_f = await sdk_alone(fake, args.runs, body_f)
    finally:
        await client.shutdown_session()
        fake.stop()

    print(f"time to first streamed chunk, {args.runs} runs each, fake Messages API on 127.0.0.1")
    print(f"  question only          server: {summary(server_q)}   SDK alone: {summary(sdk_q)}   "
          f"ratio {statistics.median(server_q) / statistics.median(sdk_q):.2f}x")
    print(f"  question + open file   server: {summary(server_f)}   SDK alone: {summary(sdk_f)}   "
          f"ratio {statistics.median(server_f) / statistics.median(sdk_f):.2f}x")
    print(f"  first question (cold)  server: {cold_q * 1000:7.1f} ms   SDK alone incl. import: {cold_sdk * 1000:7.1f} ms")
    print(f"  request sizes: {len(str(body))} / {len(str(body_f))} characters")


if __name__ == "__main__":
    asyncio.run(main())
