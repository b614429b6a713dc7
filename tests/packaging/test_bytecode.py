"""The bytecode a VSIX ships for the server's start-up path (``client/scripts/bytecode.py``).

Built once: the linux-x64 bundle (``bundle_python.py``, dependencies from the cache), a target
that ships the server's own bytecode too (``Target.own_bytecode``). Checked: CPython 3.11's
bytecode is there for every module of the start-up libraries and of the server's start, not for
the chat's agent, the CLI or the MCP server, and is ``unchecked-hash`` (an install keeps no file
times, so timestamp bytecode would be stale at once); a real first start of that bundle
(``<python3.11> bootstrap.py``, initialize, open a file, pull its diagnostics) compiles nothing,
does not import the chat's agent, and logs its ``startup:`` phases in order; a read-only install
writes nothing when the server's bytecode is shipped, and only under the client's prefix when it
is not (a target that drops it). Needs CPython 3.11 on the machine, as packaging does (the
workflows install it).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "client" / "scripts"
sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(REPO / "tests" / "support"))

from bytecode import BYTECODE_VERSIONS, OWN, OWN_NOT_AT_START, interpreter_for, own_start_sources, start_path_sources
from vsix_targets import TARGETS
from raw_lsp import RawServer, initialize_params

OPENED = "src/pricing_service/domain/pricing_rules.py"
IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)\s*$", re.MULTILINE)
PHASE = re.compile(r"(imports done|initialize|project loaded|first diagnostics) (\d+)")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bytecode") / "bundled"
    subprocess.run([sys.executable, str(SCRIPTS / "bundle_python.py"), "--target", "linux-x64", "--out", str(out)],
                   check=True, timeout=1800)
    return out


@pytest.fixture(scope="module")
def python311() -> str:
    found = interpreter_for("3.11")
    assert found, "packaging compiles CPython 3.11's bytecode: install a CPython 3.11"
    return found


def pyc_of(source: Path, tag: str) -> Path:
    return source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"


def test_the_start_path_ships_unchecked_bytecode_for_cpython_311(bundle, python311):
    assert "3.11" in BYTECODE_VERSIONS
    assert all(target.own_bytecode for target in TARGETS.values()), "every VSIX is <= 40 MB with it"
    sources = start_path_sources(bundle, "3.11")
    names = {p.relative_to(bundle).parts[1] for p in sources}
    assert {"lsprotocol", "pygls", "cattrs", "attr", "yaml"} <= names
    own = own_start_sources(bundle)
    assert {"lsp", "engine", "knowledge", "analysis", "advisor"} <= {p.relative_to(bundle / "libs" / OWN).parts[0].removesuffix(".py") for p in own}
    missing = [p for p in sources + own if not pyc_of(p, "cpython-311").is_file()]
    assert not missing, missing[:5]
    for source in sources + own:
        flags = int.from_bytes(pyc_of(source, "cpython-311").read_bytes()[4:8], "little")
        assert flags == 0b01, f"{source}: not unchecked-hash bytecode (flags {flags:#b})"
    left_out = [p for name in OWN_NOT_AT_START for p in (bundle / "libs" / OWN / name).rglob("*.pyc")]
    assert not left_out, f"bytecode for what a start never imports (the VSIX's size): {left_out[:3]}"
    tags = {p.name.rsplit(".", 2)[-2] for p in bundle.rglob("*.pyc")}
    assert tags == {"cpython-311"}, f"one version's bytecode (the VSIX's 40 MB): {sorted(tags)}"


async def first_start(python: str, bundled: Path, workspace: Path, env: dict[str, str]) -> tuple[RawServer, dict]:
    process = await asyncio.create_subprocess_exec(
        python, str(bundled / "tool" / "bootstrap.py"), cwd=workspace, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    server = RawServer(process)
    try:
        params = initialize_params(workspace)
        params["capabilities"]["textDocument"]["diagnostic"] = {"dynamicRegistration": True}
        await server.request("initialize", params)
        await server.notify("initialized", {})
        opened = workspace / OPENED
        await server.notify("textDocument/didOpen", {"textDocument": {
            "uri": opened.as_uri(), "languageId": "python", "version": 1, "text": opened.read_text(encoding="utf-8")}})
        report = await server.request("textDocument/diagnostic", {"textDocument": {"uri": opened.as_uri()}})
        await server.wait_for(lambda m: m.get("method") == "window/logMessage" and "startup:" in m["params"]["message"])
        assert await server.stop() == 0
    finally:
        await server.kill()
    return server, report


async def test_a_first_start_compiles_nothing_and_logs_its_phases(bundle, python311, tmp_path):
    installed = tmp_path / "extension" / "bundled"
    shutil.copytree(bundle, installed)
    shipped = set(installed.rglob("*.pyc"))
    workspace = tmp_path / "service"
    shutil.copytree(REPO / "examples" / "service", workspace,
                    ignore=shutil.ignore_patterns(".python-architect-cache", "__pycache__", ".vscode"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ANTHROPIC", "VIRTUAL_ENV"))}
    env.update(PYTHON_ARCHITECT_IMPORT_STRATEGY="useBundled", PYTHONPROFILEIMPORTTIME="1",
               XDG_CACHE_HOME=str(tmp_path / "cache"))

    server, report = await first_start(python311, installed, workspace, env)

    assert any("ADR-011" in str(item) for item in report["result"]["items"]), report
    written = sorted(str(p.relative_to(installed)) for p in set(installed.rglob("*.pyc")) - shipped)
    assert not written, f"the first start compiled modules the VSIX has no bytecode for: {written[:8]}"
    imported = set(IMPORT_LINE.findall(server.stderr.decode("utf-8", "replace")))
    assert "lsprotocol.types" in imported  # the import log was read
    assert not {"python_architect.advisor.service", "snowballstemmer", "anthropic"} & imported, \
        "the chat's agent is imported on the first question, not at start"
    generated = next(m for m in server.logged() if m.startswith("generated code:"))
    compiled, reused = map(int, re.findall(r"\d+", generated))
    print(generated)
    assert reused > 400 and compiled < 20, f"the code attrs and cattrs generate was not shipped: {generated}"
    line = next(m for m in server.logged() if m.startswith("startup:"))
    phases = [(name, int(ms)) for name, ms in PHASE.findall(line)]
    assert [name for name, _ in phases] == ["imports done", "initialize", "project loaded", "first diagnostics"], line
    times = [ms for _, ms in phases]
    assert times == sorted(times) and times[0] > 0, line


async def handshake(python: str, bundled: Path, cwd: Path, env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        python, str(bundled / "tool" / "bootstrap.py"), cwd=cwd, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    server = RawServer(process)
    try:
        answer = await server.request("initialize", initialize_params(cwd))
        assert "result" in answer, answer
        assert await server.stop() == 0
    finally:
        await server.kill()


@pytest.mark.parametrize("own_shipped", [True, False], ids=["server-bytecode-shipped", "libraries-only"])
async def test_a_read_only_install_writes_bytecode_only_under_the_clients_prefix(bundle, python311, tmp_path, own_shipped):
    """The client passes a folder in its storage when the extension's is read-only. With the
    server's bytecode shipped for this CPython the bootstrap ignores it (it would hide that
    bytecode) and the start writes nothing; without, the server's bytecode
    goes there (a target without it). Never into the extension's folder."""
    installed = tmp_path / "extension" / "bundled"
    shutil.copytree(bundle, installed)
    if not own_shipped:
        for cache in list((installed / "libs" / OWN).rglob("__pycache__")):
            shutil.rmtree(cache)
    for folder in [installed, *[p for p in installed.rglob("*") if p.is_dir()]]:
        folder.chmod(0o555)  # root may still write: the test looks at where bytecode went
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ANTHROPIC", "VIRTUAL_ENV"))}
        env["PYTHON_ARCHITECT_IMPORT_STRATEGY"] = "useBundled"
        prefix = tmp_path / "storage"
        before = set(installed.rglob("*.pyc"))
        await handshake(python311, installed, tmp_path, {**env, "PYTHON_ARCHITECT_PYCACHE_PREFIX": str(prefix)})
        under_prefix = [p for p in prefix.rglob("*.cpython-311.pyc") if OWN in p.parts]
        if own_shipped:
            assert not under_prefix, f"compiled although shipped: {under_prefix[:3]}"
        else:
            assert under_prefix, "the server's bytecode was not written under the prefix"
        assert set(installed.rglob("*.pyc")) == before, "bytecode was written into the extension's folder"
    finally:
        for folder in [installed, *[p for p in installed.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)
