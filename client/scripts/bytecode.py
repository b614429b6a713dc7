"""Bytecode for the server's start-up path, shipped in the bundle (owned by packaging).

Why: an installed VSIX holds sources only, so the first start of every install compiled each
module the server imports (about a second on two cores: lsprotocol, pygls, cattrs, attrs, PyYAML
and the server itself) before it could answer. With ``__pycache__/*.cpython-3XX.pyc`` shipped,
that start reads bytecode for them like any later start.

What: every module of the libraries the server imports between its start and the first
diagnostics (``START_PATH``; ``tests/packaging/test_bytecode.py`` runs a real start and fails
when it compiles a shipped module) for the CPython versions in ``BYTECODE_VERSIONS`` that the
target ships, and the server's own start-up modules (``own_start_sources``: all of
``python_architect`` but the CLI and the MCP server, which a start never imports) and the code
attrs and cattrs generate at a start (``ship_generated_code``, ``lsp/generated_code.py``) for
the targets whose VSIX stays within the 40 MB with them (``Target.own_bytecode`` in
``vsix_targets.py``). Measured (VSIX sizes): the libraries add ~0.6 MB per version, the
server's modules ~0.9 MB, the generated code ~0.14 MB; the largest, alpine-x64, is 39.2 MB with
the bytecode, so every target ships all of it today. Modules without shipped bytecode (every
module for the other versions; the server's on a target that drops it) are
compiled on the first start and written beside the sources, or, in a read-only install, under
the extension's storage (the bootstrap's ``PYTHON_ARCHITECT_PYCACHE_PREFIX``, which hides
shipped bytecode too, so the bootstrap uses it only when the server's own is not shipped for
the running CPython: then a read-only install compiles everything once; with it, nothing).

The ``.pyc`` files are ``unchecked-hash`` (PEP 552): an install does not keep the files' times, so
timestamp-checked bytecode would be stale at once; unchecked bytecode is used as it is, which is
right for files nobody edits. Bytecode is CPython-version specific but platform independent, so it
is compiled by an interpreter of that version on the build machine (found on PATH, in pyenv or by
uv; the release workflow installs them); a version without one is skipped with a warning.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

BYTECODE_VERSIONS = ("3.11",)
"""Compiled at packaging time (the size budget above): Debian 12's ``python3`` and this project's
reference machine's. Another version here costs ~0.6 MB of every VSIX that ships it."""

START_PATH = ("attr", "attrs", "cattrs", "lsprotocol", "pygls", "ruff", "typing_extensions.py", "yaml")
"""Top-level entries (in ``libs`` or ``libs-cp3XX``) of the libraries the server's start imports."""

OWN = "python_architect"
OWN_NOT_AT_START = ("cli", "mcp")
"""Subpackages of the server a start does not import: left out of the shipped bytecode for the
bytes (~0.1 MB). (The advisor is partly imported: the chat's conversations.)"""

_COMPILE = r"""
import py_compile, sys
for source in sys.stdin.read().splitlines():
    py_compile.compile(source, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
print(sys.implementation.cache_tag)
"""


def start_path_sources(bundle: Path, version: str) -> list[Path]:
    """The libraries' ``.py`` files to compile for ``version`` (``3.11``) in an assembled ``bundle``."""
    folders = [bundle / "libs", bundle / f"libs-cp{version.replace('.', '')}"]
    sources: list[Path] = []
    for folder in folders:
        for name in START_PATH:
            entry = folder / name
            if entry.is_file():
                sources.append(entry)
            elif entry.is_dir():
                sources.extend(sorted(entry.rglob("*.py")))
    return sources


def own_start_sources(bundle: Path) -> list[Path]:
    """The server's own ``.py`` files a start imports (all but ``OWN_NOT_AT_START``) in an assembled ``bundle``."""
    package = bundle / "libs" / OWN
    return [p for p in sorted(package.rglob("*.py"))
            if p.relative_to(package).parts[0] not in OWN_NOT_AT_START]


