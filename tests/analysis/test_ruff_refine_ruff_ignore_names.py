"""ruff's newer inline suppression naming a rule by NAME (issue 21, fifth reading: tox's
``_LOGGER.error(...)  # ruff:ignore[error-instead-of-exception]  # expected error log``): the
bundled ruff honours codes there but not names, so the finding is dropped on our side. The twins:
another rule's name, the name on another line, and the comment's look-alike inside a string keep
the finding."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

from python_architect.analysis import ruff_bridge
from python_architect.codes import ruff as ruff_codes

LOGGED = ("import logging\n"
          "def run(f):\n"
          "    try:\n"
          "        f()\n"
          "    except Exception as error:\n"
          "        logging.error('bad: %s', error){comment}\n"
          "        return None\n")


def test_every_code_we_ship_has_a_name_in_the_bundled_ruff() -> None:
    """The name table is ruff's own: a code we ship that ruff renamed or dropped would silently
    stop honouring its name."""
    names = ruff_bridge.rule_names()
    assert names["TRY400"] == "error-instead-of-exception"
    assert names["B006"] == "mutable-argument-default"
    missing = sorted(code for code in ruff_codes.CURATED if not names.get(code))
    assert missing == []


@pytest.mark.parametrize("comment", [
    "  # ruff:ignore[error-instead-of-exception]  # expected error log",
    "  # ruff: ignore[unused-import, error-instead-of-exception]",
    "  # noqa: E501  # ruff: ignore[ Error-Instead-Of-Exception ]",
])
def test_a_line_naming_the_rule_is_not_reported(comment: str) -> None:
    reported, kept = reported_and_kept(LOGGED.format(comment=comment), "TRY400")
    assert reported == ["TRY400"], "ruff must report the shape, or this judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("text", [
    LOGGED.format(comment="  # ruff:ignore[logging-f-string]"),  # another rule's name
    LOGGED.format(comment="  # ruff:ignore"),  # no rule named: not ruff's syntax for everything
    LOGGED.replace("        f()\n", "        f()  # ruff:ignore[error-instead-of-exception]\n").format(comment=""),
    LOGGED.format(comment=", '# ruff:ignore[error-instead-of-exception]'"),  # inside a string
])
def test_a_line_not_naming_the_rule_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "TRY400")
    assert reported == kept == ["TRY400"]
