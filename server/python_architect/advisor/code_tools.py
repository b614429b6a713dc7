"""The agent's code-reading tools: ``read_file``, ``search_code`` and ``find_symbol``.

Plain functions over a workspace root, a file list, the module index and the unsaved editor
texts (``texts``: path -> text, or None to read the disk). They hold no lock and no state: the
caller (``tools.ToolSet``) takes what it needs from the project under the project's lock and
calls these outside it. Every path goes through ``root_paths`` (outside the root: refused) and
every file read through ``read_bounded``; every text is redacted before a line of it is
returned, because whatever these return is sent to the model.

A hostile pattern must not hang a search: ``re`` backtracks, so a pattern runs as a regex only
when it has no back-references or lookarounds, no quantified group holding a quantifier or an
alternation, and at most ``MAX_REPEATS`` unbounded repeats (``knowledge.safe_regex``, shared with
Tach's interface regexes); each line is matched on its first ``MATCH_WINDOW`` characters and the whole search stops after ``SEARCH_SECONDS``. Anything else is
searched as literal text, and the result says so.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..analysis.decoding import decode_source, source_lines
from ..knowledge.safe_regex import count_repeats as _count_repeats
from ..knowledge.safe_regex import unsafe_regex as _unsafe
from ..root_paths import NotReadable, contained, contained_many, read_bounded, resolve_in_root
from .redaction import Redactor, is_config_file

MAX_FILE_BYTES = 2_000_000
"""A file larger than this is not read (generated or data, not source to discuss)."""
MAX_READ_LINES = 400
"""Lines one ``read_file`` call returns; the model asks again with ``start_line`` for more."""
MAX_READ_CHARS = 40_000
MAX_LINE_CHARS = 400
"""A longer line is cut in results (minified or data lines)."""
MAX_MATCHES = 80
MATCH_WINDOW = 240
SEARCH_SECONDS = 2.0
MAX_SYMBOLS = 10

TextOf = Callable[[Path], "str | None"]
"""The unsaved editor text of a file, or None when it is not open (read the disk)."""


class CodeToolError(ValueError):
    """A refused or impossible request; the message is what the model (or MCP client) reads."""


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def file_text(path: Path, texts: TextOf | None = None) -> str:
    """The editor's unsaved text of ``path`` when open, else the file on disk, bounded."""
    if texts is not None:
        unsaved = texts(path)
        if unsaved is not None:
            return unsaved
    try:
        return decode_source(read_bounded(path, MAX_FILE_BYTES))
    except NotReadable as exc:
        raise CodeToolError(str(exc)) from None
    except OSError as exc:
        raise CodeToolError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def read_file(root: Path, raw_path: str, start_line: int | None, end_line: int | None,
              redactor: Redactor, texts: TextOf | None = None) -> dict[str, Any]:
    """Numbered lines ``start_line..end_line`` (1-based, inclusive) of a workspace file."""
    path = _inside(raw_path, root)
    if path.is_dir():
        raise CodeToolError(f"{raw_path!r} is a directory; use search_code with a glob to list its files")
    lines = source_lines(redactor(file_text(path, texts), config=is_config_file(path)))
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start another
    total = len(lines)
    first = max(1, start_line or 1)
    if first > max(1, total):
        raise CodeToolError(f"{relative(path, root)} has {total} lines; start_line {first} is past the end")
    last = min(total, end_line if end_line is not None else first + MAX_READ_LINES - 1)
    if last < first:
        raise CodeToolError("end_line is before start_line")
    last = min(last, first + MAX_READ_LINES - 1)
    numbered: list[str] = []
    used = 0
    for number in range(first, last + 1):
        line = f"{number:>5}  {_cut(lines[number - 1])}"
        if used + len(line) > MAX_READ_CHARS and numbered:
            last = number - 1
            break
        numbered.append(line)
        used += len(line) + 1
    result: dict[str, Any] = {"path": relative(path, root), "start_line": first, "end_line": last,
                              "total_lines": total, "text": "\n".join(numbered)}
    if last < total:
        result["more"] = f"lines {last + 1}-{total} not shown: call read_file with start_line={last + 1}"
    return result


