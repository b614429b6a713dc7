"""package.json's contributed settings and the server's EditorSettings describe the same thing."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from python_architect.settings import CLIENT_KEYS, EditorSettings

PACKAGE_JSON = Path(__file__).resolve().parents[2] / "package.json"
CLIENT_ONLY = {
    # Read by the VS Code client itself (client/src/settings.ts strips them before the server).
    "pythonArchitect.interpreter",
    "pythonArchitect.importStrategy",
    "pythonArchitect.showNotifications",
    "pythonArchitect.trace.server",
}


def _contributed() -> dict:
    return json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["contributes"]["configuration"]["properties"]


def test_every_setting_is_contributed_with_the_same_default() -> None:
    contributed = _contributed()
    defaults = EditorSettings()
    for field in fields(EditorSettings):
        key = "pythonArchitect." + CLIENT_KEYS[field.name]
        assert key in contributed, f"{key} missing from package.json"
        assert contributed[key]["default"] == getattr(defaults, field.name), key


def test_package_json_contributes_no_setting_the_server_does_not_know() -> None:
    known = {"pythonArchitect." + key for key in CLIENT_KEYS.values()}
    assert set(_contributed()) - CLIENT_ONLY == known
    assert CLIENT_ONLY <= set(_contributed())
    assert set(CLIENT_KEYS) == {field.name for field in fields(EditorSettings)}


def test_client_shaped_settings_round_trip_into_editor_settings() -> None:
    raw = {
        "pythonArchitect": {
            "enable": False,
            "debounceMs": 40,
            "severityOverrides": {"arc502": "Error", "T201": "loud"},
            "chat": {"timeoutSeconds": 12, "model": "m"},
            "logLevel": "debug",
            "bogus": 1,
        }
    }
    settings, problems = EditorSettings.from_client(raw)
    assert settings.enable is False
    assert settings.debounce_ms == 40
    assert settings.severity_overrides == {"ARC502": "error"}
    assert settings.chat_timeout_s == 12.0
    assert settings.chat_model == "m"
    assert settings.log_level == "debug"
    assert any("T201" in problem for problem in problems)
    assert any("bogus" in problem for problem in problems)


def test_bad_setting_values_are_reported_and_defaulted() -> None:
    settings, problems = EditorSettings.from_client({"debounceMs": "soon", "logLevel": "chatty"})
    assert settings.debounce_ms == EditorSettings().debounce_ms
    assert settings.log_level == "info"
    assert len(problems) == 2


def test_package_json_declares_the_extension_entry_points() -> None:
    package = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    assert package["engines"]["vscode"] == "^1.91.0"
    assert package["main"] == "./client/out/extension.js"
    assert set(package["activationEvents"]) == {
        "onLanguage:python",
        "workspaceContains:.ai/adrs",
        # a Python project starts the server with the window, as ruff's extension does, so the
        # first file opened there is not also waiting for the server (issue 22's fresh window)
        "workspaceContains:pyproject.toml",
        "workspaceContains:*.py",
        "onWebviewPanel:pythonArchitect.chat",
        "onWebviewPanel:pythonArchitect.graph",
        "onView:pythonArchitect.chatView",  # the chat in the secondary side bar
    }
    commands = {entry["command"] for entry in package["contributes"]["commands"]}
    assert commands == {
        "pythonArchitect.openChat",
        "pythonArchitect.openChatInEditor",
        "pythonArchitect.acceptChange",  # Apply's diff: write the proposal
        "pythonArchitect.discardChange",  # Apply's diff: close it, write nothing
        "pythonArchitect.askAboutFinding",
        "pythonArchitect.fixWithArchitect",
        "pythonArchitect.recordDecision",
        "pythonArchitect.openAdr",
        "pythonArchitect.restartServer",
        "pythonArchitect.askAboutSelection",
        "pythonArchitect.explainFile",
        "pythonArchitect.showAdrs",
        "pythonArchitect.checkWorkspace",
        "pythonArchitect.showGraph",
        "pythonArchitect.showLogs",
        "pythonArchitect.setApiKey",
        "pythonArchitect.clearApiKey",
    }
