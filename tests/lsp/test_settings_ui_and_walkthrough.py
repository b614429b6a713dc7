"""Issue 23: the Settings UI and the walkthrough. Every enum value is described, ``enable`` comes
first and the rest in a deliberate order, and the walkthrough takes a new user from "no ADRs"
(``python-architect init``) to the first rule, its fix and a workspace check: its commands are
real, its pages exist and ship in the VSIX."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
PROPERTIES = PACKAGE["contributes"]["configuration"]["properties"]


def _enums(schema: dict, where: str):
    if "enum" in schema:
        yield where, schema
    for key in ("additionalProperties", "items"):
        if isinstance(schema.get(key), dict):
            yield from _enums(schema[key], f"{where}.{key}")


def test_every_enum_value_has_a_description():
    found = [item for key, schema in PROPERTIES.items() for item in _enums(schema, key)]
    assert {where for where, _ in found} >= {"pythonArchitect.importStrategy", "pythonArchitect.logLevel",
                                             "pythonArchitect.severityOverrides.additionalProperties"}
    for where, schema in found:
        descriptions = schema.get("enumDescriptions")
        assert descriptions and len(descriptions) == len(schema["enum"]), where
        assert all(isinstance(text, str) and text.strip() for text in descriptions), where


def test_enable_comes_first_and_every_non_chat_setting_has_its_place():
    ordered = sorted((schema["order"], key) for key, schema in PROPERTIES.items() if "order" in schema)
    assert ordered[0][1] == "pythonArchitect.enable"
    assert len({order for order, _ in ordered}) == len(ordered)  # no ties
    unordered = {key for key, schema in PROPERTIES.items() if "order" not in schema}
    assert all(key.startswith("pythonArchitect.chat.") for key in unordered), unordered


def test_walkthrough_goes_from_init_to_a_checked_workspace():
    [walkthrough] = PACKAGE["contributes"]["walkthroughs"]
    steps = walkthrough["steps"]
    assert [step["id"] for step in steps] == ["init", "adrs", "rule", "fix", "check"]
    assert "python-architect init" in steps[0]["description"]
    assert "source.fixAll.pythonArchitect" in (ROOT / steps[3]["media"]["markdown"]).read_text(encoding="utf-8")
    assert "use: httpx" in (ROOT / steps[2]["media"]["markdown"]).read_text(encoding="utf-8")
    ours = {entry["command"] for entry in PACKAGE["contributes"]["commands"]}
    shipped = [line[1:] for line in (ROOT / ".vscodeignore").read_text(encoding="utf-8").splitlines() if line.startswith("!")]
    for step in steps:
        page = step["media"]["markdown"]
        assert (ROOT / page).is_file(), page
        assert any(fnmatch.fnmatch(page, pattern.replace("**", "*")) for pattern in shipped), page
        for command in re.findall(r"\(command:([\w.]+)\)", step["description"]):
            assert command in ours or command.startswith("workbench."), command
        for event in step.get("completionEvents", ()):
            command = event.removeprefix("onCommand:")
            assert command in ours or command.startswith("workbench."), event
