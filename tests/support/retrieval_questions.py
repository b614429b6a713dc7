"""A held-out set of design questions over ``examples/service``, each with the ADR it must cite.

Written in our own words before the ranking was tuned: no question uses a word of its ADR's
title. ``EXTENDS_BASE`` and ``LOOSE_SPECIFIER`` are our versions of the two questions the first
offline answer missed (issue 11).
"""

from __future__ import annotations

EXTENDS_BASE = ("Should `QuoteService` extend a `BaseService` class so it can reuse its helpers?", "ADR-009")
LOOSE_SPECIFIER = ("Is it fine to put `pydantic>=2` into our pyproject.toml?", "ADR-003")

QUESTIONS: list[tuple[str, str]] = [
    EXTENDS_BASE,
    LOOSE_SPECIFIER,
    ("Can a handler call time.sleep while it waits for the FX rates to come back?", "ADR-007"),
    ("May the HTTP endpoints talk straight to the adapters package and skip the services?", "ADR-008"),
    ("Is a thin class that just forwards every call to the customer client worth having?", "ADR-010"),
    ("Can the discount calculations raise fastapi's HTTPException or return a pydantic BaseModel?", "ADR-011"),
    ("Is it okay to call session.execute once per product inside a for loop?", "ADR-012"),
    ("What should happen when the customer API hangs or keeps answering with 503?", "ADR-013"),
    ("Where do we keep memoised quote totals so repeated lookups are quick, and when do they expire?", "ADR-014"),
    ("Where does the Stripe API key go? Can I paste it into settings.py?", "ADR-016"),
    ("Which library makes outgoing web calls here, is urllib3 acceptable?", "ADR-017"),
    ("How should I emit diagnostic output from the service so operators can search it?", "ADR-015"),
    ("Which database engine keeps our audit history, and could we move it to MongoDB?", "ADR-002"),
    ("Can I override one method of GoldTierDiscount in a new subclass for VIP customers?", "ADR-009"),
]
