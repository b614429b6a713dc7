"""Gitignore-style globs (ADR ``applies-to`` and rule ``paths``, ``exclude`` settings and
``.gitignore`` files) compiled to regular expressions that cannot backtrack exponentially.

pathspec translates ``*a*a*a…*b`` to ``[^/]*a[^/]*a…[^/]*b`` and ``**/a/**/a/**/b`` to nested
``(?:/.+)?`` groups; Python's ``re`` backtracks through every way of splitting the path among
them, so one ADR glob against one long file name hung ``check`` and the language server (issue
24). The translation here is pathspec's, pattern for pattern (``tests/knowledge/test_globs.py``
compares the two on thousands of random patterns and paths), with one change: a wildcard that has
another wildcard after it commits to the *leftmost* place where what follows it matches, the
classic greedy two-pointer wildcard match. Inside a segment, ``*`` before a fixed-width chunk
(when another ``*`` follows the chunk) takes the chunk's first occurrence; across segments,
``**`` before a run of segments that another inner ``**`` follows takes the run's first
occurrence. The last wildcard keeps pathspec's greedy form: nothing after it can backtrack. Leftmost is always safe there (whatever matched later can match after the
earlier occurrence too), and each commitment is an atomic lookahead (``(?=(?P<g>…))(?P=g)``, the
device ``fnmatch`` uses), so a match costs a polynomial in the path's and pattern's lengths.

Two further differences from pathspec, both towards git: a bracket expression never matches
``/`` (pathspec's ``[!x]`` did), and a pattern longer than ``MAX_PATTERN_LENGTH`` is refused.
Refused or invalid patterns raise ``GlobError`` from ``compile_glob``; ``GlobSpec.from_lines``
skips them (as git skips a pattern it cannot read) and hands each to ``on_error``.

Two ways to combine patterns, as pathspec has them: ``GlobSpec(gitignore=False)`` is
``PathSpec.from_lines("gitignore", …)`` (the last matching pattern decides), and
``gitignore=True`` is ``GitIgnoreSpec`` (a pattern matching the path itself outranks one that
matched only a directory above it). Compiled specs are immutable: share them between threads.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

MAX_PATTERN_LENGTH = 1024
"""Characters in one pattern; real globs are under 100."""

_DIR_MARK = "ps_d"
_DIR_MARK_CAPTURE = f"(?P<{_DIR_MARK}>/)"
_DIR_MARK_OPTIONAL = f"(?:{_DIR_MARK_CAPTURE}|$)"
_ESCAPE_IN_BRACKET = frozenset("[&~|")
"""Literal in a bracket, but Python warns about future set syntax unless they are escaped."""


class GlobError(ValueError):
    """A pattern that cannot be used: the message says why."""


@dataclass(frozen=True)
class Glob:
    """One compiled pattern: ``include`` is False for a ``!`` negation."""

    pattern: str
    include: bool
    regex: re.Pattern[str]


def compile_glob(line: str, *, gitignore: bool = False) -> Glob | None:
    """The compiled pattern of one line; None for a blank line, a comment, or (``gitignore``) a
    pattern git ignores (an unclosed ``[``, a lone ``/``). Raises ``GlobError``."""
    if len(line) > MAX_PATTERN_LENGTH:
        raise GlobError(f"longer than {MAX_PATTERN_LENGTH} characters")
    text = line if line.endswith("\\ ") else line.rstrip()
    if not text or text.startswith("#") or (gitignore and text == "/"):
        return None
    include = not text.startswith("!")
    if not include:
        text = text[1:]
    segments = text.split("/")
    is_dir_pattern = not segments[-1]
    if text == "/":
        is_dir_pattern = False
    try:
        regex = _translate(segments, is_dir_pattern, gitignore)
    except _UnclosedBracket:
        if gitignore:
            return None
        raise  # not reached: only gitignore mode raises it
    if regex is None:
        return None
    try:
        if "--" in regex:
            # "[+--]" is a range to "-" (as pathspec reads it); Python warns that it may one day
            # be a set difference. The warning says nothing to the user: silenced, only here.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                compiled = re.compile(regex)
        else:
            compiled = re.compile(regex)
    except (re.error, RecursionError, OverflowError) as error:
        raise GlobError(f"not a valid pattern ({error})") from None
    return Glob(line, include, compiled)


class GlobSpec:
    """An ordered list of patterns answering "does this relative path match?"."""

    def __init__(self, globs: Iterable[Glob], *, gitignore: bool = False) -> None:
        # Checked from the last pattern backwards: the first decisive match wins. Bound methods
        # and flags in plain tuples: this loop runs for every file of every walk.
        self._globs = tuple(reversed(tuple(globs)))
        self._gitignore = gitignore
        self._searches = tuple(
            (glob.regex.search, glob.include, _DIR_MARK in glob.regex.groupindex) for glob in self._globs
        )

    @classmethod
    def from_lines(
        cls,
        lines: Iterable[str],
        *,
        gitignore: bool = False,
        on_error: Callable[[str, str], None] | None = None,
    ) -> GlobSpec:
        """The spec of ``lines``; a line that cannot be used is skipped and reported to
        ``on_error(line, why)``."""
        globs: list[Glob] = []
        for line in lines:
            try:
                glob = compile_glob(line, gitignore=gitignore)
            except GlobError as error:
                if on_error is not None:
                    on_error(line, str(error))
                continue
            if glob is not None:
                globs.append(glob)
        return cls(globs, gitignore=gitignore)

    def __len__(self) -> int:
        return len(self._globs)

    def match_file(self, path: str) -> bool:
        """Whether ``path`` (relative, ``/``-separated) is matched and not negated again."""
        if path.startswith("/"):
            path = path[1:]
        elif path.startswith("./"):
            path = path[2:]
        if not self._gitignore:
            for search, include, _ in self._searches:
                if search(path) is not None:
                    return include
            return False
        # git: a match of the path itself (or, via a trailing "**", of everything below a
        # directory) outranks a match that only named a directory above the path.
        fallback: bool | None = None
        for search, include, has_mark in self._searches:
            match = search(path)
            if match is None:
                continue
            if not (has_mark and match.group(_DIR_MARK)):
                return include
            if fallback is None:
                fallback = include
        return bool(fallback)


class _UnclosedBracket(GlobError):
    pass


def _normalize(segments: list[str], is_dir_pattern: bool, gitignore: bool) -> tuple[list[str] | None, str | None]:
    """pathspec's normalisation: ``(segments, None)`` or ``(None, a whole-pattern regex)``."""
    if not segments[0]:
        del segments[0]  # "/x": anchored at the root
    elif (len(segments) == 1 or (len(segments) == 2 and not segments[1])) and segments[0] != "**":
        segments.insert(0, "**")  # "x" or "x/": at any depth
    if not segments:
        raise GlobError("the pattern is empty")
    if not segments[-1]:
        segments[-1] = "**"  # "x/": everything below x
    segments[:] = [s for i, s in enumerate(segments) if not (s == "**" and i and segments[i - 1] == "**")]
    directory_regex = _DIR_MARK_CAPTURE if gitignore else "/"
    if segments == ["**"]:
        return None, directory_regex if is_dir_pattern else "."
    if segments == ["**", "*"]:
        return None, "."
    if segments == ["**", "*", "**"]:
        return None, directory_regex if (gitignore and is_dir_pattern) else "/"
    return segments, None


def _translate(segments: list[str], is_dir_pattern: bool, gitignore: bool) -> str | None:
    normalized, whole = _normalize(segments, is_dir_pattern, gitignore)
    if whole is not None:
        return whole
    assert normalized is not None
    segments = normalized
    names = (f"g{n}" for n in itertools.count())
    end = len(segments) - 1
    parts: list[str] = []
    i = 0
    while i <= end:
        segment = segments[i]
        if segment == "**":
            if i == end:
                parts.append(_DIR_MARK_CAPTURE if gitignore and is_dir_pattern else "/")
                break
            # The run of segments up to the next "**": its first occurrence is taken when an
            # inner "**" follows it (atomic); otherwise nothing after it can backtrack, and any
            # occurrence will do (pathspec's regex as it is).
            stop = next((k for k in range(i + 1, end + 1) if segments[k] == "**"), None)
            run_end = (stop - 1) if stop is not None else end
            run = _run(segments, i + 1, run_end, end, gitignore, names)
            if stop is None or stop == end:
                parts.append(("^(?:.+/)?" if i == 0 else "(?:/.+)?/") + run)
            else:
                lazy = "(?:.+?/)??" if i == 0 else "(?:/.+?)??/"
                parts.append(("^" if i == 0 else "") + _atomic(lazy + run + "(?=/)", names))
            i = run_end + 1
            continue
        run_end = next((k - 1 for k in range(i + 1, end + 1) if segments[k] == "**"), end)
        parts.append("^" + _run(segments, i, run_end, end, gitignore, names))
        i = run_end + 1
    return "".join(parts)


def _run(segments: list[str], first: int, last: int, end: int, gitignore: bool, names: Iterator[str]) -> str:
    """Segments ``first..last`` joined by ``/``, with the pattern's ending after the last one."""
    out = "/".join(_segment(segments[k], gitignore, names) for k in range(first, last + 1))
    if last == end:
        if gitignore:
            out += _DIR_MARK_OPTIONAL
        else:
            out += "/?$" if segments[last] == "*" else "(?:/|$)"
    return out


def _atomic(regex: str, names: Iterator[str]) -> str:
    """``regex`` matched once, at the first place it matches, never revisited on backtracking."""
    name = next(names)
    return f"(?=(?P<{name}>{regex}))(?P={name})"


def _segment(glob: str, gitignore: bool, names: Iterator[str]) -> str:
    """One path segment's glob: ``*`` runs split it into fixed-width chunks; every ``*`` but the
    last takes the first occurrence of the chunk after it (two-pointer wildcard matching)."""
    if glob == "*":
        return "[^/]+"
    chunks: list[list[str]] = [[]]
    i, end = 0, len(glob)
    while i < end:
        char = glob[i]
        i += 1
        if char == "\\":
            if i >= end:
                raise GlobError("it ends with an escaping backslash")
            chunks[-1].append(re.escape(glob[i]))
            i += 1
        elif char == "*":
            if chunks[-1] or len(chunks) == 1:
                chunks.append([])
        elif char == "?":
            chunks[-1].append("[^/]")
        elif char == "[":
            bracket, i = _bracket(glob, i, gitignore)
            chunks[-1].append(bracket)
        else:
            chunks[-1].append(re.escape(char))
    texts = ["".join(chunk) for chunk in chunks]
    if len(texts) <= 2:
        return "[^/]*".join(texts)
    middle = "".join(_atomic("[^/]*?" + text, names) for text in texts[1:-1])
    return texts[0] + middle + "[^/]*" + texts[-1]


def _bracket(glob: str, i: int, gitignore: bool) -> tuple[str, int]:
    """The regex of the bracket expression opened just before ``i`` and the index after it;
    an unclosed ``[`` is a literal (or, for ``.gitignore``, makes git drop the pattern)."""
    end = len(glob)
    j = i
    if j < end and glob[j] in "!^":
        j += 1
    if j < end and glob[j] == "]":
        j += 1
    while j < end and glob[j] != "]":
        j += 1
    if j >= end:
        if gitignore:
            raise _UnclosedBracket("unclosed [")
        return "\\[", i
    expression = "["
    start = i
    if glob[start] in "!^":
        expression += "^"
        start += 1
    for position in range(start, j):
        char = glob[position]
        if char == "\\":
            expression += "\\\\"
        elif char in _ESCAPE_IN_BRACKET:
            expression += "\\" + char
        else:
            expression += char
    # A bracket never matches the separator, negated or not (git's FNM_PATHNAME).
    return "(?!/)" + expression + "]", j + 1
