"""Client of the customer service (loyalty tiers). Outbound calls follow ADR-013: a timeout on
every request, and a bounded number of retries with exponential backoff."""

from __future__ import annotations

import asyncio
import logging

import httpx
import requests

MAX_ATTEMPTS = 4
BACKOFF_BASE_S = 0.2
logger = logging.getLogger(__name__)


class CustomerClient:
    def __init__(self, base_url: str, timeout_s: float = 2.0) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_s)

    async def tier(self, customer_id: str) -> str:
        response = await self._get_with_retry(f"/customers/{customer_id}/tier")
        return response.json()["tier"]

    async def _get_with_retry(self, path: str) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = await self._http.get(path)
                response.raise_for_status()
                return response
            except httpx.TransportError:
                attempt += 1
                if attempt >= MAX_ATTEMPTS:
                    raise
                await asyncio.sleep(BACKOFF_BASE_S * 2**attempt)


def legacy_tier(base_url: str, customer_id: str) -> str:
    """Used by the nightly batch job, which predates the async client."""
    while True:
        try:
            response = requests.get(f"{base_url}/customers/{customer_id}/tier")
            return response.json()["tier"]
        except requests.ConnectionError:
            logger.warning("customer service unreachable, retrying")
