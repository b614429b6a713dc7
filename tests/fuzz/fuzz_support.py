"""The fuzz harness: drives bad and odd input through the entry points the editor uses and
reports anything that escapes or that the core swallowed as a crash.

Entry points, as the language server calls them (``lsp/scheduling.py``, ``lsp/hover.py``,
``lsp/code_actions.py``, ``engine.Project``):

- ``Project.analyze(path, unsaved_text)`` - the analysis of an open document's text;
- ``explain.hover.hover_markdown`` at positions inside and outside the text, with that text's
  analysis and with the *previous* version's (the server keeps the last good analysis while the
  user types a syntax error, so spans may not match the text);
- ``explain.actions`` for every finding (quick fix, suppress, open ADRs, fix all);
- ``knowledge.adr_parser.parse_adr`` and the knowledge loader for ADR files.

``Project.analyze`` catches every exception so the editor survives any file, and logs it: a log
record at ERROR from ``python_architect`` is a crash as much as a raised exception is, and
``Crashes`` collects both. Used by ``tests/fuzz`` (a short, deterministic run) and by
``benchmarks/fuzz.py`` (a long one).
"""

from __future__ import annotations

import ast
import json
import logging
import random
import shutil
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st

from python_architect.analysis.registry import Registry
from python_architect.catalog import REGISTRY
from python_architect.engine import Project
from python_architect.explain import actions
from python_architect.explain.hover import hover_markdown
from python_architect.knowledge.adr_parser import parse_adr

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "service"
TARGET = "src/pricing_service/services/fuzzed.py"
"""Where fuzzed Python text claims to live: a services module, so layer, import and check rules
of the example's ADRs all apply to it."""


def real_python_files() -> list[Path]:
    """Real files to mutate: the example service and this package's own source."""
    files = sorted((EXAMPLE / "src").rglob("*.py")) + sorted((REPO / "server" / "python_architect").rglob("*.py"))
    return [f for f in files if f.stat().st_size > 200]


def make_workspace(target: Path, registry: Registry = REGISTRY) -> Project:
    """A copy of the example service (ADRs with every kind of rule) loaded as the editor does."""
    if not target.exists():
        shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", ".python-architect*"))
    project = Project.load(target, registry, editor=True)
    project.ensure_index()  # workspace-wide checks (layers, cycles) see the example's modules
    return project


@dataclass
class Crash:
    entry: str
    detail: str
    reproducer: str


@dataclass
class Crashes:
    """Exceptions that escaped and errors the core logged instead of raising."""

    found: list[Crash] = field(default_factory=list)
    cases: int = 0
    gave_up: int = 0
    """Inputs the core declined on purpose (RecursionError/MemoryError, logged as a warning): not
    crashes, but the file gets no findings, so the long run reports how often it happens."""

    def add(self, entry: str, detail: str, reproducer: str) -> None:
        self.found.append(Crash(entry, detail, reproducer))

    def summary(self) -> str:
        lines = [f"{len(self.found)} crash(es) in {self.cases} cases"]
        for crash in self.found[:5]:
            lines.append(f"--- {crash.entry}: {crash.detail}\nreproducer: {crash.reproducer[:400]!r}")
        return "\n".join(lines)


