"""The fast diagnostic serialiser writes exactly what pygls' stock cattrs converter writes."""

from __future__ import annotations

from lsprotocol import types
from pygls.protocol import default_converter

from python_architect.lsp.wire import _fast, converter_factory


def _diagnostic(**extra) -> types.Diagnostic:
    start, end = types.Position(line=3, character=4), types.Position(line=3, character=19)
    adr_range = types.Range(start=types.Position(line=12, character=0), end=types.Position(line=12, character=11))
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        message="`requests.get` without timeout — « naïve » [ADR-013]",
        severity=types.DiagnosticSeverity.Warning,
        code="S113",
        code_description=types.CodeDescription(href="file:///ws/.ai/adrs/0013-timeouts.md"),
        source="python-architect",
        related_information=[
            types.DiagnosticRelatedInformation(
                location=types.Location(uri="file:///ws/.ai/adrs/0013-timeouts.md", range=adr_range),
                message="ADR-013 Timeouts everywhere (accepted): Decision",
            )
        ],
        data={"fix": {"title": "Add `timeout=10`", "edits": [[4, 20, 4, 20, ", timeout=10"]]}, "adrs": ["ADR-013"],
              "n": 1, "ok": True, "none": None, "ratio": 0.5},
        **extra,
    )


def test_fast_path_is_byte_for_byte_the_stock_converter() -> None:
    fast, stock = converter_factory(), default_converter()
    cases = [
        _diagnostic(),
        _diagnostic(tags=[types.DiagnosticTag.Unnecessary]),
        types.Diagnostic(range=_diagnostic().range, message="bare"),
        types.Diagnostic(range=_diagnostic().range, message="int code", code=7, data=[1, "two", {"3": None}]),
    ]
    assert _fast(cases[0]) is not None  # the shape the server makes takes the fast path
    for diagnostic in cases:
        assert fast.unstructure(diagnostic) == stock.unstructure(diagnostic)
    report = types.PublishDiagnosticsParams(uri="file:///ws/a.py", diagnostics=cases, version=3)
    assert fast.unstructure(report) == stock.unstructure(report)
