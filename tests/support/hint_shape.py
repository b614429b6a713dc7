"""The one shape tests use for "a judgment check nobody adopted": the editor shows it as a hint,
`check` stays silent, the Problems panel never lists it.

TRY400 (`logging.error` in an `except` block where `logger.exception` keeps the traceback) is a
judgment-tier ruff code that stays reported on this shape. Tests import it from here so that when
the tiers move again (issue 21 moved ARC201 and T201 to opt-in, which is never a hint) one file
changes.
"""

HINT_CODE = "TRY400"
HINT_MODULE = (
    "import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
    "def total(x):\n    try:\n        return load(x)\n    except Exception:\n"
    "        log.error(\"could not load %s\", x)\n        return 0\n"
)
HINT_TEXT = '        log.error("could not load %s", x)'
"""The line the hint is on, as written."""
HINT_LINE = HINT_MODULE.split("\n").index(HINT_TEXT)
"""0-based, as LSP counts."""
