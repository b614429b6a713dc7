"""The fuzz harness can fail: a crash the core swallows (and logs) and an exception that escapes
an entry point are both reported, with the input that caused them."""

from __future__ import annotations

import fuzz_support
from fuzz_support import Fuzzer, make_workspace

from python_architect.catalog import REGISTRY

SOURCE = "import os\n\n\ndef f(x):\n    return os.path.join(x, 'a')\n"


def test_a_check_that_raises_inside_analysis_is_reported(tmp_path):
    code = REGISTRY.by_scope("module")[0].code

    def exploding(context):
        raise RuntimeError("boom from the fuzz harness test")

    project = make_workspace(tmp_path / "service", REGISTRY.replacing(code, exploding))
    fuzzer = Fuzzer(project)
    fuzzer.python(SOURCE)
    [crash] = fuzzer.crashes.found
    assert crash.entry == "analyze (logged)"
    assert code in crash.detail and "boom from the fuzz harness test" in crash.detail
    assert crash.reproducer == SOURCE


def test_an_exception_escaping_hover_is_reported(fuzz_project, monkeypatch):
    def broken_hover(*args):
        raise IndexError("hover fell off the line")

    monkeypatch.setattr(fuzz_support, "hover_markdown", broken_hover)
    fuzzer = Fuzzer(fuzz_project)
    fuzzer.python(SOURCE)
    assert fuzzer.crashes.found and all(c.entry.startswith("hover(") for c in fuzzer.crashes.found)
    assert "IndexError: hover fell off the line" in fuzzer.crashes.found[0].detail
    assert "crash(es) in 1 cases" in fuzzer.crashes.summary()
