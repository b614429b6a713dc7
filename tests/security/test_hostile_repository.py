"""A repository nobody trusts (issue 24, "Done when"): each hostile thing a clone can ship, run
through every way the tool meets a repository.

One workspace builder per case; each workspace also holds one good ADR (ADR-001: no ``pickle`` in
``src/app``) and a module that breaks it, so "the knowledge base still loads" is a finding that
must appear, not an absence. ``check``, ``graph`` and ``adrs`` run as CLI processes, then the
language server (raw stdio client: initialize, didOpen, diagnostics, hover, the editor API's
ADR list and graph, shutdown) and the MCP server (the ``mcp`` SDK client: ``list_adrs``,
``check``, ``relevant_adrs``). Every process runs under a 3 GiB address-space limit
(``LIMITED``: set, then exec), with the server's cache directory (``PYTHON_ARCHITECT_CACHE_DIR``)
private to the case.

For every case and tool: the planted payload's marker file is never created, the process exits
0 or 1 (never 2: that is a crash) without a traceback, the good ADR is still listed and its
finding still reported, and the text only an outside file holds (``OUTSIDE``) is in no output.
Timeouts are hang guards only: each run takes a second or two on a tiny workspace.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import shlex
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from raw_lsp import RawServer
from trees import write_tree

LIMIT = 3 << 30
LIMITED = [sys.executable, "-c", (
    f"import os, resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT})); "
    "os.execv(sys.executable, [sys.executable, '-m', 'python_architect', *sys.argv[1:]])")]
"""``python -m python_architect ARGS`` under the memory limit: a wrapper rather than
``preexec_fn`` because the MCP SDK starts its server itself (and ``preexec_fn`` is not safe with
the threads an asyncio test runs)."""
HANG_GUARD = 30.0

PYPROJECT = '[project]\nname = "app"\nversion = "1.0"\n\n[tool.python-architect]\nsrc = ["src"]\n'
GOOD_ADR = """---
id: ADR-001
title: No pickle in the app
status: accepted
applies-to:
  paths: ["src/app/**"]
rules:
  - id: no-pickle
    kind: forbidden-import
    modules: [pickle]
---

# No pickle in the app

## Decision