def search_code(root: Path, files: Iterable[Path], pattern: str, glob: str | None, redactor: Redactor,
                texts: TextOf | None = None, cancelled: threading.Event | None = None) -> dict[str, Any]:
    """``path:line: text`` for each line matching ``pattern`` in the files matching ``glob``."""
    if not pattern:
        raise CodeToolError("`pattern` must not be empty")
    matcher, note = compile_pattern(pattern)
    whole = _whole_text(pattern, note)
    # Lines tested at once by ``whole`` (one pass in C, then line by line only where it hit): all
    # of a file for a pattern without unbounded repeats, fewer the more a line can cost, one line
    # at a time at the most, so the deadline is looked at before any expensive match.
    repeats = 0 if note else _count_repeats(pattern)
    block = {0: 1 << 30, 1: 200, 2: 20}.get(repeats, 1)
    deadline = time.monotonic() + SEARCH_SECONDS
    matches: list[str] = []
    searched = 0
    stopped = ""
    for path in contained_many(list(files), root):
        name = relative(path, root)
        if glob and not (fnmatch.fnmatch(name, glob) or fnmatch.fnmatch(path.name, glob)):
            continue
        try:
            text = file_text(path, texts)
        except CodeToolError:
            continue
        searched += 1
        lines = source_lines(text)
        for first in range(0, len(lines), block):
            if cancelled is not None and cancelled.is_set():
                stopped = "cancelled"
            elif time.monotonic() > deadline:
                stopped = f"stopped after {SEARCH_SECONDS:g} s"
            if stopped:
                break
            part = lines[first:first + block]
            if max(map(len, part)) <= MATCH_WINDOW and not whole(text if len(part) == len(lines) else "\n".join(part)):
                continue
            for number, line in enumerate(part, first + 1):
                if matcher(line[:MATCH_WINDOW]):
                    shown = redactor(line.strip(), config=is_config_file(path))
                    matches.append(f"{name}:{number}: {_cut(shown)}")
                    if len(matches) >= MAX_MATCHES:
                        stopped = f"capped at {MAX_MATCHES} matches"
                        break
            if stopped:
                break
        if stopped:
            break
    result: dict[str, Any] = {"matches": matches, "files_searched": searched}
    if note:
        result["note"] = note
    if stopped:
        result["partial"] = stopped
    if not matches:
        result["summary"] = f"no line matches {pattern!r}" + (f" in files matching {glob!r}" if glob else "")
    return result


def compile_pattern(pattern: str) -> tuple[Callable[[str], Any], str]:
    """A line matcher, and a note when the pattern is searched as literal text instead."""
    reason = _unsafe(pattern)
    if reason is None:
        try:
            return re.compile(pattern).search, ""
        except re.error as exc:  # pragma: no cover - _unsafe parsed it already
            reason = f"not a valid regex ({exc})"
    literal = pattern
    return (lambda line: literal in line), f"searched as literal text: {reason}"


def _whole_text(pattern: str, note: str) -> Callable[[str], Any]:
    """A test of a whole file that is true whenever some line of it matches (with ``^``/``$``
    at every line); it may also be true when none does, so matching lines are then looked for."""
    if note:
        return lambda text: pattern in text
    return re.compile(pattern, re.MULTILINE).search


