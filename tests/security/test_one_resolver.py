"""One resolver for workspace paths (issue 24 item 5): every reader gives every path the same verdict.

A workspace holds one row per case — (a) a ``.py`` file linked out of the root, (b) a directory
linked out, (c) a module linked inside the root, (d) a symlink loop, (e) a ``src`` root that is a
link out, (f) a requirements file linked out — plus an ordinary module and requirements file as
controls. Every outside file holds ``MARKER``. Each *reader* (a front end that reads the
workspace) reports what it saw; for every row it covers, the verdict must be the row's: an outside
path is skipped and said once, an inside one is analysed; and ``MARKER`` appears in no output.

How "analysed" shows: each Python row's module ``pkg.X`` and an inside partner ``pkg.a_X`` import
each other (the partner imports a name ``pkg.X`` never binds, so importing ``pkg.X`` fails), so an
analysed row closes an import cycle (ARC103) whose message names ``pkg.X`` —
for the outside rows that is exactly the leak the issue found (an import pulling outside code into
the index). A requirements row is analysed when ARC110 (an ADR asks for exact pins) lands on it.

``READERS`` is the list of front ends: the MCP server and the chat's context are rows the lead
adds after merging (a ``Reader`` whose ``read`` returns a ``Seen``; see the note above it).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from trees import write_tree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lsp"))

from cli_support import run_cli
from harness import SERVER_COMMAND, initialize_params, make_client, wait_until
from lsprotocol import types
from pytest_lsp import ClientServerConfig

MARKER = "markerzqx7731"
"""In every file outside the root, and nowhere inside it: seen in an output, it leaked."""
ANALYSED, SKIPPED = "analysed", "skipped"
OUTSIDE = "outside the workspace root"


@dataclass(frozen=True)
class Row:
    name: str
    path: str
    """Where the case sits in the workspace (root-relative)."""
    expected: str
    module: str | None
    """The module whose ARC103 cycle shows it was analysed (None: a requirements file)."""
    reason: str | None = None
    """Why a skipped row is skipped, as ``check`` says it."""


ROWS = (
    Row("a-file-link-out", "pkg/leak.py", SKIPPED, "pkg.leak", OUTSIDE),
    Row("b-directory-link-out", "linked", SKIPPED, "linked.inner", OUTSIDE),
    Row("c-module-link-inside", "pkg/alias.py", ANALYSED, "pkg.alias"),
    Row("d-symlink-loop", "pkg/loop.py", SKIPPED, "pkg.loop", "symlink loop"),
    Row("e-src-root-link-out", "extsrc", SKIPPED, "pkg.ext", OUTSIDE),
    Row("f-requirements-link-out", "requirements.txt", SKIPPED, None, OUTSIDE),
    Row("control-module", "pkg/plain.py", ANALYSED, "pkg.plain"),
    Row("control-requirements", "requirements-dev.txt", ANALYSED, None),
)

PINS_ADR = """---
id: ADR-001
title: Pin every dependency
status: accepted
applies-to:
  paths: ["requirements*.txt"]
rules:
  - id: exact-pins
    kind: pinned-dependencies
    policy: exact
    severity: error
---
# ADR-001: Pin every dependency

## Decision

