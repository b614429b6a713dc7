"""An ADR's status as the architect shows it: as parsed, or unknown when its frontmatter did not
parse (ARC001) and the parser fell back to its default.

The parser (``adr_parser``) still reads a record whose header is broken, from its body alone, and
gives it the default status ``accepted`` so its id and text stay visible; the checks find no rules
in it. What it says about its status cannot be trusted, so no answer presents it as accepted.
This relies on two things the parser keeps: the ARC001 problem carries the ADR file's path, and
the fallback status is ``accepted``.
"""

from __future__ import annotations

from pathlib import Path

from .model import Adr, KnowledgeBase

UNKNOWN_STATUS = "unknown — frontmatter did not parse (ARC001)"


def unparsed_adr_paths(kb: KnowledgeBase) -> frozenset[Path]:
    """The ADR files whose frontmatter did not parse (ARC001): their status is unknown, whatever
    the parser fell back to, so no answer may present them as accepted."""
    from ..codes import ARC001

    return frozenset(Path(p.path) for p in kb.problems if p.code == ARC001)


def status_of(kb: KnowledgeBase, adr: Adr) -> str:
    """The status to show for ``adr``: as parsed, or "unknown …" when its frontmatter did not
    parse and the parser fell back to the default (``accepted``)."""
    if adr.status == "accepted" and Path(adr.path) in unparsed_adr_paths(kb):
        return UNKNOWN_STATUS
    return adr.status
