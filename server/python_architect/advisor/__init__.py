"""The architect chat's core (no pygls): persona, context within a token budget, redaction,
the Anthropic streaming client, the offline answer and the ``Advisor`` facade in ``service``;
the read-only tools (``tools``, ``code_tools``, ``tool_specs``) shared with the MCP server, and
the agent loop (``agent``) that lets the model call them while it answers.

Front ends (``lsp/chat.py``, ``cli/ask_command.py``) render ``Advisor.ask``'s events and nothing
more. The ``anthropic`` SDK is imported only on the first online question (it takes seconds).
"""