Data is stored as JSON.
"""
SERVICE = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n"
CASES = ("planted-pack", "yaml-bomb-tags", "yaml-bomb-keywords", "yaml-bomb-paths", "backtracking-glob",
         "dev-zero-pack", "symlinked-pack-outside", "symlinked-adr", "symlinked-module")


@dataclass
class Case:
    name: str
    root: Path
    server_cache: Path
    marker_file: Path
    """Created by the planted payload if it ever runs (outside the root)."""
    outside: str
    """A string only files outside the root hold."""
    planted: dict[Path, bytes | str] = field(default_factory=dict)
    """Cache packs (bytes, or a symlink's target) the tools may discard: planted again before
    each run, so every tool meets them."""

    def plant(self) -> None:
        """The planted packs back in place and no marker: each tool faces the case afresh."""
        self.marker_file.unlink(missing_ok=True)
        for path, content in self.planted.items():
            if path.is_symlink() or path.exists():
                path.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.symlink_to(content)

    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHON_ARCHITECT_CACHE_DIR": str(self.server_cache)}

    def assert_clean(self, *outputs: str) -> None:
        assert not self.marker_file.exists(), f"{self.name}: code from the repository ran"
        for output in outputs:
            assert self.outside not in output, f"{self.name}: a file outside the root was read"
            assert "Traceback (most recent call last)" not in output, f"{self.name}: {output[-3000:]}"


# -- what an attacker builds ------------------------------------------------------------------
def _unicode(text: str) -> bytes:
    data = text.encode()
    return pickle.BINUNICODE + len(data).to_bytes(4, "little") + data


def planted_pack(marker: Path, note: str = "") -> bytes:
    """A cache pack as anyone can build it from the public code: the magic, tool version and code
    fingerprint in the header, a valid checksum, and a payload that resolves ``os.system``
    through a protocol-4 dotted name inside an allowed module and calls it (``note``: a string
    the payload carries and drops, valid pickle either way)."""
    from python_architect.workspace import cache_pack, fingerprint

    payload = (pickle.PROTO + b"\x04" + _unicode(note) + pickle.POP
               + _unicode("python_architect.workspace.cache") + _unicode("os.system")
               + pickle.STACK_GLOBAL + _unicode(f"touch {shlex.quote(str(marker))}") + pickle.TUPLE1
               + pickle.REDUCE + pickle.STOP)
    # The pack layout of this code (whatever a later format adds, an attacker has only this).
    magic = getattr(cache_pack, "MAGIC", b"python-architect-cache 2\n")
    version = getattr(cache_pack, "TOOL_VERSION", "")
    header = magic + str(version).encode() + b"\n" + fingerprint.code_fingerprint().encode() + b"\n"
    return header + fingerprint.digest(payload).encode() + b"\n" + payload


def server_cache_folder(case_cache: Path, root: Path) -> Path:
    """Where the language server keeps this workspace's packs (``user_cache_dir``)."""
    from python_architect.workspace import cache, fingerprint

    if not hasattr(cache, "user_cache_dir"):  # its layout: one folder per resolved root
        return case_cache / fingerprint.digest(str(root.resolve()).encode())[:16]
    previous = os.environ.get("PYTHON_ARCHITECT_CACHE_DIR")
    os.environ["PYTHON_ARCHITECT_CACHE_DIR"] = str(case_cache)
    try:
        return cache.user_cache_dir(root)
    finally:
        if previous is None:
            os.environ.pop("PYTHON_ARCHITECT_CACHE_DIR")
        else:
            os.environ["PYTHON_ARCHITECT_CACHE_DIR"] = previous


def billion_laughs(key_path: str, levels: int = 9) -> str:
    """ADR frontmatter whose ``key_path`` (``tags`` or ``applies-to.keywords``/``.paths``) holds
    nine levels of nine aliases each: 9**9 (387 million) strings once expanded."""
    items = ['    - &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        items.append(f"    - &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    bomb = "\n".join(items)
    if key_path == "tags":
        block = f"tags:\n{bomb}\n"
    else:
        block = f"applies-to:\n  {key_path.split('.')[1]}:\n{bomb}\n"
    return f"---\nid: ADR-002\ntitle: Laughs\nstatus: accepted\n{block}---\n\n# Laughs\n\n## Decision\n\nHa.\n"


def build_case(name: str, base: Path) -> Case:
    root = base / "repo"
    elsewhere = base / "elsewhere"
    elsewhere.mkdir(parents=True)
    case = Case(name, root, base / "server-cache", base / "payload-ran", f"OUTSIDE-{uuid.uuid4().hex}")
    files: dict[str, str | bytes] = {"pyproject.toml": PYPROJECT, "src/app/__init__.py": "",
                                     "src/app/service.py": SERVICE, ".ai/adrs/0001-no-pickle.md": GOOD_ADR}
    workspace_packs = root / ".python-architect-cache"
    server_packs = server_cache_folder(case.server_cache, root)
    if name.startswith("yaml-bomb-"):
        key = {"tags": "tags", "keywords": "applies-to.keywords", "paths": "applies-to.paths"}[name.rsplit("-", 1)[1]]
        files[".ai/adrs/0002-laughs.md"] = billion_laughs(key)
    elif name == "backtracking-glob":
        pattern = "*a" * 25 + "*b"
        files[".ai/adrs/0003-glob.md"] = (
            f'---\nid: ADR-003\ntitle: Slow glob\nstatus: accepted\napplies-to:\n  paths: ["{pattern}"]\n---\n\n'
            "# Slow glob\n\n## Decision\n\nNone.\n")
        files["src/app/" + "a" * 60 + ".py"] = "x = 1\n"
    write_tree(root, files)
    if name == "planted-pack":
        for folder in (workspace_packs, server_packs):
            case.planted[folder / "0000-planted.pack"] = planted_pack(case.marker_file)
    elif name == "dev-zero-pack":
        for folder in (workspace_packs, server_packs):
            case.planted[folder / "zero.pack"] = "/dev/zero"
    elif name == "symlinked-pack-outside":
        outside_pack = elsewhere / "cache.pack"
        outside_pack.write_bytes(planted_pack(case.marker_file, note=case.outside))
        case.planted[workspace_packs / "linked.pack"] = str(outside_pack)
    elif name == "symlinked-adr":
        outside_adr = elsewhere / "decision.md"
        outside_adr.write_text(
            f"---\nid: ADR-009\ntitle: {case.outside}\nstatus: accepted\ntags: [{case.outside}]\n---\n\n"
            f"# {case.outside}\n\n## Decision\n\n{case.outside}\n", encoding="utf-8")
        (root / ".ai/adrs/0009-linked.md").symlink_to(outside_adr)
    elif name == "symlinked-module":
        outside_module = elsewhere / "module.py"
        outside_module.write_text(f'import pickle\n\nTOKEN = "{case.outside}"\n', encoding="utf-8")
        (root / "src/app/leak.py").symlink_to(outside_module)
    return case


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    return {name: build_case(name, tmp_path_factory.mktemp(name)) for name in CASES}


# -- the CLI ----------------------------------------------------------------------------------
def cli(case: Case, *args: str) -> subprocess.CompletedProcess[str]:
    case.plant()
    result = subprocess.run([*LIMITED, *args], cwd=case.root, env=case.env(), capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=HANG_GUARD, stdin=subprocess.DEVNULL,
                            check=False)
    case.assert_clean(result.stdout, result.stderr)
    assert result.returncode in (0, 1), f"{case.name}: exit {result.returncode}: {result.stderr[-2000:]}"
    return result


def good_finding_reported(findings: list[dict[str, Any]]) -> bool:
    return any(f["code"] == "ARC101" and "ADR-001" in f["adrs"] and f["path"] == "src/app/service.py"
               for f in findings)


@pytest.mark.parametrize("name", CASES)
def test_check(cases, name):
    case = cases[name]
    result = cli(case, "check", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert good_finding_reported(report["findings"]), report
    assert not any("leak" in f["path"] for f in report["findings"]), "a module linked from outside was checked"


@pytest.mark.parametrize("name", CASES)
def test_graph(cases, name):
    case = cases[name]
    graph = json.loads(cli(case, "graph", "--format", "json").stdout)
    nodes = {node["id"] for node in graph["nodes"]}
    assert "app.service" in nodes and "app.leak" not in nodes, nodes


@pytest.mark.parametrize("name", CASES)
def test_adrs(cases, name):
    case = cases[name]
    listed = json.loads(cli(case, "adrs", "--format", "json").stdout)
    ids = [adr["id"] for adr in listed["adrs"]]
    assert "ADR-001" in ids and "ADR-009" not in ids, ids


# -- the language server ----------------------------------------------------------------------
@pytest_asyncio.fixture(loop_scope="session")
async def language_server(cases, request):
    case = cases[request.param]
    case.plant()
    server = await RawServer.start(command=LIMITED, cwd=case.root, env=case.env())
    yield case, server
    await server.kill()


@pytest.mark.parametrize("language_server", CASES, indirect=True)
async def test_language_server(language_server):
    case, server = language_server
    await asyncio.wait_for(server.initialize(case.root), HANG_GUARD)
    uri = (case.root / "src/app/service.py").resolve().as_uri()
    await server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": SERVICE}})
    published = await server.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                       and m["params"]["uri"] == uri and any(
                                           d.get("code") == "ARC101" for d in m["params"]["diagnostics"]))
    assert any("ADR-001" in d["message"] for d in published["params"]["diagnostics"]), published
    hover = await server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}})
    assert "error" not in hover, hover
    adrs = await server.request("pythonArchitect/listAdrs", {})
    ids = [adr["id"] for adr in adrs["result"]]
    assert "ADR-001" in ids and "ADR-009" not in ids, ids
    graph = await server.request("pythonArchitect/graph", {})
    assert "service" in graph["result"]["mermaid"] and "leak" not in graph["result"]["mermaid"], graph
    assert await server.stop() == 0
    case.assert_clean(json.dumps(server.messages), json.dumps(hover), json.dumps(adrs), json.dumps(graph),
                      server.stderr.decode("utf-8", "replace"))
    leaked = [m for m in server.messages if m.get("method") == "textDocument/publishDiagnostics"
              and m["params"]["uri"].endswith("/leak.py") and m["params"]["diagnostics"]]
    assert not leaked, "a module linked from outside was checked"


