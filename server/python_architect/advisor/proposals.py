"""Changes as edits: the code an answer proposes for a workspace file, as a structured edit.

**How the model marks a proposal** (``PROPOSAL_INSTRUCTION``, one sentence for the system
prompt): a fenced code block whose info string names the file and, ideally, the lines it
replaces — ```` ```python path=app/services/quote.py lines=10-24 ```` — or ``lines=all`` for the
whole file. Blocks without ``path=`` are examples and stay prose.

**How it is placed** (``parse_proposals``):
* the path must resolve inside the workspace root (``root_paths.resolve_in_root``); a path
  outside is *refused* with the reason, never read;
* ``lines=A-B`` replaces those 1-based lines (refused when out of range); ``lines=all`` the file;
* without ``lines=``, the block's first and last non-blank lines are matched (whitespace-blind)
  against the file; a first line that opens a ``def``/``class`` and no matching last line takes
  that definition's indented body; nothing matched is refused ("say lines=A-B");
* a path that does not exist is a **new file** (a create edit), unless the block gave a line
  range (then refused: there is nothing to replace). The architect proposing a new module (an
  adapter, a port) is common, and the client only applies the edit after the user's click;
* the new text takes the file's line endings (CRLF files stay CRLF); two proposals overlapping
  in one file: the later one is refused.

**Outputs**: ``Proposal`` (file, 1-based line range, new text; ``edit`` as a core ``TextEdit``
the language server converts to a ``WorkspaceEdit``), ``ProposalSet.diff()`` a unified diff
(``difflib``) over every proposed file for the CLI's ``--format json`` and MCP, and
``to_json()``. Nothing here writes a file. ``fix_question`` builds the chat question behind
"Fix with the architect".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.decoding import decode_source
from ..findings import Span, TextEdit
from ..root_paths import NotReadable, OutsideRoot, read_bounded, resolve_in_root

PROPOSAL_INSTRUCTION = (
    "When you propose code for a workspace file, put it in a fenced block whose info string names "
    "the file and the lines it replaces, e.g. ```python path=app/services/quote.py lines=10-24 "
    "(lines=all for the whole file; a path that does not exist yet is a new file), with the complete "
    "replacement for exactly those lines, so the editor can offer it as an edit."
)
MAX_FILE_BYTES = 2 * 1024 * 1024

_OPEN = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
_ATTRIBUTE = re.compile(r"""(?P<key>[A-Za-z_][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s`]+))""")
_LINES = re.compile(r"^(?P<start>\d+)(?:\s*[-–:]\s*(?P<end>\d+))?$")  # noqa: RUF001 - an en dash between the numbers is a range too
_HEADER = re.compile(r"^\s*(?:async\s+def|def|class)\s+\w")
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")

ReadText = Callable[[Path], "str | None"]


@dataclass(frozen=True)
class Proposal:
    """Replace lines ``start_line``..``end_line`` (1-based, inclusive) of ``path`` with
    ``new_text``; a new file has ``create`` set and ``end_line`` 0."""

    path: Path
    relative: str
    start_line: int
    end_line: int
    new_text: str
    create: bool
    old_text: str
    how: str
    """"lines", "all", "matched", "definition" or "new file": how the range was found."""

    @property
    def edit(self) -> TextEdit:
        """The core edit: whole lines ``start_line``..``end_line`` with their line endings."""
        lines = _lines(self.old_text)
        if self.create or not lines:
            return TextEdit(Span(1, 1, 1, 1), self.new_text)
        last = lines[self.end_line - 1]
        if last.endswith("\n") or self.end_line < len(lines):
            return TextEdit(Span(self.start_line, 1, self.end_line + 1, 1), self.new_text)
        return TextEdit(Span(self.start_line, 1, self.end_line, len(last) + 1), self.new_text)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.relative,
            "startLine": self.start_line,
            "endLine": self.end_line,
            "create": self.create,
            "newText": self.new_text,
            "how": self.how,
        }


@dataclass(frozen=True)
class Refused:
    path: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class ProposalSet:
    proposals: list[Proposal] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.proposals or self.refused)

    def files(self) -> dict[Path, list[Proposal]]:
        grouped: dict[Path, list[Proposal]] = {}
        for proposal in self.proposals:
            grouped.setdefault(proposal.path, []).append(proposal)
        return grouped

    def new_texts(self) -> dict[Path, str]:
        """Each proposed file's text with all its proposals applied."""
        return {path: apply(proposals) for path, proposals in self.files().items()}

    def diff(self) -> str:
        """One unified diff over every proposed file (``patch -p1`` applies it at the root)."""
        pieces: list[str] = []
        for proposals in self.files().values():
            first = proposals[0]
            old = "" if first.create else first.old_text
            pieces.append(unified_diff(old, apply(proposals), first.relative, create=first.create))
        return "".join(pieces)

    def to_json(self) -> dict[str, Any]:
        return {
            "proposals": [p.to_json() for p in self.proposals],
            "refused": [r.to_json() for r in self.refused],
            "diff": self.diff(),
        }


def parse_proposals(answer: str, root: Path, read_text: ReadText | None = None) -> ProposalSet:
    """Every ``path=`` block of ``answer`` placed in its file (see the module docstring).
    ``read_text`` gives a file's current text (the editor's unsaved text); by default the file
    is read from disk, bounded."""
    read = read_text or read_workspace_text
    found = ProposalSet()
    for info, body in fenced_blocks(answer):
        attributes = {m.group("key").lower(): _value(m) for m in _ATTRIBUTE.finditer(info)}
        raw_path = attributes.get("path") or attributes.get("file")
        if not raw_path:
            continue
        result = _place(raw_path, attributes.get("lines"), body, Path(root), read)
        if isinstance(result, Proposal) and any(_overlap(result, other) for other in found.proposals):
            result = Refused(raw_path, "overlaps an earlier proposal for the same file")
        (found.refused if isinstance(result, Refused) else found.proposals).append(result)  # type: ignore[arg-type]
    return found


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """``(info string, body)`` of every fenced block; an unclosed block runs to the end."""
    blocks: list[tuple[str, str]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index].rstrip("\r"))
        if match is None or ("`" in match.group("info") and match.group("fence")[0] == "`"):
            index += 1
            continue
        fence = match.group("fence")
        body: list[str] = []
        index += 1
        while index < len(lines):
            candidate = lines[index].rstrip("\r").strip()
            if candidate and candidate[0] == fence[0] and set(candidate) == {fence[0]} and len(candidate) >= len(fence):
                break
            body.append(lines[index].rstrip("\r"))
            index += 1
        blocks.append((match.group("info").strip(), "\n".join(body)))
        index += 1
    return blocks


def read_workspace_text(path: Path) -> str | None:
    """A workspace file's text (bounded, no devices), or None when it cannot be read."""
    try:
        return decode_source(read_bounded(path, MAX_FILE_BYTES))
    except (NotReadable, OSError):
        return None


def apply(proposals: Sequence[Proposal]) -> str:
    """The text of one file with its (non-overlapping) proposals applied."""
    first = proposals[0]
    if first.create:
        return first.new_text
    lines = _lines(first.old_text)
    for proposal in sorted(proposals, key=lambda p: p.start_line, reverse=True):
        lines[proposal.start_line - 1 : proposal.end_line] = [proposal.new_text]
    return "".join(lines)


def unified_diff(old: str, new: str, relative: str, *, create: bool = False) -> str:
    """A ``git``-style unified diff of one file (``a/``, ``b/`` prefixes; ``/dev/null`` for a new
    file), with the "No newline at end of file" marker difflib leaves out."""
    old_lines, new_lines = _lines(old), _lines(new)
    out: list[str] = []
    for line in difflib.unified_diff(
        old_lines, new_lines, "/dev/null" if create else f"a/{relative}", f"b/{relative}", lineterm="\n"
    ):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def fix_question(code: str, message: str, adrs: Sequence[str] = (), path: str | None = None, line: int | None = None) -> str:
    """The chat question behind "Fix with the architect"."""
    where = f" in {path}" + (f" at line {line}" if line else "") if path else ""
    governed = f" (governed by {', '.join(adrs)})" if adrs else ""
    message = message.strip().rstrip(".")
    return (
        f"Fix finding {code}{where}{governed}: {message}. Read the code around it, explain the "
        "fix in a few sentences, then propose the change as an edit (a fenced block with path= and lines=) "
        "that keeps the behaviour and follows the ADRs."
    )


# -- placing one block -------------------------------------------------------------------------


def _place(raw_path: str, lines_spec: str | None, body: str, root: Path, read: ReadText) -> Proposal | Refused:
    try:
        path = resolve_in_root(raw_path, root, must_exist=False)
    except OutsideRoot as exc:
        return Refused(raw_path, str(exc))
    relative = path.relative_to(root.resolve()).as_posix()
    if path.is_dir():
        return Refused(raw_path, f"{relative} is a directory")
    block = [line + "\n" for line in body.split("\n")] if body else []
    if not path.exists():
        if lines_spec and lines_spec.strip().lower() != "all":
            return Refused(raw_path, f"{relative} does not exist, so lines {lines_spec} cannot be replaced")
        return Proposal(path, relative, 1, 0, "".join(block), True, "", "new file")
    text = read(path)
    if text is None:
        return Refused(raw_path, f"{relative} could not be read")
    lines = _lines(text)
    span = _range(lines_spec, block, lines)
    if isinstance(span, str):
        return Refused(raw_path, f"{relative}: {span}")
    start, end, how = span
    eol = "\r\n" if "\r\n" in text else "\n"
    new = [line[:-1] + eol for line in block]
    if new and end == len(lines) and lines and not lines[-1].endswith("\n"):
        new[-1] = new[-1][: -len(eol)]  # the file had no final newline: neither does the edit
    return Proposal(path, relative, start, end, "".join(new), False, text, how)


def _range(spec: str | None, block: list[str], lines: list[str]) -> tuple[int, int, str] | str:
    if spec is not None:
        spec = spec.strip().lower()
        if spec == "all":
            return 1, len(lines), "all"
        match = _LINES.match(spec)
        if match is None:
            return f"lines={spec} is not a line range (say lines=A-B or lines=all)"
        start = int(match.group("start"))
        end = int(match.group("end") or start)
        if not 1 <= start <= end <= len(lines):
            return f"lines {start}-{end} are outside the file's {len(lines)} lines"
        return start, end, "lines"
    return _matched(block, lines)


def _matched(block: list[str], lines: list[str]) -> tuple[int, int, str] | str:
    wanted = [line.strip() for line in block if line.strip()]
    if not wanted:
        return "the block is empty and names no lines"
    stripped = [line.strip() for line in lines]
    starts = [i for i, line in enumerate(stripped) if line == wanted[0]]
    best: tuple[int, int, str] | None = None
    for start in starts:
        end = next((j for j in range(start, len(lines)) if stripped[j] == wanted[-1]), None)
        if end is not None and (len(wanted) == 1 or end > start):
            candidate = (start + 1, end + 1, "matched")
        elif _HEADER.match(lines[start]):
            candidate = (start + 1, _definition_end(lines, start) + 1, "definition")
        else:
            continue
        if best is None or abs((candidate[1] - candidate[0]) - len(block)) < abs((best[1] - best[0]) - len(block)):
            best = candidate
    return best or "could not find where the block goes (say lines=A-B)"


def _definition_end(lines: list[str], start: int) -> int:
    """The last line (0-based) of the ``def``/``class`` opening at ``start``, by indentation."""
    indent = _indent(lines[start])
    last = start
    for index in range(start + 1, len(lines)):
        if not lines[index].strip():
            continue
        if _indent(lines[index]) <= indent:
            break
        last = index
    return last


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _lines(text: str) -> list[str]:
    """Lines with their endings (only ``\\n`` ends a line, so ``\\r\\n`` stays whole)."""
    return _LINE.findall(text)


def _overlap(a: Proposal, b: Proposal) -> bool:
    if a.path != b.path:
        return False
    if a.create or b.create:
        return True
    return a.start_line <= b.end_line and b.start_line <= a.end_line


def _value(match: re.Match[str]) -> str:
    return next(g for g in (match.group("dq"), match.group("sq"), match.group("bare")) if g is not None)
