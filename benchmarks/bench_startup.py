"""Start-up of the bundled language server: process spawn to the first diagnostic of the file
the editor opened, against Python's own start and ``import lsprotocol.types`` in the same run.

The server runs as the VS Code client runs it: ``<python> bundled/tool/bootstrap.py`` with the
bundled libraries (``useBundled``), in a temp copy of ``examples/service``. The client side is
raw JSON-RPC over the pipes with the capabilities VS Code sends (pull diagnostics, dynamic file
watchers, ``workspace/configuration``): after the ``initialize`` result it sends ``initialized``,
``didOpen`` for ``pricing_rules.py`` and ``textDocument/diagnostic``, as the editor does.

Three kinds of start, each ``--runs`` times, in a fresh copy of the bundle:
- **first**: the bundle as shipped, in a writable folder (its first start writes bytecode beside
  the sources unless the VSIX shipped it);
- **read-only**: as shipped, bytecode writes impossible (``PYTHONDONTWRITEBYTECODE``: what an
  install in a read-only folder without the extension's pycache prefix would see every time);
- **warm**: the same copy's next start (bytecode and caches written by the first).

For each: spawn -> ``initialize`` result, spawn -> diagnostics, and the server's own phases from
its ``startup`` log line (imports, project load, first analysis). Anchors: ``python -c pass`` and
``python -c "import lsprotocol.types"`` (warm bytecode) with the same interpreter.

    .venv/bin/python benchmarks/bench_startup.py [--python /usr/bin/python3.11] [--runs 3] [--before OLD/bundled]
        [--bundle DIR]   # an unpacked ``extension/bundled`` (default: built from this tree)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty, Queue

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "service"
OPENED = "src/pricing_service/domain/pricing_rules.py"
TIMEOUT_S = 120.0
PHASES = re.compile(r"startup: (.*)$")


class Connection:
    """JSON-RPC over a child's pipes: a reader thread queues every message it parses."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.messages: Queue[dict] = Queue()
        self.logs: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length is None:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait_for(self, done) -> dict:
        """Answers the server's requests (configuration, registrations) until ``done(message)``."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            try:
                message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                raise TimeoutError("the server did not answer in time") from None
            if message.get("method") == "window/logMessage":
                self.logs.append(message["params"]["message"])
            if "method" in message and "id" in message:
                items = message.get("params", {}).get("items", [])
                result = [{} for _ in items] if message["method"] == "workspace/configuration" else None
                self.send({"id": message["id"], "result": result})
            if done(message):
                return message


CAPABILITIES = {
    "workspace": {
        "configuration": True,
        "workspaceFolders": True,
        "didChangeWatchedFiles": {"dynamicRegistration": True},
        "diagnostics": {"refreshSupport": True},
    },
    "textDocument": {
        "diagnostic": {"dynamicRegistration": True, "relatedDocumentSupport": False},
        "synchronization": {"didSave": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    },
    "window": {"workDoneProgress": True},
}


def one_start(python: str, bundle: Path, workspace: Path, env: dict[str, str]) -> dict[str, object]:
    """Times one server start to the first diagnostics of the opened file (ms since spawn)."""
    opened = workspace / OPENED
    began = time.perf_counter()
    process = subprocess.Popen(
        [python, str(bundle / "tool" / "bootstrap.py")],
        cwd=workspace, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    rpc = Connection(process)
    try:
        init = rpc.request("initialize", {
            "processId": os.getpid(), "rootUri": workspace.as_uri(), "capabilities": CAPABILITIES,
            "workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}],
            "initializationOptions": {},
        })
        rpc.wait_for(lambda m: m.get("id") == init and "result" in m)
        initialized = time.perf_counter()
        rpc.send({"method": "initialized", "params": {}})
        rpc.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": opened.as_uri(), "languageId": "python", "version": 1, "text": opened.read_text(encoding="utf-8")}}})
        pull = rpc.request("textDocument/diagnostic", {"textDocument": {"uri": opened.as_uri()}})
        answer = rpc.wait_for(lambda m: m.get("id") == pull)
        diagnosed = time.perf_counter()
        items = answer.get("result", {}).get("items", [])
        if not any("ADR-011" in json.dumps(item) for item in items):
            raise SystemExit(f"bench: the first diagnostics lack ADR-011: {json.dumps(answer)[:300]}")
        shutdown = rpc.request("shutdown", {})
        rpc.wait_for(lambda m: m.get("id") == shutdown)
        rpc.send({"method": "exit"})
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    phases = next((match.group(1) for line in rpc.logs if (match := PHASES.search(line))), "")
    return {"initialize": (initialized - began) * 1000, "diagnostic": (diagnosed - began) * 1000, "phases": phases}


def anchor(python: str, code: str, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run([python, "-c", code], env=env, check=True)
    return (time.perf_counter() - began) * 1000


def build_bundle(into: Path) -> Path:
    out = into / "bundled"
    subprocess.run([sys.executable, str(ROOT / "client" / "scripts" / "bundle_python.py"), "--out", str(out)],
                   check=True, stderr=subprocess.DEVNULL)
    return out


def starts_of(python: str, shipped: Path, tmp: Path, workspace: Path, base: dict[str, str], run: int,
              figures: dict[str, list[dict[str, object]]]) -> None:
    """One start of each kind for the bundle ``shipped``, in a fresh copy of it."""
    copy = tmp / f"bundle-{run}"
    shutil.copytree(shipped, copy)
    # Each first start gets empty caches: the workspace's index and the user's cache folder.
    shutil.rmtree(workspace / ".python-architect-cache", ignore_errors=True)
    read_only = {**base, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(tmp / f"cache-ro-{run}")}
    figures["read-only"].append(one_start(python, copy, workspace, read_only))
    shutil.rmtree(workspace / ".python-architect-cache", ignore_errors=True)
    writable = {**base, "XDG_CACHE_HOME": str(tmp / f"cache-{run}")}
    figures["first"].append(one_start(python, copy, workspace, writable))
    figures["warm"].append(one_start(python, copy, workspace, writable))
    shutil.rmtree(copy)
    for cache in (f"cache-ro-{run}", f"cache-{run}"):
        shutil.rmtree(tmp / cache, ignore_errors=True)


def report(name: str, figures: dict[str, list[dict[str, object]]], lsprotocol: float) -> dict[str, float]:
    medians = {}
    for kind, starts in figures.items():
        init = statistics.median(float(s["initialize"]) for s in starts)
        diag = medians[kind] = statistics.median(float(s["diagnostic"]) for s in starts)
        print(f"  {name:<7}{kind:<10} spawn->initialize {init:6.0f}   spawn->diagnostic {diag:6.0f}"
              f"   (x{diag / lsprotocol:.2f} import lsprotocol.types)")
        print(f"  {'':<17}server phases (last run): {starts[-1]['phases'] or 'not logged'}")
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bundle", type=Path)
    parser.add_argument("--before", type=Path, help="another unpacked bundled/ (an older VSIX), run interleaved")
    args = parser.parse_args()
    python = args.python
    version = subprocess.run([python, "-c", "import sys; print('%d%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="pa-bench-startup-") as tmp_name:
        tmp = Path(tmp_name)
        shipped = args.bundle.resolve() if args.bundle else build_bundle(tmp)
        workspace = tmp / "service"
        shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".python-architect-cache", "__pycache__", ".vscode"))
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        base["PYTHON_ARCHITECT_IMPORT_STRATEGY"] = "useBundled"
        base["PYTHONUTF8"] = "1"  # as the client sets it (client/src/settings.ts): the bootstrap does not re-execute
        libs = os.pathsep.join(str(shipped / name) for name in (f"libs-cp{version}", "libs"))
        kinds = ("first", "read-only", "warm")
        figures: dict[str, list[dict[str, object]]] = {kind: [] for kind in kinds}
        before: dict[str, list[dict[str, object]]] = {kind: [] for kind in kinds}
        anchors: dict[str, list[float]] = {"python -c pass": [], "import lsprotocol.types": []}
        for run in range(args.runs):
            if args.before:
                starts_of(python, args.before.resolve(), tmp, workspace, base, run, before)
            starts_of(python, shipped, tmp, workspace, base, run, figures)
            anchors["python -c pass"].append(anchor(python, "pass", base))
            anchors["import lsprotocol.types"].append(anchor(python, "import lsprotocol.types", {**base, "PYTHONPATH": libs}))
    print(f"server start-up, CPython {version[0]}.{version[1:]} ({python}), {args.runs} runs, load {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cores; median ms")
    lsprotocol = statistics.median(anchors["import lsprotocol.types"])
    for name, values in anchors.items():
        print(f"  anchor {name:<32} {statistics.median(values):7.0f}")
    after = report("this" if args.before else "", figures, lsprotocol)
    if args.before:
        earlier = report("before", before, lsprotocol)
        print("  " + "   ".join(f"{kind}: x{after[kind] / earlier[kind]:.2f} of before" for kind in kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
