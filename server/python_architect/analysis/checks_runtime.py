"""Runtime-behaviour checks: hard-coded credentials, split by confidence (issue 21). Retry loops
without backoff (ARC402) live in ``checks_retries``, N+1 queries (ARC502) in ``checks_queries``.

One scan per file finds every credential; its kind decides the code:

- **ARC701** (core, error): what is a credential by its form, where a reviewer blocks a merge —
  vendor-format tokens (``sk_live_``, ``AKIA``, ``ghp_``, ``xox…``, ``sk-ant-``, webhooks), a
  complete private key, a database URL with a chosen password (percent-encoded too), an AWS
  secret access key beside its key id, a vendor token split over concatenated literals: every
  ``certain`` shape of ``secret_shapes``.
- **ARC702** (judgment, warning): what is judged — a secret-looking value bound to a secret name
  (kind ``secret``) and the shapes no vendor owns (``LESS_CERTAIN_KINDS``: a JSON Web Token,
  ``Bearer``/``Basic`` credentials, a non-database URL with a password). Blind readings found these
  were the wrong ones: sentinels, public ids, published hashes, example keys.

The two checks share the scan through ``ModuleContext.shared`` so the file is read once whichever
codes are selected. They read the node index the facts pass gathered (string literals) instead of
walking the whole tree again.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..codes import ARC701, ARC702
from ..findings import Span
from .context import is_test_path, relative_to_root
from .extract import TreeIndex, tree_index
from .registry import ModuleContext, RawFinding, check
from .secret_shapes import AWS_SECRET_KEY, URL_KINDS, complete_private_key
from .secrets import (
    LESS_CERTAIN_KINDS,
    STRUCTURAL_KINDS,
    chosen_url_password,
    find_split_secrets,
    is_password_name,
    is_secret_name,
    is_weak_secret_name,
    known_token_kind,
    looks_like_secret_value,
    names_documentation,
)

NAME_JUDGED = "secret"
"""The kind of a value reported for the name it is bound to rather than for its form."""


@check(ARC701)
def hard_coded_credential(ctx: ModuleContext) -> Iterator[RawFinding]:
    return (finding for finding in _credentials(ctx) if finding.code == ARC701)


@check(ARC702)
def secret_bound_to_secret_name(ctx: ModuleContext) -> Iterator[RawFinding]:
    return (finding for finding in _credentials(ctx) if finding.code == ARC702)


def code_for(kind: str) -> str:
    """ARC702 for a value judged by its name or a shape without a vendor, else ARC701."""
    return ARC702 if kind == NAME_JUDGED or kind in LESS_CERTAIN_KINDS else ARC701


def _credentials(ctx: ModuleContext) -> list[RawFinding]:
    """Every credential finding of the file, both codes: scanned once, kept for the other check."""
    found = ctx.shared.get(_SHARED_KEY)
    if found is None:
        found = ctx.shared[_SHARED_KEY] = list(_scan(ctx))
    return found


_SHARED_KEY = "credentials"


def _scan(ctx: ModuleContext) -> Iterator[RawFinding]:
    index = tree_index(ctx.tree, ctx.text)
    # Test code is full of made-up DSNs, JWTs and passwords; a vendor-format key there is still
    # a leak (it may be live), so only those are reported in tests.
    in_tests = is_test_path(_relative(ctx))
    reported: set[int] = set()
    for literal, name in index.strings:
        value = literal.value
        kind = known_token_kind(value)
        if kind is not None and kind in STRUCTURAL_KINDS and _made_up(name, value, kind, in_tests):
            continue  # a DSN in a docstring or EXAMPLES, a JWT in a test fixture
        if kind == _KEY_ID and names_documentation(name) and _is_prose(value):
            continue  # a docstring's example key ids: an id alone signs nothing (localstack)
        if kind == "private key" and in_tests:
            continue  # a test's throwaway key pair (reviewboard's ``ssh/tests.py``): no vendor, no account
        if kind == "private key" and not complete_private_key(value):
            continue  # documentation's truncated example; the redactor still masks it
        if kind is not None:
            message = f"Hard-coded credential: this literal contains {_article(kind)} {kind}"
        elif not in_tests and name is not None and is_secret_name(name) and _secret_value(name, value):
            kind = NAME_JUDGED
            message = f"Hard-coded credential: a secret-looking value is assigned to `{name}`"
        else:
            continue
        reported.add(id(literal))
        yield _credential(index.lines.span(literal), kind, message)
    yield from _split_credentials(ctx, index, reported, in_tests)


_KEY_ID = "AWS access key id"
"""Names an account's key but signs nothing without its secret (reported beside one as a pair)."""


def _made_up(name: str | None, value: str, kind: str, in_tests: bool) -> bool:
    """A shape-only credential in test code, or in documentation (a docstring, ``EXAMPLES``) unless
    it is a URL whose password looks chosen: a real one pasted into the docs is still a leak."""
    if in_tests:
        return True
    documentation = names_documentation(name) and _is_prose(value)
    return documentation and not (kind in URL_KINDS and chosen_url_password(value))


def _secret_value(name: str, value: str) -> bool:
    if is_weak_secret_name(name):  # ``auth = "bearer"`` names a scheme: only a random value counts
        return looks_like_secret_value(value, name=name)
    return looks_like_secret_value(value, password=is_password_name(name), name=name)


def _credential(span: Span, kind: str, message: str) -> RawFinding:
    # The code carries the confidence (ARC701 error, ARC702 warning: their declared severities).
    # The message and data never carry the value itself.
    return RawFinding(code=code_for(kind), message=message, span=span, data={"kind": kind})


def _split_credentials(ctx: ModuleContext, index: TreeIndex, reported: set[int], in_tests: bool) -> Iterator[RawFinding]:
    """Credentials no single literal shows: a token split over concatenated literals
    (``"sk_live_" + "…"``) and an AWS secret access key beside its key id (``("AKIA…", "…")``).
    The text scanner finds them; each is reported on the literal it starts in, once."""
    for hit in find_split_secrets(ctx.text):
        if in_tests and hit.kind in STRUCTURAL_KINDS:
            continue
        for literal, _ in index.strings:
            span = index.lines.span(literal)
            if id(literal) not in reported and span.contains(hit.span.line, hit.span.column):
                reported.add(id(literal))
                message = (f"Hard-coded credential: these concatenated literals hold {_article(hit.kind)} {hit.kind}"
                           if hit.kind != AWS_SECRET_KEY else
                           "Hard-coded credential: an AWS secret access key beside its access key id")
                yield _credential(span, hit.kind, message)
                break


def _relative(ctx: ModuleContext) -> str:
    return relative_to_root(ctx.path, ctx.root) or ctx.path.name


def _is_prose(value: str) -> bool:
    """Documentation rather than a value: several lines, or a sentence of words."""
    return "\n" in value.strip() or len(value.split()) > 3


def _article(kind: str) -> str:
    """``an AWS access key id``, ``an Anthropic API key``, ``a URL with a password``: by sound."""
    return "an" if kind[:1] in "AEIOaeio" else "a"