# -- the MCP server ---------------------------------------------------------------------------
def payload(result: Any) -> Any:
    """A tool result's value (as tests/mcp/mcp_support reads it); an error result fails the test."""
    assert not result.is_error, result.content
    content = result.structured_content
    if content is not None:
        return content.get("result", content) if set(content) == {"result"} else content
    return json.loads(result.content[0].text)


@pytest.mark.parametrize("name", CASES)
async def test_mcp_server(cases, name, tmp_path):
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    case = cases[name]
    case.plant()
    params = StdioServerParameters(command=LIMITED[0], args=[*LIMITED[1:], "mcp", "--root", str(case.root)],
                                   cwd=str(case.root), env=case.env())
    errors = tmp_path / "stderr.txt"

    async def session() -> tuple[Any, Any]:
        with errors.open("w", encoding="utf-8") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as client:
                await client.initialize()
                return (payload(await client.call_tool("list_adrs", {})),
                        payload(await client.call_tool("check", {})),
                        payload(await client.call_tool("relevant_adrs", {"question": "pickle decision"})))

    listed, checked, relevant = await asyncio.wait_for(session(), HANG_GUARD)
    ids = [adr["id"] for adr in listed["adrs"]]
    assert "ADR-001" in ids and "ADR-009" not in ids, ids
    findings = checked["findings"]
    assert any(f["code"] == "ARC101" and "ADR-001" in f["adrs"] and f["path"].endswith("service.py") for f in findings)
    assert not any("leak" in f["path"] for f in findings)
    case.assert_clean(json.dumps(listed), json.dumps(checked), json.dumps(relevant), errors.read_text(encoding="utf-8", errors="replace"))
