"""Recognising hard-coded credentials in text: the ARC701 detector and the chat's redactor.

Three signals: a literal that starts like a real token (``sk_live_``, ``AKIA…``, ``ghp_``,
``xoxb-``, ``sk-ant-``, a PEM private key block, …); a credential recognised by its shape (a JSON
Web Token, ``Bearer <token>``, a database URL with a literal password); or a long, high-entropy
value bound to a name that says it is secret (``API_KEY``, ``authToken``; for password names a
shorter value mixing character classes, ``DB_PASSWORD = "Tr0ub4dor&3-prod"``). Field names
(``PASSWORD_FIELD = "password"``), placeholders (``changeme``, ``<your-key>``, ``${VAR}``),
regular expressions, markup (test payloads) and environment lookups are not secrets.

``find_secrets(text)`` scans any text (Python, ``.env``, YAML, JSON); ``redact(text)`` replaces
what it finds. A ``SecretHit`` carries the matched text so a caller can redact it, but its repr
never shows it: never log or echo it.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..findings import Span

# (kind, pattern) — the kinds are what findings and redaction markers say.
_TOKEN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("Stripe live secret key", r"\b[sr]k_live_[0-9A-Za-z]{16,}"),
    ("AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,}"),
    ("GitHub fine-grained token", r"\bgithub_pat_[A-Za-z0-9_]{22,}"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("Anthropic API key", r"\bsk-ant-[A-Za-z0-9_-]{20,}"),
    ("OpenAI API key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{40,}"),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}"),
    ("JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),
    ("bearer token", r"\b[Bb]earer[ \t]+[A-Za-z0-9._~+/-]{20,}=*"),
    (
        "database URL with a password",
        r"\b(?:postgres(?:ql)?|mysql|mariadb|mssql|sqlserver|oracle|mongodb(?:\+srv)?|rediss?|amqps?|"
        r"cockroachdb|clickhouse|snowflake)(?:\+[a-z0-9_]+)?://[^\s:/@'\"]{1,128}:[^\s@/'\"]{1,128}@[^\s'\"]{1,256}",
    ),
    (
        "private key",
        # The header alone is documentation; a real key has a base64 body after it.
        (
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]{0,200}?[A-Za-z0-9+/=]{40,}"
            r"(?:[\s\S]{0,8192}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)?"
        ),
    ),
)
# A cheap literal pre-filter: most strings contain none of these, and skip the full pattern.
_TOKEN_HINT = re.compile(r"_live_|AKIA|ASIA|gh[pousr]_|github_pat_|xox|sk-|AIza|PRIVATE KEY|eyJ|[Bb]earer|://")
STRUCTURAL_KINDS = frozenset({"JSON Web Token", "bearer token", "database URL with a password"})
"""Kinds recognised by shape rather than by a vendor prefix: documentation and test code show
them with made-up values, so ARC701 reports them only in application code and outside prose."""
_SHORTEST_TOKEN = 15
KNOWN_TOKEN = re.compile("|".join(f"(?P<t{i}>{p})" for i, (_, p) in enumerate(_TOKEN_PATTERNS)))

# Name segments that say "this holds a credential" on their own ...
_SECRET_WORDS = frozenset(
    {"secret", "secrets", "token", "tokens", "password", "passwd", "passphrase", "pwd", "credential",
     "credentials", "apikey", "api_key"}
)
# ... and the qualifiers that make a plain ``key`` one (``cache_key`` and ``sort_key`` are not).
_KEY_QUALIFIERS = frozenset(
    {"api", "access", "private", "secret", "auth", "signing", "encryption", "master", "client", "app",
     "license", "service", "account", "admin", "webhook", "hmac"}
)
# Names that talk *about* a secret rather than hold one: ``PASSWORD_FIELD``, ``TOKEN_URL``.
_NOT_A_SECRET_NAME = re.compile(
    r"(?:_|^)(?:field|fields|name|names|header|url|uri|path|file|env|var|prefix|suffix|length|len|"
    r"type|kind|label|column|param|key_?id|id|pattern|regex|format|min|max|count|ttl|expiry|"
    r"expires|endpoint|hint|placeholder|message|msg|error)$",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"change_?me|your[-_ ]|example|placeholder|dummy|redacted|replace|xxxx|\*\*\*|\.\.\.|"
    r"^<.*>$|\$\{|\{\{|%\(|^\$[A-Z_]+$|^env:|todo|fixme",
    re.IGNORECASE,
)
# Bounded repetitions and a look-behind keep this linear on pathological input (one 5 MB line).
_ASSIGNMENT = re.compile(
    r"""(?<![A-Za-z0-9_.\-])(?P<name>["']?[A-Za-z_][A-Za-z0-9_.\-]{0,80}["']?)[ \t]{0,8}(?::=|=|:)[ \t]{0,8}"""
    r"""(?:(?P<quote>["'])(?P<quoted>[^"'\r\n]{1,512})(?P=quote)|(?P<bare>[^\s"'#,;]{1,512}))"""
)
# Lines worth running the patterns on: they hold a token prefix or a secret-ish word.
_TOKEN_WORDS = ("_live_", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "sk-", "AIza",
                "eyJ", "earer", "://")
_NAME_WORDS = ("key", "secret", "token", "passw", "pwd", "credential")
_PRIVATE_KEY_REACH = 8300
# ``"{host}:{port}"`` style templates are formats, not secrets.
_TEMPLATE_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}|%\([A-Za-z_]+\)[sd]")
MIN_SECRET_LENGTH = 16
MIN_HEX_SECRET_LENGTH = 32
_HEX = re.compile(r"[0-9a-fA-F]+")
_FILE_NAME = re.compile(r"\.(?:pem|key|crt|cer|der|p12|pfx|json|ya?ml|txt|env|ini|cfg|conf|toml)$", re.IGNORECASE)
_PIECES = re.compile(r"[._\-:/]+|(?<=[a-z0-9])(?=[A-Z])")
_WORDLIKE = re.compile(r"[A-Za-z][a-z]+\d{0,2}|[A-Z]{1,4}\d{0,2}|[a-z]{1,3}\d{0,2}|\d{1,4}")
MIN_ENTROPY = 3.5
# Regular expressions and markup are what test payloads and parsers hold, not credentials
# (``qtoken = '(?:"[^"]+"|...)'``, ``"key<script>alert(1)</script>"``).
_REGEX_OR_MARKUP = re.compile(r"\(\?[:=!<P]|\[\^|\][+*?{]|\\[dswbDSWB]|</?[A-Za-z][A-Za-z0-9]*[\s>/]|&[a-z]+;")
_PASSWORD_WORDS = ("password", "passwd", "passphrase", "pwd")
MIN_PASSWORD_LENGTH = 8
# A password inside a URL that only stands for one: a template field, a variable, masking.
_PASSWORD_STAND_IN = re.compile(r"[{}$%<>*]|^(?:x+|\.+|-+)$|^:", re.IGNORECASE)


