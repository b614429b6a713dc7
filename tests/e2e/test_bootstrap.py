"""The VS Code bootstrap (``client/bundle/tool/bootstrap.py``), run as a real subprocess.

It must refuse old Pythons with exit 3 and one line, keep stdout for JSON-RPC only (a stray
``print``, a write to fd 1, or a child process's output must land on stderr), answer an LSP
handshake from the repository layout, and put the bundled folders first or last on ``sys.path``
by import strategy.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BOOTSTRAP = REPO / "client" / "bundle" / "tool" / "bootstrap.py"


def load_bootstrap():
    spec = importlib.util.spec_from_file_location("pa_bootstrap_under_test", BOOTSTRAP)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def parse_frames(data: bytes) -> list[dict]:
    """Every byte of ``data`` must belong to a well-formed JSON-RPC frame."""
    messages = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        assert sep, f"stray bytes on stdout: {data[:120]!r}"
        headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        length = int(headers[b"Content-Length"])
        messages.append(json.loads(rest[:length]))
        data = rest[length:]
    return messages


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ANTHROPIC"))}
    env.update(extra)
    return env


def test_version_error_names_the_version_and_the_minimum():
    bootstrap = load_bootstrap()
    assert bootstrap.version_error((3, 10, 0)) is None
    assert bootstrap.version_error((3, 13, 1)) is None
    message = bootstrap.version_error((3, 9, 18))
    assert message.startswith("python-architect: Python 3.9 is too old")
    assert "3.10 or newer" in message and "\n" not in message


def test_the_bootstrap_parses_under_old_pythons():
    # Old interpreters must reach the version check: no syntax newer than Python 3.4.
    import ast

    ast.parse(BOOTSTRAP.read_text(encoding="utf-8"), feature_version=(3, 4))


def old_interpreters() -> list[str]:
    found = [p for p in map(shutil.which, ("python3.9", "python3.8", "python3.7", "python3.6")) if p]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found += sorted(str(p) for p in pyenv.glob("3.[6-9].*/bin/python3"))
    return [p for p in found if "shims" not in p]


def test_a_real_old_interpreter_exits_3_with_one_line():
    olds = old_interpreters()
    for old in olds[:1]:  # where the machine has one (pyenv here); the parse test covers the rest
        result = subprocess.run([old, str(BOOTSTRAP)], capture_output=True, text=True, timeout=60, env=clean_env(),
                                check=False)
        assert result.returncode == 3, result.stderr
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "too old" in lines[0] and "3.10 or newer" in lines[0]


def test_stray_output_goes_to_stderr_not_the_protocol(tmp_path):
    script = tmp_path / "noisy.py"
    script.write_text(textwrap.dedent(f"""
        import importlib.util, os, subprocess, sys
        spec = importlib.util.spec_from_file_location("bootstrap", {str(BOOTSTRAP)!r})
        bootstrap = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bootstrap)
        proto_in, proto_out = bootstrap.protect_stdio()
        print("stray print")
        os.write(1, b"stray fd write\\n")
        subprocess.run(["echo", "stray child"], check=True)
        leaked = subprocess.run(["cat"], capture_output=True, timeout=10).stdout
        proto_out.write(b"PROTOCOL:" + proto_in.read(5) + b":" + leaked)
        proto_out.flush()
    """), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], input=b"hello-more", capture_output=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"PROTOCOL:hello:"  # the child's `cat` read /dev/null, not the client
    for stray in (b"stray print", b"stray fd write", b"stray child"):
        assert stray in result.stderr


def test_handshake_from_the_repository_layout_keeps_stdout_clean():
    messages = b"".join([
        frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": None, "rootUri": None, "capabilities": {}}}),
        frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        frame({"jsonrpc": "2.0", "method": "exit"}),
    ])
    result = subprocess.run([sys.executable, str(BOOTSTRAP)], input=messages, capture_output=True, timeout=120,
                            env=clean_env(PYTHON_ARCHITECT_IMPORT_STRATEGY="useBundled"), check=False)
    assert result.returncode == 0, result.stderr.decode()
    replies = {m.get("id"): m for m in parse_frames(result.stdout) if "id" in m}
    assert replies[1]["result"]["serverInfo"]["name"].lower().startswith("python")
    assert replies[2]["result"] is None


def make_layout(root: Path, versions: tuple[str, ...]) -> Path:
    tool = root / "bundled" / "tool"
    tool.mkdir(parents=True)
    shutil.copy(BOOTSTRAP, tool / "bootstrap.py")
    (root / "bundled" / "libs" / "bin").mkdir(parents=True)
    for version in versions:
        (root / "bundled" / f"libs-cp{version}").mkdir()
    return tool


def test_bundled_paths_first_for_use_bundled_and_last_for_from_environment(tmp_path):
    bootstrap = load_bootstrap()
    tool = make_layout(tmp_path, ("311",))
    bundled = tmp_path / "bundled"
    first, last, error = bootstrap.library_paths(str(tool), (3, 11, 2), "useBundled")
    assert (first, last, error) == ([str(bundled / "libs-cp311"), str(bundled / "libs")], [], None)
    first, last, error = bootstrap.library_paths(str(tool), (3, 11, 2), "fromEnvironment")
    assert (first, last, error) == ([], [str(bundled / "libs-cp311"), str(bundled / "libs")], None)


def test_the_bytecode_prefix_is_used_only_for_a_cpython_the_bundle_has_no_bytecode_for(tmp_path):
    bootstrap = load_bootstrap()
    tool = make_layout(tmp_path, ("311", "313"))
    bundled = tmp_path / "bundled"
    cache = bundled / "libs" / "python_architect" / "__pycache__"
    cache.mkdir(parents=True)
    (cache / "__init__.cpython-311.pyc").write_bytes(b"")
    paths311, _, _ = bootstrap.library_paths(str(tool), (3, 11, 2), "useBundled")
    paths313, _, _ = bootstrap.library_paths(str(tool), (3, 13, 0), "useBundled")
    assert bootstrap.bytecode_prefix(paths311, "cpython-311", "/storage/pycache") is None  # shipped: used as is
    assert bootstrap.bytecode_prefix(paths313, "cpython-313", "/storage/pycache") == "/storage/pycache"
    assert bootstrap.bytecode_prefix(paths313, "cpython-313", "") is None  # writable: beside the sources


def test_an_interpreter_without_bundled_libraries_is_refused_clearly(tmp_path):
    bootstrap = load_bootstrap()
    tool = make_layout(tmp_path, ("310", "311"))
    first, last, error = bootstrap.library_paths(str(tool), (3, 14, 0), "useBundled")
    assert first == [] and last == []
    assert "no libraries for Python 3.14" in error and "3.10, 3.11" in error and "fromEnvironment" in error


def test_repository_layout_uses_the_server_folder():
    bootstrap = load_bootstrap()
    first, last, error = bootstrap.library_paths(str(BOOTSTRAP.parent), (3, 11, 0), "useBundled")
    assert first == [str(REPO / "server")] and last == [] and error is None


def universal_layout(tmp_path: Path) -> Path:
    """The universal VSIX's bundle: ``bundled/tool/bootstrap.py`` and no libraries."""
    tool = tmp_path / "ext" / "bundled" / "tool"
    tool.mkdir(parents=True)
    shutil.copy(BOOTSTRAP, tool / "bootstrap.py")
    return tool / "bootstrap.py"


