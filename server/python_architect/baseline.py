"""The baseline: today's findings, recorded so ``check`` and the editor report only new ones.

Owns the baseline file's format and the matching rule. An entry is a fingerprint, not a line
number: the code, the root-relative path, a hash of the finding's *statement* (the source lines of
its span with whitespace collapsed and a trailing comment dropped) and the occurrence (the n-th
finding with that code on an identical statement in that file). Moving code up or down, or
editing other lines, keeps the fingerprint; changing the offending statement makes a new one.

The file is JSON, sorted by path, code and fingerprint, one entry per line-ish block, with a
message for people reading the diff (never the statement itself: it may hold the very secret
ARC701 reported). Entries no finding matches any more are *stale* (the finding was fixed);
``python-architect baseline --prune`` drops them.

The configured file (``baseline = FILE``) must resolve inside the workspace root
(``root_paths``); one outside is a configuration error, never read.

A ``Baseline`` is immutable after loading; ``filter`` is a pure function of its arguments, so
the CLI and the language server's threads can share one without a lock.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .analysis.decoding import read_source, source_lines
from .codes import ARC701, ARC702
from .config import ConfigError, ProjectConfig, locate_key, pyproject_text
from .findings import Finding
from .root_paths import OutsideRoot, read_bounded, resolve_in_root

FORMAT_VERSION = 1
SPLIT_FROM = {ARC702: ARC701}
"""Codes split out of another (issue 21: name-judged secrets left ARC701 for ARC702): an entry
recorded under the old code still covers the finding on the same statement, so upgrading does not
turn a baselined finding into a new one and its entry into a stale one."""
DEFAULT_FILE = "architect-baseline.json"
_MAX_STATEMENT_LINES = 20
MAX_BASELINE_BYTES = 256 << 20
"""A baseline file larger than this (or a device, a FIFO) is not read: a configuration error."""
_TRAILING_COMMENT = re.compile(r"\s+#[^'\"]*$")

Key = tuple[str, str, str, int]
"""(code, path, statement hash, occurrence)."""


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a baseline; the message says which."""


def normalised_statement(lines: list[str] | None, finding: Finding) -> str:
    """The finding's source lines, whitespace collapsed and trailing comments dropped."""
    if not lines or not 0 < finding.span.line <= len(lines):
        return ""
    last = min(finding.span.end_line, finding.span.line + _MAX_STATEMENT_LINES - 1, len(lines))
    pieces = [_TRAILING_COMMENT.sub("", line.rstrip("\r\n")) for line in lines[finding.span.line - 1 : last]]
    return " ".join(" ".join(pieces).split())


def _digest(statement: str) -> str:
    return hashlib.sha256(statement.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def fingerprints(findings: Iterable[Finding], root: Path,
                 lines_of: Callable[[Path], list[str] | None]) -> list[tuple[Key, Finding]]:
    """Each finding with its key; occurrences count in line order within a file."""
    ordered = sorted(findings, key=lambda f: (str(f.path), f.span.line, f.span.column, f.code))
    seen: dict[tuple[str, str, str], int] = {}
    cache: dict[Path, list[str] | None] = {}
    keyed: list[tuple[Key, Finding]] = []
    for finding in ordered:
        if finding.path not in cache:
            cache[finding.path] = lines_of(finding.path)
        path = _relative(finding.path, root)
        digest = _digest(normalised_statement(cache[finding.path], finding))
        base = (finding.code, path, digest)
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        keyed.append(((*base, occurrence), finding))
    return keyed


@dataclass(frozen=True)
class Entry:
    code: str
    path: str
    fingerprint: str
    occurrence: int
    message: str = ""

    @property
    def key(self) -> Key:
        return (self.code, self.path, self.fingerprint, self.occurrence)

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "path": self.path, "fingerprint": self.fingerprint,
                "occurrence": self.occurrence, "message": self.message}


@dataclass(frozen=True)
class FilterResult:
    new: list[Finding]
    """Findings the baseline does not cover: what is reported."""
    matched: frozenset[Key]
    stale: list[Entry]
    """Entries for the checked files that matched nothing (their findings were fixed)."""


