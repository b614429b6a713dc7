"""ASYNC230 / ASYNC240 moved to the opt-in tier (issue 21, second reading: 1 of 5 and 0 of 3
adopted findings right). The shapes read wrong (a tiny start-up read, one ``mkdir(exist_ok=True)``,
a ``getsize`` after an awaited subprocess) are not reported by ``--select ALL`` any more, while
naming the code still reports them and the real stall (a whole file read per request) with them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from python_architect.codes import metadata
from python_architect.codes.model import OPT_IN
from trees import write_tree

_SHAPES = {
    # startup-local-read: a few-hundred-byte JSON polled at start-up
    "app/startup.py": ("ASYNC230", "import asyncio\nimport json\nimport os.path\n\n\nasync def wait_for_scheduler(path):\n"
                       "    while not os.path.exists(path):\n        await asyncio.sleep(0.1)\n"
                       "    with open(path) as f:\n        return json.load(f)\n"),
    # negligible-metadata-syscall
    "app/uploads.py": ("ASYNC240", "from pathlib import Path\n\n\nasync def save(upload_dir, data):\n"
                       "    Path(upload_dir).mkdir(exist_ok=True, parents=True)\n    return data\n"),
    "app/segments.py": ("ASYNC240", "import asyncio\nimport os.path\n\n\nasync def trim(before):\n"
                        "    proc = await asyncio.create_subprocess_exec('ffmpeg', before)\n    await proc.wait()\n"
                        "    return os.path.getsize(before) > 0\n"),
    # the true positive: a whole chunk file read on the loop in a streaming path
    "app/stream.py": ("ASYNC230", "async def stream_chunk(value):\n    with open(value['path'], 'rb') as f:\n"
                      "        return f.read()\n"),
}


def _run(root: Path, select: str) -> list[tuple[str, str]]:
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache", "--select", select],
        cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)
    assert completed.returncode in (0, 1), completed.stderr
    return sorted((f["path"], f["code"]) for f in json.loads(completed.stdout)["findings"])


def test_async230_and_async240_are_opt_in() -> None:
    assert metadata("ASYNC230").tier == OPT_IN
    assert metadata("ASYNC240").tier == OPT_IN


def test_select_all_leaves_them_out_and_naming_them_reports_them(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {"pyproject.toml": '[project]\nname = "app"\n', "app/__init__.py": "",
                                        **{path: text for path, (_, text) in _SHAPES.items()}})
    wanted = sorted((path, code) for path, (code, _) in _SHAPES.items())
    assert [f for f in _run(root, "ALL") if f in wanted] == []
    assert [f for f in _run(root, "ASYNC230,ASYNC240") if f in wanted] == wanted
