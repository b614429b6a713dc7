"""ADR identifiers: the one canonical spelling (``ADR-011``) and the loose ones people write."""

from __future__ import annotations

import re

ADR_REFERENCE = re.compile(r"\bADR[-_ ]?0*(\d{1,5})\b", re.IGNORECASE)


def format_adr_id(number: int) -> str:
    """``11`` -> ``ADR-011`` (three digits at least, as most teams write them)."""
    return f"ADR-{number:03d}"


def normalize_adr_id(text: str) -> str:
    """``adr 11``, ``ADR-0011``, ``adr_11`` -> ``ADR-011``; other ids are returned stripped."""
    match = ADR_REFERENCE.fullmatch(text.strip())
    if match:
        return format_adr_id(int(match.group(1)))
    return text.strip()
