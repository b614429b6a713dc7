"""Fixtures for tests/fuzz: one loaded copy of the example workspace for the whole folder (the
fuzzed texts are unsaved: nothing is written to it)."""

import pytest
from fuzz_support import Fuzzer, make_workspace


@pytest.fixture(scope="session")
def fuzz_project(tmp_path_factory):
    return make_workspace(tmp_path_factory.mktemp("fuzz") / "service")


@pytest.fixture
def fuzzer(fuzz_project):
    return Fuzzer(fuzz_project, seed=1234)
