"""What may leave the machine: secrets redacted, and nothing from outside the workspace.

Two layers run over every piece of text sent to the model. The first is ARC701's scanner
(``analysis.secrets.find_secrets``: the shape table in ``analysis.secret_shapes`` — vendor
tokens, webhooks, private keys, URLs with a password, split tokens, AWS key pairs — and
high-entropy values bound to secret names). The second is eager: a literal bound to a name that
says it is secret is removed even when it is short or low-entropy (``DB_PASS=hunter2``,
``password: Hunter2 Prod x``), because a false redaction costs little and a leaked password
costs a rotation. Both layers share the table's idea of what is *not* a credential (a
placeholder, the name itself, base64 of plain JSON, ``auth: bearer``), so those stay readable.

How eager depends on what the text is (``Redactor.redact``): code (only literals, and
``NAME=value`` lines), a configuration file (``key: rest of the line``), or the user's question
(also ``KEY=value`` / ``password: x`` inside a sentence, outside fenced code). A password in a
URL becomes ``***`` so the URL stays readable; a ``key = value`` keeps its key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.secret_names import is_bare_pass
from ..analysis.secret_shapes import (
    looks_like_secret_value,
    names_a_scheme,
    not_a_credential,
)
from ..analysis.secrets import Claims, find_secrets, is_secret_name, is_weak_secret_name

MARKER = "[REDACTED {kind}]"
_ASSIGNMENT_KIND = "secret assignment"

# A literal bound to a name, anywhere (code, JSON, a dict, a keyword argument, a question): a
# literal is a value — when it is the whole value (``key = "%s.%s" % x`` builds a name).
_QUOTED_PAIR = re.compile(
    r"""(?<![\w.\-])(?P<qn>["']?)(?P<name>[A-Za-z_][\w.\-]{0,80})(?P=qn)[ \t]{0,8}(?::=|=>|=|:)[ \t]{0,8}"""
    r"""(?P<q>["'])(?P<value>[^"'\r\n]{1,512})(?P=q)(?=[ \t]*(?:[,)}\];#\r\n]|\Z))"""
)
# ``NAME=value`` / ``name: value`` as a whole line; also after a listing's ``path:line:`` or a
# line number, so search results and numbered file views are covered. The value is cut in code.
_LINE_PAIR = re.compile(
    r"""^(?P<lead>[ \t]{0,64}(?P<listing>[^\s:]{1,256}:\d{1,9}:[ \t]?)?(?:\d{1,9}[ \t]*[:|][ \t]?)?"""
    r"""(?:export[ \t]+)?)(?P<qn>["']?)(?P<name>[A-Za-z_][\w.\-]{0,80})(?P=qn)"""
    r"""(?P<sep>[ \t]{0,8}(?::=|=|:)[ \t]{0,8})(?P<value>[^\r\n]{0,512})""",
    re.MULTILINE,
)
# In a question: ``DB_PASS=hunter2`` or ``password: x`` inside a sentence, and "my password is x".
_PROSE_PAIR = re.compile(r"(?<![\w.\-/])(?P<name>[A-Za-z_][\w.\-]{0,80})(?P<sep>[ \t]?[=:][ \t]?)(?P<value>[^\s\"'`]{1,256})")
_PROSE_QUOTED = re.compile(
    r"(?<![\w.\-/])(?P<name>[A-Za-z_][\w.\-]{0,80})[ \t]?[=:][ \t]?(?P<q>[\"'`])(?P<value>[^\"'`\r\n]{1,256})(?P=q)"
)
_PROSE_IS = re.compile(
    r"\b(?P<name>password|passphrase|passwd|pwd|pass|token|secret|api[ _-]?key|secret[ _-]key|access[ _-]key)"
    r"[ \t]+is[ \t]+[\"'`]?(?P<value>[^\s\"'`]{4,256})",
    re.IGNORECASE,
)
_SENTENCE_GOES_ON = re.compile(r"[ \t]+[A-Za-z]")
_TRAILING_PUNCTUATION = ".,;:!?)]}>"
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
_CONFIG_SUFFIXES = (".env", ".ini", ".cfg", ".conf", ".yaml", ".yml", ".toml", ".properties", ".json")
# Not a value: a variable, a placeholder, a constant, YAML structure (a block, a flow collection,
# an alias ``*default``, a tag ``!vault``).
_NOT_A_VALUE = re.compile(
    r"^(?:\$\{?[A-Za-z_]|<.*>$|none$|null$|nil$|true$|false$|yes$|no$|\*+$|~$|[|>][-+]?$|[\[{]|[*&!][\w-]*$)",
    re.IGNORECASE,
)
_USER_PASSWORD = re.compile(r"([^\s:@/]{1,64}):([^\s:@/]{4,128})")
_CODE_LIKE = re.compile(r"[()\[\]{},;]")


@dataclass
class Redactor:
    """Redacts text and counts the distinct secrets removed across one request."""

    removed: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.removed)

    def __call__(self, text: str, *, config: bool = False, question: bool = False) -> str:
        return self.redact(text, config=config, question=question)

    def redact(self, text: str, *, config: bool = False, question: bool = False) -> str:
        """``config``: the text is a configuration file, where ``password: Hunter2 Prod x`` is a
        value to the end of the line; in code (the default) only ``NAME=value`` without spaces
        counts, because ``api_key = API_KEY`` there is a reference, not a secret.
        ``question``: the text is what the user typed; ``KEY=value`` and ``password: x`` count
        inside a sentence too (fenced code in it is treated as code)."""
        spans = _secret_spans(text, config, question)
        if not spans:
            return text
        pieces: list[str] = []
        position = 0
        for start, end, replacement in spans:
            if start < position:
                continue
            self.removed.add(text[start:end])
            pieces.append(text[position:start])
            pieces.append(replacement)
            position = end
        pieces.append(text[position:])
        return "".join(pieces)


