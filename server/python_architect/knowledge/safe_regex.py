"""Which regular expressions from a stranger may run under Python's backtracking ``re``: the one
test for patterns a user or a repository supplies (the agent's ``search_code``, Tach's interface
``expose``/``from`` regexes in a shipped ``tach.toml``).

A pattern may run when it has no back-references or lookarounds, no quantified group holding a
quantifier or an alternation, and at most ``MAX_REPEATS`` unbounded repeats: ``re`` then cannot
backtrack exponentially. ``unsafe_regex`` says why not (None: it may); ``count_repeats`` how many
unbounded repeats a safe pattern has (what matching a line can cost).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MAX_REPEATS = 3


def count_repeats(pattern: str) -> int:
    """How many unbounded (or over 50) repeats a safe pattern has: what a line can cost."""
    from re import _constants as c
    from re import _parser

    return sum(1 for op, value in _flat(_parser.parse(pattern))
               if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and (value[1] == c.MAXREPEAT or value[1] > 50))


def unsafe_regex(pattern: str) -> str | None:
    """Why ``pattern`` may not run as a regex (None: it may)."""
    from re import _constants as c  # the stdlib's own parser: the tree ``re`` will run
    from re import _parser

    try:
        tree = _parser.parse(pattern)
    except re.error as exc:
        return f"not a valid regex ({exc})"
    repeats = 0

    def walk(items: Any, inside_repeat: bool) -> str | None:
        nonlocal repeats
        for op, value in items:
            if op in (c.GROUPREF, c.GROUPREF_EXISTS, c.ASSERT, c.ASSERT_NOT):
                return "back-references and lookarounds are not run"
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                _low, high, sub = value
                if high == c.MAXREPEAT or high > 50:
                    repeats += 1
                if inside_repeat:
                    return "a repeated group holding another repeat could backtrack for ever"
                if any(o in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT, c.BRANCH) for o, _ in _flat(sub)):
                    return "a repeated group holding a repeat or an alternation could backtrack for ever"
                found = walk(sub, True)
            elif op == c.SUBPATTERN:
                found = walk(value[-1], inside_repeat)
            elif op == c.BRANCH:
                found = next((r for branch in value[1] if (r := walk(branch, inside_repeat))), None)
            elif op == c.ATOMIC_GROUP:
                found = walk(value, inside_repeat)
            else:
                found = None
            if found:
                return found
        if repeats > MAX_REPEATS:
            return f"more than {MAX_REPEATS} unbounded repeats"
        return None

    return walk(tree, False)


def _flat(items: Any) -> Iterable[tuple[Any, Any]]:
    from re import _constants as c

    for op, value in items:
        yield op, value
        if op == c.SUBPATTERN:
            yield from _flat(value[-1])
        elif op == c.BRANCH:
            for branch in value[1]:
                yield from _flat(branch)
        elif op == c.ATOMIC_GROUP:
            yield from _flat(value)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            yield from _flat(value[2])
