"""The read-only tool contract shared by the chat's agent loop and the MCP server: each tool's
name, description and JSON input schema (as the Messages API's ``tools`` takes it), and one
validator that enforces those schemas — types, required fields, list sizes, text lengths and
number ranges — before any work or lock, so a 100,000-entry ``paths`` is refused in microseconds
with a sentence the model can act on.

The names and input fields are fixed (other clients rely on them); bounds live here only.
"""

from __future__ import annotations

from typing import Any

MAX_PATHS = 200
"""Paths one ``check`` call takes (more: check a folder, or call again)."""
MAX_PATH_CHARS = 1024
MAX_PATTERN_CHARS = 300
MAX_QUESTION_CHARS = 4000
MAX_TEXT_CHARS = 2_000_000
"""Unsaved text larger than this is refused (a client bug, not a source file)."""

_PATH = {"type": "string", "maxLength": MAX_PATH_CHARS, "minLength": 1}

SPECS: dict[str, dict[str, Any]] = {
    "read_file": {
        "description": "Numbered lines of a workspace file (the editor's unsaved text when open). "
                       "Give `start_line`/`end_line` (1-based, inclusive) for a part; at most 400 lines a call.",
        "input_schema": {"type": "object", "properties": {
            "path": _PATH,
            "start_line": {"type": "integer", "minimum": 1},
            "end_line": {"type": "integer", "minimum": 1},
        }, "required": ["path"]},
    },
    "search_code": {
        "description": "Lines of workspace files matching a regex (or literal text) as `path:line: text`, capped "
                       "at 80. `glob` limits the files (`*.py`, `src/shop/*`).",
        "input_schema": {"type": "object", "properties": {
            "pattern": {"type": "string", "maxLength": MAX_PATTERN_CHARS, "minLength": 1},
            "glob": {"type": "string", "maxLength": MAX_PATTERN_CHARS},
        }, "required": ["pattern"]},
    },
    "find_symbol": {
        "description": "Where a class, function or module is defined (path, line, kind, signature, bases, "
                       "docstring's first line) and which modules import it. `name`: `QuoteCache`, "
                       "`shop.cache` or `shop.cache.QuoteCache`.",
        "input_schema": {"type": "object", "properties": {
            "name": {"type": "string", "maxLength": 300, "minLength": 1},
        }, "required": ["name"]},
    },
    "check": {
        "description": "Check code against the team's ADRs and the built-in principles. Give `paths` (files or "
                       "folders relative to the workspace root; default: the whole workspace). Returns findings "
                       "with the ADRs they cite and fixes.",
        "input_schema": {"type": "object", "properties": {
            "paths": {"type": "array", "items": _PATH, "maxItems": MAX_PATHS},
        }},
    },
    "relevant_adrs": {
        "description": "The ADRs that govern a design question and/or a place in the code (`path`, 1-based "
                       "`line`), best first, each with its Decision quoted and why it applies.",
        "input_schema": {"type": "object", "properties": {
            "question": {"type": "string", "maxLength": MAX_QUESTION_CHARS},
            "path": _PATH,
            "line": {"type": "integer", "minimum": 1},
            "limit": {"type": "integer", "minimum": 1, "maximum": 20},
        }},
    },
    "list_adrs": {
        "description": "Every ADR of the workspace (optionally of one status): id, title, status, file, tags, "
                       "superseding ADRs and rule ids.",
        "input_schema": {"type": "object", "properties": {
            "status": {"type": "string",
                       "enum": ["proposed", "accepted", "rejected", "deprecated", "superseded"]},
        }},
    },
    "read_adr": {
        "description": "The full text of one ADR by id, whatever its status: a rejected or superseded "
                       "ADR's reasons are history the architect needs.",
        "input_schema": {"type": "object", "properties": {
            "id": {"type": "string", "maxLength": 40, "minLength": 1},
        }, "required": ["id"]},
    },
    "explain_rule": {
        "description": "What a finding code (ARC202, ASYNC210, ...) means: principle, rationale, what to do "
                       "instead, and the ADRs of this workspace that govern it.",
        "input_schema": {"type": "object", "properties": {
            "code": {"type": "string", "maxLength": 20, "minLength": 1},
        }, "required": ["code"]},
    },
    "graph": {
        "description": "The first-party module dependency graph collapsed to `depth` package levels, with "
                       "layer-violating and cyclic edges marked, as Mermaid, Graphviz dot or JSON.",
        "input_schema": {"type": "object", "properties": {
            "depth": {"type": "integer", "minimum": 1, "maximum": 10},
            "format": {"type": "string", "enum": ["mermaid", "dot", "json"]},
        }},
    },
}

