"""The Model Context Protocol server: the architect's knowledge and checks for coding agents.

A thin layer over the same core as the CLI and the language server, like ``lsp/``:
``tools`` (what each tool does, SDK-free, with the path and locking rules), ``adr_writer`` (the
text of a recorded ADR) and ``server`` (the ``mcp`` SDK wiring). Only ``server`` imports ``mcp``,
an optional dependency (``pip install 'python-architect[mcp]'``).
"""