@dataclass(frozen=True)
class SecretHit:
    """A secret found in text: where (span and 0-based offsets), what kind, and the matched value.

    ``value`` is kept out of ``repr`` so a hit printed by accident does not leak the secret.
    """

    span: Span
    kind: str
    start: int
    end: int
    value: str = field(repr=False)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value`` (random base64 is near 6, English words near 3)."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def known_token_kind(value: str) -> str | None:
    """The kind of the first known token inside ``value``, unless it is an obvious placeholder."""
    if len(value) < _SHORTEST_TOKEN or not _TOKEN_HINT.search(value):
        return None
    for match in KNOWN_TOKEN.finditer(value):
        kind = _kind_of(match)
        if kind == "private key" or (not _PLACEHOLDER.search(match.group(0)) and _plausible(kind, match.group(0))):
            return kind
    return None


def _plausible(kind: str, text: str) -> bool:
    """Shape-only kinds need a value that is really there: a random bearer token, a literal
    password in a URL (not ``{password}``, ``$PASS``, ``****``)."""
    if kind == "bearer token":
        token = text.split(None, 1)[-1]
        return shannon_entropy(token) >= MIN_ENTROPY and sum(
            (any(c.islower() for c in token), any(c.isupper() for c in token), any(c.isdigit() for c in token))
        ) >= 2
    if kind == "database URL with a password":
        password = text.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
        return bool(password) and not _PASSWORD_STAND_IN.search(password)
    return True


def is_password_name(name: str) -> bool:
    """A secret name that holds a password, which people choose (so lower entropy is still real)."""
    lowered = name.lower()
    return is_secret_name(name) and any(word in lowered for word in _PASSWORD_WORDS)


