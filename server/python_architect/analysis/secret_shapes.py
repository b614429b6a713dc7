"""The one table of what a credential looks like, shared by ARC701 and the chat's redactor.

Owns three judgements, each a pure function of a string:

- **shapes**: literals that are credentials by their form (``SHAPES``: vendor prefixes such as
  ``sk_live_``/``AKIA``/``ghp_``, a Slack webhook, a private key block, and shapes without a
  vendor — a JSON Web Token, ``Bearer``/``Basic`` credentials, a URL with a literal password);
- **names** that say a value is a credential (``api_key``, ``DB_PASSWORD``, ``db_pass``; ``auth``
  only weakly: ``auth = "bearer"`` names a scheme, not a secret): in ``secret_names``;
- **values** that cannot be credentials whatever they are bound to: placeholders (``changeme``,
  ``${VAR}``), the name itself (``FOO_TOKENS = "foo_tokens"``), another variable's name, base64
  of plain JSON (an API's page token), identifiers, regular expressions, file names.

``secrets.py`` scans text with these (ARC701's text side, ``find_secrets``); ``advisor/redaction``
adds its eager ``KEY=value`` layer on top of the same names and values. The analysis layer owns
the table because the advisor may import analysis, never the reverse.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .secret_names import is_secret_name


@dataclass(frozen=True)
class Shape:
    """One credential form. ``certain``: a reviewer blocks a merge on it (ARC701 error, else a
    warning). ``structural``: recognised by form alone, so documentation and tests show it with
    made-up values and ARC701 skips it there. ``hint``: substrings one of which any match holds
    (a cheap pre-filter: most lines hold none)."""

    kind: str
    pattern: str
    hint: tuple[str, ...]
    certain: bool = True
    structural: bool = False


DATABASE_URL = "database URL with a password"
URL_WITH_PASSWORD = "URL with a password"
_DATABASE_SCHEMES = frozenset(
    {"postgres", "postgresql", "mysql", "mariadb", "mssql", "sqlserver", "oracle", "mongodb", "mongodb+srv",
     "redis", "rediss", "amqp", "amqps", "cockroachdb", "clickhouse", "snowflake", "sqlite", "db2", "ibm_db_sa"}
)

SHAPES: tuple[Shape, ...] = (
    Shape("Stripe live secret key", r"\b[sr]k_live_[0-9A-Za-z]{16,}", ("_live_",)),
    Shape("AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", ("AKIA", "ASIA")),
    Shape("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,}", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    Shape("GitHub fine-grained token", r"\bgithub_pat_[A-Za-z0-9_]{22,}", ("github_pat_",)),
    Shape("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}", ("xox",)),
    Shape(
        "Slack webhook URL",
        r"\bhttps://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,}",
        ("hooks.slack.com",),
    ),
    Shape("Discord webhook URL", r"\bhttps://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{16,20}/[A-Za-z0-9_-]{60,}",
          ("/api/webhooks/",)),
    Shape("Anthropic API key", r"\bsk-ant-[A-Za-z0-9_-]{20,}", ("sk-ant-",)),
    Shape("OpenAI API key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{40,}", ("sk-",)),
    # A browser key a site ships in its own JavaScript looks the same as a server key: every one
    # read blind was the public web key of the service a scraper talks to (yt-dlp, gallery-dl,
    # streamlink; issue 21, twenty-third and twenty-fourth readings). Judged, so ARC702's.
    Shape("Google API key", r"\bAIza[0-9A-Za-z_-]{35}", ("AIza",), certain=False),
    Shape("JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}", ("eyJ",),
          certain=False, structural=True),
    Shape("bearer token", r"\b[Bb]earer[ \t]+[A-Za-z0-9._~+/-]{20,}=*", ("earer",), certain=False, structural=True),
    Shape("basic auth credentials", r"\bBasic[ \t]+[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])", ("Basic",),
          certain=False, structural=True),
    Shape(
        "private key",
        # The header alone is documentation; a real key has a base64 body after it.
        (
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]{0,200}?[A-Za-z0-9+/=]{40,}"
            r"(?:[\s\S]{0,8192}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)?"
        ),
        ("PRIVATE KEY",),
    ),
)
# A URL with ``user:password@``, scanned from each ``://`` (``url_passwords``) rather than tried
# at every offset; the scheme decides the kind.
_URL_SHAPES = (Shape(DATABASE_URL, "", ("://",), structural=True),
               Shape(URL_WITH_PASSWORD, "", ("://",), certain=False, structural=True))
SHAPE_OF = {shape.kind: shape for shape in (*SHAPES, *_URL_SHAPES)}
STRUCTURAL_KINDS = frozenset(kind for kind, shape in SHAPE_OF.items() if shape.structural)
"""Kinds recognised by shape rather than by a vendor prefix: documentation and test code show
them with made-up values, so ARC701 reports them only in application code and outside prose."""
LESS_CERTAIN_KINDS = frozenset(kind for kind, shape in SHAPE_OF.items() if not shape.certain)
URL_KINDS = frozenset({DATABASE_URL, URL_WITH_PASSWORD})
"""Kinds whose secret is the password inside a URL: redaction masks just that (``user:***@host``)."""
SHAPE_HINTS = tuple(dict.fromkeys(hint for shape in SHAPES for hint in shape.hint if hint != "PRIVATE KEY"))
"""Hints of the patterns in ``KNOWN_TOKEN`` (URLs are found from their ``://``)."""
KNOWN_TOKEN = re.compile("|".join(f"(?P<t{i}>{shape.pattern})" for i, shape in enumerate(SHAPES)))
_TOKEN_HINT = re.compile("|".join(re.escape(h) for h in (*SHAPE_HINTS, "PRIVATE KEY", "://")))
_SHORTEST_TOKEN = 15

AWS_SECRET_KEY = "AWS secret access key"
# 40 base64 characters standing alone: an AWS secret access key when an access key id is near.
AWS_SECRET_SHAPE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")

# -- values ------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(
    r"change_?me|your[-_ ]|example|placeholder|dummy|redacted|replace|xxxx|\*\*\*|\.\.\.|"
    r"^<.*>$|\$\{|\{\{|%\(|^\$[A-Z_]+$|^env:|todo|fixme",
    re.IGNORECASE,
)
# A password inside a URL that only stands for one: a template field, a variable, a mask, a
# ``%s`` (percent-encoding, ``%23``, is a real password), or the word itself (``user:password@``,
# ``user:pass@``, ``:secret@``: documentation's stand-ins in any context).
_PASSWORD_STAND_IN = re.compile(
    r"[{}$<>*]|%(?![0-9A-Fa-f]{2})|^(?:x+|\.+|-+)$|^:|"
    r"^(?:my|your|the|some)?[-_]?(?:password|passwd|passphrase|pass|pwd|pw|secret)\d{0,3}$", re.IGNORECASE)
