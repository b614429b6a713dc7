"""The chat tests' fake Anthropic API, run as a process the real-editor e2e can script.

Owned by the e2e (``tests/e2e/run.mjs`` starts it). It reuses ``FakeAnthropic`` from the advisor
tests unchanged and adds a line-based JSON control channel on stdin/stdout:

- start-up prints ``{"base_url": "http://127.0.0.1:PORT"}``;
- ``{"cmd": "script", "replies": [{"chunks": [...], "delay": s, "first_delay": s, "tool_uses":
  [[name, input], ...]}]}`` queues answers for the next message requests (a reply with
  ``tool_uses`` asks the architect to run those tools; its next request gets the next reply);
- ``{"cmd": "stats"}`` prints the number of message requests, completed streams, disconnects, and
  whether every message request carried the expected API key (env ``E2E_EXPECTED_KEY``) as
  ``x-api-key`` or a bearer token (the key itself is never printed);
- ``{"cmd": "wait_disconnect", "timeout": s}`` prints the first disconnect (a cancelled stream)
  or null after the timeout.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in ("advisor", "chat"):  # the fake moved from tests/chat to tests/advisor
    sys.path.insert(0, str(HERE.parent / folder))

from fake_anthropic import FakeAnthropic, Reply

_AUTH_HEADERS = {"x-api-key", "authorization"}
DEFAULT_ANSWER = ["Online architect: keep frameworks out of the domain, ", "as ADR-011 decides. ",
                  "Move the HTTPException to the API layer."]


def answer(line: str, fake: FakeAnthropic) -> dict:
    command = json.loads(line)
    kind = command.get("cmd")
    if kind == "script":
        fake.script(*(Reply(chunks=list(r["chunks"]), delay=float(r.get("delay", 0)),
                            first_delay=float(r.get("first_delay", 0)),
                            tool_uses=[(str(name), dict(value)) for name, value in r.get("tool_uses", [])])
                      for r in command["replies"]))
        return {"ok": True}
    if kind == "stats":
        expected = os.environ.get("E2E_EXPECTED_KEY", "")
        requests = fake.message_requests()
        return {
            "message_requests": len(requests),
            "completed_streams": fake.completed_streams,
            "disconnects": len(fake.disconnects),
            # The SDK sends the key as x-api-key or as "Authorization: Bearer <key>".
            "keys_match": bool(expected) and bool(requests) and all(
                r.headers.get("x-api-key") == expected or r.headers.get("authorization") == f"Bearer {expected}"
                for r in requests),
            "last_question": _last_user_text(requests[-1].body) if requests else None,
            # Names only, and where the key was found: never the values.
            "auth_headers": sorted({k for r in requests for k in r.headers if k in _AUTH_HEADERS}),
            "key_found_in": sorted({k for r in requests for k, v in r.headers.items() if expected and expected in v}),
        }
    if kind == "wait_disconnect":
        found = fake.wait_for_disconnect(float(command.get("timeout", 10)))
        return {"disconnect": None if found is None else {"deltas_sent": found.deltas_sent,
                                                          "deltas_total": found.deltas_total}}
    return {"error": f"unknown command {kind!r}"}


def _last_user_text(body: dict) -> str:
    for message in reversed(body.get("messages") or []):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content[-300:]
            return " ".join(b.get("text", "") for b in content if isinstance(b, dict))[-300:]
    return ""


def main() -> int:
    fake = FakeAnthropic()
    fake.default = Reply(chunks=DEFAULT_ANSWER, delay=0.05)
    print(json.dumps({"base_url": fake.start()}), flush=True)
    try:
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(answer(line, fake)), flush=True)
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