def is_config_file(path: Path | None) -> bool:
    """Files whose bare ``KEY: value`` lines are values (``.env``, YAML, INI, …)."""
    if path is None:
        return False
    return path.name.startswith(".env") or path.suffix.lower() in _CONFIG_SUFFIXES


def _secret_spans(text: str, config: bool, question: bool) -> list[tuple[int, int, str]]:
    spans = [(hit.start, hit.end, hit.mask or MARKER.format(kind=hit.kind)) for hit in find_secrets(text)]
    claims = Claims()
    for start, end, _ in spans:
        claims.claim(start, end)

    def claim(start: int, end: int) -> None:
        if claims.claim(start, end):
            spans.append((start, end, MARKER.format(kind=_ASSIGNMENT_KIND)))

    for match in _QUOTED_PAIR.finditer(text):
        if _eager_secret(match.group("name"), match.group("value")):
            claim(*match.span("value"))
    for match in _LINE_PAIR.finditer(text):
        listing = match.group("listing")
        as_config = config or (listing is not None and is_config_file(Path(listing.rsplit(":", 2)[0])))
        start, end = _line_value(match, as_config)
        if end > start and _eager_secret(match.group("name"), text[start:end], as_config):
            claim(start, end)
    if question:
        for low, high in _prose_regions(text):
            for start, end in _prose_values(text, low, high):
                claim(start, end)
    spans.sort()
    return spans


def _line_value(match: re.Match[str], config: bool) -> tuple[int, int]:
    """The value's offsets: to the end of the line (minus a `` #`` comment) in configuration,
    a single code-free token after ``=`` without spaces in code; (0, 0) when none."""
    start, _ = match.span("value")
    value = match.group("value")
    if value[:1] in "\"'":
        return 0, 0  # a quoted literal: ``_QUOTED_PAIR`` took it
    value = re.split(r"[ \t]#", value, maxsplit=1)[0].rstrip()
    if config:
        value = value.removesuffix(",")  # a JSON line: ``"multilineTokenSupport": false,``
    if not config and (match.group("sep") != "=" or any(c.isspace() for c in value) or _CODE_LIKE.search(value)):
        return 0, 0
    return start, start + len(value)


def _eager_secret(name: str, value: str, config: bool = False) -> bool:
    """A value bound to a secret name that is worth removing, however short. Weak names (``auth``,
    a bare ``key``; ``pass`` outside configuration) need a value that looks like a password."""
    value = value.strip()
    if not is_secret_name(name) or not value or _NOT_A_VALUE.match(value) or "[REDACTED" in value:
        return False
    if is_weak_secret_name(name) and not (config and is_bare_pass(name)):
        if names_a_scheme(value.split()[0]):
            return False  # ``auth: bearer``, ``AUTH=basic``
        user_password = _USER_PASSWORD.fullmatch(value)  # ``PROXY_AUTH=admin:Zx9-kLm2Qp``
        if user_password and not not_a_credential(user_password.group(2), name):
            return True
        return looks_like_secret_value(value, password=True, name=name)
    return not not_a_credential(value, name)


def _prose_regions(text: str) -> list[tuple[int, int]]:
    """The parts of a question outside fenced code blocks."""
    regions, position, inside = [], 0, False
    for fence in _FENCE.finditer(text):
        if not inside:
            regions.append((position, fence.start()))
        inside = not inside
        position = fence.end()
    if not inside:
        regions.append((position, len(text)))
    return regions


def _prose_values(text: str, low: int, high: int) -> list[tuple[int, int]]:
    """What the user typed: ``KEY=value``, ``password: x``, ``KEY="a b"``, "my password is x"."""
    found = []
    for match in _PROSE_PAIR.finditer(text, low, high):
        value = match.group("value").rstrip(_TRAILING_PUNCTUATION)
        start = match.start("value")
        sentence = match.group("sep").strip() == ":" and value.isalpha()
        if sentence and _SENTENCE_GOES_ON.match(text, match.end("value"), high):
            continue  # ``Token: what is the best place for it?`` is a sentence
        if _eager_secret(match.group("name"), value):
            found.append((start, start + len(value)))
    for match in _PROSE_QUOTED.finditer(text, low, high):  # ``DB_PASS="hunter2" on staging``
        if _eager_secret(match.group("name"), match.group("value")):
            found.append(match.span("value"))
    for match in _PROSE_IS.finditer(text, low, high):
        value = match.group("value").rstrip(_TRAILING_PUNCTUATION)
        start = match.start("value")
        chosen = any(c.isdigit() for c in value) or not value.isalnum() or any(c.isupper() for c in value[1:])
        if chosen and not not_a_credential(value, match.group("name")):
            found.append((start, start + len(value)))
    return found


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
