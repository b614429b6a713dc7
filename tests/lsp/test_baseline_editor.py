"""Issue 20: the editor honours the configured baseline. A recorded finding is not published in
the open document, even after lines move in unsaved text; a new finding of the same code in the
same file is published on its own line. (A changed baseline file re-filtering the open document
is tests/lsp/test_baseline_watch.py.)"""

from __future__ import annotations

import subprocess
import sys

from lsp_support import start
from trees import write_tree

CHARGE = "import requests\n\n\ndef charge(url):\n    return requests.get(url)\n"
REFUND = "\n\ndef refund(url):\n    return requests.post(url)\n"


def _record_baseline(root) -> None:
    recorded = subprocess.run([sys.executable, "-m", "python_architect", "baseline"], cwd=root, check=False,
                              capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)
    assert recorded.returncode == 0, recorded.stderr
    assert "S113" in (root / "ci" / "known.json").read_text(encoding="utf-8")


async def test_a_baselined_finding_is_hidden_and_a_new_one_is_published(vscode_client, tmp_path):
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n\n[tool.python-architect]\nbaseline = "ci/known.json"\n',
        "app/__init__.py": "", "app/billing.py": CHARGE})
    (root / "ci").mkdir()
    _record_baseline(root)

    session = await start(vscode_client, [root])
    uri = session.open("app/billing.py")
    assert "S113" not in await session.codes(uri)  # recorded: not news

    session.set_text(uri, "import os\n\n" + CHARGE + REFUND)  # unsaved: charge moved down, refund is new
    shown = [d for d in await session.diagnostics(uri) if d.code == "S113"]
    assert [d.range.start.line for d in shown] == [10]  # 0-based: refund's `requests.post(url)`

    session.set_text(uri, CHARGE.replace("get(url)", "get(url, timeout=5)") + REFUND)  # charge fixed
    assert [d.range.start.line for d in await session.diagnostics(uri) if d.code == "S113"] == [8]