MCP_CHECK: dict[str, Any] = {"input_schema": {"type": "object", "properties": {
    **SPECS["check"]["input_schema"]["properties"],
    "path": _PATH,
    "text": {"type": "string", "maxLength": MAX_TEXT_CHARS},
    "ruff": {"type": "boolean"},
}}}
"""MCP's ``check`` also takes one file's unsaved ``text`` (with its ``path``) and ``ruff``."""

CHAT_TOOLS = tuple(SPECS)
"""The tools offered to the model in the chat (all of them read-only)."""


class ToolInputError(ValueError):
    """A bad argument or a refused path: the message is shown to the caller as the tool's error."""


def api_tools(names: tuple[str, ...] = CHAT_TOOLS) -> list[dict[str, Any]]:
    """The ``tools`` parameter of a Messages API request."""
    return [{"name": name, **SPECS[name]} for name in names]


def validate(name: str, arguments: Any, spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """``arguments`` checked against the tool's schema (or ``spec``; ``ToolInputError`` saying
    what is wrong); absent optional fields are None."""
    spec = spec or SPECS.get(name)
    if spec is None:
        raise ToolInputError(f"unknown tool {name!r}; the tools are {', '.join(SPECS)}")
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        raise ToolInputError(f"`{name}` takes an object of arguments")
    schema = spec["input_schema"]
    properties: dict[str, Any] = schema["properties"]
    unknown = sorted(set(arguments) - set(properties))
    if unknown:
        raise ToolInputError(f"`{name}` has no argument {', '.join(map(repr, unknown))}; "
                             f"it takes {', '.join(properties) or 'none'}")
    for required in schema.get("required", ()):
        if arguments.get(required) is None:
            raise ToolInputError(f"`{name}` needs `{required}`")
    checked = dict.fromkeys(properties)
    for key, value in arguments.items():
        if value is not None:
            _check(f"`{key}`", value, properties[key])
        checked[key] = value
    return checked


def _check(label: str, value: Any, schema: dict[str, Any]) -> None:
    kind = schema.get("type")
    if kind == "string":
        if not isinstance(value, str):
            raise ToolInputError(f"{label} must be a string")
        if len(value) > schema.get("maxLength", MAX_TEXT_CHARS):
            raise ToolInputError(f"{label} is longer than {schema.get('maxLength', MAX_TEXT_CHARS)} characters")
        if len(value.strip()) < schema.get("minLength", 0):
            raise ToolInputError(f"{label} must not be empty")
        if "\x00" in value:
            raise ToolInputError(f"{label} must not contain NUL characters")
        if "enum" in schema and value not in schema["enum"]:
            raise ToolInputError(f"{label} must be one of {', '.join(schema['enum'])}")
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ToolInputError(f"{label} must be an integer")
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            low, high = schema.get("minimum"), schema.get("maximum")
            if high is not None:
                raise ToolInputError(f"{label} must be between {low} and {high}")
            raise ToolInputError(f"{label} is 1-based: at least 1" if low == 1 else f"{label} must be at least {low}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise ToolInputError(f"{label} must be true or false")
    elif kind == "array":
        if not isinstance(value, list):
            raise ToolInputError(f"{label} must be a list")
        if len(value) > schema.get("maxItems", MAX_PATHS):
            raise ToolInputError(f"{label} has {len(value)} entries; at most {schema.get('maxItems')} "
                                 "are taken in one call (give a folder, or call again with the rest)")
        for item in value:
            _check(f"an entry of {label}", item, schema["items"])
