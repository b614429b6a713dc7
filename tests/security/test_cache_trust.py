"""Hostile caches (issue 24, items 1 and 4): what a cloned repository ships in
``.python-architect-cache/`` is a stranger's input. Each case is built as an attacker would, from
the public code alone, and the real CLI runs on it in its own process under a memory limit: no
code runs, nothing is read through a link or without bound, the findings are those of a clean
run, and each discarded or skipped file costs one log line.

The planted pickle uses the protocol-4 dotted-name trick that got through the old allow-list
(module ``python_architect.workspace.cache``, name ``os.system``); run this file against a tree
from before the fix (``PYTHONPATH=<old tree>``) and the marker file appears.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from python_architect.workspace.cache import user_cache_dir
from python_architect.workspace.cache_pack import TOOL_VERSION
from python_architect.workspace.fingerprint import code_fingerprint, digest
from trees import layers_adr, write_tree

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

MEMORY_LIMIT = 3 * 1024 ** 3
CACHE = ".python-architect-cache"
TREE = {
    "pyproject.toml": '[project]\nname = "app"\n',
    ".ai/adrs/0005-layers.md": layers_adr("app"),
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": "VIEWS = []\n",
    "app/domain/__init__.py": "",
    "app/domain/model.py": "from app.api import views\n",  # ARC102: the domain imports the api
}


def dotted_name_pickle(marker: Path) -> bytes:
    """A protocol-4 pickle calling ``os.system`` reached as ``python_architect.workspace.cache`` +
    ``os.system``: the shape the old ``_SafeUnpickler`` let through."""
    def text(value: str) -> bytes:
        raw = value.encode()
        return pickle.BINUNICODE + len(raw).to_bytes(4, "little") + raw

    return (pickle.PROTO + b"\x04" + text("python_architect.workspace.cache") + text("os.system")
            + pickle.STACK_GLOBAL + text(f"touch {marker}") + pickle.TUPLE1 + pickle.REDUCE + pickle.STOP)


def old_format_pack(payload: bytes) -> bytes:
    """Format 2 as the public code wrote it: magic, version, code fingerprint, checksum, pickle."""
    return (b"python-architect-cache 2\n" + TOOL_VERSION.encode() + b"\n" + code_fingerprint().encode() + b"\n"
            + digest(payload).encode() + b"\n" + payload)


def forged_mac_pack(payload: bytes) -> bytes:
    """Today's layout with every public part right and a MAC under a key of the attacker's own."""
    magic = b"python-architect-cache 3\n"
    body = TOOL_VERSION.encode() + b"\n" + code_fingerprint().encode() + b"\n" + payload
    tag = blake2b(magic + body, key=os.urandom(32), digest_size=32).hexdigest().encode()
    return magic + tag + b"\n" + body


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(root: Path, user_cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m python_architect ARGS`` in ``root``, its own process, address space capped."""
    env = {**os.environ, "PYTHON_ARCHITECT_CACHE_DIR": str(user_cache)}
    return subprocess.run([sys.executable, "-m", "python_architect", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120, preexec_fn=_limit_memory, check=False)


def lines_naming(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if name in line]


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "ws", TREE)


@pytest.fixture()
def user_cache(tmp_path: Path) -> Path:
    return tmp_path / "user-cache"


@pytest.mark.parametrize("command", ["check", "graph"])
@pytest.mark.parametrize("build", [old_format_pack, forged_mac_pack], ids=["format-2-pickle", "forged-mac"])
def test_a_planted_pack_runs_no_code(workspace: Path, user_cache: Path, tmp_path: Path, command: str, build) -> None:
    marker = tmp_path / "planted-pack-ran"
    clean = run_cli(workspace, user_cache, command, "--no-cache")
    assert clean.stdout and "Traceback" not in clean.stderr, clean.stderr
    (workspace / CACHE).mkdir()
    (workspace / CACHE / "0-planted.pack").write_bytes(build(dotted_name_pickle(marker)))

    result = run_cli(workspace, user_cache, command)

    assert not marker.exists(), "the planted pack ran code"
    assert (result.returncode, result.stdout) == (clean.returncode, clean.stdout)
    assert "Traceback" not in result.stderr, result.stderr
    [line] = lines_naming(result.stderr, "0-planted.pack")
    assert "discarding cache pack" in line and ("not written by this user" in line or "older one" in line), line
    assert not (workspace / CACHE / "0-planted.pack").exists(), "an untrusted pack is removed"


