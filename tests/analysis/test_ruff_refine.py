"""Ruff findings judged on the parse (issue 8): three false-positive classes dropped, each next to
its true-positive twin, on ruff's real output; then the same through the editor's path (engine,
``ruff server``) and the CLI's batch path."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from python_architect.analysis import ruff_bridge
from python_architect.analysis.ruff_refine import post_process
from python_architect.engine import Project
from trees import write_tree

CASES = {
    # (false positive, true-positive twin)
    "TRY400": (
        "import logging\nlog = logging.getLogger(__name__)\n\n"
        "def load(read):\n    try:\n        return read()\n    except Exception as exc:\n"
        "        log.error('read failed: %s', exc)\n        raise\n",
        "import logging\nlog = logging.getLogger(__name__)\n\n"
        "def load(read):\n    try:\n        return read()\n    except Exception as exc:\n"
        "        log.error('read failed: %s', exc)\n        return None\n",
    ),
    "B019": (
        "import functools\n\nclass Rates:\n    @functools.lru_cache(maxsize=128)\n"
        "    def rate(self, code):\n        return code\n",
        "import functools\n\nclass Rates:\n    @functools.lru_cache(maxsize=None)\n"
        "    def rate(self, code):\n        return code\n",
    ),
    "S608": (
        "def count(cur, table):\n    cur.execute(f'SELECT COUNT(*) FROM \"{table}\"')\n",
        "def count(cur, name):\n    cur.execute(f\"SELECT COUNT(*) FROM t WHERE name = '{name}'\")\n",
    ),
}

MORE_TWINS = [
    # Bounded by a positional size: dropped; ``functools.cache``: kept.
    ("B019", "from functools import lru_cache\nclass A:\n    @lru_cache(64)\n    def f(self):\n        return 1\n", False),
    ("B019", "from functools import cache\nclass A:\n    @cache\n    def f(self):\n        return 1\n", True),
    # Bare ``lru_cache`` keeps its default maxsize of 128: bounded too (issue 21).
    ("B019", "from functools import lru_cache\nclass A:\n    @lru_cache\n    def f(self):\n        return 1\n", False),
    ("B019", "from functools import lru_cache\nN = None\nclass A:\n    @lru_cache(maxsize=N)\n"
             "    def f(self):\n        return 1\n", True),
    # Quoted identifiers by %, .format, + and a quoting call: dropped; bare or half-quoted: kept.
    ("S608", "def f(cur, t):\n    cur.execute('DELETE FROM \"%s\" WHERE id = 1' % t)\n", False),
    ("S608", "def f(cur, t):\n    cur.execute('DELETE FROM `{}` WHERE id = 1'.format(t))\n", False),
    ("S608", "def f(cur, t):\n    cur.execute('SELECT * FROM [' + t + '] WHERE 1 = 1')\n", False),
    ("S608", "def f(cur, q, t):\n    cur.execute(f'SELECT * FROM {q.quote_identifier(t)} WHERE 1 = 1')\n", False),
    ("S608", "def f(cur, t):\n    cur.execute('SELECT * FROM ' + t)\n", True),
    ("S608", "def f(cur, t, v):\n    cur.execute(f'SELECT * FROM \"{t}\" WHERE v = {v}')\n", True),
    ("S608", "def f(cur, t):\n    cur.execute(f'SELECT * FROM \"x\" {t} WHERE 1 = 1')\n", True),
    # The innermost handler decides: a nested handler that swallows is still reported.
    ("TRY400", "import logging\ndef f(g):\n    try:\n        g()\n    except OSError:\n        try:\n            g()\n"
               "        except Exception:\n            logging.error('x')\n        raise\n", True),
]


def _codes(text: str, code: str) -> tuple[list[str], list[str]]:
    """What ruff reports for ``code``, and what is left after the post-processing."""
    raw = ruff_bridge.run_ruff(text, Path("mod.py"), [code])
    kept = post_process(ast.parse(text), text.splitlines(), raw)
    return [f.code for f in raw], [f.code for f in kept]


@pytest.mark.parametrize("code", sorted(CASES))
def test_false_positive_is_dropped_and_its_twin_kept(code: str) -> None:
    false_positive, twin = CASES[code]
    reported, kept = _codes(false_positive, code)
    assert reported == [code] and kept == []  # ruff does report it; we drop it
    reported, kept = _codes(twin, code)
    assert reported == [code] and kept == [code]


@pytest.mark.parametrize(("code", "text", "stays"), MORE_TWINS)
def test_more_shapes(code: str, text: str, stays: bool) -> None:
    reported, kept = _codes(text, code)
    assert reported == [code]
    assert kept == ([code] if stays else [])


def _workspace(tmp_path: Path) -> Path:
    files = {"pyproject.toml": '[project]\nname = "app"\n\n[tool.python-architect]\n'
                               'select = ["TRY400", "B019", "S608"]\n', "app/__init__.py": ""}
    for code, (false_positive, twin) in CASES.items():
        files[f"app/fp_{code.lower()}.py"] = false_positive
        files[f"app/tp_{code.lower()}.py"] = twin
    return write_tree(tmp_path / "ws", files)


def test_the_editor_path_drops_them(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    project = Project.load(root, editor=True)
    for code in CASES:
        fp = project.analyze(root / f"app/fp_{code.lower()}.py")
        tp = project.analyze(root / f"app/tp_{code.lower()}.py")
        assert code not in [f.code for f in fp.findings]
        assert code in [f.code for f in tp.findings]


def test_the_cli_batch_path_drops_them(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    completed = subprocess.run([sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache"],
                               cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120,
                               stdin=subprocess.DEVNULL)
    assert completed.returncode == 1, completed.stderr
    found = sorted((f["path"], f["code"]) for f in json.loads(completed.stdout)["findings"])
    assert found == [("app/tp_b019.py", "B019"), ("app/tp_s608.py", "S608"), ("app/tp_try400.py", "TRY400")]
