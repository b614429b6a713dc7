"""Issue 20, one baseline everywhere: the MCP ``check`` tool reports what ``check`` reports —
findings the configured baseline records are hidden and counted, whole-workspace or unsaved text —
through the ``mcp`` SDK's own client."""

from __future__ import annotations

from pathlib import Path

from mcp_support import architect_session, payload
from trees import write_tree

LEGACY = "import requests\n\n\ndef charge(url):\n    return requests.get(url)\n"
PYPROJECT = '[project]\nname = "app"\n\n[tool.python-architect]\nsrc = ["src"]\nbaseline = "architect-baseline.json"\n'


async def test_the_check_tool_hides_and_counts_baselined_findings(tmp_path: Path) -> None:
    import asyncio
    import subprocess
    import sys

    root = write_tree(tmp_path / "ws", {"src/app/__init__.py": "", "src/app/billing.py": LEGACY,
                                        "pyproject.toml": PYPROJECT.replace('baseline = "architect-baseline.json"\n', "")})
    recorded = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "python_architect", "baseline"], cwd=root, capture_output=True,
                              text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert recorded.returncode == 0, recorded.stderr
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    async with architect_session(root) as session:
        whole = payload(await session.call_tool("check", {}))
        assert [f["code"] for f in whole["findings"]] == [] and whole["hidden_by_baseline"] == 1
        assert "1 hidden by the baseline" in whole["summary"]
        # Unsaved text: the recorded statement stays hidden, a new one is reported.
        edited = LEGACY + "\n\ndef refund(url):\n    return requests.post(url)\n"
        typed = payload(await session.call_tool("check", {"path": "src/app/billing.py", "text": edited}))
        assert [(f["code"], f["line"]) for f in typed["findings"]] == [("S113", 9)]
        assert typed["hidden_by_baseline"] == 1
