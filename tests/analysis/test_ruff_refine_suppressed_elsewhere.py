"""A ruff finding whose line carries another linter's suppression of the SAME check (issue 21,
fourth reading: coverage's ``collector.py``, ``@functools.cache  # pylint:
disable=method-cache-max-size-none``): the team recorded its decision with pylint or bandit, and
ruff reads neither. Each shape sits beside its twin: a suppression of another check, of the
check on another line, or a look-alike in a string keeps the finding."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

from python_architect.analysis import ruff_refine
from python_architect.analysis.ruff_refine_suppressed import BANDIT_EQUIVALENTS, PYLINT_EQUIVALENTS

CACHED = ("import functools\n\n\nclass Collector:\n"
          "    @functools.cache{comment}\n    def mapped(self, name):\n        return name.upper()\n")
EVAL = "def run(text):\n    return eval(text){comment}\n"
BROAD = "def run(f):\n    try:\n        f()\n    except Exception:{comment}\n        return None\n"

SUPPRESSED = {
    "coverage's B019 under pylint's name": ("B019", CACHED, "  # pylint: disable=method-cache-max-size-none"),
    "B019 under pylint's id, among others": ("B019", CACHED, "  # pylint: disable=W0212, W1518"),
    "S307 under pylint's name": ("S307", EVAL, "  # pylint: disable=eval-used"),
    "S307 under bandit's id": ("S307", EVAL, "  # nosec B307"),
    "S307 under a bare nosec": ("S307", EVAL, "  # nosec"),
    "S307 after a noqa of another code": ("S307", EVAL, "  # noqa: E501  # nosec: B307"),
    "BLE001 under pylint's old name": ("BLE001", BROAD, "  # pylint: disable=broad-except"),
    "BLE001 under pylint's new name": ("BLE001", BROAD, "  # pylint: disable=broad-exception-caught"),
}

KEPT = {
    "B019 under another pylint check": ("B019", CACHED, "  # pylint: disable=too-many-branches"),
    "S307 under another bandit test": ("S307", EVAL, "  # nosec B602"),
    "S307 with the words in a string": ("S307", EVAL, " + '# pylint: disable=eval-used'"),
    "S307 with pylint's name for another check": ("S307", EVAL, "  # pylint: disable=exec-used"),
    "BLE001 under a bare nosec (not a bandit check)": ("BLE001", BROAD, "  # nosec"),
}


@pytest.mark.parametrize(("code", "template", "comment"), SUPPRESSED.values(), ids=list(SUPPRESSED))
def test_another_linters_suppression_of_the_same_check_is_honoured(code: str, template: str, comment: str) -> None:
    reported, kept = reported_and_kept(template.format(comment=comment), code)
    assert reported == [code], "ruff must report the shape, or the table is not what drops it"
    assert kept == []


@pytest.mark.parametrize(("code", "template", "comment"), KEPT.values(), ids=list(KEPT))
def test_a_suppression_of_something_else_keeps_the_finding(code: str, template: str, comment: str) -> None:
    reported, kept = reported_and_kept(template.format(comment=comment), code)
    assert reported == kept == [code]


def test_pylint_disable_next_on_the_line_above_is_honoured_and_only_there() -> None:
    above = "def run(text):\n    # pylint: disable-next=eval-used\n    return eval(text)\n"
    assert reported_and_kept(above, "S307") == (["S307"], [])
    two_above = "def run(text):\n    # pylint: disable-next=eval-used\n    x = 1\n    return eval(text)\n"
    assert reported_and_kept(two_above, "S307") == (["S307"], ["S307"])


def test_every_code_in_the_table_is_refined_where_the_batch_parses() -> None:
    # The batch refines only codes in REFINED; a code the table knows but the batch skips would
    # be honoured in the editor and reported by the CLI.
    assert set(PYLINT_EQUIVALENTS) | set(BANDIT_EQUIVALENTS) <= ruff_refine.REFINED


MODULE_DISABLED = ("import logging\n\n# pylint does not understand context\n# pylint:disable=dangerous-default-value\n\n\n"
                   "def graph(options={'shape': 'box'}):\n    options['color'] = 'blue'\n    return options\n")


def test_a_module_level_pylint_disable_covers_the_rest_of_the_module() -> None:
    # Issue 21, sixteenth reading: apache-beam's `pipeline_graph.py` turns the check off for the
    # module at column 0, as pylint reads it.
    assert reported_and_kept(MODULE_DISABLED, "B006") == (["B006"], [])
    # The twins: re-enabled before the finding, indented (a block's own), placed after it, or of
    # another check: the finding stays.
    enabled = MODULE_DISABLED.replace("\n\n\ndef graph", "\n# pylint: enable=dangerous-default-value\n\n\ndef graph")
    indented = ("def outer():\n    # pylint: disable=dangerous-default-value\n    return 1\n\n\n"
                "def graph(options={'shape': 'box'}):\n    options['color'] = 'blue'\n    return options\n")
    after = MODULE_DISABLED.replace("# pylint:disable=dangerous-default-value\n", "") + "# pylint: disable=dangerous-default-value\n"
    other = MODULE_DISABLED.replace("dangerous-default-value", "too-many-branches")
    for text in (enabled, indented, after, other):
        assert reported_and_kept(text, "B006") == (["B006"], ["B006"]), text