# ``"{host}:{port}"`` style templates are formats, not secrets.
_TEMPLATE_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}|%\([A-Za-z_]+\)[sd]|%[sdr]\b|\{\d*\}")
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_IDENTIFIER_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[._-][A-Za-z0-9_]+)+")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")
MIN_SECRET_LENGTH = 16
MIN_HEX_SECRET_LENGTH = 32
MIN_PASSWORD_LENGTH = 8
MIN_ENTROPY = 3.5
_HEX = re.compile(r"[0-9a-fA-F]+")
_FILE_NAME = re.compile(r"\.(?:pem|key|crt|cer|der|p12|pfx|json|ya?ml|txt|env|ini|cfg|conf|toml)$", re.IGNORECASE)
_PIECES = re.compile(r"[._\-:/]+|(?<=[a-z0-9])(?=[A-Z])")
_WORDLIKE = re.compile(r"[A-Za-z][a-z]+\d{0,2}|[A-Z]{2,5}[a-z]{2,}\d{0,2}|[A-Z]{1,4}\d{0,2}|[a-z]{1,3}\d{0,2}|\d{1,4}"
                       r"|[a-z]{1,2}\d{1,2}[a-z]{1,2}")
# ``[a-z]{1,2}\d{1,2}[a-z]{1,2}``: a lower-case numeronym (m2m, k8s, i18n, a11y) in a mode name such as
# ``databricks_oauth_m2m`` (mlflow's provider table, issue 21).
# ``[A-Z]{2,5}[a-z]{2,}``: an acronym before a word, ``FFmpegExtractAudio``, ``IPython.core:OSMagics``
# (a yt_dlp post-processor key, a magic's import path; read on langchain and IPython, issue 21).
# Regular expressions and markup are what test payloads and parsers hold, not credentials
# (``qtoken = '(?:"[^"]+"|...)'``, ``"key<script>alert(1)</script>"``).
_REGEX_OR_MARKUP = re.compile(r"\(\?[:=!<P]|\[\^|\][+*?{]|\\[dswbDSWB]|</?[A-Za-z][A-Za-z0-9]*[\s>/]|&[a-z]+;|`")
# What an ``auth`` setting holds when it names a scheme rather than a credential.
_AUTH_SCHEMES = frozenset(
    {"basic", "bearer", "digest", "oauth", "oauth1", "oauth2", "jwt", "token", "none", "ntlm", "kerberos",
     "negotiate", "saml", "oidc", "apikey", "api_key", "hmac", "sigv4", "aws4", "session", "cookie", "md5",
     "scram-sha-256", "trust", "peer", "ident", "password", "required", "optional", "anonymous", "public"}
)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value`` (random base64 is near 6, English words near 3)."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _classes(value: str) -> int:
    return sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))