def test_the_universal_build_under_use_bundled_says_what_to_set_and_install(tmp_path):
    bootstrap = universal_layout(tmp_path)
    proc = subprocess.run([sys.executable, str(bootstrap)], input=b"", capture_output=True, timeout=60, check=False,
                          env=clean_env(PYTHON_ARCHITECT_IMPORT_STRATEGY="useBundled"))
    assert proc.returncode == 3
    assert proc.stdout == b""
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert "universal" in lines[0] and "fromEnvironment" in lines[0]
    assert "-m pip install python-architect" in lines[0]


def test_the_universal_build_under_from_environment_imports_from_the_environment(tmp_path):
    bootstrap = load_bootstrap()
    tool = universal_layout(tmp_path).parent
    assert bootstrap.library_paths(str(tool), (3, 12, 0), "fromEnvironment") == ([], [], None)
    # Without site-packages (-S) the environment has no server: exit 4 naming the module.
    proc = subprocess.run([sys.executable, "-S", str(tool / "bootstrap.py")], input=b"", capture_output=True, check=False,
                          timeout=60, env=clean_env(PYTHON_ARCHITECT_IMPORT_STRATEGY="fromEnvironment",
                                                    PYTHON_ARCHITECT_NO_REEXEC="1"))
    assert proc.returncode == 4, proc.stderr
    assert proc.stdout == b""
    assert "No module named 'python_architect'" in proc.stderr.decode()


def test_an_environments_older_server_without_lsp_app_still_starts(tmp_path):
    """fromEnvironment may find a python-architect from before ``lsp/app.py`` (the composition
    root): the bootstrap then takes ``create_server`` from ``lsp.server``, where it used to be."""
    tool = universal_layout(tmp_path).parent
    old = tmp_path / "env" / "python_architect" / "lsp"
    old.mkdir(parents=True)
    (old.parent / "__init__.py").write_text("")
    (old / "__init__.py").write_text("")
    (old / "server.py").write_text(textwrap.dedent("""
        import sys

        class _Server:
            def start_io(self, stdin, stdout):
                sys.stderr.write("old server started\\n")

        def create_server():
            return _Server()
    """))
    proc = subprocess.run([sys.executable, "-S", str(tool / "bootstrap.py")], input=b"", capture_output=True, check=False,
                          timeout=60, env=clean_env(PYTHON_ARCHITECT_IMPORT_STRATEGY="fromEnvironment",
                                                    PYTHON_ARCHITECT_NO_REEXEC="1", PYTHONPATH=str(tmp_path / "env")))
    assert proc.returncode == 0, proc.stderr
    assert "old server started" in proc.stderr.decode()
    assert proc.stdout == b""
