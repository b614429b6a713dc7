"""Hostile ADRs through the real front ends (issue 24 items 2 and 3): a 9-level YAML "billion
laughs" ADR, an ADR whose glob backtracks (``*a`` x 25 + ``*b``) next to a file named ``a`` x 60,
and one good ADR. ``check`` and ``adrs`` run as processes under a 3 GiB address-space limit, and
the language server over stdio: each finishes, the good ADR is loaded and enforced, the bad ones
are problems on their own files, and the server answers a hover and ``shutdown``.

Before the fix the bomb took >14 GB (under a limit the whole knowledge base was dropped) and the
glob hung ``check``, ``adrs`` and the server for good. Timeouts here are hang guards only."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from trees import write_tree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lsp"))

from harness import SERVER_COMMAND, Session, initialize_params, make_client, wait_until
from pytest_lsp import ClientServerConfig

MEMORY_LIMIT = 3 << 30
LONG_MODULE = "src/app/" + "a" * 60 + ".py"
GOOD = """---
id: ADR-001
status: accepted
applies-to:
  paths: ["src/**"]
rules:
  - id: no-requests
    kind: forbidden-import
    modules: [requests]
    message: Use the http client wrapper instead.
---
# Outbound HTTP goes through the wrapper

## Decision

Modules never import requests directly.
"""


def laughs(levels: int = 9) -> str:
    lines = ["---", "id: ADR-002", "tags:", "  - &l0 lol"]
    for level in range(1, levels + 1):
        lines.append(f"  - &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join([*lines, "---", "# Laughs", ""])


def build(root: Path) -> Path:
    return write_tree(
        root,
        {
            ".ai/adrs/0001-http-wrapper.md": GOOD,
            ".ai/adrs/0002-laughs.md": laughs(),
            ".ai/adrs/0003-backtracking.md": (
                "---\nid: ADR-003\napplies-to:\n  paths: ['" + "*a" * 25 + "*b']\n---\n# Backtracking\n"
            ),
            "src/app/__init__.py": "",
            LONG_MODULE: "import requests\n\nrequests.get('https://example.invalid', timeout=5)\n",
        },
    )


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "python_architect", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the exit code is asserted
        preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def test_check_finishes_enforces_the_good_adr_and_reports_the_bad_ones(tmp_path: Path) -> None:
    root = build(tmp_path / "repo")
    done = run_cli(root, "check", "--no-cache", "--format", "json")
    assert done.returncode == 1, done.stderr  # findings, not a crash
    findings = {(f["code"], Path(f["path"]).name, f["line"]) for f in json.loads(done.stdout)["findings"]}
    assert ("ARC001", "0002-laughs.md", 3) in findings
    # The good ADR is loaded and its rule applies to the long-named module.
    assert any(path == Path(LONG_MODULE).name and line == 1 for _, path, line in findings)
    # The backtracking glob matches nothing here (no "b" in the long name): ARC005, at once.
    assert ("ARC005", "0003-backtracking.md", 4) in findings
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr


def test_adrs_lists_every_record_with_the_problems_on_their_files(tmp_path: Path) -> None:
    root = build(tmp_path / "repo")
    done = run_cli(root, "adrs", "--format", "json")
    assert done.returncode == 1, done.stderr
    listed = json.loads(done.stdout)
    assert [adr["id"] for adr in listed["adrs"]] == ["ADR-001", "ADR-002", "ADR-003"]
    first = listed["adrs"][0]
    assert first["title"] == "Outbound HTTP goes through the wrapper"
    assert [rule["id"] for rule in first["rules"]] == ["no-requests"]
    problems = {(p["code"], Path(p["path"]).name) for p in listed["problems"]}
    assert problems == {("ARC001", "0002-laughs.md"), ("ARC005", "0003-backtracking.md")}


async def test_the_language_server_answers_a_hover_and_shutdown(tmp_path: Path) -> None:
    root = build(tmp_path / "repo")
    client = await ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client).start()
    client.profile = "visual_studio_code"  # type: ignore[attr-defined]
    try:
        result = await client.initialize_session(initialize_params("visual_studio_code", [root], {}))
        session = Session(client, "visual_studio_code", root, result)
        uri = session.open(LONG_MODULE)
        diagnostics = await session.diagnostics(uri, timeout=60)
        assert any("ADR-001" in d.message or "requests" in d.message for d in diagnostics)
        hover = await asyncio.wait_for(session.hover(uri, "requests", offset=2), 60)
        assert hover is not None and "ADR-001" in hover
        laughs_uri = (root / ".ai/adrs/0002-laughs.md").as_uri()

        def bomb_reported() -> bool:
            return any(
                p.uri == laughs_uri and any(str(d.code) == "ARC001" for d in p.diagnostics)
                for p in client.published  # type: ignore[attr-defined]
            )

        await wait_until(client, bomb_reported, timeout=60, what="ARC001 on the bomb ADR")
    finally:
        await asyncio.wait_for(client.shutdown_session(), 60)  # answered: the server is alive
        await client.stop()
