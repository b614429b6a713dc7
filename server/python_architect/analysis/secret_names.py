"""Names that say a value is a credential: ``api_key``, ``DB_PASSWORD``, ``db_pass``, ``dbPass``.

One of the three judgements of the credential table (``secret_shapes`` owns the shapes and the
values): a pure function of a variable, key or keyword name. ``auth``/``authorization`` and a
bare ``key`` or ``pass`` name a credential only weakly (``auth = "bearer"`` names a scheme): the
value must then look like one. Names that talk *about* a secret (``PASSWORD_FIELD``,
``TOKEN_URL``) hold none.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Name segments that say "this holds a credential" on their own ...
_SECRET_WORDS = frozenset(
    {"secret", "secrets", "token", "password", "passwd", "passphrase", "pwd", "credential", "credentials",
     "apikey", "api_key"}
)
"""Not ``tokens``: plural, it counts (``max_tokens``, ``SEMANTIC_TOKENS``, ``keep_all_tokens``)."""


# ... segments that do only as the last one (``db_pass``, ``basic_auth``; not ``pass_rate``,
# ``auth_backend``) ...
_LAST_WORDS = frozenset({"pass", "auth", "authorization"})


_WEAK_LAST_WORDS = frozenset({"auth", "authorization"})
"""Hold a scheme as often as a credential (``auth = "bearer"``): the value must look like one."""


_WEAK_ALONE = frozenset({("key",), ("pass",)})
"""Alone, ``key`` is any mapping's key and ``pass`` an English verb (``pass :data:`CLIENT```);
qualified (``api_key``, ``db_pass``) they name a credential."""


# ... and the qualifiers that make a plain ``key`` one (``cache_key`` and ``sort_key`` are not).
_KEY_QUALIFIERS = frozenset(
    {"api", "access", "private", "secret", "auth", "signing", "encryption", "master", "client", "app",
     "license", "service", "account", "admin", "webhook", "hmac"}
)


# Names that talk *about* a secret rather than hold one: ``PASSWORD_FIELD``, ``TOKEN_URL``, and a
# public marker that tags secrets in a wire format (pulumi's ``_special_secret_sig``, issue 21) or
# the characters keys are made of (localstack's ``AWS_ACCESS_KEY_ALPHABET``).
_NOT_A_SECRET_NAME = re.compile(
    r"(?:_|^)(?:field|fields|name|names|header|url|uri|path|file|env|var|prefix|suffix|length|len|"
    r"type|kind|label|column|param|key_?id|id|pattern|regex|format|min|max|count|ttl|expiry|"
    r"expires|endpoint|hint|placeholder|message|msg|error|version|source|provider|handler|verifier|generator|"
    r"factory|class|cls|dir|size|mode|method|types|missing|invalid|reason|backend|manager|cache|callback|"
    r"loader|parser|validator|request|response|usage|period|policy|scope|scopes|algorithm|alg|oid|"
    r"sig|signature|marker|sentinel|magic|fingerprint|digest|checksum|alphabet|charset|chars|characters|symbols)$",
    re.IGNORECASE,
)


_PASSWORD_WORDS = ("password", "passwd", "passphrase", "pwd")


NAME_WORDS = ("key", "secret", "token", "pass", "pwd", "credential", "auth")
"""Lowercase substrings one of which every secret name holds (a pre-filter for scanners)."""


_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _segments(name: str) -> tuple[str, ...]:
    """``dbPass`` / ``DB_PASS`` / ``"db-pass"`` -> ``("db", "pass")``."""
    snake = _CAMEL_HUMP.sub("_", name.strip("\"' ")).replace("-", "_").lower()
    snake = snake.removeprefix("export ").rsplit(".", 1)[-1]
    return tuple(part for part in snake.split("_") if part)


@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """Whether a variable, key or keyword name says it holds a credential."""
    parts = _segments(name)
    if not parts or _NOT_A_SECRET_NAME.search("_".join(parts)):
        return False
    if parts == ("key",) or parts[-1] in _LAST_WORDS:
        return True
    if any(part in _SECRET_WORDS or part.endswith(("password", "token", "secret")) for part in parts):
        return True
    return any(
        part == "key" and index > 0 and parts[index - 1] in _KEY_QUALIFIERS for index, part in enumerate(parts)
    ) or any(part.endswith("key") and part[:-3] in _KEY_QUALIFIERS for part in parts)


def is_password_name(name: str) -> bool:
    """A secret name that holds a password, which people choose (so lower entropy is still real)."""
    parts = _segments(name)
    return is_secret_name(name) and (
        parts[-1] == "pass" or any(word in part for part in parts for word in _PASSWORD_WORDS)
    )


def is_weak_secret_name(name: str) -> bool:
    """``auth``/``authorization`` (a credential or a scheme name such as ``basic``), and a bare
    ``key`` or ``pass``: the value alone decides, and it must look random."""
    parts = _segments(name)
    if not is_secret_name(name):
        return False
    return parts in _WEAK_ALONE or (parts[-1] in _WEAK_LAST_WORDS and not any(p in _SECRET_WORDS for p in parts))


def is_bare_pass(name: str) -> bool:
    """``pass`` alone: a password key in a configuration file, a verb in prose."""
    return _segments(name) == ("pass",)
