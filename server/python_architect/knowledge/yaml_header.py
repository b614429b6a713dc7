"""YAML frontmatter with line numbers: finding the ``---`` block at the top of a markdown file and
loading it so that every key and list item knows its line in the file.

PyYAML's node API is called directly (for ADRs and agent definitions alike) because
diagnostics must point at lines: the line of a syntax error
(ARC001), the line of an unknown option (ARC002), the line of a glob that matches nothing (ARC005).

A header is a stranger's input (SECURITY.md), and YAML aliases let a few hundred bytes stand for
billions of values ("billion laughs"): PyYAML shares the aliased objects, so loading is cheap, but
every later walk (``str()`` of a tag list, a merge key, the relevance index) pays the expanded
size. So the composed node graph is counted *as if expanded* before anything is constructed, and a
header over ``NODE_BUDGET`` values (or one whose aliases loop back into themselves) is refused
with a ``HeaderError`` on the top-level key where the budget ran out. Whatever passes may be
walked freely: no walk of its value can visit more than ``NODE_BUDGET`` nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

Position = tuple[Any, ...]
CLOSING_LINES = ("---", "...")
NODE_BUDGET = 10_000
"""Values (scalars, lists, mappings, each alias counted as a copy of what it names) one header may
hold: a frontmatter with 100 rules is about 1,000."""


@cache
def _yaml() -> Any:
    # PyYAML costs ~20-60 ms to import; a workspace without ADR frontmatter (and ``check --help``)
    # never needs it, so it is imported on the first header that is loaded. ``cache`` around a pure
    # import is safe from two threads (at worst both import; the module object is the same).
    import yaml

    return yaml


def _loader() -> Any:
    """libyaml when PyYAML was built with it: about ten times faster, with the same marks."""
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class HeaderBlock:
    """Where the frontmatter is: ``close`` is the 0-based index of its closing line (None: the
    block is never closed)."""

    close: int | None

    @property
    def body_index(self) -> int:
        """0-based index of the first body line."""
        return (self.close + 1) if self.close is not None else 0


@dataclass
class HeaderError(Exception):
    """The frontmatter does not parse: 1-based file line and column, and what went wrong."""

    line: int
    column: int | None
    message: str


def find_header(lines: list[str]) -> HeaderBlock | None:
    """The frontmatter block when the file's first line is ``---``; None when there is none."""
    if not lines or lines[0].rstrip() != "---":
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in CLOSING_LINES), None)
    return HeaderBlock(close)


def normalize_key(name: Any) -> Any:
    """``Applies_To`` -> ``applies-to``: keys compare case- and separator-insensitively."""
    return name.strip().lower().replace("_", "-") if isinstance(name, str) else name


@dataclass(frozen=True)
class Header:
    """A loaded frontmatter: its value, the file line of every mapping key and sequence item,
    and the source text of every scalar (``id: 011`` is the octal 9 to YAML 1.1, "011" here).

    Positions are tuples of keys (normalised with ``normalize_key``) and list indexes.
    """

    value: Any
    lines: dict[Position, int]
    scalars: dict[Position, str]

    def line(self, *path: Any, default: int = 2) -> int:
        return line_of(self.lines, *path, default=default)


def load_header(yaml_text: str, first_line: int = 2) -> Header:
    """The YAML in ``yaml_text``, whose first line is line ``first_line`` of the file.

    Raises ``HeaderError`` at the error's file line when it does not parse.
    """
    yaml = _yaml()
    try:
        return _compose(yaml_text, first_line)
    except RecursionError:
        raise HeaderError(first_line, None, "nested too deeply to read") from None
    except (ValueError, TypeError, OverflowError) as error:
        # Constructors' own limits: an integer of more than 4,300 digits, a bad base64 blob.
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise HeaderError(first_line, None, f"a value cannot be read: {message}") from None
    except yaml.YAMLError as error:
        if "\t" in yaml_text:
            # Editors that indent with tabs: YAML forbids them, people write them anyway.
            try:
                return _compose(_untab(yaml_text), first_line)
            except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
                pass  # the error of the text as written is the one to report
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = str(getattr(error, "problem", None) or str(error).splitlines()[0])
        context = getattr(error, "context", None)
        context_mark = getattr(error, "context_mark", None)
        if (
            context
            and context_mark is not None
            and context_mark.line != getattr(mark, "line", None)
        ):
            # "while parsing a flow sequence" names where the unfinished construct began.
            context = f"{context} (started on line {context_mark.line + first_line})"
        raise HeaderError(
            line=mark.line + first_line if mark is not None else first_line,
            column=mark.column + 1 if mark is not None else None,
            message=f"{reason}, {context}" if context else reason,
        ) from None


