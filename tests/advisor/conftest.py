"""Fixtures for tests/advisor: defined in ``chat_support`` (a uniquely named module, so test folders never
import each other's conftest)."""

from chat_support import workspace, project, example_project, fake_api  # noqa: F401