def find_symbol(root: Path, index: Any, name: str, redactor: Redactor, texts: TextOf | None = None,
                candidates: list[tuple[str, Path]] | None = None,
                importers: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Where ``name`` (``QuoteCache``, ``pkg.module`` or ``pkg.module.Name``) is defined: path,
    line, kind, signature, bases, docstring's first line, and the modules importing it.

    ``candidates`` (module, path) and ``importers`` (module -> importing modules) come from
    ``symbol_candidates``, taken under the project's lock; the files are parsed here, outside it."""
    if candidates is None:
        candidates, importers = symbol_candidates(index, name)
    found: list[dict[str, Any]] = []
    short = name.rsplit(".", 1)[-1]
    for module, path in candidates[:MAX_SYMBOLS]:
        if contained(path, root) is None:
            continue
        try:
            text = file_text(path, texts)
        except CodeToolError:
            continue
        who = (importers or {}).get(module, [])
        if name == module or module.rsplit(".", 1)[-1] == name:
            found.append({"name": module, "kind": "module", "path": relative(path, root), "line": 1,
                          "docstring": _first_line(_module_doc(text)), "imported_by": who})
            continue
        for entry in _definitions(text, short):
            entry.update(path=relative(path, root), module=module, imported_by=who)
            found.append(entry)
    found = [{k: (redactor(v) if isinstance(v, str) else v) for k, v in item.items()} for item in found]
    if not found:
        return {"symbols": [], "summary": f"no class, function or module named {name!r} in the workspace index"}
    return {"symbols": found}


def symbol_candidates(index: Any, name: str) -> tuple[list[tuple[str, Path]], dict[str, list[str]]]:
    """The modules that may define ``name`` and who imports each (read the index: lock held)."""
    short = name.rsplit(".", 1)[-1]
    prefix = name.rsplit(".", 1)[0] if "." in name else None
    hits: list[tuple[str, Path]] = []
    for module in index.modules():
        facts = index.lookup_module(module)
        path = index.path_of(module)
        if facts is None or path is None:
            continue
        if module == name or (prefix is None and module.rsplit(".", 1)[-1] == name) or ((prefix is None or module == prefix) and (
            short in facts.defines or any(cls.name == short for cls in facts.classes)
        )):
            hits.append((module, path))
    hits = hits[:MAX_SYMBOLS]
    importers: dict[str, list[str]] = {}
    if hits:
        wanted = {module for module, _ in hits}
        for source, edges in index.graph().items():
            for edge in edges:
                if edge.target in wanted and (edge.target == name or short in edge.fact.names
                                              or not edge.fact.names or edge.fact.module == edge.target):
                    importers.setdefault(edge.target, [])
                    if source not in importers[edge.target]:
                        importers[edge.target].append(source)
    return hits, {k: sorted(v)[:30] for k, v in importers.items()}


def _definitions(text: str, name: str) -> list[dict[str, Any]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return [{"name": name, "kind": "name", "line": _first_line_of(text, name)}]
    found: list[dict[str, Any]] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            found.append({"name": name, "kind": "class", "line": node.lineno,
                          "signature": f"class {name}({', '.join(ast.unparse(b) for b in node.bases)})"
                          if node.bases else f"class {name}",
                          "bases": [ast.unparse(b) for b in node.bases],
                          "docstring": _first_line(ast.get_docstring(node))})
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
            returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
            found.append({"name": name, "kind": "function", "line": node.lineno,
                          "signature": f"{prefix} {name}({ast.unparse(node.args)}){returns}",
                          "docstring": _first_line(ast.get_docstring(node))})
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found.append({"name": name, "kind": "variable", "line": node.lineno,
                              "signature": _cut(ast.get_source_segment(text, node) or name)})
    return found or [{"name": name, "kind": "name", "line": _first_line_of(text, name)}]


def _module_doc(text: str) -> str | None:
    try:
        return ast.get_docstring(ast.parse(text))
    except (SyntaxError, ValueError):
        return None


def _first_line(doc: str | None) -> str:
    return doc.strip().splitlines()[0] if doc and doc.strip() else ""


def _first_line_of(text: str, name: str) -> int:
    for number, line in enumerate(source_lines(text), 1):
        if re.search(rf"\b{re.escape(name)}\b", line):
            return number
    return 1


def _inside(raw: str, root: Path) -> Path:
    from ..root_paths import OutsideRoot

    try:
        return resolve_in_root(raw, root, must_exist=False)
    except OutsideRoot as exc:
        raise CodeToolError(str(exc)) from None


def _cut(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + " …"
