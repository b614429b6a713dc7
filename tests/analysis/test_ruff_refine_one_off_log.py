"""G004 on a debug f-string in a loop that the loop leaves right after (issue 21, third reading:
docker's ``auth.py`` and ``utils/config.py``): ``log.debug(f"Found {key!r}"); return conf`` builds
its message at most once per call, a one-off the narrowing already does not report. Each shape
sits beside its twin, where the loop can go round again and the message is built each time."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

LOG = "import logging\nlog = logging.getLogger(__name__)\n\n"

ONE_OFF = {
    "return after the call": (
        "def find(paths, exists):\n    for path in paths:\n        if exists(path):\n"
        "            log.debug(f'Found file at path: {path}')\n            return path\n    return None\n"),
    "raise or return after an if": (
        "def parse(entries, strict):\n    conf = {}\n    for key, entry in entries.items():\n"
        "        if not isinstance(entry, dict):\n            log.debug(f'Entry {key} is not auth config')\n"
        "            if strict:\n                raise ValueError(key)\n            return {}\n"
        "        conf[key] = entry\n    return conf\n"),
    "an if whose branches both leave": (
        "def first(items, want):\n    for item in items:\n        log.debug(f'Trying {item}')\n"
        "        if item == want:\n            return item\n        else:\n            raise KeyError(item)\n"),
    "break out of the only loop": (
        "def wait(read):\n    while True:\n        line = read()\n        if line:\n"
        "            log.debug(f'Got {line}')\n            break\n    return line\n"),
    "an except handler that returns": (
        "def load(names, get):\n    for name in names:\n        try:\n            get(name)\n"
        "        except KeyError:\n            log.debug(f'No {name}')\n            return None\n"),
    "the leaving statement in the block around": (
        "def scan(keys, table):\n    for key in keys:\n        if key in table:\n"
        "            log.debug(f'Found {key!r}')\n        return table.get(key)\n"),
    "a nested loop's continue is its own": (
        "def pick(groups):\n    for group in groups:\n        log.debug(f'Group {group}')\n"
        "        for x in group:\n            if not x:\n                continue\n        return group\n"),
}

REPEATS = {
    "continue instead of return": (
        "def find(paths, exists):\n    for path in paths:\n        if exists(path):\n"
        "            log.debug(f'Found file at path: {path}')\n            continue\n    return None\n"),
    "a continue before the return": (
        "def parse(entries, strict):\n    for key, entry in entries.items():\n"
        "        log.debug(f'Entry {key}')\n        if strict:\n            continue\n        return entry\n"),
    "an if with one branch leaving": (
        "def first(items, want):\n    for item in items:\n        log.debug(f'Trying {item}')\n"
        "        if item == want:\n            return item\n"),
    "break out of an inner loop only": (
        "def wait(readers):\n    for read in readers:\n        while True:\n            line = read()\n"
        "            log.debug(f'Got {line}')\n            break\n"),
    "a try whose handler swallows what comes between": (
        "def load(names, get):\n    for name in names:\n        try:\n            log.debug(f'Loading {name}')\n"
        "            value = get(name)\n            return value\n        except KeyError:\n            pass\n"),
    "the call after the leaving statement's block": (
        "def scan(keys, table):\n    for key in keys:\n        if key in table:\n            return key\n"
        "        log.debug(f'Missing {key!r}')\n"),
    "a comprehension": (
        "def each(events):\n    for e in events:\n        return [log.debug(f'Got {x}') for x in e]\n"),
}


@pytest.mark.parametrize("body", ONE_OFF.values(), ids=list(ONE_OFF))
def test_a_message_the_loop_leaves_after_is_one_off(body: str) -> None:
    reported, kept = reported_and_kept(LOG + body, "G004")
    assert reported == ["G004"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("body", REPEATS.values(), ids=list(REPEATS))
def test_a_message_the_loop_may_build_again_is_reported(body: str) -> None:
    reported, kept = reported_and_kept(LOG + body, "G004")
    assert reported == kept == ["G004"]
