"""The MCP wiring: the SDK's ``MCPServer`` with the tools, resources and prompt, over stdio.

A thin layer like ``lsp/``: each tool states its arguments (the SDK derives the input schema from
the signature and validates calls against it) and calls ``ArchitectTools``; a ``ToolInputError``
becomes the SDK's ``ToolError`` (an ``is_error`` result the model reads), anything else the SDK
reports as a failed call without killing the server. Logs go to stderr only: stdout is the wire.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.resources import FunctionResource

from .tools import ArchitectTools, ToolInputError

log = logging.getLogger(__name__)

INSTRUCTIONS = """Python Architect knows this repository's architecture decision records (ADRs) and
checks Python code against them. Call `relevant_adrs` with the question or the file and line
before designing a change, follow the decisions it quotes, and call `check` on the files you
edited (or on their unsaved text) before you finish. Record a new decision with
`record_decision` when the team agrees on one."""


def _guarded(call: Any) -> Any:
    try:
        return call()
    except ToolInputError as exc:
        raise ToolError(str(exc)) from None


class _ArchitectServer(MCPServer):
    """Lists the ADRs as they are at each ``resources/list``: one written by hand (or by a git
    pull) while the server runs is a resource at the next list, not only those from
    ``record_decision``."""

    def __init__(self, tools: ArchitectTools, **settings: Any) -> None:
        super().__init__(**settings)
        self.tools = tools

    async def list_resources(self) -> list[Any]:
        _add_adr_resources(self, self.tools)
        return await super().list_resources()


def build_server(root: Path) -> MCPServer:
    """The server for the workspace at ``root`` (loaded now; raises if it cannot be read)."""
    tools = ArchitectTools(root)
    server = _ArchitectServer(tools, name="python-architect", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool()
    def check(
        paths: list[str] | None = None,
        path: str | None = None,
        text: str | None = None,
        ruff: bool = True,
    ) -> dict[str, Any]:
        """Check code against the team's ADRs and the built-in principles. Give `paths` (files or
        folders, relative to the workspace root; default: the whole workspace), or `path` with
        `text` (a file's unsaved content). Returns findings with the ADRs they cite and fixes."""
        return _guarded(lambda: tools.check(paths, path, text, ruff))

    @server.tool()
    def relevant_adrs(
        question: str | None = None,
        path: str | None = None,
        line: int | None = None,
        limit: int = 5,
    ) -> dict[str, Any]:
        """The ADRs that govern a design question and/or a place in the code (`path`, 1-based
        `line`), best first, each with its Decision quoted and why it applies; also what the code
        named in the question is (a class's bases and findings, a module's layer, a version
        specifier judged by the pinning rules)."""
        return _guarded(lambda: tools.relevant_adrs(question, path, line, limit))

    @server.tool()
    def explain_rule(code: str) -> dict[str, Any]:
        """What a finding code (ARC202, ASYNC210, ...) means: principle, rationale, what to do
        instead, and the ADRs of this workspace that govern it."""
        return _guarded(lambda: tools.explain_rule(code))

    @server.tool()
    def list_adrs(
        status: Literal["proposed", "accepted", "rejected", "deprecated", "superseded"] | None = None,
    ) -> dict[str, Any]:
        """Every ADR of the workspace (optionally of one status): id, title, status, file, tags,
        superseding ADRs and rule ids."""
        return _guarded(lambda: tools.list_adrs(status))

    @server.tool()
    def graph(depth: int = 2, format: Literal["mermaid", "dot", "json"] = "mermaid") -> str:
        """The first-party module dependency graph collapsed to `depth` package levels, with
        layer-violating and cyclic edges marked, as Mermaid, Graphviz dot or JSON."""
        return _guarded(lambda: tools.graph(depth, format))

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
        result = _guarded(lambda: tools.record_decision(title, context, decision, consequences, status, tags))
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


def _add_adr_resources(server: MCPServer, tools: ArchitectTools) -> None:
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


def _reader(tools: ArchitectTools, path: Path) -> Any:
    def read() -> str:
        try:
            return tools.read(path)
        except (ToolInputError, OSError) as exc:
            raise ResourceError(f"cannot read {path.name}: {exc}") from None

    return read


def serve(root: Path) -> None:
    """Runs the server on stdin/stdout until the client disconnects."""
    server = build_server(root)
    log.info("python-architect MCP server for %s", root)
    server.run("stdio")
