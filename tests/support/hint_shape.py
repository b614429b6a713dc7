"""The one shape tests use for "a judgment check nobody adopted": the editor shows it as a hint,
`check` stays silent, the Problems panel never lists it.

S311 (a non-cryptographic `random` value that becomes a secret: bound to a name such as `token`)
is a judgment-tier ruff code that stays reported on this shape. Tests import it from here so that
when the tiers move again (issue 21 moved ARC201, T201 and TRY400 to opt-in, which is never a
hint) one file changes.
"""

HINT_CODE = "S311"
HINT_MODULE = (
    "import random\n\n\n"
    "def new_session():\n    token = random.random()\n    return {\"token\": token}\n"
)
HINT_TEXT = "    token = random.random()"
"""The line the hint is on, as written."""
HINT_LINE = HINT_MODULE.split("\n").index(HINT_TEXT)
"""0-based, as LSP counts."""
