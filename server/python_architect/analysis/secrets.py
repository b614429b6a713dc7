"""Finding hard-coded credentials in text: the scanner behind ARC701 and the chat's redactor.

What a credential looks like is ``secret_shapes``' table; this module finds those shapes in any
text (Python, ``.env``, YAML, JSON, prose): a known token (``sk_live_…``, ``AKIA…``, a Slack
webhook, a private key block, a URL with a literal password); a token split into concatenated
literals (``"sk_live_" + "…"``); a 40-character AWS secret access key near an access key id (a
tuple, a call, the next line); a secret-looking value bound to a secret name (``API_KEY``,
``authToken``; for password names a shorter value mixing character classes).

``find_secrets(text)`` returns the hits; ``redact(text)`` replaces them. A ``SecretHit`` carries
the matched text so a caller can redact it, but its repr never shows it: never log or echo it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..findings import Span
from .secret_names import NAME_WORDS, is_password_name, is_secret_name, is_weak_secret_name
from .secret_shapes import (
    AWS_SECRET_KEY,
    AWS_SECRET_SHAPE,
    KNOWN_TOKEN,
    LESS_CERTAIN_KINDS,
    SHAPE_HINTS,
    STRUCTURAL_KINDS,
    URL_KINDS,
    is_aws_secret_key,
    kind_of,
    known_token_kind,
    looks_like_secret_value,
    plausible,
    shannon_entropy,
    url_password,
    url_passwords,
)

__all__ = [
    "LESS_CERTAIN_KINDS",
    "STRUCTURAL_KINDS",
    "Claims",
    "SecretHit",
    "chosen_url_password",
    "find_secrets",
    "find_split_secrets",
    "is_password_name",
    "is_secret_name",
    "is_weak_secret_name",
    "known_token_kind",
    "looks_like_secret_value",
    "names_documentation",
    "redact",
    "shannon_entropy",
]

# Bounded repetitions and a look-behind keep this linear on pathological input (one 5 MB line).
_ASSIGNMENT = re.compile(
    r"""(?<![A-Za-z0-9_.\-])(?P<name>["']?[A-Za-z_][A-Za-z0-9_.\-]{0,80}["']?)[ \t]{0,8}(?::=|=|:)[ \t]{0,8}"""
    r"""(?:(?P<quote>["'])(?P<quoted>[^"'\r\n]{1,512})(?P=quote)|(?P<bare>[^\s"'#,;]{1,512}))"""
)
_PRIVATE_KEY_REACH = 8300
# An unquoted value that is a call, a subscript or a keyword argument list: an expression.
_EXPRESSION = re.compile(r"[A-Za-z_][\w.]*[(\[]|[^(]*\)")
# String literals joined by ``+`` or by adjacency (also across lines inside brackets).
_CONCATENATION = re.compile(
    r"""(["'])[^"'\\\r\n]{0,256}\1(?:[ \t]*(?:\+[ \t]*)?(?:\\?\r?\n[ \t]*)?(["'])[^"'\\\r\n]{0,256}\2){1,8}"""
)
_LITERAL_BODY = re.compile(r"""(["'])([^"'\\\r\n]*)\1""")
_CONCATENATION_REACH = 1200
_CONCATENATION_BUDGET = 2000
"""Runs of literals tried per text: a real module holds a handful."""
_PREFIX_HINTS = tuple(hint for hint in SHAPE_HINTS if hint not in ("://", "Basic", "earer"))
_PREFIX_HINT = re.compile("|".join(re.escape(hint) for hint in _PREFIX_HINTS))
_AWS_ID = re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")
AWS_PAIR_REACH = 300
"""Characters either side of an access key id within which a secret access key belongs to it."""


@dataclass(frozen=True)
class SecretHit:
    """A secret found in text: where (span and 0-based offsets), what kind, and the matched value.

    For a URL with a password the offsets cover the password alone, so a redaction keeps the URL
    readable (``postgresql://app:***@db/prod``). ``value`` is kept out of ``repr`` so a hit printed
    by accident does not leak the secret.
    """

    span: Span
    kind: str
    start: int
    end: int
    value: str = field(repr=False)

    @property
    def mask(self) -> str | None:
        """What replaces the secret instead of a marker naming its kind: ``***`` in a URL."""
        return "***" if self.kind in URL_KINDS else None


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


class Claims:
    """Disjoint ``[start, end)`` regions of a text, kept sorted: whether a new one is free costs a
    bisection, so a text with thousands of secrets is still scanned in linear time."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        index = bisect_right(self.starts, start)
        if index and self.ends[index - 1] > start:
            return False
        return index == len(self.starts) or self.starts[index] >= end

    def claim(self, start: int, end: int) -> bool:
        """Takes the region if it is free; whether it was."""
        if start >= end or not self.free(start, end):
            return False
        index = bisect_right(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)
        return True


class _Hits:
    """Hits collected in one scan; a region claimed once is not claimed again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = _Offsets(text)
        self.found: list[SecretHit] = []
        self.claims = Claims()

    def free(self, start: int, end: int) -> bool:
        return self.claims.free(start, end)

    def add(self, start: int, end: int, kind: str) -> None:
        if self.claims.claim(start, end):
            self.found.append(SecretHit(self.offsets.span(start, end), kind, start, end, self.text[start:end]))


def find_secrets(text: str) -> list[SecretHit]:
    """Every credential shape and every secret-looking value bound to a secret name, in text order."""
    hits = _Hits(text)
    starts = hits.offsets.starts
    token_matches = [
        *_hinted(KNOWN_TOKEN, text, text, SHAPE_HINTS, starts),
        *_hinted(KNOWN_TOKEN, text, text, ("PRIVATE KEY",), starts, reach=_PRIVATE_KEY_REACH),
    ]
    candidates = [(m.start(), m.end(), kind_of(m)) for m in token_matches]
    candidates += url_passwords(text)
    for start, end, kind in sorted(candidates):
        if not hits.free(start, end) or not plausible(kind, text[start:end]):
            continue
        if kind in URL_KINDS:  # the password alone: the URL stays readable
            password = url_password(text[start:end]) or ""
            start = text.index(":" + password + "@", start) + 1
            end = start + len(password)
        hits.add(start, end, kind)
    _concatenated_tokens(hits, starts)
    _aws_secret_keys(hits, starts)
    lowered = text.lower()
    for match in _hinted(_ASSIGNMENT, text, lowered, NAME_WORDS, starts):
        group = "quoted" if match.group("quoted") is not None else "bare"
        value, name = match.group(group), match.group("name")
        start, end = match.span(group)
        if group == "bare" and (_EXPRESSION.match(value) or _annotation(match, text)):
            continue  # ``auth = BasicAuth(user, pw)``, ``key: PrivateKey | None``: code, not a value
        if hits.free(start, end) and is_secret_name(name) and _credential_value(name, value):
            hits.add(start, end, "secret assigned to a secret name")
    hits.found.sort(key=lambda hit: hit.start)
    return hits.found


def find_split_secrets(text: str) -> list[SecretHit]:
    """Only the credentials no single literal shows: a token split over concatenated literals and
    an AWS secret access key beside its key id (what ARC701's per-literal pass cannot see)."""
    hits = _Hits(text)
    _concatenated_tokens(hits, hits.offsets.starts)
    _aws_secret_keys(hits, hits.offsets.starts)
    return sorted(hits.found, key=lambda hit: hit.start)


def _annotation(match: re.Match[str], text: str) -> bool:
    """``key: Ed25519PrivateKey | None = None``: a bare value after ``:`` followed by ``|``, ``=``,
    ``,``, ``]`` or ``)`` is a type in a signature or a class body."""
    separator = text[match.end("name"):match.start("bare")].strip()
    return separator == ":" and _AFTER_A_TYPE.match(text, match.end("bare")) is not None


_AFTER_A_TYPE = re.compile(r"[ \t]*(?:\||=(?!=)|,|\]|\))")


def _credential_value(name: str, value: str) -> bool:
    if is_weak_secret_name(name):  # ``auth = "bearer"``: only a random value is one
        return looks_like_secret_value(value, name=name)
    return looks_like_secret_value(value, password=is_password_name(name), name=name)


def _concatenated_tokens(hits: _Hits, starts: list[int]) -> None:
    """``"sk_live_" + "4eC3…"`` and ``("ghp_abc" "def…")``: a token split over literals."""
    text = hits.text
    budget = _CONCATENATION_BUDGET
    for match in _hinted(_CONCATENATION, text, text, _PREFIX_HINTS, starts, reach=_CONCATENATION_REACH):
        literals = list(_LITERAL_BODY.finditer(match.group(0)))
        # The token starts in the first literal holding a vendor prefix (one try per run of literals).
        first = next((i for i, body in enumerate(literals[:-1]) if _PREFIX_HINT.search(body.group(2))), None)
        if first is None:
            continue
        budget -= 1
        if budget < 0:
            return  # hostile input: thousands of prefix literals in a row
        kind = known_token_kind("".join(body.group(2) for body in literals[first:]))
        start = match.start() + literals[first].start()
        if kind is not None and kind not in URL_KINDS and hits.free(start, match.end()):
            hits.add(start, match.end(), kind)


def _aws_secret_keys(hits: _Hits, starts: list[int]) -> None:
    """A 40-character secret access key within reach of an access key id (a tuple, a call, the
    next line of a credentials file): by shape alone it could be any base64."""
    text = hits.text
    scanned = 0
    for key_id in _hinted(_AWS_ID, text, text, ("AKIA", "ASIA"), starts):
        if known_token_kind(key_id.group(0)) is None:
            continue  # ``AKIAIOSFODNN7EXAMPLE``
        low, high = max(0, key_id.start() - AWS_PAIR_REACH), min(len(text), key_id.end() + AWS_PAIR_REACH)
        for candidate in AWS_SECRET_SHAPE.finditer(text, max(low, scanned), min(len(text), high + 41)):
            if candidate.start() >= high:
                break
            if hits.free(*candidate.span()) and is_aws_secret_key(candidate.group(0)):
                hits.add(*candidate.span(), AWS_SECRET_KEY)
        scanned = high  # windows overlap: each candidate is judged once


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
    """``text`` with every secret replaced by ``marker`` (which may use ``{kind}``); a password in
    a URL becomes ``***``."""
    pieces: list[str] = []
    position = 0
    for hit in find_secrets(text):
        if hit.start < position:
            continue
        pieces.append(text[position:hit.start])
        pieces.append(hit.mask or marker.format(kind=hit.kind))
        position = hit.end
    pieces.append(text[position:])
    return "".join(pieces)


# -- documentation ------------------------------------------------------------------------------

# Module-level constants that hold a module's documentation (ansible's EXAMPLES/DOCUMENTATION/
# RETURN, argparse epilogs, ``FOO_HELP``): their URLs illustrate, like a docstring's.
_DOCUMENTATION_NAME = re.compile(
    r"__doc__|EXAMPLES?|DOCUMENTATION|RETURN|USAGE|HELP|EPILOG|DESCRIPTION|[A-Z0-9_]+_(?:DOCS?|EXAMPLES?|USAGE|HELP)")


def names_documentation(name: str | None) -> bool:
    """A docstring (no name) or a constant named for documentation."""
    return name is None or _DOCUMENTATION_NAME.fullmatch(name) is not None


def chosen_url_password(text: str) -> bool:
    """Whether a URL in ``text`` carries a password someone chose (``Zx9-kLm2Qp77``: long, three
    character classes), not an illustrative one (``tiger``, ``hunter2``, ``tiger^5HHH`` showing
    how to escape a character): in documentation only the former is still a leak. A ``:`` or
    ``,`` in it means the pattern caught a host list (``https://a:123,b:c@d``), not a password."""
    for start, end, _ in url_passwords(text):
        password = unquote(url_password(text[start:end]) or "")
        classes = (any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password))
        if len(password) >= _CHOSEN_PASSWORD_LENGTH and sum(classes) >= 3 and not {":", ","} & set(password):
            return True
    return False


_CHOSEN_PASSWORD_LENGTH = 12
"""Documentation's made-up passwords run short (``tiger``, ``tiger^5HHH``); a pasted real one
(generated, or a passphrase) rarely does."""