def line_of(positions: dict[Position, int], *path: Any, default: int = 2) -> int:
    """The line of the deepest known position along ``path`` (``default`` if none)."""
    for end in range(len(path), 0, -1):
        if path[:end] in positions:
            return positions[path[:end]]
    return default


def _untab(yaml_text: str) -> str:
    return "\n".join(
        re.sub(r"^\t+", lambda m: "  " * len(m.group()), line).replace("\t", " ")
        for line in yaml_text.split("\n")
    )


def _compose(yaml_text: str, first_line: int) -> Header:
    loader = _loader()(yaml_text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_budget(node, first_line)
        value = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    header = Header(value, {}, {})
    if node is not None:
        _record(node, (), header, first_line, set())
    return header


def expanded_size(node: yaml.Node, budget: int = NODE_BUDGET) -> tuple[int, bool]:
    """How many nodes a walk of ``node`` visits with every alias expanded, counting no further
    than ``budget + 1``, and whether an alias (a node reached twice) was met.

    Iterative, so a deep header cannot exhaust the stack; at most ``budget + 1`` visits, so an
    alias loop (``&a [*a]``) or a bomb costs no more than a legitimate header of that size.
    """
    yaml = _yaml()
    seen: set[int] = set()
    aliased = False
    count = 0
    stack = [node]
    while stack and count <= budget:
        current = stack.pop()
        count += 1
        if id(current) in seen:
            aliased = True
        else:
            seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                stack.append(value_node)
                stack.append(key_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return count, aliased


def _check_budget(node: yaml.Node, first_line: int) -> None:
    """``HeaderError`` when the header expands past ``NODE_BUDGET`` values, on the line of the
    top-level key whose value used the budget up (the whole header for a non-mapping)."""
    yaml = _yaml()
    if isinstance(node, yaml.MappingNode):
        parts = [(key, value) for key, value in node.value]
    else:
        parts = [(None, node)]
    remaining = NODE_BUDGET
    for key_node, value_node in parts:
        used, aliased = expanded_size(value_node, remaining)
        if key_node is not None and used <= remaining:
            key_used, key_aliased = expanded_size(key_node, remaining - used)
            used, aliased = used + key_used, aliased or key_aliased
        if used > remaining:
            where = ""
            line = first_line
            if isinstance(key_node, yaml.ScalarNode):
                where = f" under `{key_node.value[:60]}`"
                line = key_node.start_mark.line + first_line
            what = "YAML aliases expand" if aliased else "the frontmatter holds"
            raise HeaderError(
                line, None, f"{what}{where} past {NODE_BUDGET:,} values; not loaded"
            )
        remaining -= used


def _record(node: yaml.Node, prefix: Position, header: Header, base: int, seen: set[int]) -> None:
    # Aliases share nodes; visiting each once keeps "billion laughs" headers linear.
    if id(node) in seen:
        return
    seen.add(id(node))
    yaml = _yaml()
    if isinstance(node, yaml.ScalarNode):
        header.scalars[prefix] = node.value
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            raw = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            key = normalize_key(raw) if raw is not None else key_node.start_mark.line
            header.lines.setdefault((*prefix, key), key_node.start_mark.line + base)
            _record(value_node, (*prefix, key), header, base, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            header.lines[(*prefix, index)] = item.start_mark.line + base
            _record(item, (*prefix, index), header, base, seen)