def decodes_to_plain_json(value: str) -> bool:
    """Base64 of a JSON object or array holding no credential: an API's page token or cursor
    (``eyJwYWdlIjogMn0=`` is ``{"page": 2}``), opaque to the eye but no secret."""
    if not _BASE64.fullmatch(value) or not value.startswith(("ey", "W")):
        return False
    raw = value.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        text = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("utf-8")
        json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    if not text.lstrip().startswith(("{", "[")):
        return False
    from .secrets import find_secrets  # the decoded JSON may itself hold a key

    return not find_secrets(text)


def not_a_credential(value: str, name: str | None = None) -> bool:
    """Values that are no credential whatever name holds them: empty, a placeholder, a template,
    the name itself or another variable's name, an identifier path naming a secret
    (``settings.SECRET_KEY``, ``"access_token"``), base64 of plain JSON."""
    stripped = value.strip().strip("\"'")
    if not stripped or PLACEHOLDER.search(stripped) or _TEMPLATE_FIELD.search(stripped):
        return True
    if not any(c.isascii() and c.isalnum() for c in stripped) or _COLOUR.fullmatch(stripped):
        return True  # ``"secret": "㊙"`` (an emoji table), ``"***"``, ``Token: "#ddd0c0"`` (a style)
    own = (_normalised(name), _normalised(name.rsplit(".", 1)[-1])) if name is not None else ()
    if own and (_normalised(stripped) in own or _normalised(stripped.rsplit(".", 1)[-1]) in own):
        # ``FOO_TOKENS = "foo_tokens"``, ``CHALLENGE_PASSWORD: "challengePassword"``,
        # ``PrivateKey = backend.PrivateKey``
        return True
    if _ENV_NAME.fullmatch(stripped):
        return True  # ``DB_PASSWORD_ENV = "DB_PASSWORD"``: the name of where the secret lives
    if _IDENTIFIER_PATH.fullmatch(stripped) and is_secret_name(stripped) and not any(c.isdigit() for c in stripped):
        return True
    if _TIME_UUID.fullmatch(stripped) or stripped.lower() in _EMPTY_INPUT_HASHES:
        return True  # a rights GUID (``ResetPassword = "00299570-246d-11d0-..."``), the NT hash of "" (impacket)
    return decodes_to_plain_json(stripped)


