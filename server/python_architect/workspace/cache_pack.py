"""The bytes of one check-cache pack: a magic line, a MAC, the tool version, the code
fingerprint, then ``marshal`` of plain values (see ``workspace.cache``, "Trust").

``encode_pack`` signs what a run computed; ``decode_pack`` verifies the MAC before any other
byte is parsed, refuses another version or other code, and rebuilds the contents only from
values of the expected shape (``cache_schema`` owns each value's layout). Pure functions of bytes
and ``PackContents``: where packs live, when they are read, merged and deleted is ``cache``'s.
"""

from __future__ import annotations

import marshal
import sys
from dataclasses import dataclass, field
from itertools import repeat

from .. import __version__
from ..analysis.facts import ModuleFacts
from ..findings import Finding
from . import cache_key
from .cache_schema import (
    facts_from_plain,
    facts_to_plain,
    finding_from_plain,
    finding_to_plain,
)
from .fingerprint import code_fingerprint

MAGIC = b"python-architect-cache 3\n"


TOOL_VERSION = f"{__version__} py{sys.version_info[0]}.{sys.version_info[1]}"
"""Facts come from this package's extractor and this interpreter's parser: both are in the key."""


_MARSHAL_VERSION = 4


Dep = tuple[str, str | None, str | None]
"""A module another file's checks looked up: (module, its file relative to the root, that file's
key), the last two None when no such module existed."""


Deps = tuple[Dep, ...]


@dataclass
class PackContents:
    """What packs hold: facts per file key, findings per (file key, settings fingerprint)."""

    facts: dict[str, ModuleFacts | None] = field(default_factory=dict)
    """File key -> facts (None: the text does not parse)."""
    findings: dict[tuple[str, str], tuple[Deps, list[Finding]]] = field(default_factory=dict)
    """(file key, settings fingerprint) -> (modules looked up with their keys, findings)."""

    def merge(self, other: PackContents) -> None:
        self.facts.update(other.facts)
        self.findings.update(other.findings)

    def __len__(self) -> int:
        return len(self.facts) + len(self.findings)


def encode_pack(contents: PackContents) -> bytes | None:
    """A pack's bytes (see "Trust"); None without a usable key."""
    facts = {key: facts_to_plain(value) for key, value in contents.facts.items()}
    findings = {key: (tuple(deps), tuple(finding_to_plain(f) for f in found))
                for key, (deps, found) in contents.findings.items()}
    body = header() + marshal.dumps((facts, findings), _MARSHAL_VERSION)
    return cache_key.sign(MAGIC, body)


def header() -> bytes:
    """What a pack's body starts with, after its MAC: tool version, code fingerprint."""
    return TOOL_VERSION.encode() + b"\n" + code_fingerprint().encode() + b"\n"


def decode_pack(data: bytes) -> PackContents:
    """The pack's contents; raises ValueError (with the reason) for anything not to be trusted.
    The MAC is verified first: nothing else is parsed, ``marshal`` never runs, on bytes this
    user's runs did not write."""
    body = cache_key.verified_body(MAGIC, data)
    version, _, rest = body.partition(b"\n")
    if version.decode(errors="replace") != TOOL_VERSION:
        raise ValueError(f"written by version {version.decode(errors='replace')!r}, this is {TOOL_VERSION!r}")
    code, _, payload = rest.partition(b"\n")
    if code.decode(errors="replace") != code_fingerprint():
        raise ValueError("written by other code of this version (its checks may have changed)")
    try:
        plain = marshal.loads(payload)
    except (ValueError, EOFError, TypeError) as exc:
        raise ValueError(f"unreadable payload: {exc}") from None
    if type(plain) is not tuple or len(plain) != 2 or type(plain[0]) is not dict or type(plain[1]) is not dict:
        raise ValueError("unexpected payload shape")
    try:
        return _contents_from_plain(plain)
    except TypeError as exc:  # a constructor refusing what the shape checks let through
        raise ValueError(f"unexpected payload shape: {exc}") from None


def _contents_from_plain(plain: tuple) -> PackContents:
    contents = PackContents()
    for key, value in plain[0].items():
        if type(key) is not str:
            raise ValueError("unexpected facts key")
        contents.facts[key] = facts_from_plain(value)
    for key, value in plain[1].items():
        if type(key) is not tuple or len(key) != 2 or type(key[0]) is not str or type(key[1]) is not str \
                or type(value) is not tuple or len(value) != 2 or type(value[1]) is not tuple:
            raise ValueError("unexpected findings entry")
        contents.findings[key] = (_deps(value[0]), [finding_from_plain(item) for item in value[1]])
    return contents


_DEP_TYPES = frozenset({(str, str, str), (str, type(None), type(None))})


def _deps(value: object) -> Deps:
    if type(value) is not tuple or not all(type(dep) is tuple for dep in value):
        raise ValueError("unexpected dependencies")
    # Each dep's item types, collected in C (thousands of deps in a pack): (str, str, str) or absent.
    if not set(map(tuple, map(map, repeat(type), value))) <= _DEP_TYPES:
        raise ValueError("unexpected dependencies")
    return value
