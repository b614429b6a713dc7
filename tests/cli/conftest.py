"""Fixtures for tests/cli: defined in ``cli_support`` (a uniquely named module, so test folders never
import each other's conftest)."""

from cli_support import cli, example_json, workspace  # noqa: F401