def interpreter_for(version: str) -> str | None:
    """A CPython ``version`` on this machine: ``python3.X`` on PATH, pyenv's, then uv's."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if pyenv.is_dir():
        candidates += [str(d / "bin" / f"python{version}") for d in sorted(pyenv.glob(f"{version}.*"), reverse=True)]
    uv = Path(sys.executable).with_name("uv")
    if uv.is_file():
        found = subprocess.run([str(uv), "python", "find", "--no-python-downloads", version],
                               capture_output=True, text=True, check=False)
        candidates.append(found.stdout.strip() if found.returncode == 0 else None)
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and _is_cpython(candidate, version):
            return candidate
    return None


def _is_cpython(python: str, version: str) -> bool:
    try:
        said = subprocess.run([python, "-c", "import sys; print(sys.implementation.name, '%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60, check=False).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return False
    return said == ["cpython", version]


_GENERATE = r"""
import os, sys
from pathlib import Path
bundle, version_folder = Path(sys.argv[1]), Path(sys.argv[2])
sys.path[:0] = [str(version_folder), str(bundle / "libs")]
from python_architect.lsp import generated_code
cache = generated_code.install()  # PYTHON_ARCHITECT_CACHE_DIR is empty: everything is compiled here
from lsprotocol import types
from python_architect.lsp.app import create_server
protocol = create_server().protocol
uri = "file:///w/m.py"
capabilities = {
    "workspace": {"configuration": True, "workspaceFolders": True, "didChangeWatchedFiles": {"dynamicRegistration": True},
                  "diagnostics": {"refreshSupport": True}, "workspaceEdit": {"documentChanges": True}},
    "textDocument": {"diagnostic": {"dynamicRegistration": True, "relatedDocumentSupport": False},
                     "synchronization": {"didSave": True, "dynamicRegistration": True},
                     "hover": {"contentFormat": ["markdown", "plaintext"]},
                     "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
                     "publishDiagnostics": {"relatedInformation": True}},
    "window": {"workDoneProgress": True, "showMessage": {}},
    "general": {"positionEncodings": ["utf-16"]},
}
for message in (  # what the editor sends at a start
    {"id": 1, "method": "initialize", "params": {"processId": 1, "rootUri": "file:///w", "capabilities": capabilities,
     "workspaceFolders": [{"uri": "file:///w", "name": "w"}], "initializationOptions": {}, "trace": "off",
     "clientInfo": {"name": "Visual Studio Code", "version": "1.100.0"}, "locale": "en"}},
    {"method": "initialized", "params": {}},
    {"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": ""}}},
    {"id": 2, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}, "identifier": "python-architect"}},
):
    protocol.structure_message({"jsonrpc": "2.0", **message})
position = types.Position(line=0, character=0)
diagnostic = types.Diagnostic(range=types.Range(start=position, end=position), message="m", severity=types.DiagnosticSeverity.Warning,
                              code="ARC102", source="python-architect", code_description=types.CodeDescription(href="file:///w/a.md"))
for answer in (  # what the server sends back: one object per message type
    types.InitializeResult(capabilities=types.ServerCapabilities(), server_info=types.ServerInfo(name="n")),
    types.RelatedFullDocumentDiagnosticReport(items=[diagnostic], result_id="r"),
    types.PublishDiagnosticsParams(uri=uri, diagnostics=[diagnostic]),
    types.LogMessageParams(type=types.MessageType.Info, message="m"),
    types.ShowMessageParams(type=types.MessageType.Info, message="m"),
    types.ConfigurationParams(items=[types.ConfigurationItem(scope_uri="file:///w", section="s")]),
    types.WorkDoneProgressCreateParams(token="t"),
    types.ProgressParams(token="t", value=types.WorkDoneProgressBegin(title="t")),
    types.RegistrationParams(registrations=[types.Registration(id="i", method="m")]),
):
    protocol._converter.unstructure(answer)
print(cache.write_shipped(generated_code.shipped_path(version_folder)))
"""


def ship_generated_code(bundle: Path, version: str, python: str) -> int:
    """Writes the code attrs and cattrs generate at a start (``lsp/generated_code.py``) into the
    bundle's ``libs-cp3XX`` for ``version``, compiled by ``python``; how many code objects."""
    import tempfile

    with tempfile.TemporaryDirectory() as empty_cache:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env.update(PYTHON_ARCHITECT_CACHE_DIR=empty_cache, PYTHONUTF8="1", PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run([python, "-c", _GENERATE, str(bundle), str(bundle / f"libs-cp{version.replace('.', '')}")],
                              capture_output=True, text=True, check=True, env=env, timeout=600)
    return int(done.stdout.split()[-1])


def compile_start_path(bundle: Path, versions: tuple[str, ...], own: bool = False) -> dict[str, str]:
    """Writes the bytecode for each of ``versions`` in ``BYTECODE_VERSIONS``, the server's own
    start-up modules' too when ``own``; returns what compiled each (version -> interpreter) and
    warns on stderr about a version without an interpreter."""
    compiled: dict[str, str] = {}
    for version in (v for v in versions if v in BYTECODE_VERSIONS):
        python = interpreter_for(version)
        if python is None:
            print(f"bundle: no CPython {version} here: its bytecode is compiled on the first start instead",
                  file=sys.stderr)
            continue
        sources = start_path_sources(bundle, version) + (own_start_sources(bundle) if own else [])
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")}
        subprocess.run([python, "-c", _COMPILE], input="\n".join(map(str, sources)), text=True, check=True,
                       env=env, stdout=subprocess.DEVNULL)
        compiled[version] = python
        if own:
            count = ship_generated_code(bundle, version, python)
            print(f"bundle: {count} code objects attrs and cattrs generate at a start, for CPython {version}", file=sys.stderr)
        which = "the server's and its libraries'" if own else "the libraries'"
        print(f"bundle: bytecode for CPython {version}: {which} ({len(sources)} modules, {python})", file=sys.stderr)
    return compiled
