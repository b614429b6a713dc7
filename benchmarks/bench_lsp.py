"""Language-server latency over the protocol, against `ruff server` in the same run.

Starts `python-architect serve` and `ruff server` over stdio with pygls' client and measures, for a
300-line and a 3,000-line file: open-to-diagnostics and change-to-diagnostics (median and p95),
hover round trips, and process start to the `initialize` result. Prints each figure for both
servers and the ratio (python-architect / ruff). Python Architect runs with `debounceMs: 0` so
both servers start work on the same keystroke (the editor default adds 150 ms by design).

    .venv/bin/python benchmarks/bench_lsp.py [--runs 20] [--startup-runs 4] [--settle 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "service"
RUFF = Path(sys.executable).with_name("ruff")

BLOCK = '''

class QuoteStore{n}:
    def __init__(self, session, client):
        self.session = session
        self.client = client

    def prices(self, skus):
        rows = []
        for sku in skus:
            rows.append(self.session.execute("select price from prices where sku = :sku", {{"sku": sku}}))
        return rows

    def fetch_rates(self, currency):
        response = requests.get("https://rates.example/" + currency)
        try:
            return response.json()
        except ValueError as exc:
            logger.error("bad rates payload: %s", exc)
            return {{}}

    async def refresh(self, ids):
        total = 0
        for item in ids:
            total += item
        return total
'''
HEADER = '"""Generated module for the LSP benchmark."""\nimport logging\n\nimport requests\n\nlogger = logging.getLogger(__name__)\n'


def module_text(lines: int) -> str:
    blocks, n = [HEADER], 0
    while sum(b.count("\n") for b in blocks) < lines:
        blocks.append(BLOCK.format(n=n))
        n += 1
    return "".join(blocks)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Probe:
    """One server process and a client that records when diagnostics arrive."""

    def __init__(self, name: str, command: list[str], options: dict) -> None:
        self.name, self.command, self.options = name, command, options
        self.client = LanguageClient("bench", "1")
        self.arrivals: dict[tuple[str, int | None], float] = {}
        self.waiters: dict[tuple[str, int | None], asyncio.Event] = {}
        self.versions: dict[str, int] = {}
        # lsprotocol cannot structure ruff's notebookDocumentSync capability: keep that one raw.
        structured = self.client.protocol.get_result_type
        self.client.protocol.get_result_type = lambda method: None if method == "initialize" else structured(method)

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def log_message(params: types.LogMessageParams) -> None:
            pass

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            key = (params.uri, params.version)
            self.arrivals[key] = time.perf_counter()
            self.waiters.setdefault(key, asyncio.Event()).set()

        @self.client.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(params: types.ConfigurationParams):
            return [None for _ in params.items]

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params):
            return None

    async def start(self, root: Path) -> float:
        started = time.perf_counter()
        await self.client.start_io(*self.command)
        capabilities = types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(
                hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
                synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            ),
            general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
        )
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                initialization_options=self.options,
            )
        )
        elapsed = time.perf_counter() - started
        self.client.initialized(types.InitializedParams())
        return elapsed

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 10)
            self.client.exit(None)
        except Exception:  # noqa: BLE001, S110 - a server that already exited needs no shutdown
            pass
        await self.client.stop()

    async def _wait(self, uri: str, version: int, timeout: float = 60) -> float:
        key = (uri, version)
        event = self.waiters.setdefault(key, asyncio.Event())
        await asyncio.wait_for(event.wait(), timeout)
        return self.arrivals[key]

    async def open_to_diagnostics(self, uri: str, text: str) -> float:
        self.versions[uri] = 1
        started = time.perf_counter()
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
        )
        return await self._wait(uri, 1) - started

    async def change_to_diagnostics(self, uri: str, line: int, new_line: str, old_length: int) -> float:
        change = types.Range(start=types.Position(line, 0), end=types.Position(line, old_length))
        return await self.edit_to_diagnostics(uri, change, new_line)

    async def edit_to_diagnostics(self, uri: str, change: types.Range, text: str) -> float:
        """Seconds from sending one incremental edit to the diagnostics of that version."""
        self.versions[uri] += 1
        version = self.versions[uri]
        started = time.perf_counter()
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangePartial(range=change, text=text)],
            )
        )
        return await self._wait(uri, version) - started

    async def hover(self, uri: str, line: int, character: int) -> float:
        started = time.perf_counter()
        await self.client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character))
        )
        return time.perf_counter() - started


async def measure(probe: Probe, root: Path, texts: dict[str, str], runs: int, settle: float) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"startup": [await probe.start(root)]}
    await asyncio.sleep(settle)  # let background indexing finish before timing the keystroke path
    for label, text in texts.items():
        opens, changes, hovers = [], [], []
        lines = text.split("\n")
        target = next(i for i, line in enumerate(lines) if "requests.get(" in line)
        column = lines[target].index("requests.get") + 2
        for run in range(runs):
            uri = (root / "src" / "pricing_service" / f"bench_{label}_{run}.py").as_uri()
            opens.append(await probe.open_to_diagnostics(uri, text))
        uri = (root / "src" / "pricing_service" / f"bench_{label}_0.py").as_uri()
        old = lines[target]
        for run in range(runs):
            new = old.replace("requests.get(", "requests.get(  " if run % 2 == 0 else "requests.get(")
            changes.append(await probe.change_to_diagnostics(uri, target, new, len(old)))
            old = new
        for _ in range(runs * 3):
            hovers.append(await probe.hover(uri, target, column))
        results[f"open {label}"], results[f"change {label}"], results[f"hover {label}"] = opens, changes, hovers
    await probe.stop()
    return results


async def startup_only(name: str, command: list[str], options: dict, root: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        probe = Probe(name, command, options)
        times.append(await probe.start(root))
        await probe.stop()
    return times


def report(ours: dict[str, list[float]], theirs: dict[str, list[float]]) -> None:
    print(f"{'measure':<22}{'python-architect':>26}{'ruff server':>26}{'ratio (median)':>16}")
    for key, a in ours.items():
        b = theirs[key]
        ma, mb = statistics.median(a), statistics.median(b)
        pa, pb = percentile(a, 0.95), percentile(b, 0.95)
        cell_a = f"{ma * 1000:8.1f} / p95 {pa * 1000:8.1f} ms"
        cell_b = f"{mb * 1000:8.1f} / p95 {pb * 1000:8.1f} ms"
        print(f"{key:<22}{cell_a:>26}{cell_b:>26}{ma / mb:>15.1f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--startup-runs", type=int, default=4, help="extra start-to-initialize samples per server")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds to let background indexing finish before timing (0: the test suite's smoke run)")
    parser.add_argument("--log-file", help="the python-architect server log (for debugging the benchmark)")
    args = parser.parse_args()
    if not RUFF.exists():
        sys.exit(f"ruff not found next to {sys.executable}")
    workdir = Path(tempfile.mkdtemp(prefix="bench-lsp-"))
    root = workdir / "service"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".ruff_cache"))
    texts = {"300 lines": module_text(300), "3000 lines": module_text(3000)}
    ours_cmd = [sys.executable, "-m", "python_architect", "serve", *([f"--log-file={args.log_file}"] if args.log_file else [])]
    ruff_cmd = [str(RUFF), "server"]
    ours_opts = {"pythonArchitect": {"debounceMs": 0}}
    print(f"files: {', '.join(f'{k} ({len(v.splitlines())} lines)' for k, v in texts.items())}; runs: {args.runs}")
    ours = await measure(Probe("python-architect", ours_cmd, ours_opts), root, texts, args.runs, args.settle)
    theirs = await measure(Probe("ruff", ruff_cmd, {}), root, texts, args.runs, args.settle)
    ours["startup"] += await startup_only("python-architect", ours_cmd, ours_opts, root, args.startup_runs)
    theirs["startup"] += await startup_only("ruff", ruff_cmd, {}, root, args.startup_runs)
    report(ours, theirs)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