Every requirement is pinned with `==`.
"""


def build_workspace(base: Path) -> Path:
    outside = write_tree(base / "outside", {
        "secret.py": f"import pkg.a_leak\nSECRET = '{MARKER}'\n",
        "lib/__init__.py": f"SECRET = '{MARKER}'\n",
        "lib/inner.py": f"import pkg.a_linked\nSECRET = '{MARKER}'\n",
        "srcroot/pkg/ext.py": f"import pkg.a_ext\nSECRET = '{MARKER}'\n",
        "requirements.txt": f"{MARKER}>=1\n",
    })
    root = write_tree(base / "root", {
        "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.python-architect]\nsrc = ['.', 'extsrc']\n",
        ".ai/adrs/0001-pin-every-dependency.md": PINS_ADR,
        "requirements-dev.txt": "insidepkg>=1\n",
        "pkg/__init__.py": "",
        "pkg/real.py": "import pkg.a_alias\n",
        "pkg/plain.py": "import pkg.a_plain\n",
        **{f"pkg/a_{row.module.split('.')[-1]}.py": f"from {row.module} import CYCLE_PROBE\n" for row in ROWS if row.module},
    })
    os.symlink(outside / "secret.py", root / "pkg/leak.py")  # (a)
    os.symlink(outside / "lib", root / "linked")  # (b)
    os.symlink("real.py", root / "pkg/alias.py")  # (c)
    os.symlink("loop.py", root / "pkg/loop.py")  # (d)
    os.symlink(outside / "srcroot", root / "extsrc")  # (e)
    os.symlink(outside / "requirements.txt", root / "requirements.txt")  # (f)
    return root.resolve()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workspace(tmp_path_factory.mktemp("one-resolver"))


@dataclass
class Seen:
    """What one reader showed: findings ``(root-relative path, code, message)``, analysed files
    named by an explicit run, the text where it says what it skipped, and everything it printed."""

    findings: list[tuple[str, str, str]] = field(default_factory=list)
    modules: set[str] = field(default_factory=set)
    """Modules it lists (the graph's nodes)."""
    counted: dict[str, int] = field(default_factory=dict)
    """Row path -> files an explicit run on it checked."""
    notices: dict[str, str] = field(default_factory=dict)
    """Row path -> the text in which skips of it are said (default: ``notices[""]``)."""
    everything: str = ""

    def analysed(self, row: Row) -> bool:
        if row.path in self.counted:
            return self.counted[row.path] > 0
        if row.module is not None and row.module in self.modules:
            return True
        if row.module is None:
            return any(path == row.path and code == "ARC110" for path, code, _ in self.findings)
        named = re.compile(rf"(?<![\w.]){re.escape(row.module)}(?![\w.])")
        return any(code == "ARC103" and named.search(message) for _, code, message in self.findings)

    def said(self, row: Row, notice: Callable[[Row], str]) -> int:
        return self.notices.get(row.path, self.notices.get("", "")).count(notice(row))


def _cli_notice(row: Row) -> str:
    return f"{row.path}: skipped ({row.reason})"


@dataclass(frozen=True)
class Reader:
    name: str
    read: Callable[[Path], Seen]
    covers: Callable[[Row], bool] = lambda row: True
    notice: Callable[[Row], str] | None = _cli_notice
    """The text that says a row was skipped (None: this reader says nothing about skips)."""
    says: Callable[[Row], bool] = lambda row: True
    """Which skipped rows it says (the editor's log names links out, not loops)."""


_FINDING_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):\d+:\d+: (?P<code>[A-Z]+\d+) (?P<message>.*)$")


def _check_text(root: Path) -> Seen:
    run = run_cli("check", "--no-cache", cwd=root)
    assert run.returncode in (0, 1), run.stderr
    found = [(m["path"], m["code"], m["message"]) for m in map(_FINDING_LINE.match, run.stdout.splitlines()) if m]
    return Seen(findings=found, notices={"": run.stderr}, everything=run.stdout + run.stderr)


def _check_json(root: Path) -> Seen:
    run = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert run.returncode in (0, 1), run.stderr
    findings = [(f["path"], f["code"], f["message"]) for f in run.json()["findings"]]
    return Seen(findings=findings, notices={"": run.stderr}, everything=run.stdout + run.stderr)


def _check_each_path(root: Path) -> Seen:
    seen = Seen()
    for row in ROWS:
        run = run_cli("check", "--no-cache", "--format", "json", row.path, cwd=root)
        assert run.returncode in (0, 1), run.stderr
        seen.counted[row.path] = run.json()["files"]
        seen.notices[row.path] = run.stderr
        seen.everything += run.stdout + run.stderr
    return seen


def _graph(root: Path) -> Seen:
    run = run_cli("graph", "--no-cache", "--format", "json", "--depth", "9", cwd=root)
    assert run.returncode == 0, run.stderr
    modules = {node["id"] for node in json.loads(run.stdout)["nodes"]}
    assert "pkg.plain" in modules  # the graph is deep enough to name modules
    return Seen(modules=modules, notices={"": run.stderr}, everything=run.stdout + run.stderr)


def _baseline(root: Path) -> Seen:
    output = root.parent / "recorded-baseline.json"  # outside the shared workspace: it stays as built
    run = run_cli("baseline", "--output", output, cwd=root)
    assert run.returncode == 0, run.stderr
    text = output.read_text(encoding="utf-8")
    findings = [(e["path"], e["code"], e["message"]) for e in json.loads(text)["findings"]]
    return Seen(findings=findings, notices={"": run.stderr}, everything=run.stdout + run.stderr + text)


def _adrs(root: Path) -> Seen:
    run = run_cli("adrs", "--format", "json", cwd=root)
    assert run.returncode in (0, 1), run.stderr
    assert "ADR-001" in run.stdout
    return Seen(everything=run.stdout + run.stderr)


