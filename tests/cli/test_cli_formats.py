"""The four output formats: text like ruff, JSON of an exact shape, SARIF valid against the
official 2.1.0 schema, and GitHub workflow commands, on the example and on hand-built findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from cli_support import EXAMPLE, SARIF_SCHEMA, run_cli
from python_architect.findings import Finding, Fix, Severity, Span, TextEdit
from python_architect.output import render
from python_architect.output.github import format_annotation

FINDING_KEYS = {"code", "message", "severity", "path", "line", "column", "end_line", "end_column", "adrs", "fix", "related", "rule", "chain",
                "data"}
TEXT_LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+[0-9]+) (?P<message>.+)$")


def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_the_schema_fixture_is_the_official_sarif_2_1_0_schema():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert len(schema["definitions"]) == 52
    # The validator really rejects a malformed log (so "valid" below means something).
    errors = list(_validator().iter_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}))
    assert any("'name' is a required property" in error.message for error in errors)


def test_json_has_exactly_the_documented_shape(example_json):
    assert set(example_json) == {"findings", "files", "adrs"}
    assert isinstance(example_json["files"], int) and isinstance(example_json["adrs"], int)
    for finding in example_json["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["severity"] in {"error", "warning", "info", "hint"}
        assert not finding["path"].startswith("/") and "\\" not in finding["path"]
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])
        assert all(re.fullmatch(r"ADR-\d{3,}", adr) for adr in finding["adrs"])
        if finding["fix"] is not None:
            assert set(finding["fix"]) == {"title", "safe", "edits"}
            for edit in finding["fix"]["edits"]:
                assert set(edit) == {"line", "column", "end_line", "end_column", "new_text"}
    assert any(f["fix"] is not None for f in example_json["findings"]), "S113/B006 carry fixes"


def test_text_format_is_one_ruff_like_line_per_finding_and_a_summary(example_json):
    result = run_cli("check", cwd=EXAMPLE)
    assert result.returncode == 1
    *lines, summary = result.stdout.rstrip("\n").split("\n")
    assert len(lines) == len(example_json["findings"])
    for line, finding in zip(lines, example_json["findings"], strict=True):
        match = TEXT_LINE.match(line)
        assert match, line
        assert (match["path"], int(match["line"]), int(match["col"]), match["code"]) == (
            finding["path"], finding["line"], finding["column"], finding["code"])
        if finding["adrs"]:
            assert line.endswith(f"[{', '.join(finding['adrs'])}]")
    errors = sum(f["severity"] == "error" for f in example_json["findings"])
    warnings = sum(f["severity"] == "warning" for f in example_json["findings"])
    assert summary.startswith(f"Found {len(lines)} problems ({errors} errors, {warnings} warnings")
    assert summary.endswith(f"in {example_json['files']} files; ADRs: 17")


def test_sarif_on_the_example_is_valid_and_complete(example_json):
    result = run_cli("check", "--format", "sarif", cwd=EXAMPLE)
    assert result.returncode == 1
    log = result.json()
    _validator().validate(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "python-architect" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == sorted({f["code"] for f in example_json["findings"]})
    arc502 = next(rule for rule in rules if rule["id"] == "ARC502")
    assert arc502["properties"]["tags"] == ["data-layer"]
    assert arc502["defaultConfiguration"]["level"] == "warning"
    assert "ADR-012" in arc502["help"]["text"] and "Instead:" in arc502["help"]["text"]
    assert "**ADR-012**: Data access through repositories" in arc502["help"]["markdown"]
    # No link to a site that may not exist: the full help travels in the log itself.
    assert "helpUri" not in arc502 and "**Instead:**" in arc502["help"]["markdown"]
    assert len(run["results"]) == len(example_json["findings"])
    fingerprints = set()
    for result_, finding in zip(run["results"], example_json["findings"], strict=True):
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"] == finding["code"]
        location = result_["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding["path"], "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] == finding["line"]
        assert location["region"]["endColumn"] == finding["end_column"]
        fingerprints.add(result_["partialFingerprints"]["pythonArchitect/v1"])
    assert len(fingerprints) == len(run["results"])
    level_of = {r["ruleId"]: r["level"] for r in run["results"]}
    assert level_of["ARC701"] == "error" and level_of["T201"] == "note"
    # The import cycle is one result carrying every import line of the cycle (issue 8).
    (cycle,) = [r for r in run["results"] if r["ruleId"] == "ARC103"]
    assert sorted(r["physicalLocation"]["artifactLocation"]["uri"] for r in cycle["relatedLocations"]) == [
        "src/pricing_service/services/discount_service.py", "src/pricing_service/services/quote_service.py"]


def test_github_format_annotates_every_finding(example_json):
    result = run_cli("check", "--format", "github", cwd=EXAMPLE)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(example_json["findings"])
    pattern = re.compile(
        r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),"
        r"endLine=(\d+),endColumn=(\d+),title=([A-Z]+\d+)::(.+)$"
    )
    for line, finding in zip(lines, example_json["findings"], strict=True):
        match = pattern.match(line)
        assert match, line
        command = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}[finding["severity"]]
        assert match.groups()[:7] == (command, finding["path"], str(finding["line"]), str(finding["column"]),
                                      str(finding["end_line"]), str(finding["end_column"]), finding["code"])


def _finding(code: str, message: str, severity: Severity, path: Path, **extra) -> Finding:
    return Finding(code=code, message=message, severity=severity, path=path, span=Span(3, 5, 3, 12), **extra)


def test_formats_render_hand_built_findings_including_unknown_codes(tmp_path):
    (tmp_path / "pkg dir").mkdir()
    source = tmp_path / "pkg dir" / "mod.py"
    source.write_text("a = 1\nb = 2\nvalue = compute(1, 2)\n", encoding="utf-8")
    fix = Fix("Replace it", (TextEdit(Span(3, 5, 3, 12), "x"),), safe=False)
    findings = [
        _finding("ARC402", "Retry loop, no backoff", Severity.WARNING, source, adrs=("ADR-013",), fix=fix),
        _finding("PLR0913", "Too many arguments: 9 > 5\nsplit the call", Severity.HINT, source),
    ]
    text = render("text", findings, root=tmp_path, files=1, adrs=1)
    assert text.splitlines() == [
        "pkg dir/mod.py:3:5: ARC402 Retry loop, no backoff [ADR-013]",
        "pkg dir/mod.py:3:5: PLR0913 Too many arguments: 9 > 5 split the call",
        "Found 2 problems (0 errors, 1 warning, 1 hint) in 1 file; ADRs: 1",
    ]
    document = json.loads(render("json", findings, root=tmp_path, files=1, adrs=1))
    assert document["findings"][0]["fix"] == {
        "title": "Replace it", "safe": False,
        "edits": [{"line": 3, "column": 5, "end_line": 3, "end_column": 12, "new_text": "x"}],
    }
    assert document["findings"][1]["path"] == "pkg dir/mod.py"
    log = json.loads(render("sarif", findings, root=tmp_path, files=1, adrs=1))
    _validator().validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["ARC402", "PLR0913"]
    assert rules[1]["defaultConfiguration"]["level"] == "warning" and "helpUri" not in rules[1]
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "pkg%20dir/mod.py"
    assert log["runs"][0]["results"][1]["level"] == "note"


def test_github_escapes_data_and_properties(tmp_path):
    odd = tmp_path / "a,b:c%.py"
    finding = _finding("ARC701", "50% done\r\nnext, line: here", Severity.INFO, odd)
    assert format_annotation(finding, tmp_path) == (
        "::notice file=a%2Cb%3Ac%25.py,line=3,col=5,endLine=3,endColumn=12,title=ARC701"
        "::50%25 done%0D%0Anext, line: here"
    )


def test_clean_run_renders_in_every_format(workspace):
    root = workspace({"src/app/__init__.py": '"""An app."""\n'})
    for output_format in ("text", "json", "sarif", "github"):
        result = run_cli("check", "--format", output_format, cwd=root)
        assert result.returncode == 0, (output_format, result.stdout, result.stderr)
        if output_format == "text":
            assert result.stdout == "All checks passed: 2 files checked; ADRs: 0\n"
        elif output_format == "json":
            assert result.json() == {"findings": [], "files": 2, "adrs": 0}
        elif output_format == "sarif":
            _validator().validate(result.json())
            assert result.json()["runs"][0]["results"] == []
        else:
            assert result.stdout == ""


def test_unknown_format_is_a_usage_error(cli):
    result = cli("check", "--format", "xml", cwd=EXAMPLE)
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_output_file_receives_the_report(cli, tmp_path, output_format):
    target = tmp_path / "reports" / f"out.{output_format}"
    result = cli("check", "--format", output_format, "--output", target, cwd=EXAMPLE)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))
