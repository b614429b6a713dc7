"""What may leave the machine: secrets redacted, and nothing from outside the workspace.

Two detectors run over every piece of text sent to the model: ARC701's ``find_secrets`` (known
token prefixes, high-entropy values bound to secret names) and, more eagerly, ``.env``-style
assignments (``DB_PASSWORD=hunter2``, ``api_key = "short"``): a literal bound to a name that says
it is secret is removed even when it is short or low-entropy, because a false redaction costs
nothing and a leaked password costs a rotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.secrets import find_secrets, is_secret_name

MARKER = "[REDACTED {kind}]"

# ``NAME=value`` / ``NAME: value`` / ``name = "value"`` on one line; the value must be a plain
# literal (a call, subscript or expression is code, not a secret).
_ENV_ASSIGNMENT = re.compile(
    r"""^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)(?P<sep>[ \t]*(?:=|:)[ \t]*)"""
    r"""(?:(?P<quote>["'])(?P<quoted>[^"'\r\n]+)(?P=quote)|(?P<bare>[^\s"'#()\[\]{},;]+))[ \t]*(?:#.*)?$""",
    re.MULTILINE,
)
_CONFIG_SUFFIXES = (".env", ".ini", ".cfg", ".conf", ".yaml", ".yml", ".toml", ".properties", ".json")
_NOT_A_VALUE = re.compile(r"^(?:\$\{?[A-Za-z_]|<.*>$|none$|null$|true$|false$|\*+$)", re.IGNORECASE)


@dataclass
class Redactor:
    """Redacts text and counts the distinct secrets removed across one request."""

    removed: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.removed)

    def __call__(self, text: str, *, config: bool = False) -> str:
        return self.redact(text, config=config)

    def redact(self, text: str, *, config: bool = False) -> str:
        """``config``: the text is a configuration file, where a bare ``password: hunter2`` is a
        value; in code (the default) only ``NAME=value`` without spaces counts, because
        ``api_key = API_KEY`` there is a reference, not a secret."""
        spans = _secret_spans(text, config)
        if not spans:
            return text
        pieces: list[str] = []
        position = 0
        for start, end, kind in spans:
            if start < position:
                continue
            self.removed.add(text[start:end])
            pieces.append(text[position:start])
            pieces.append(MARKER.format(kind=kind))
            position = end
        pieces.append(text[position:])
        return "".join(pieces)


def is_config_file(path: Path | None) -> bool:
    """Files whose bare ``KEY: value`` lines are values (``.env``, YAML, INI, …)."""
    if path is None:
        return False
    return path.name.startswith(".env") or path.suffix.lower() in _CONFIG_SUFFIXES


def _secret_spans(text: str, config: bool) -> list[tuple[int, int, str]]:
    spans = [(hit.start, hit.end, hit.kind) for hit in find_secrets(text)]
    for match in _ENV_ASSIGNMENT.finditer(text):
        group = "quoted" if match.group("quoted") is not None else "bare"
        value = match.group(group)
        if not is_secret_name(match.group("name")) or _NOT_A_VALUE.match(value.strip()) or "[REDACTED" in value:
            continue
        if group == "bare" and not config and match.group("sep").strip() != match.group("sep"):
            continue
        start, end = match.span(group)
        if not any(start < s_end and s_start < end for s_start, s_end, _ in spans):
            spans.append((start, end, "secret assignment"))
    spans.sort()
    return spans


def inside_workspace(root: Path, path: Path) -> bool:
    """Whether ``path`` lies inside ``root`` once symlinks and ``..`` are resolved."""
    try:
        resolved = path.resolve()
        return resolved == root.resolve() or resolved.is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def footer(redacted: int) -> str:
    """The answer's privacy footer: how many secrets never left the machine."""
    if redacted <= 0:
        return ""
    noun = "secret" if redacted == 1 else "secrets"
    return f"🔒 {redacted} {noun} redacted from the code before it was sent."
