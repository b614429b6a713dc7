"""S311 in the judgment tier: random numbers that are not secrets (issue 21).

Owns one judge, ``s311_not_a_secret``: ``random`` is reported only where its value ends up under a
name that says it is a secret (``token = ...``, ``{"nonce": ...}``, a function ``make_token``
returning it) and that name does not also say the value is a chance (sampling, jitter, backoff).
Read blind, most S311 findings were sampling, jitter, tie-breaks and identifiers; the twins
(webhook secret tokens made with ``random.choices``) stay. Pure functions of (near, lines,
finding); ``ruff_refine_judgment.REFINERS`` registers it.
"""

from __future__ import annotations

import ast

from .registry import RawFinding
from .ruff_judge_nodes import call_at, dotted, enclosing_function, name_of, name_words, statement_around

SECRET_WORDS = frozenset({
    "token", "password", "passwd", "pwd", "secret", "key", "apikey", "nonce", "salt", "session",
    "sid", "otp", "csrf", "xsrf", "auth", "credential", "credentials", "pin", "iv", "passphrase",
    "signature", "cookie",
})
"""Words of a name that make a random value a secret (matched as whole words of the name)."""
CHANCE_WORDS = frozenset({
    "sample", "samples", "sampling", "sampled", "sampler", "jitter", "jittered", "shuffle", "shuffled",
    "backoff", "retry", "retries",
})
"""Words of a name that say what the randomness is for, and it is not a secret: a sampling
decision, jitter, a shuffle, a backoff before a retry. They win over a secret word in the same
name (``determine_profile_session_sampling_decision``: the session is what is sampled)."""


def s311_not_a_secret(near: list[ast.AST], lines: list[str], finding: RawFinding) -> bool:
    """``random`` for jitter, backoff, sampling, shuffling, ids of links, test data: reported only
    where the value feeds a name that is a secret (``token = ...``, ``password=...``, ``{"nonce":
    ...}``) or is returned by a function so named (``def make_token(): return ...``), and that
    name does not also say the value is a chance (``session_sample_rate``, ``auth_retry_jitter``)."""
    call = call_at(near, lines, finding.span.line, finding.span.column)
    if call is None:
        return False
    if any(isinstance(node, ast.Call) and dotted(node.func) in _CSPRNG and _holds(node, call) for node in near):
        return True  # ``os.urandom(random.randint(lo, hi))``: a length; the bytes are secure (localstack)
    return not any(_names_a_secret(name) for name in _names_fed(near, call))


_CSPRNG = frozenset({"os.urandom", "urandom", "secrets.token_bytes", "secrets.token_hex", "secrets.token_urlsafe",
                     "token_bytes", "token_hex", "token_urlsafe"})
"""Calls whose result is secure whatever size they are asked for."""


def _names_a_secret(name: str) -> bool:
    words = name_words(name)
    return bool(SECRET_WORDS & words) and not CHANCE_WORDS & words


def _names_fed(near: list[ast.AST], value: ast.AST) -> list[str]:
    """Names the value ends up under: assignment targets, keyword and dict keys around it, the
    function returning it."""
    names: list[str] = []
    statement = statement_around(near, value)
    for node in near:
        if isinstance(node, ast.Call) and _holds(node, value):
            # A lambda handed as a keyword is a function, and the keyword names it, not the value:
            # ``gpus.sort(key=lambda g: (g.load, random.random()))`` is a tie-break (ultralytics).
            names.extend(k.arg for k in node.keywords if k.arg and _holds(k.value, value)
                         and not isinstance(k.value, ast.Lambda))
        elif isinstance(node, ast.Dict) and _holds(node, value):
            names.extend(k.value for k, v in zip(node.keys, node.values, strict=True)
                         if isinstance(k, ast.Constant) and isinstance(k.value, str) and _holds(v, value))
    if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)) and not _reaches_as_itself(
            statement.value, value):
        # ``token = fetch(url, headers={"DEVICE-ID": random...})``: the target names what the call
        # returned, not the value handed to it (yt-dlp's loco extractor).
        return names
    if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)) and statement.value is value:
                # ``pid, sid = random.choice(self.sentence_ids)``: one record picked from a collection
                # and unpacked into its parts, not a value made up to be secret (stanza).
                continue
            names.extend(_target_names(target))
    elif isinstance(statement, ast.Return):
        function = enclosing_function(near, statement.lineno)
        names.append(getattr(function, "name", ""))
    return names


_REWRITES = frozenset({
    "join", "format", "str", "int", "hex", "bytes", "round", "abs", "encode", "decode", "hexdigest",
    "digest", "upper", "lower", "strip", "zfill", "rjust", "ljust", "replace", "b64encode",
    "urlsafe_b64encode", "b32encode", "b16encode", "md5", "sha1", "sha256", "sha512", "blake2b",
})
"""Calls that rewrite a value into another spelling of it: what they return is still the value."""


def _reaches_as_itself(outer: ast.AST | None, value: ast.AST) -> bool:
    """``value`` is ``outer`` or sits in it through calls that only rewrite it (``"".join``,
    ``hexdigest``, f-strings and ``+`` are no calls): not as an argument of a call that makes
    something else of it."""
    if outer is None:
        return False
    if outer is value:
        return True
    if isinstance(outer, ast.Call):
        callee = outer.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        if name not in _REWRITES:
            return False
    return any(_reaches_as_itself(child, value) for child in ast.iter_child_nodes(outer))


def _holds(outer: ast.AST, inner: ast.AST) -> bool:
    return any(node is inner for node in ast.walk(outer))


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, (ast.Name, ast.Attribute)):
        return [name_of(target)]
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return [key.value]  # the key names the value; the container names them all (``neg_session["ClientGuid"]``)
        return [name_of(target.value)]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    return []
