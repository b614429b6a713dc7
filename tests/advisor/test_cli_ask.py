"""``python-architect ask`` in a real subprocess: offline, online against the fake API (reached
through ANTHROPIC_BASE_URL), errors on stderr with exit codes, and conversations across runs."""

from __future__ import annotations

import os
import subprocess
import sys

from chat_support import API_KEY, EXAMPLE, STRIPE_KEY
from fake_anthropic import Failure, Reply


def run_ask(*args: str, env: dict[str, str] | None = None, cwd=None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    return subprocess.run(
        [sys.executable, "-m", "python_architect", "ask", *args],
        check=False, capture_output=True, text=True, timeout=60, env={**base, **(env or {})}, cwd=cwd,
    )


def test_offline_without_key(tmp_path):
    result = run_ask("Should the pricing service cache quotes in Redis?", "--root", str(EXAMPLE),
                     env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "**Offline answer**" in result.stdout
    assert "ADR-014: Cache computed prices in Redis" in result.stdout
    assert "Sources:\n  ADR-014  .ai/adrs/0014-cache-prices-in-redis.md:" in result.stdout
    assert "ANTHROPIC_API_KEY" in result.stdout


def test_offline_flag_with_file_and_line_finds_root_from_file(workspace, fake_api):
    checkout = workspace / "src" / "shop" / "services" / "checkout.py"
    result = run_ask("What is wrong here?", "--file", str(checkout), "--line", "3", "--offline",
                     env={"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url})
    assert result.returncode == 0, result.stderr
    assert "line 3, ARC101" in result.stdout and "ADR-001" in result.stdout
    assert fake_api.requests == []  # --offline wins over the key
    assert STRIPE_KEY not in result.stdout


def test_online_streams_from_the_fake_api(workspace, fake_api, tmp_path):
    fake_api.default = Reply(chunks=["Move the charge ", "into the gateway adapter ", "(ADR-001)."])
    checkout = workspace / "src" / "shop" / "services" / "checkout.py"
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url, "XDG_CACHE_HOME": str(tmp_path)}
    result = run_ask("Review this", "--file", str(checkout), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Move the charge into the gateway adapter (ADR-001).")
    assert "1 secret redacted" in result.stdout
    assert "Sources:\n  ADR-001  .ai/adrs/0001-payments-through-the-gateway.md:" in result.stdout
    assert API_KEY not in result.stdout + result.stderr
    [request] = fake_api.message_requests()
    assert STRIPE_KEY not in request.raw and "stripe.Charge.create" in request.raw


def test_conversation_continues_across_runs(workspace, fake_api, tmp_path):
    fake_api.script(Reply(chunks=["Use Redis (ADR-004)."]), Reply(chunks=["Ten minutes."]))
    env = {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url,
           "PYTHON_ARCHITECT_CACHE_DIR": str(tmp_path / "python-architect")}
    first = run_ask("Where should the catalogue cache live?", "--conversation", "cache-talk", "--root", str(workspace), env=env)
    second = run_ask("And for how long?", "--conversation", "cache-talk", "--root", str(workspace), env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    messages = fake_api.message_requests()[1].body["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    # The store keeps what the turn looked at with its answer (the CLI and the editor share it).
    assert messages[1]["content"].startswith("Use Redis (ADR-004).")
    assert "ADRs cited: ADR-004" in messages[1]["content"]
    assert list((tmp_path / "python-architect").glob("*/conversations/*.json")), "stored per workspace"


def test_api_error_is_one_line_on_stderr_with_exit_1(workspace, fake_api):
    fake_api.default = Failure(401, "invalid x-api-key")
    result = run_ask("Hello?", "--root", str(workspace),
                     env={"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url})
    assert result.returncode == 1
    assert result.stderr.strip() == "python-architect ask: The Anthropic API rejected the API key (401). Check ANTHROPIC_API_KEY."
    assert "Traceback" not in result.stderr and API_KEY not in result.stderr + result.stdout


def test_usage_errors_exit_2(workspace):
    no_file = run_ask("Q", "--file", str(workspace / "missing.py"))
    assert no_file.returncode == 2 and "no such file" in no_file.stderr
    line_alone = run_ask("Q", "--line", "3")
    assert line_alone.returncode == 2 and "--line needs --file" in line_alone.stderr
    empty = run_ask("   ", "--root", str(workspace))
    assert empty.returncode == 2 and "empty" in empty.stderr
