"""The code attrs and cattrs generate, kept between starts (``python_architect.lsp.generated_code``).

Each start is a fresh interpreter (a subprocess): lsprotocol's classes are built once per process.
The cache folder is a temp ``PYTHON_ARCHITECT_CACHE_DIR`` with its own user key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from python_architect.lsp.generated_code import CodeCache

SERVER = Path(__file__).resolve().parents[2] / "server"

START = r"""
import json
from python_architect.lsp import generated_code
cache = generated_code.install()
from lsprotocol import types
from pygls.protocol import default_converter
params = {"processId": 1, "rootUri": "file:///w", "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown"]}}}}
structured = default_converter().structure(params, types.InitializeParams)  # cattrs generates its functions
assert list(structured.capabilities.text_document.hover.content_format) == [types.MarkupKind.Markdown]
a, b = types.Position(line=1, character=2), types.Position(line=1, character=2)
c = types.Range(start=a, end=types.Position(line=3, character=0))
same = a == b and a != c.end and (c.start.line, c.end.line) == (1, 3) and repr(types.TextEdit(range=c, new_text="x")) == "TextEdit(range=1:2-3:0, new_text='x')"
cache.save()
print(json.dumps({"compiled": cache.compiled, "reused": len(cache.used) - cache.compiled,
                  "path": str(cache.path), "same": same}))
"""


def start(cache_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(SERVER), PYTHON_ARCHITECT_CACHE_DIR=str(cache_dir))
    done = subprocess.run([sys.executable, "-c", START], env=env, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_second_start_compiles_none_of_lsprotocols_methods(tmp_path):
    first = start(tmp_path)
    assert first["compiled"] > 400 and first["reused"] == 0 and first["same"]
    assert Path(first["path"]).is_file() and Path(first["path"]).is_relative_to(tmp_path)
    second = start(tmp_path)
    assert second["compiled"] == 0 and second["reused"] == first["compiled"]
    assert second["same"], "the reused methods behave as attrs' own"


def test_a_file_that_does_not_verify_is_never_unmarshalled(tmp_path):
    first = start(tmp_path)
    path = Path(first["path"])
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # one byte of the marshalled body
    path.write_bytes(bytes(data))
    assert start(tmp_path)["compiled"] == first["compiled"], "a damaged file was used"
    import marshal

    path.write_bytes(marshal.dumps({}))  # planted: no MAC at all
    again = start(tmp_path)
    assert again["compiled"] == first["compiled"] and again["same"]


def test_a_changed_script_is_compiled_afresh(tmp_path):
    cache = CodeCache(tmp_path / "codes.marshal")

    def run(script: str) -> int:
        defined: dict = {}
        exec(cache.compile(script, "<attrs generated methods x>", "exec"), {}, defined)  # noqa: S102 - our own text
        return defined["f"]()

    assert (run("def f():\n    return 1\n"), run("def f():\n    return 2\n"), run("def f():\n    return 1\n")) == (1, 2, 1)
    assert cache.compiled == 2 and len(cache.used) == 2
    assert cache.compile("1 + 1", "<x>", "eval") is not cache.compile("1 + 1", "<x>", "eval"), "only exec scripts are kept"


def test_the_code_a_vsix_ships_is_used_and_only_in_its_own_format(tmp_path):
    packaging = CodeCache(tmp_path / "unused.marshal")
    script = "def f():\n    return 41 + 1\n"
    packaging.compile(script, "<attrs generated methods y>", "exec")
    shipped = tmp_path / "libs-cp3x" / "generated-code.marshal"
    shipped.parent.mkdir()
    assert packaging.write_shipped(shipped) == 1

    first_start = CodeCache(tmp_path / "user.marshal")
    assert first_start.load_shipped(shipped) == 1
    defined: dict = {}
    exec(first_start.compile(script, "<attrs generated methods y>", "exec"), {}, defined)  # noqa: S102 - our own text
    assert defined["f"]() == 42 and first_start.compiled == 0, "the shipped code object was not used"

    import marshal

    for foreign in (marshal.dumps({b"k" * 16: compile("x = 1", "<x>", "exec")}), b"python-architect shipped generated code 1\n\x00"):
        shipped.write_bytes(foreign)  # no header, or a header and a body marshal cannot read
        assert CodeCache(tmp_path / "user.marshal").load_shipped(shipped) == 0
