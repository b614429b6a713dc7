"""Editor settings: what the VS Code client (or any LSP client) sends in ``initializationOptions``
and ``workspace/didChangeConfiguration``, typed in one place.

Defaults here match the ``contributes.configuration`` defaults in ``package.json`` (a test checks
that). The client sends camelCase keys under ``pythonArchitect``; ``EditorSettings.from_client``
accepts that shape and ignores (but records) unknown keys. Pure data: no pygls here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class EditorSettings:
    """Per-workspace-folder settings of the language server and the chat."""

    enable: bool = True
    """Turn diagnostics, hover and code actions on or off."""

    severity_overrides: dict[str, str] = field(default_factory=dict)
    """Per-code severity: ``{"ARC502": "error", "T201": "hint"}``; ``"off"`` hides the code."""

    hints: str = "editedLine"
    """Where hints of judgment checks the team has not adopted show: ``off``, ``editedLine`` (only
    on the lines of the latest edit) or ``all`` (everywhere). See ``lsp/hints.py``."""

    debounce_ms: int = 150
    """Delay after the last keystroke before a document is re-analysed."""

    ruff: bool = True
    """Run the curated ruff families in the editor (the project's pyproject can also turn it off)."""

    knowledge_dir: str = ""
    """Override of the project's ``knowledge-dir`` (empty: the project's setting, default ``.ai``)."""

    agents_dir: str = ""
    """Override of the project's ``agents-dir`` (empty: the project's, default ``.claude/agents``)."""

    log_level: str = "info"
    """Server log level: ``error``, ``warning``, ``info`` or ``debug`` (prompts only at debug)."""

    chat_model: str = "claude-sonnet-5-5"
    """Claude model for the architect chat (an agent file's ``model`` wins when it names one)."""

    chat_agent: str = ""
    """Agent name from ``.claude/agents`` to use as persona (empty: the first architect agent)."""

    chat_max_context_tokens: int = 24000
    """Token budget for the ADRs, documents, code and findings sent with a question."""

    chat_timeout_s: float = 60.0
    """Request timeout for the Anthropic API, in seconds."""

    chat_offline: bool = False
    """Never call the API; answer from the knowledge base alone."""

    chat_max_tool_calls: int = 12
    """Tool calls (reading files, searching, checking) the architect may make for one answer;
    when spent it answers with what it has and says so."""

    chat_max_answer_tokens: int = 200000
    """Tokens (input and output, summed over the agent's requests) one answer may use; when
    spent the architect answers without further tool calls and says so."""

    @classmethod
    def from_client(cls, raw: Any) -> tuple[EditorSettings, list[str]]:
        """Builds settings from the client's JSON (camelCase or snake_case keys, optionally
        nested under ``pythonArchitect``). Returns the settings and a list of problems."""
        problems: list[str] = []
        if isinstance(raw, dict) and isinstance(raw.get("pythonArchitect"), dict):
            raw = raw["pythonArchitect"]
        if raw is None:
            return cls(), problems
        if not isinstance(raw, dict):
            return cls(), [f"settings must be an object, got {type(raw).__name__}"]
        known = {f.name for f in fields(cls)}
        aliases = {client: name for name, client in CLIENT_KEYS.items()}
        defaults = cls()
        values: dict[str, Any] = {}
        for key, value in _flatten(raw).items():
            name = aliases.get(key) or _snake(key)
            if name not in known:
                problems.append(f"unknown setting {key!r}")
                continue
            expected = type(getattr(defaults, name))
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                problems.append(f"setting {key!r} must be {expected.__name__}, got {value!r}")
                continue
            if name == "severity_overrides":
                value, bad = _severity_overrides(value)
                problems.extend(bad)
            elif name == "log_level" and value.lower() not in LOG_LEVELS:
                problems.append(f"setting {key!r} must be one of {', '.join(LOG_LEVELS)}, got {value!r}")
                continue
            elif name == "hints" and value not in HINT_MODES:
                problems.append(f"setting {key!r} must be one of {', '.join(HINT_MODES)}, got {value!r}")
                continue
            values[name] = value
        return cls(**values), problems


LOG_LEVELS = ("error", "warning", "info", "debug")
HINT_MODES = ("off", "editedLine", "all")
SEVERITY_VALUES = ("error", "warning", "info", "hint", "off")

CLIENT_KEYS: dict[str, str] = {
    "enable": "enable",
    "severity_overrides": "severityOverrides",
    "hints": "hints",
    "debounce_ms": "debounceMs",
    "ruff": "ruff",
    "knowledge_dir": "knowledgeDir",
    "agents_dir": "agentsDir",
    "log_level": "logLevel",
    "chat_model": "chat.model",
    "chat_agent": "chat.agent",
    "chat_max_context_tokens": "chat.maxContextTokens",
    "chat_timeout_s": "chat.timeoutSeconds",
    "chat_offline": "chat.offline",
    "chat_max_tool_calls": "chat.maxToolCalls",
    "chat_max_answer_tokens": "chat.maxAnswerTokens",
}
"""Each field's key under ``pythonArchitect`` in the client's settings (``package.json``)."""


def _severity_overrides(value: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    kept: dict[str, str] = {}
    problems: list[str] = []
    for code, severity in value.items():
        if isinstance(severity, str) and severity.strip().lower() in SEVERITY_VALUES:
            kept[str(code).strip().upper()] = severity.strip().lower()
        else:
            problems.append(
                f"severity override for {code!r} must be one of {', '.join(SEVERITY_VALUES)}, got {severity!r}"
            )
    return kept, problems


def _snake(key: str) -> str:
    out = []
    for char in key:
        if char.isupper():
            out.append("_" + char.lower())
        else:
            out.append(char)
    return "".join(out).replace(".", "_").lstrip("_")


def _flatten(raw: dict[str, Any]) -> dict[str, Any]:
    """``{"chat": {"model": "x"}}`` -> ``{"chat.model": "x"}`` (VS Code sends dotted settings
    nested); a dict value of a known dict-typed setting is kept whole."""
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, dict) and key not in ("severityOverrides", "severity_overrides"):
            for sub, subvalue in _flatten(value).items():
                flat[f"{key}.{sub}"] = subvalue
        else:
            flat[key] = value
    return flat