_TIME_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-1[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
"""A version-1 UUID: a timestamp and a node id, an identifier anyone can read, never random."""
_EMPTY_INPUT_HASHES = frozenset({
    "31d6cfe0d16ae931b73c59d7e0c089c0",  # NT hash of the empty password
    "aad3b435b51404eeaad3b435b51404ee",  # LM hash of the empty password
    "d41d8cd98f00b204e9800998ecf8427e",  # MD5("")
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # SHA-1("")
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # SHA-256("")
})
"""Hashes of empty input: published constants, which protocols send to mean "no password"."""


def _normalised(text: str) -> str:
    """Spelling-blind: ``FOO_TOKENS``, ``foo-tokens`` and ``fooTokens`` are one name."""
    return _SEPARATORS.sub("", text.strip("\"' ")).lower()


_SEPARATORS = re.compile(r"[-_.\s]+")


def names_a_scheme(value: str) -> bool:
    """A value an ``auth`` setting holds when it is no credential: a scheme word, plain letters."""
    lowered = value.strip().lower()
    return lowered in _AUTH_SCHEMES or lowered.isalpha()


def looks_like_secret_value(value: str, *, password: bool = False, name: str | None = None) -> bool:
    """A long, random-looking literal: no spaces, two character classes, high entropy, no placeholder.

    ``password``: the name says it holds a password; people choose those, so a shorter value
    mixing three character classes (``Tr0ub4dor&3-prod``) counts too. ``name``: the name it is
    bound to (a value equal to it is the name, not a secret).
    """
    if len(value) < (MIN_PASSWORD_LENGTH if password else MIN_SECRET_LENGTH) or any(ch.isspace() for ch in value):
        return False
    if PLACEHOLDER.search(value) or "://" in value or "\\" in value or value.startswith(("/", "./")):
        return False
    if _REGEX_OR_MARKUP.search(value) or _TEMPLATE_FIELD.search(value) or _FILE_NAME.search(value):
        return False
    if _HEX.fullmatch(value) and len(value) < MIN_HEX_SECRET_LENGTH:
        return False  # a short hex string is far more often a hash or an id than a key
    if all(_WORDLIKE.fullmatch(piece) for piece in _PIECES.split(value) if piece):
        return False  # ``retryCount``, ``fs.s3.enableServerSideEncryption``: identifiers, not secrets
    if not_a_credential(value, name):
        return False
    classes = _classes(value)
    if password and classes + any(not c.isalnum() for c in value) >= 4 - (len(value) >= MIN_SECRET_LENGTH):
        return True
    return classes >= 2 and shannon_entropy(value) >= MIN_ENTROPY


def plausible(kind: str, text: str) -> bool:
    """Shape-only kinds need a value that is really there: a random bearer token, Basic
    credentials that decode to ``user:password``, a literal password in a URL (not
    ``{password}``, ``$PASS``, ``****``, ``%s``)."""
    if PLACEHOLDER.search(text) and kind != "private key":
        return False
    if kind == "bearer token":
        token = text.split(None, 1)[-1]
        return shannon_entropy(token) >= MIN_ENTROPY and _classes(token) >= 2
    if kind == "basic auth credentials":
        return _basic_credentials(text.split(None, 1)[-1])
    if kind in URL_KINDS:
        password = url_password(text)
        return password is not None and not _PASSWORD_STAND_IN.search(password)
    if kind == "Slack webhook URL":
        return _classes(text.rsplit("/", 1)[-1]) >= 2
    return True


def _basic_credentials(encoded: str) -> bool:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(colon and user and password) and decoded.isprintable() and not PLACEHOLDER.search(decoded)


_URL_PARTS = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://[^\s:/@]*:(?P<password>[^\s@/]+)@")
# The scheme just before a ``://`` (searched backwards within 31 characters) and what follows it:
# an optional user (``redis://:pw@``), ``:``, the password (percent-encoding allowed), ``@``, a host.
_SCHEME_BEFORE = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,30}\Z")
# ``[`` and ``]`` are not allowed unencoded in a URL's user part: ``scheme://[user:passwd@]host``
# is a usage line's optional syntax.
_CREDENTIALS_AFTER = re.compile(r"//[^\s:/@'\"?#\[\]]{0,128}:[^\s@/'\"?#\[\]]{1,128}@[^\s'\"/@]{1,256}")


