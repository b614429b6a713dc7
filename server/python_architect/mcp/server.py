"""The MCP wiring: the SDK's ``MCPServer`` with the tools, resources and prompt, over stdio.

A thin layer like ``lsp/``: each tool states its arguments (the SDK derives the input schema from
the signature) and calls the core's ``ToolSet.run`` (``advisor.tools``, the same tools the chat's
agent uses), which checks every argument against ``advisor.tool_specs`` (list sizes, text
lengths) before taking the project's lock. A ``ToolInputError`` becomes the SDK's ``ToolError``
(an ``is_error`` result the model reads); anything else the SDK reports as a failed call without
killing the server. Each call runs in a worker thread; when the client cancels it
(``notifications/cancelled``) the request ends at once and the worker is told to stop at its
next check. Logs go to stderr only: stdout is the wire.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Literal

import anyio
import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.resources import FunctionResource

from ..advisor.ask_tool import ArchitectQuestions
from ..advisor.tool_specs import MCP_CHECK, ToolInputError
from ..advisor.tools import ToolSet
from .tools import record_decision as write_decision

log = logging.getLogger(__name__)

INSTRUCTIONS = """Python Architect knows this repository's architecture decision records (ADRs) and
checks Python code against them. Call `relevant_adrs` with the question or the file and line
before designing a change, follow the decisions it quotes, and call `check` on the files you
edited (or on their unsaved text) before you finish. `find_symbol`, `search_code` and `read_file`
read the workspace; `read_adr` gives any ADR in full. `ask_architect` puts a design question to the
team's architect (it reads the code through the same tools and returns the changes it proposes as
edits and a unified diff, never writing them). Record a new decision with `record_decision` when
the team agrees on one."""


async def _call(tools: ToolSet, name: str, arguments: dict[str, Any], spec: dict[str, Any] | None = None) -> Any:
    """``tools.run`` in a worker thread; cancellation ends the call now and tells the worker."""
    cancelled = threading.Event()
    try:
        return await anyio.to_thread.run_sync(
            lambda: tools.run(name, arguments, cancelled=cancelled, spec=spec), abandon_on_cancel=True
        )
    except ToolInputError as exc:
        raise ToolError(str(exc)) from None
    except anyio.get_cancelled_exc_class():
        cancelled.set()
        raise


def _given(**arguments: Any) -> dict[str, Any]:
    return {key: value for key, value in arguments.items() if value is not None}


class _ArchitectServer(MCPServer):
    """Lists the ADRs as they are at each ``resources/list``: one written by hand (or by a git
    pull) while the server runs is a resource at the next list, not only those from
    ``record_decision``."""

    def __init__(self, tools: ToolSet, **settings: Any) -> None:
        super().__init__(**settings)
        self.tools = tools

    async def list_resources(self) -> list[Any]:
        _add_adr_resources(self, self.tools)
        return await super().list_resources()


def build_server(root: Path) -> MCPServer:
    """The server for the workspace at ``root`` (loaded now; raises if it cannot be read)."""
    from ..engine import Project

    lock = threading.Lock()
    tools = ToolSet(Project.load(Path(root).resolve()), lock, watch_knowledge=True)
    questions = ArchitectQuestions(tools.project, lock)
    server = _ArchitectServer(tools, name="python-architect", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool()
    async def check(
        paths: list[str] | None = None,
        path: str | None = None,
        text: str | None = None,
        ruff: bool = True,
    ) -> dict[str, Any]:
        """Check code against the team's ADRs and the built-in principles. Give `paths` (files or
        folders, relative to the workspace root; default: the whole workspace; at most 200), or
        `path` with `text` (a file's unsaved content). Returns findings with the ADRs they cite and fixes."""
        return await _call(tools, "check", _given(paths=paths, path=path, text=text, ruff=ruff), MCP_CHECK)

    @server.tool()
    async def relevant_adrs(
        question: str | None = None,
        path: str | None = None,
        line: int | None = None,
        limit: int = 5,
    ) -> dict[str, Any]:
        """The ADRs that govern a design question and/or a place in the code (`path`, 1-based
        `line`), best first, each with its Decision quoted and why it applies; also what the code
        named in the question is (a class's bases and findings, a module's layer, a version
        specifier judged by the pinning rules)."""
        return await _call(tools, "relevant_adrs", _given(question=question, path=path, line=line, limit=limit))

    @server.tool()
    async def explain_rule(code: str) -> dict[str, Any]:
        """What a finding code (ARC202, ASYNC210, ...) means: principle, rationale, what to do
        instead, and the ADRs of this workspace that govern it."""
        return await _call(tools, "explain_rule", {"code": code})

    @server.tool()
    async def list_adrs(
        status: Literal["proposed", "accepted", "rejected", "deprecated", "superseded"] | None = None,
    ) -> dict[str, Any]:
        """Every ADR of the workspace (optionally of one status): id, title, status, file, tags,
        superseding ADRs and rule ids."""
        return await _call(tools, "list_adrs", _given(status=status))

    @server.tool()
    async def read_adr(id: str) -> dict[str, Any]:
        """The full text of one ADR by id, whatever its status (a rejected or superseded ADR's
        reasons are history worth reading)."""
        return await _call(tools, "read_adr", {"id": id})

    @server.tool()
    async def read_file(path: str, start_line: int | None = None, end_line: int | None = None) -> dict[str, Any]:
        """Numbered lines of a workspace file (`start_line`/`end_line` 1-based, inclusive; at most
        400 lines a call). Paths outside the workspace root are refused; secrets are redacted."""
        return await _call(tools, "read_file", _given(path=path, start_line=start_line, end_line=end_line))

    @server.tool()
    async def search_code(pattern: str, glob: str | None = None) -> dict[str, Any]:
        """Lines of workspace files matching a regex (or literal text) as `path:line: text`,
        capped at 80; `glob` limits the files (`*.py`, `src/shop/*`)."""
        return await _call(tools, "search_code", _given(pattern=pattern, glob=glob))

    @server.tool()
    async def find_symbol(name: str) -> dict[str, Any]:
        """Where a class, function or module is defined (path, line, kind, signature, bases,
        docstring's first line) and which modules import it."""
        return await _call(tools, "find_symbol", {"name": name})

    @server.tool()
    async def graph(depth: int = 2, format: Literal["mermaid", "dot", "json"] = "mermaid") -> str:
        """The first-party module dependency graph collapsed to `depth` package levels, with
        layer-violating and cyclic edges marked, as Mermaid, Graphviz dot or JSON."""
        return await _call(tools, "graph", {"depth": depth, "format": format})

    @server.tool()
    async def ask_architect(question: str, path: str | None = None, line: int | None = None,
                            conversation: str | None = None) -> dict[str, Any]:
        """Ask the team's architect a design question, optionally about a workspace file (and
        line). Online when the server has ANTHROPIC_API_KEY (the architect reads the code through
        these tools), offline (ADRs and checks only) otherwise. Returns the answer, the ADRs
        cited, the tool steps, and `proposals`: code for workspace files as edits and a unified
        diff, never written. `conversation` keeps a conversation across calls."""
        try:
            return await questions.ask(question, path=path, line=line, conversation=conversation)
        except ToolInputError as exc:
            raise ToolError(str(exc)) from None

    @server.tool()
    def record_decision(
        title: str,
        context: str,
        decision: str,
        consequences: str,
        status: Literal["proposed", "accepted"] = "proposed",
        tags: list[str] | None = None,
    ) -> dict[str, Any]:
        """Write a new ADR (Nygard format with frontmatter) at the next free number in the
        workspace's ADR folder and return its id and path. Never overwrites a file."""
        try:
            result = write_decision(tools, title, context, decision, consequences, status, tags)
        except ToolInputError as exc:
            raise ToolError(str(exc)) from None
        _add_adr_resources(server, tools)
        return result

    @server.prompt(name="architect", description="The team's architect persona (from .claude/agents), with how to use the tools.")
    def architect(task: str = "") -> str:
        persona = tools.persona()
        text = f"{persona.text.strip()}\n\n{INSTRUCTIONS}"
        if task.strip():
            text += f"\n\nThe task:\n{task.strip()}"
        return text

    _add_adr_resources(server, tools)
    for document in tools.documents():
        server.add_resource(
            FunctionResource(
                uri=f"architect://docs/{document.name}",
                name=document.name,
                description=f"{tools.relative(document)}: an architecture document of the workspace",
                mime_type="text/markdown",
                fn=_reader(tools, document),
            )
        )
    return server


def _add_adr_resources(server: MCPServer, tools: ToolSet) -> None:
    """One resource per ADR; listed now, read from disk at read time (new ADRs are added)."""
    listed = {str(r.uri) for r in server._resource_manager.list_resources()}
    for adr in tools.adrs():
        uri = f"architect://adrs/{adr.id}"
        if uri in listed:
            continue
        server.add_resource(
            FunctionResource(
                uri=uri,
                name=adr.id,
                title=adr.title,
                description=f"{adr.id} ({adr.status}): {adr.title}",
                mime_type="text/markdown",
                fn=_reader(tools, adr.path),
            )
        )


def _reader(tools: ToolSet, path: Path) -> Any:
    def read() -> str:
        try:
            return tools.read(path)
        except (ToolInputError, ValueError, OSError) as exc:
            raise ResourceError(f"cannot read {path.name}: {exc}") from None

    return read


def serve(root: Path) -> None:
    """Runs the server on stdin/stdout until the client disconnects."""
    server = build_server(root)
    log.info("python-architect MCP server for %s", root)
    server.run("stdio")
