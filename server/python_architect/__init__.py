"""Python Architect: checks Python code against a team's architecture decision records.

The analysis core (``knowledge``, ``analysis``, ``workspace``, ``advisor``, ``engine``) imports
neither pygls nor lsprotocol; ``lsp`` adapts it to the Language Server Protocol and ``cli`` to
the terminal.
"""

__version__ = "0.1.0"
