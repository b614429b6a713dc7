"""``# architect: ignore[...]`` comments and the helper that writes them."""

from __future__ import annotations

from python_architect.analysis.suppression import (
    add_suppression,
    parse_suppression,
    suppressed,
)


def test_bare_directive_silences_everything_on_the_line():
    line = "import requests  # architect: ignore"
    assert suppressed("ARC101", [], line)
    assert suppressed("S113", ["ADR-004"], line)


def test_codes_are_prefixes():
    line = "x = session.get(User, i)  # architect: ignore[ARC5, T201]"
    assert suppressed("ARC502", [], line)
    assert suppressed("T201", [], line)
    assert not suppressed("ARC402", [], line)


def test_adr_ids_silence_every_finding_citing_them_in_any_spelling():
    line = "import requests  # Architect: ignore[adr-11] the adapter is allowed to"
    assert suppressed("ARC101", ["ADR-011"], line)
    assert not suppressed("ARC101", ["ADR-012"], line)
    assert not suppressed("ARC101", [], line)


def test_reason_is_kept_and_no_directive_means_not_suppressed():
    directive = parse_suppression("call()  # architect: ignore[ARC402] retried by the supervisor")
    assert directive is not None and directive.reason == "retried by the supervisor"
    assert directive.codes == ("ARC402",) and directive.adrs == ()
    assert not suppressed("ARC402", [], "call()  # noqa: ARC402")
    assert not suppressed("ARC402", [], "call()  # architect: ignored")


def test_add_suppression_appends_merges_and_preserves_line_endings():
    assert add_suppression("import requests\n", "ARC101") == "import requests  # architect: ignore[ARC101]\n"
    assert add_suppression("x = 1  # architect: ignore[ARC5] why\r\n", "ARC101") == (
        "x = 1  # architect: ignore[ARC5, ARC101] why\r\n"
    )
    assert add_suppression("x = 1  # architect: ignore[ARC101]", "ARC101") == "x = 1  # architect: ignore[ARC101]"
    assert add_suppression("x = 1  # architect: ignore", "ARC101") == "x = 1  # architect: ignore"
    merged = add_suppression("y()  # noqa: T201", "ARC402")
    assert merged == "y()  # noqa: T201  # architect: ignore[ARC402]"
    assert suppressed("ARC402", [], merged)


def test_file_directive_is_not_a_line_directive_and_is_found_anywhere():
    from python_architect.analysis.suppression import file_suppressions

    assert parse_suppression("# architect: ignore-file[ARC101]") is None  # not "ignore" + "-file"
    found = file_suppressions(["import os", "# architect: ignore-file[ARC1, ADR-7] legacy client", "x = 1"])
    assert [(d.codes, d.adrs, d.reason) for d in found] == [(("ARC1",), ("ADR-007",), "legacy client")]
    assert found[0].covers("ARC101") and not found[0].covers("S113")
    assert file_suppressions(["x = 1  # architect: ignore-file"]) == ()  # only on a line of its own


def test_add_file_suppression_keeps_shebang_and_coding_and_extends_an_existing_one():
    from python_architect.analysis.suppression import add_file_suppression

    assert add_file_suppression(["#!/usr/bin/env python", "# -*- coding: utf-8 -*-", "import x"], "S113") == (
        3, None, "# architect: ignore-file[S113]\n")
    assert add_file_suppression(["import x"], "S113") == (1, None, "# architect: ignore-file[S113]\n")
    old = "# architect: ignore-file[ARC101] legacy"
    assert add_file_suppression(["import x", old], "S113") == (2, old, "# architect: ignore-file[ARC101, S113] legacy")
    assert add_file_suppression([old], "ARC101") == (1, old, old)