@dataclass(frozen=True)
class Baseline:
    entries: tuple[Entry, ...] = ()
    path: Path | None = None
    _keys: frozenset[Key] = field(default=frozenset(), repr=False)

    @classmethod
    def of(cls, entries: Iterable[Entry], path: Path | None = None) -> Baseline:
        unique = {entry.key: entry for entry in entries}
        ordered = tuple(sorted(unique.values(), key=lambda e: (e.path, e.code, e.fingerprint, e.occurrence)))
        return cls(ordered, path, frozenset(unique))

    @classmethod
    def record(cls, findings: Iterable[Finding], root: Path,
               lines_of: Callable[[Path], list[str] | None]) -> Baseline:
        return cls.of(Entry(*key, message=finding.message) for key, finding in fingerprints(findings, root, lines_of))

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            document = json.loads(read_bounded(path, MAX_BASELINE_BYTES).decode("utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"baseline file {path} does not exist (create it with `python-architect baseline`)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"cannot read baseline file {path}: {exc}") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"baseline file {path} is not JSON: line {exc.lineno}: {exc.msg}") from None
        if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
            raise BaselineError(f"baseline file {path} has no `findings` list: not a python-architect baseline")
        entries = []
        for number, item in enumerate(document["findings"], 1):
            try:
                entries.append(Entry(str(item["code"]), str(item["path"]), str(item["fingerprint"]),
                                     int(item.get("occurrence", 0)), str(item.get("message", ""))))
            except (KeyError, TypeError, ValueError):
                raise BaselineError(f"baseline file {path}: entry {number} lacks code, path or fingerprint") from None
        return cls.of(entries, Path(path))

    def dumps(self) -> str:
        """Stable, sorted JSON with one entry per block: re-recording unchanged code is a no-op diff."""
        body = ",\n".join("    " + json.dumps(entry.to_json(), ensure_ascii=False, sort_keys=False)
                          for entry in self.entries)
        return f'{{\n  "version": {FORMAT_VERSION},\n  "findings": [\n{body}\n  ]\n}}\n' if body else \
            f'{{\n  "version": {FORMAT_VERSION},\n  "findings": []\n}}\n'

    def write(self, path: Path) -> None:
        Path(path).write_text(self.dumps(), encoding="utf-8")

    def filter(self, findings: Iterable[Finding], root: Path, lines_of: Callable[[Path], list[str] | None],
               checked: Iterable[Path] | None = None) -> FilterResult:
        """Drops baselined findings. ``checked`` limits stale detection to the files looked at
        (default: the files with findings plus every file named in the baseline)."""
        findings = list(findings)
        if not self.entries:
            return FilterResult(findings, frozenset(), [])
        matched, covered = self._match(fingerprints(findings, root, lines_of))
        new = [finding for finding in findings if id(finding) not in covered]  # order kept
        scope = None if checked is None else {_relative(p, root) for p in checked}
        stale = [e for e in self.entries if e.key not in matched and (scope is None or e.path in scope)]
        return FilterResult(new, frozenset(matched), stale)

    def _match(self, keyed: list[tuple[Key, Finding]]) -> tuple[set[Key], set[int]]:
        """Pairs findings with entries within each (code, path, statement) group: first an entry
        recorded with the finding's own message, then the rest in occurrence order. Occurrence
        alone would misname the stale entry when one of several findings on one statement (two
        chains reported on one import line) is fixed: the survivor would take the fixed one's
        occurrence and the survivor's own entry would be called stale."""
        entries: dict[tuple[str, str, str], list[Entry]] = {}
        for entry in self.entries:
            entries.setdefault(entry.key[:3], []).append(entry)
        groups: dict[tuple[str, str, str], list[tuple[Key, Finding]]] = {}
        for key, finding in keyed:
            base = key[:3]
            if base not in entries and key[0] in SPLIT_FROM:
                base = (SPLIT_FROM[key[0]], *key[1:3])  # recorded before the code was split out
            if base in entries:
                groups.setdefault(base, []).append((key, finding))
        matched: set[Key] = set()
        covered: set[int] = set()
        for base, members in groups.items():
            free = sorted(entries[base], key=lambda e: e.occurrence)
            waiting = []
            for _key, finding in members:
                same = next((e for e in free if e.message == finding.message), None)
                if same is None:
                    waiting.append(finding)
                    continue
                free.remove(same)
                matched.add(same.key)
                covered.add(id(finding))
            for finding, entry in zip(waiting, free, strict=False):  # messages changed: occurrence order decides
                matched.add(entry.key)
                covered.add(id(finding))
        return matched, covered

    def pruned(self, matched: Iterable[Key]) -> Baseline:
        keep = set(matched)
        return Baseline.of((e for e in self.entries if e.key in keep), self.path)


def lines_reader(texts: dict[Path, str] | None = None) -> Callable[[Path], list[str] | None]:
    """Lines of a file: from ``texts`` (unsaved editor text) when there, else from disk."""
    def read(path: Path) -> list[str] | None:
        text = (texts or {}).get(Path(path))
        if text is None:
            try:
                text = read_source(Path(path))
            except OSError:
                return None
        return source_lines(text)

    return read


def baseline_for(root: Path, config: ProjectConfig) -> tuple[Baseline, list[ConfigError]]:
    """The baseline ``[tool.python-architect] baseline`` names (empty without the key); a file
    that is missing or broken is a configuration error, never a silently empty baseline."""
    if not config.baseline:
        return Baseline(), []
    try:
        # The name comes from the repository: it may point anywhere (``root_paths``).
        path = resolve_in_root(config.baseline, root, must_exist=False)
        return Baseline.load(path), []
    except (BaselineError, OutsideRoot) as exc:
        text = pyproject_text(root)
        return Baseline(), [ConfigError(Path(root) / "pyproject.toml", str(exc), locate_key(text, ("baseline",)))]


def watch_globs(root: Path, config: ProjectConfig | None = None) -> set[str]:
    """Glob patterns an editor should watch so a changed baseline file re-filters the open
    documents: the default name, and the configured one (read from ``pyproject.toml`` when the
    project is not loaded yet: watchers are registered before the first load)."""
    names = {DEFAULT_FILE}
    name = config.baseline if config is not None else _configured_name(Path(root))
    if name:
        names.add(name.replace("\\", "/").removeprefix("./"))
    return {f"**/{name}" for name in names if name and not Path(name).is_absolute()}


def is_baseline_file(path: Path, root: Path, config: ProjectConfig) -> bool:
    """Whether ``path`` is the baseline file ``config`` names under ``root``."""
    if not config.baseline:
        return False
    try:
        return Path(path).resolve() == (Path(root) / config.baseline).resolve()
    except OSError:
        return False


def _configured_name(root: Path) -> str | None:
    from .config import tomllib  # tomllib, or tomli before Python 3.11

    text = pyproject_text(root)
    try:
        table = tomllib.loads(text or "").get("tool", {}).get("python-architect", {})
    except ValueError:  # a missing or broken pyproject is reported by the config loader
        return None
    name = table.get("baseline") if isinstance(table, dict) else None
    return name if isinstance(name, str) and name.strip() else None
