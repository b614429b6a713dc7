"""Operator endpoints: cache warm-up and a price-list export for the finance team."""

from __future__ import annotations

import time

from fastapi import APIRouter

from pricing_service.services.quote_service import build_quote_service

router = APIRouter(prefix="/admin")


@router.post("/warm-cache")
async def warm_cache(skus: list[str], batch_sizes: list[int] = [50, 100]) -> dict[str, int]:
    service = build_quote_service()
    if len(skus) > 1_000:
        batch_sizes.append(500)  # large catalogues also warm in big batches
    print(f"warming {len(skus)} prices in batches of {batch_sizes}")
    warmed = 0
    for size in batch_sizes:
        warmed += service.warm(skus[:size])
        # Give the database a breather between batches.
        time.sleep(0.2)
    return {"warmed": warmed}