# The readers of the workspace. The MCP server (list_adrs, relevant_adrs, check, read tools) and
# the chat's context are further rows: a ``Reader`` whose ``read(root)`` returns a ``Seen``
# (findings or modules it reports, its whole output in ``everything``), added here after merge.
READERS = [
    Reader("check-text", _check_text),
    Reader("check-json", _check_json),
    Reader("check-each-path", _check_each_path),
    Reader("graph", _graph, covers=lambda row: row.module is not None),
    Reader("baseline", _baseline),
    Reader("adrs", _adrs, covers=lambda row: False, notice=None),
]


def assert_same_verdicts(reader: Reader, seen: Seen) -> None:
    assert MARKER not in seen.everything
    rows = [row for row in ROWS if reader.covers(row)]
    assert {row.name: ANALYSED if seen.analysed(row) else SKIPPED for row in rows} == \
        {row.name: row.expected for row in rows}
    if reader.notice is not None:
        notice = reader.notice
        said = {row.name: seen.said(row, notice) for row in ROWS}
        assert said == {row.name: int(row.expected == SKIPPED and reader.says(row)) for row in ROWS}


def test_the_outside_files_hold_the_marker_and_the_links_point_there(workspace: Path) -> None:
    """The table can catch a leak: every outside row's target carries the marker."""
    for row in ROWS:
        if row.reason != OUTSIDE:
            continue
        target = (workspace / row.path).resolve()
        assert not target.is_relative_to(workspace)
        texts = [p.read_text() for p in ([target] if target.is_file() else target.rglob("*.py"))]
        assert any(MARKER in text for text in texts), row


@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.name)
def test_every_reader_gives_every_path_the_same_verdict(workspace: Path, reader: Reader) -> None:
    assert_same_verdicts(reader, reader.read(workspace))


# --- the language server: the workspace scan and an open document --------------------------

LSP = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)


async def test_the_language_server_gives_the_same_verdicts(tmp_path: Path) -> None:
    root = build_workspace(tmp_path)
    client = await LSP.start()
    client.profile = "visual_studio_code"  # type: ignore[attr-defined]
    try:
        await client.initialize_session(initialize_params("visual_studio_code", [root], {}))
        opened = (root / "pkg/a_plain.py").as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=opened, language_id="python", version=1, text=(root / "pkg/a_plain.py").read_text())))

        def scanned() -> bool:
            # The workspace findings arrive in one pass after the scan: both inside cycles shown.
            messages = [d.message for p in client.published for d in p.diagnostics]  # type: ignore[attr-defined]
            return any("pkg.alias" in m for m in messages) and any("pkg.plain" in m for m in messages)

        await wait_until(client, scanned, timeout=60, what="the inside cycles from the workspace scan")
        on_open = [d for p in client.published if p.uri == opened for d in p.diagnostics]  # type: ignore[attr-defined]
        assert any(d.code == "ARC103" and "pkg.plain" in d.message for d in on_open)

        # The editor opens the link out with the text it read there: not this workspace's module.
        leak = (root / "pkg/leak.py").as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=leak, language_id="python", version=1, text=(root / "pkg/leak.py").read_text())))
        await wait_until(client, lambda: any(p.uri == leak and p.version == 1 for p in client.published),
                         timeout=60, what="the link out's (empty) diagnostics")
        assert [d for p in client.published if p.uri == leak for d in p.diagnostics] == []
        graph = await client.protocol.send_request_async(
            "pythonArchitect/graph", {"folderUri": root.as_uri(), "depth": 9})
        mermaid = (graph._asdict() if hasattr(graph, "_asdict") else graph)["mermaid"]
        assert '"pkg.alias"' in mermaid and '"pkg.leak"' not in mermaid and '"pkg.ext"' not in mermaid

        # The editor's whole-workspace check counts the files the CLI counts.
        checked = await client.protocol.send_request_async("pythonArchitect/checkWorkspace", {})
        files = (checked._asdict() if hasattr(checked, "_asdict") else checked)["files"]
        assert files == run_cli("check", "--no-cache", "--format", "json", cwd=root).json()["files"]
    finally:
        await client.shutdown_session()  # answered after every notification sent before it
        await client.stop()
    published = client.published  # type: ignore[attr-defined]
    findings = [(Path(p.uri.removeprefix("file://")).relative_to(root).as_posix(), str(d.code), d.message)
                for p in published for d in p.diagnostics]
    logs = "\n".join(m.message for m in client.log_messages)
    seen = Seen(findings=findings, notices={"": logs}, everything="\n".join(map(repr, published)) + logs)
    reader = Reader("language-server", lambda _: seen, covers=lambda row: row.module is not None,
                    notice=lambda row: f"skipped {root / row.path}:", says=lambda row: row.reason == OUTSIDE)
    assert_same_verdicts(reader, seen)
