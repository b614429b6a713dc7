"""Fixtures for tests/lsp: defined in ``lsp_support`` (a uniquely named module, so test folders never
import each other's conftest)."""

from lsp_support import client, push_or_pull, shop, vscode_client  # noqa: F401