class _ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Fuzzer:
    """Runs one input at a time through every editor entry point, recording crashes."""

    def __init__(self, project: Project, crashes: Crashes | None = None, *, ruff: bool = False, seed: int = 0) -> None:
        self.project = project
        self.crashes = crashes or Crashes()
        self.ruff = ruff
        self.random = random.Random(seed)
        self.path = project.root / TARGET
        self.previous = None  # the last analysis without a syntax error (as the server keeps it)

    # -- Python text -------------------------------------------------------------------------
    def python(self, text: str, label: str = "text") -> None:
        self.crashes.cases += 1
        analysis = self._guard("analyze", text, self.project.analyze, self.path, text, ruff=self.ruff)
        if analysis is None:
            return
        for candidate in (analysis, self.previous):
            if candidate is not None:
                self._hover(candidate, text)
        self._actions(analysis, text)
        if analysis.syntax_error is None:
            self.previous = analysis

    def _hover(self, analysis, text: str) -> None:
        lines = text.split("\n")
        points = [(1, 1), (len(lines), 1), (len(lines) + 3, 7), (0, 0), (-1, -1)]
        for _ in range(6):
            line = self.random.randint(1, max(len(lines), 1))
            width = len(lines[line - 1]) if line <= len(lines) else 0
            points.append((line, self.random.randint(0, width + 2)))
        for finding in analysis.findings[:20]:
            points.append((finding.span.line, finding.span.column + 1))
        for line, column in points:
            self._guard(f"hover({line},{column})", text, hover_markdown, self.project, analysis, text, line, column)

    def _actions(self, analysis, text: str) -> None:
        lines = text.split("\n")
        for finding in analysis.findings:
            line_text = lines[finding.span.line - 1] if 0 < finding.span.line <= len(lines) else ""
            self._guard(f"quick_fix {finding.code}", text, actions.quick_fix, finding)
            self._guard(f"suppress {finding.code}", text, actions.suppress, finding, line_text)
            self._guard(f"open_adrs {finding.code}", text, actions.open_adrs, finding, self.project.kb)
        self._guard("fix_all", text, actions.fix_all, list(analysis.findings), self.path)

    # -- ADR text ----------------------------------------------------------------------------
    def adr(self, text: str) -> None:
        self.crashes.cases += 1
        path = self.project.root / ".ai" / "adrs" / "0099-fuzzed.md"
        result = self._guard("parse_adr", text, parse_adr, path, text)
        if result is not None:
            _adr, problems = result
            for problem in problems:
                if not (isinstance(problem.span.line, int) and problem.span.line >= 1):
                    self.crashes.add("parse_adr", f"problem {problem.code} at line {problem.span.line}", text)
        analysis = self._guard("analyze ADR", text, self.project.analyze, path, text)
        if analysis is not None:
            for finding in analysis.findings:
                self._guard("hover ADR", text, hover_markdown, self.project, analysis, text, finding.span.line, 1)

    # -- plumbing ----------------------------------------------------------------------------
    def _guard(self, entry: str, text: str, call, *args, **kwargs):
        handler = _ErrorLog()
        logger = logging.getLogger("python_architect")
        logger.addHandler(handler)
        try:
            return call(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the point is to catch whatever escapes
            self.crashes.add(entry, "".join(traceback.format_exception_only(type(exc), exc)).strip()
                             + "\n" + "".join(traceback.format_tb(exc.__traceback__)[-3:]), text)
            return None
        finally:
            logger.removeHandler(handler)
            for record in handler.records:
                detail = record.getMessage()
                if record.levelno < logging.ERROR:
                    self.crashes.gave_up += detail.startswith("gave up")
                    continue
                if record.exc_info:
                    detail += "\n" + "".join(traceback.format_exception(*record.exc_info)[-4:])
                self.crashes.add(f"{entry} (logged)", detail, text)


# -- mutations of real files ---------------------------------------------------------------------
def statement_ends(text: str) -> list[int]:
    """Character offsets just after each statement (nested ones too) of a parseable text."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    ends = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.end_lineno is not None and node.end_col_offset is not None:
            # end_col_offset counts UTF-8 bytes
            prefix = lines[node.end_lineno - 1].encode("utf-8")[: node.end_col_offset].decode("utf-8", "ignore")
            ends.add(starts[node.end_lineno - 1] + len(prefix))
    return sorted(ends)


def truncations(text: str) -> Iterator[tuple[str, str]]:
    for end in statement_ends(text):
        yield f"truncated at {end}", text[:end]
        yield f"truncated inside at {end}", text[: max(end - 3, 0)]


def byte_flips(text: str, rng: random.Random, count: int) -> Iterator[tuple[str, str]]:
    data = text.encode("utf-8")
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            index = rng.randrange(len(mutated))
            mutated[index] ^= 1 << rng.randrange(8)
        # The editor sends text: invalid UTF-8 arrives replaced (lsp/wire.recover_undecodable).
        yield "byte flips", mutated.decode("utf-8", errors="replace")


def deleted_lines(text: str, rng: random.Random, count: int) -> Iterator[tuple[str, str]]:
    lines = text.split("\n")
    for _ in range(count):
        kept = list(lines)
        for _ in range(rng.randint(1, 5)):
            if kept:
                del kept[rng.randrange(len(kept))]
        yield "deleted lines", "\n".join(kept)


def mixed_encodings(text: str, rng: random.Random, count: int) -> Iterator[tuple[str, str]]:
    """Parts of the file encoded differently, read back as the editor or the disk reader would."""
    from python_architect.analysis.decoding import decode_source

    lines = (text + '\n# café naïve “quotes” 😀 ß\n').split("\n")
    for _ in range(count):
        chunks = []
        for line in lines:
            encoding = rng.choice(("utf-8", "utf-8", "latin-1", "cp1252", "utf-16-le", "utf-8-sig"))
            chunks.append(line.encode(encoding, errors="replace") + b"\n")
        data = b"".join(chunks)
        yield "mixed encodings (editor)", data.decode("utf-8", errors="replace")
        yield "mixed encodings (disk)", decode_source(data)


def huge_lines(text: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    lines = text.split("\n")
    at = rng.randrange(len(lines) + 1)
    for filler in ("x = " + "1 + " * 60_000 + "1", "s = '" + "a" * 300_000 + "'", "# " + "é" * 200_000, "(" * 5_000):
        yield "huge line", "\n".join(lines[:at] + [filler] + lines[at:])


def mutations(text: str, rng: random.Random, per_kind: int) -> Iterator[tuple[str, str]]:
    yield from truncations(text)
    yield from byte_flips(text, rng, per_kind)
    yield from deleted_lines(text, rng, per_kind)
    yield from mixed_encodings(text, rng, max(per_kind // 2, 1))
    yield from huge_lines(text, rng)


# -- ADR documents with random frontmatter (hypothesis strategies) ------------------------------
KEYS = ["id", "title", "status", "date", "supersedes", "superseded-by", "tags", "applies-to", "rules", "rule", "deciders"]
RULE_KEYS = ["id", "kind", "modules", "layers", "codes", "check", "options", "severity", "policy", "paths", "message", "allow"]
KINDS = ["forbidden-import", "layers", "ruff", "check", "pinned-dependencies", "no-cycles", "nonsense", ""]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=True), st.dates(),
    st.sampled_from(["accepted", "ADR-001", "adr 7", "011", "ARC502", "S113", "app.*", "**/*.py", "", "~", "[", "{x"]),
    st.text(max_size=20),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
rules = st.lists(
    st.fixed_dictionaries({"kind": st.sampled_from(KINDS)}, optional={k: values for k in RULE_KEYS if k != "kind"}) | values,
    max_size=4,
)
frontmatter = st.fixed_dictionaries({}, optional={**{k: values for k in KEYS}, "rules": rules | values})
bodies = st.sampled_from([
    "", "# Title\n\n## Decision\n\nUse it.\n", "## Status\n\nSuperseded by [ADR-3](0003-x.md)\n",
    "Status: weird\n\n## Decision\n", "## Decision\n" + "x " * 5000,
]) | st.text(max_size=200)


def _document(meta: object, body: str, mode: str) -> str:
    if mode == "yaml":
        try:
            header = yaml.safe_dump(meta, allow_unicode=True, default_flow_style=None)
        except yaml.YAMLError:
            header = repr(meta)
        return f"---\n{header}---\n{body}"
    if mode == "unclosed":
        return f"---\n{meta!r}\n{body}"
    return f"---\n{meta!r}\n---\n{body}"  # not YAML at all


def adr_documents() -> st.SearchStrategy[str]:
    """Whole ADR files: frontmatter from the known keys (and near misses) with values of any
    shape, as YAML, as non-YAML or never closed, over a body."""
    return st.builds(_document, frontmatter, bodies, st.sampled_from(["yaml", "yaml", "raw", "unclosed"]))


# -- ADR frontmatter with anchors, aliases and merge keys (issue 24: "billion laughs") -----------
ALIAS_PLACES = [
    # Where in the schema the anchored definitions live (a YAML list at ``indent``).
    ("id:", 2), ("title:", 2), ("status:", 2), ("date:", 2), ("supersedes:", 2),
    ("superseded-by:", 2), ("tags:", 2), ("applies-to:", 2), ("applies-to:\n  paths:", 4),
    ("applies-to:\n  exclude:", 4), ("applies-to:\n  keywords:", 4), ("rules:", 2),
    ("rules:\n  - kind: forbidden-import\n    modules:", 6),
    ("rules:\n  - kind: ruff\n    codes: [S]\n    paths:", 6),
    ("rules:\n  - kind: layers\n    layers:", 6),
    ("rules:\n  - kind: check\n    check: ARC201\n    options:\n      max:", 8),
    ("deciders:", 2),
]
ALIAS_SCALARS = ["lol", "app/**", "requests", "*a*a*b", "accepted", "ADR-001", "011", "~", "S113"]
ALIAS_USES = ["tags", "supersedes", "applies-to:\n  keywords", "applies-to:\n  paths", "status", "x-more"]


@st.composite
def aliased_adr_documents(draw: st.DrawFn) -> str:
    """Whole ADR files whose frontmatter defines anchors (scalars, lists of aliases, mappings
    with ``<<`` merge keys, now and then a list that contains itself) under one key the schema
    reads, and uses the last anchor under another: from harmless sharing to exponential bombs."""
    place, indent = draw(st.sampled_from(ALIAS_PLACES))
    pad = " " * indent
    names: list[str] = []
    mappings: list[str] = []
    lines = [place]
    for n in range(draw(st.integers(1, 10))):
        name = f"a{n}"
        kind = draw(st.sampled_from(["scalar", "list", "list", "mapping"])) if names else "scalar"
        if kind == "scalar":
            lines.append(f"{pad}- &{name} {json.dumps(draw(st.sampled_from(ALIAS_SCALARS)))}")
        elif kind == "list":
            refs = draw(st.lists(st.sampled_from(names), min_size=1, max_size=12))
            lines.append(f"{pad}- &{name} [" + ", ".join(f"*{r}" for r in refs) + "]")
        else:
            merged = draw(st.lists(st.sampled_from(mappings), max_size=6)) if mappings else []
            entries = [f"k{n}: *{draw(st.sampled_from(names))}"]
            if merged:
                entries.insert(0, "<<: [" + ", ".join(f"*{m}" for m in merged) + "]")
            lines.append(f"{pad}- &{name} {{" + ", ".join(entries) + "}")
            mappings.append(name)
        names.append(name)
    if draw(st.integers(0, 9)) == 0:
        lines.append(f"{pad}- &loop [x, *loop]")
    use = draw(st.sampled_from(ALIAS_USES))
    lines.append(f"{use}: *{names[-1]}")
    body = draw(st.sampled_from(["# Aliased\n\n## Decision\n\nUse it.\n", ""]))
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def expanded_header_size(yaml_text: str) -> float:
    """The values a walk of the header visits with every alias expanded, computed apart from the
    product (a memoised count over the composed graph; an alias loop is infinite): the header's
    top-level keys and everything below them, which is what the node budget bounds."""
    root = yaml.compose(yaml_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    memo: dict[int, float] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> float:
        if id(node) in memo:
            return memo[id(node)]
        if id(node) in open_nodes:
            return float("inf")
        open_nodes.add(id(node))
        total = 1.0
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        open_nodes.discard(id(node))
        memo[id(node)] = total
        return total

    if root is None:
        return 0.0
    return size(root) - 1  # the root mapping itself is not one of its values