@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """Whether a variable, key or keyword name says it holds a credential."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip("\"' ")).replace("-", "_").lower()
    snake = snake.removeprefix("export ").rsplit(".", 1)[-1]
    if _NOT_A_SECRET_NAME.search(snake):
        return False
    parts = [part for part in snake.split("_") if part]
    if snake == "key" or any(part in _SECRET_WORDS or part.endswith(("password", "token", "secret")) for part in parts):
        return True
    return any(
        part == "key" and index > 0 and parts[index - 1] in _KEY_QUALIFIERS for index, part in enumerate(parts)
    ) or any(part.endswith("key") and part[:-3] in _KEY_QUALIFIERS for part in parts)


def looks_like_secret_value(value: str, *, password: bool = False) -> bool:
    """A long, random-looking literal: no spaces, two character classes, high entropy, no placeholder.

    ``password``: the name says it holds a password; people choose those, so a shorter value
    mixing three character classes (``Tr0ub4dor&3-prod``) counts too.
    """
    if len(value) < (MIN_PASSWORD_LENGTH if password else MIN_SECRET_LENGTH) or any(ch.isspace() for ch in value):
        return False
    if _PLACEHOLDER.search(value) or "://" in value or "\\" in value or value.startswith(("/", "./")):
        return False
    if _REGEX_OR_MARKUP.search(value):
        return False
    if _TEMPLATE_FIELD.search(value):
        return False
    if _FILE_NAME.search(value):
        return False
    if _HEX.fullmatch(value) and len(value) < MIN_HEX_SECRET_LENGTH:
        return False  # a short hex string is far more often a hash or an id than a key
    if all(_WORDLIKE.fullmatch(piece) for piece in _PIECES.split(value) if piece):
        return False  # ``retryCount``, ``fs.s3.enableServerSideEncryption``: identifiers, not secrets
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    )
    if password and classes + any(not c.isalnum() for c in value) >= 4 - (len(value) >= MIN_SECRET_LENGTH):
        return True
    return classes >= 2 and shannon_entropy(value) >= MIN_ENTROPY


def _kind_of(match: re.Match[str]) -> str:
    return _TOKEN_PATTERNS[int(match.lastgroup[1:])][0] if match.lastgroup else "token"


class _Offsets:
    """Maps 0-based character offsets in a text to 1-based line/column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column)


def find_secrets(text: str) -> list[SecretHit]:
    """Every known token and every secret-looking value bound to a secret name, in text order."""
    offsets = _Offsets(text)
    hits: list[SecretHit] = []
    taken: list[tuple[int, int]] = []
    token_matches = [
        *_hinted(KNOWN_TOKEN, text, text, _TOKEN_WORDS, offsets.starts),
        *_hinted(KNOWN_TOKEN, text, text, ("PRIVATE KEY",), offsets.starts, reach=_PRIVATE_KEY_REACH),
    ]
    for match in sorted(token_matches, key=lambda m: m.start()):
        if any(match.start() < t_end and t_start < match.end() for t_start, t_end in taken):
            continue
        kind = _kind_of(match)
        if kind != "private key" and (_PLACEHOLDER.search(match.group(0)) or not _plausible(kind, match.group(0))):
            continue
        start, end = match.span()
        taken.append((start, end))
        hits.append(SecretHit(offsets.span(start, end), kind, start, end, match.group(0)))
    for match in _hinted(_ASSIGNMENT, text, text.lower(), _NAME_WORDS, offsets.starts):
        group = "quoted" if match.group("quoted") is not None else "bare"
        value = match.group(group)
        start, end = match.span(group)
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        name = match.group("name")
        if is_secret_name(name) and looks_like_secret_value(value, password=is_password_name(name)):
            hits.append(SecretHit(offsets.span(start, end), "secret assigned to a secret name", start, end, value))
    hits.sort(key=lambda hit: hit.start)
    return hits


def _hinted(
    pattern: re.Pattern[str], text: str, haystack: str, words: tuple[str, ...], starts: list[int], reach: int = 0
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` on just the lines where one of ``words`` occurs in ``haystack``.

    ``str.find`` skims a multi-megabyte text far faster than a regex alternation tried at every
    offset; ``reach`` extends a range past its line (a private key block spans lines).
    """
    ranges: dict[int, int] = {}
    for word in words:
        position = haystack.find(word)
        while position >= 0:
            line = bisect_right(starts, position)
            start = starts[line - 1]
            end = starts[line] if line < len(starts) else len(text)
            ranges[start] = max(ranges.get(start, 0), min(len(text), max(end, position + reach)))
            position = haystack.find(word, max(end, position + 1))
    scanned_until = 0
    for start, end in sorted(ranges.items()):
        start = max(start, scanned_until)
        if start < end:
            yield from pattern.finditer(text, start, end)
            scanned_until = end


def redact(text: str, marker: str = "[REDACTED {kind}]") -> str:
    """``text`` with every secret replaced by ``marker`` (which may use ``{kind}``)."""
    pieces: list[str] = []
    position = 0
    for hit in find_secrets(text):
        if hit.start < position:
            continue
        pieces.append(text[position:hit.start])
        pieces.append(marker.format(kind=hit.kind))
        position = hit.end
    pieces.append(text[position:])
    return "".join(pieces)