def _valid_pack_outside(tmp_path: Path, user_cache: Path) -> Path:
    """A pack this user's own run wrote (valid MAC), for another checkout outside the root."""
    other = write_tree(tmp_path / "other", TREE)
    assert run_cli(other, user_cache, "check").returncode == 1
    [pack] = (other / CACHE).glob("*.pack")
    return pack


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "link-to-valid-pack-outside", "oversized"])
def test_a_pack_that_is_not_a_bounded_regular_file_is_skipped_unread(
        workspace: Path, user_cache: Path, tmp_path: Path, kind: str) -> None:
    clean = run_cli(workspace, user_cache, "check", "--no-cache")
    (workspace / CACHE).mkdir()
    pack = workspace / CACHE / f"0-{kind}.pack"
    if kind == "dev-zero":
        pack.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(pack)  # a reader would block forever waiting for a writer
    elif kind == "link-to-valid-pack-outside":
        pack.symlink_to(_valid_pack_outside(tmp_path, user_cache))
    else:
        with open(pack, "wb") as handle:  # sparse: 300 MB long, nothing stored
            handle.truncate(300 * 1024 * 1024)

    result = run_cli(workspace, user_cache, "check")

    assert (result.returncode, result.stdout) == (clean.returncode, clean.stdout)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr
    [line] = lines_naming(result.stderr, pack.name)
    assert "skipped cache pack" in line, line
    assert os.path.lexists(pack), "skipped, not deleted: it was never read"


def test_a_symlinked_cache_folder_is_neither_read_nor_written(workspace: Path, user_cache: Path, tmp_path: Path) -> None:
    clean = run_cli(workspace, user_cache, "check", "--no-cache")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace / CACHE).symlink_to(elsewhere, target_is_directory=True)

    for _ in range(2):  # the second run would be answered from a record or packs, were any written
        result = run_cli(workspace, user_cache, "check")
        assert (result.returncode, result.stdout) == (clean.returncode, clean.stdout)
        [line] = lines_naming(result.stderr, CACHE)
        assert "symbolic link" in line and "running without the cache" in line, line
    assert list(elsewhere.iterdir()) == [], "nothing written through the link"


def _record_file(root: Path) -> Path:
    [record] = (root / CACHE).glob("run-*.json")
    return record


def _claiming_all_passed(data: bytes) -> tuple[bytes, bytes]:
    """The record's magic line and its JSON (public format: magic line, one line, JSON), edited to
    say "all passed"."""
    magic, _, payload = data.split(b"\n", 2)
    fields = json.loads(payload)
    fields.update(report="All checks passed.\n", stderr=[], code=0)
    return magic + b"\n", json.dumps(fields).encode()


@pytest.mark.parametrize("forgery", ["wrong-mac", "checksum-instead-of-mac", "no-mac-line"])
def test_a_forged_run_record_is_not_replayed(workspace: Path, user_cache: Path, forgery: str) -> None:
    first = run_cli(workspace, user_cache, "check")
    assert first.returncode == 1 and "ARC102" in first.stdout
    record = _record_file(workspace)
    magic, payload = _claiming_all_passed(record.read_bytes())
    if forgery == "wrong-mac":
        tag = blake2b(magic + payload, key=os.urandom(32), digest_size=32).hexdigest().encode()
        record.write_bytes(magic + tag + b"\n" + payload)
    elif forgery == "checksum-instead-of-mac":  # what the old format trusted
        record.write_bytes(magic + digest(payload).encode() + b"\n" + payload)
    else:
        record.write_bytes(magic + payload)

    result = run_cli(workspace, user_cache, "check")

    assert (result.returncode, result.stdout) == (first.returncode, first.stdout)
    assert "All checks passed" not in result.stdout


