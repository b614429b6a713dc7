"""One constant per architect code (``ARC...``), in code order.

The constants are the only place a code's string is spelled; everything else imports them. The
metadata of each code is declared in ``codes.arc_structure`` (ARC0xx, ARC1xx) and
``codes.arc_design`` (ARC2xx-ARC9xx). The implementations live in ``analysis`` and ``workspace``
(``@check(ARC201)``); ``catalog`` joins them to those records. A per-check ``tier`` and option
schema (issue 8) go into the records.
"""

from __future__ import annotations

# -- the ADR files and the configuration (produced by the knowledge loader and the engine) ------
ARC001 = "ARC001"
ARC002 = "ARC002"
ARC003 = "ARC003"
ARC004 = "ARC004"
ARC005 = "ARC005"
ARC006 = "ARC006"
# -- imports and dependencies --------------------------------------------------------------------
ARC101 = "ARC101"
ARC102 = "ARC102"
ARC103 = "ARC103"
ARC104 = "ARC104"
ARC105 = "ARC105"
ARC106 = "ARC106"
ARC110 = "ARC110"
ARC111 = "ARC111"
# -- design, runtime ----------------------------------------------------------------------------
ARC201 = "ARC201"
ARC202 = "ARC202"
ARC203 = "ARC203"
ARC301 = "ARC301"
ARC302 = "ARC302"
ARC402 = "ARC402"
ARC502 = "ARC502"
ARC701 = "ARC701"
ARC702 = "ARC702"
# -- the engine -----------------------------------------------------------------------------------
ARC900 = "ARC900"

RULE_DRIVEN = {
    "forbidden-import": ARC101, "layers": ARC102, "interface": ARC104, "independence": ARC105,
    "deprecated-import": ARC106, "pinned-dependencies": ARC110, "external-dependencies": ARC111,
}
"""Checks that only ADR rules of one kind drive: they run when such rules exist."""