def url_passwords(text: str, low: int = 0, high: int | None = None) -> Iterator[tuple[int, int, str]]:
    """``(start, end, kind)`` of each URL with a literal password in ``text[low:high]``."""
    high = len(text) if high is None else high
    position = text.find("://", low, high)
    while position >= 0:
        scheme = _SCHEME_BEFORE.search(text, max(low, position - 31), position)
        rest = _CREDENTIALS_AFTER.match(text, position + 1, high) if scheme else None
        if scheme and rest:
            url = text[scheme.start():rest.end()]
            kind = url_kind(url)
            if plausible(kind, url):
                yield scheme.start(), rest.end(), kind
        position = text.find("://", position + 3, high)


def url_password(url: str) -> str | None:
    match = _URL_PARTS.match(url)
    return match.group("password") if match else None


def url_kind(url: str) -> str:
    """``database URL with a password`` for a database scheme (``postgresql+psycopg``), else a URL."""
    match = _URL_PARTS.match(url)
    scheme = match.group("scheme").lower() if match else ""
    base = scheme.split("+", 1)[0]
    return DATABASE_URL if scheme in _DATABASE_SCHEMES or base in _DATABASE_SCHEMES else URL_WITH_PASSWORD


def kind_of(match: re.Match[str]) -> str:
    """The kind of a ``KNOWN_TOKEN`` match."""
    return SHAPES[int(match.lastgroup[1:])].kind if match.lastgroup else "token"


def known_token_kind(value: str) -> str | None:
    """The kind of the first known token inside ``value``, unless it is an obvious placeholder."""
    if len(value) < _SHORTEST_TOKEN or not _TOKEN_HINT.search(value):
        return None
    for match in KNOWN_TOKEN.finditer(value):
        kind = kind_of(match)
        if plausible(kind, match.group(0)):
            return kind
    return next((kind for _, _, kind in url_passwords(value)), None)


def is_aws_secret_key(candidate: str) -> bool:
    """40 base64 characters of all three classes and high entropy (a git SHA is hex, lower case)."""
    return (
        AWS_SECRET_SHAPE.fullmatch(candidate) is not None
        and _classes(candidate) == 3
        and shannon_entropy(candidate) >= 4.0
        and not PLACEHOLDER.search(candidate)
    )


_KEY_BODY = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----([\s\S]*?)(?:-----END|$)")
_OPENSSH_MAGIC = b"openssh-key-v1\x00"


def complete_private_key(text: str) -> bool:
    """Whether ``text`` holds a whole private key, not the truncated example API documentation
    shows (twilio's generated ``credential.py``: ``-----BEGIN RSA PRIVATE KEY-----MIIEpQIBAAKCAQEAuyf...``,
    issue 21's seventh reading): the base64 body decodes to a DER structure as long as its own
    header says (PKCS#1, PKCS#8, SEC1, encrypted PKCS#8), or to an OpenSSH key. A PGP block, whose
    armour this does not read, counts when its body is long."""
    for match in _KEY_BODY.finditer(text):
        label, body = match.group(1), match.group(2)
        lines = [line.strip() for line in body.replace("\\n", "\n").splitlines()]
        encoded = "".join(line for line in lines if line and ":" not in line)  # Proc-Type/DEK-Info headers
        encoded = re.match(r"[A-Za-z0-9+/]*", encoded).group(0)  # type: ignore[union-attr]
        if "PGP" in label:
            if len(encoded) >= 400:
                return True
            continue
        try:
            raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError):
            continue
        if raw.startswith(_OPENSSH_MAGIC):
            if len(raw) >= 100:
                return True
            continue
        if _whole_der(raw):
            return True
    return False


def _whole_der(raw: bytes) -> bool:
    """A DER SEQUENCE whose stated length the bytes hold (a key cut short does not)."""
    if len(raw) < 2 or raw[0] != 0x30:
        return False
    first = raw[1]
    if first < 0x80:
        length, header = first, 2
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or len(raw) < 2 + count:
            return False
        length, header = int.from_bytes(raw[2:2 + count], "big"), 2 + count
    return length >= 32 and len(raw) >= header + length