def test_a_record_the_user_wrote_is_still_replayed(workspace: Path, user_cache: Path) -> None:
    """The other side: the fast path still answers for records this user's runs wrote."""
    first = run_cli(workspace, user_cache, "check")
    record = _record_file(workspace)
    magic, payload = _claiming_all_passed(record.read_bytes())
    # Signed with this user's key (as only this user's runs can): replayed as written.
    env_key = (user_cache / "cache-key").read_bytes()
    tag = blake2b(magic + payload, key=env_key, digest_size=32).hexdigest().encode()
    record.write_bytes(magic + tag + b"\n" + payload)
    result = run_cli(workspace, user_cache, "check")
    assert first.returncode == 1 and (result.returncode, result.stdout) == (0, "All checks passed.\n")


def test_without_a_usable_key_the_run_is_cold_and_correct(workspace: Path, tmp_path: Path) -> None:
    user_cache = tmp_path / "user-cache"
    user_cache.mkdir()
    (user_cache / "cache-key").symlink_to("/dev/zero")  # planted, or a broken home directory
    clean = run_cli(workspace, user_cache, "check", "--no-cache")
    for _ in range(2):
        result = run_cli(workspace, user_cache, "check")
        assert (result.returncode, result.stdout) == (clean.returncode, clean.stdout)
        [line] = lines_naming(result.stderr, "cache key")
        assert "running without the cache" in line, line
    assert not list((workspace / CACHE).glob("*.pack")) and not list((workspace / CACHE).glob("run-*.json"))


def test_a_copied_cache_folder_of_another_user_is_discarded(workspace: Path, tmp_path: Path) -> None:
    """Another user's packs and records (valid under their key) are worth nothing here."""
    theirs, ours = tmp_path / "their-cache", tmp_path / "our-cache"
    first = run_cli(workspace, theirs, "check")
    packs = sorted(p.name for p in (workspace / CACHE).glob("*.pack"))
    assert packs and first.returncode == 1
    result = run_cli(workspace, ours, "check")
    assert (result.returncode, result.stdout) == (first.returncode, first.stdout)
    assert all(len(lines_naming(result.stderr, name)) == 1 for name in packs), result.stderr


# --- the language server: opening the folder is enough for a planted pack to be read -------------

SERVER_CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "python-architect-hostile-cache-test"
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "python_architect", "serve"],
                            server_env={**os.environ, "PYTHON_ARCHITECT_CACHE_DIR": str(SERVER_CACHE)})


@pytest_lsp.fixture(config=SERVER)
async def server(lsp_client: LanguageClient):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def accept(params: types.RegistrationParams) -> None:  # the server's file watchers
        return None

    yield
    await lsp_client.shutdown_session()


async def _notified(client: LanguageClient, method: str, found, what: str):
    """The first truthy ``found()``, re-checked each time the server sends ``method``."""
    async def wait():
        while not (result := found()):
            await client.wait_for_notification(method)
        return result

    try:
        return await asyncio.wait_for(wait(), 60)
    except TimeoutError:
        raise AssertionError(f"the server never sent {what}") from None


async def test_a_pack_planted_in_the_servers_cache_runs_no_code(server, tmp_path: Path, monkeypatch) -> None:
    client: LanguageClient = server
    root = write_tree(tmp_path / "ws", TREE).resolve()
    marker = tmp_path / "planted-pack-ran"
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(SERVER_CACHE))
    folder = user_cache_dir(root)  # where this server keeps this workspace's packs
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0-planted.pack").write_bytes(old_format_pack(dotted_name_pickle(marker)))
    (folder / "1-planted.pack").write_bytes(forged_mac_pack(dotted_name_pickle(marker)))

    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual_studio_code"), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")]))
    model = root / "app" / "domain" / "model.py"
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=model.as_uri(), language_id="python", version=1, text=model.read_text())))

    def discarded() -> list[str]:
        lines = [m.message for m in client.log_messages if "planted.pack" in m.message]
        return lines if len(lines) >= 2 else []

    def arc102() -> list:
        return [d for d in client.diagnostics.get(model.as_uri(), []) if str(d.code) == "ARC102"]

    lines = await _notified(client, "window/logMessage", discarded, "a log line for each planted pack")
    assert await _notified(client, "textDocument/publishDiagnostics", arc102, "ARC102 on the opened file")
    assert not marker.exists(), "the planted pack ran code in the server"
    assert len(lines) == 2 and all("discarding cache pack" in line for line in lines), lines
    assert not list(folder.glob("*planted.pack"))
