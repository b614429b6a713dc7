"""The words of each principle: what people say when a decision applies without naming it.

An ADR titled "Composition over inheritance" governs the question "should `PriceService` extend
`BaseService`?" although they share no word. Each check principle, each ADR rule kind and a few
common ADR tags carry the vocabulary of their principle here; ``knowledge.relevance`` indexes an
ADR's vocabulary (from its tags, rule kinds and the principles of the checks its rules name) as a
second, lower-weighted field beside the ADR's own words.

Words are stemmed (Snowball English: ``extends``/``extended``/``extending`` -> ``extend``) by ``terms``, which both
sides of the match use; version operators (``>=``, ``==``, ``~=``) are terms of their own.
Keep each list to words that point at the principle: a generic word ("service", "code") would
pull every question towards every ADR.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

PRINCIPLE_WORDS: dict[str, str] = {
    "composition": """inherit inheritance extend subclass subclassing base class parent class
        superclass mixin override super hierarchy derive derived child class reuse""",
    "dependencies": """version pin pinned unpinned upgrade downgrade lock lockfile lock file
        requirement requirements.txt pyproject toml dependency package specifier constraint
        >= == ~= <= semver release""",
    "async": """await async coroutine event loop blocking block sleep asyncio non-blocking
        concurrency concurrent threadpool gather""",
    "framework-isolation": """framework fastapi django flask starlette orm sqlalchemy pydantic
        basemodel httpexception web entity pure business infrastructure""",
    "layering": """layer layered upward inward downward bypass skip endpoint adapter
        adapters depend depends direction""",
    "deep-modules": """wrapper pass-through passthrough shallow facade delegate delegates forward
        forwards forwarding indirection thin boilerplate""",
    "resilience": """timeout retry backoff jitter circuit breaker outbound hang hangs unavailable
        flaky transient failure outage network""",
    "data-layer": """query n+1 loop database sql session execute orm repository batch fetch
        lazy load select round trip""",
    "observability": """log logging logger print debug trace metric structured diagnostic
        stdout""",
    "security": """secret password key token credential hard-coded hardcoded environment
        env vault leak""",
    "memory": """cache unbounded grow growth memory leak lru size limit evict""",
}

TAG_WORDS: dict[str, str] = {
    # Common ADR tags that are not check principles.
    "caching": """cache caching cached memoize memoise redis memcached ttl expire expiry stale
        invalidate invalidation recompute""",
    "domain": PRINCIPLE_WORDS["framework-isolation"],
    "integration": """gateway graphql internal client outbound call""",
    "persistence": """database storage store postgres mysql mongodb sqlite table schema""",
    "database": """database engine storage postgres mysql mongodb sqlite table schema""",
    "http": """http client requests httpx urllib3 outgoing web call""",
}

RULE_KIND_WORDS: dict[str, str] = {
    "forbidden-import": "import imports importing",
    "layers": PRINCIPLE_WORDS["layering"],
    "pinned-dependencies": PRINCIPLE_WORDS["dependencies"],
    "interface": "interface public api expose exposed internal private import imports",
    "independence": "independent independence decoupled separate import imports",
    "deprecated-import": "deprecated legacy replacement migrate import imports",
    "external-dependencies": PRINCIPLE_WORDS["dependencies"],
}

_OPERATOR = re.compile(r"(?<![<>=!~])(===|==|>=|<=|~=|!=)")
_WORD = re.compile(r"[a-z0-9]+(?:[+#.][a-z0-9+#]+)*")
REQUEST_WORDS = frozenset(
    # Words of a request about anything ("show me how that would look in code"): ranking on them
    # picks ADRs for saying "code" (or "hard-coded") somewhere. ``relevance`` stops them too.
    """code show look looks like example examples thing things something anything idea approach
    better best now currently today actually here there one ones tell explain see say said
    happen happened happens every each against via per read many much""".split()  # noqa: SIM905
)
_STOP = frozenset(
    """a an and are as at be but by can could do does for from how i if in into is it its may me
    my of on or our should so that the their them then there these they this to use we what when
    where which who why will with would you your""".split()  # noqa: SIM905
) | REQUEST_WORDS


@lru_cache(maxsize=1)
def _english() -> Any:
    # Snowball's English (Porter2) stemmer: pure Python, the one Sphinx's search uses. Built once.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """The stem both sides of a match use (Snowball English): ``extending``/``extended``/
    ``extends`` -> ``extend``, ``pinned`` -> ``pin``, ``caching``/``cache`` -> ``cach``,
    ``queries`` -> ``queri``. Words with symbols (``n+1``, ``requirements.txt``) stay whole."""
    word = word.lower()
    if not word.isalpha():
        return word
    return _english().stemWord(word)


_STOP_STEMS = frozenset(fold(word) for word in _STOP)


def terms(text: str) -> list[str]:
    """Folded words and version operators of ``text``, in order, stop words dropped."""
    lowered = text.lower()
    found = [fold(w) for w in _WORD.findall(lowered) if w not in _STOP and len(w) > 1]
    found = [stem for stem in found if stem not in _STOP_STEMS]
    found.extend(match.group(1) for match in _OPERATOR.finditer(lowered))
    return found


def spellings(text: str) -> dict[str, str]:
    """Folded term -> the first word of ``text`` that folds to it (to show people their words)."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        found.setdefault(fold(word), word)
    return found


def vocabulary_text(tags: tuple[str, ...], rule_kinds: tuple[str, ...], principles: tuple[str, ...]) -> str:
    """The vocabulary of an ADR with these tags, rule kinds and check principles (may be empty)."""
    parts: dict[str, None] = {}
    for tag in tags:
        text = PRINCIPLE_WORDS.get(tag) or TAG_WORDS.get(tag)
        if text:
            parts[text] = None
    for kind in rule_kinds:
        if kind in RULE_KIND_WORDS:
            parts[RULE_KIND_WORDS[kind]] = None
    for principle in principles:
        if principle in PRINCIPLE_WORDS:
            parts[PRINCIPLE_WORDS[principle]] = None
    return " ".join(parts)
