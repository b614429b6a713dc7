"""Caching of computed prices in Redis (ADR-014)."""

from __future__ import annotations

import json
from decimal import Decimal

import redis


class PriceCache:
    """Thin pass-through kept from the first Redis spike; callers still see every Redis detail."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def get(self, key: str) -> bytes | None:
        return self._client.get(key)

    def set(self, key: str, value: bytes, ttl: int) -> None:
        self._client.set(key, value, ex=ttl)

    def delete(self, key: str) -> None:
        self._client.delete(key)


class QuoteCache:
    """Hides the key layout, the serialisation and the TTL: callers store and fetch prices."""

    def __init__(self, client: redis.Redis, ttl_s: int = 60, namespace: str = "price:v2") -> None:
        self._client = client
        self._ttl_s = ttl_s
        self._namespace = namespace

    def price(self, sku: str, currency: str) -> Decimal | None:
        raw = self._client.get(self._key(sku, currency))
        return None if raw is None else Decimal(json.loads(raw)["amount"])

    def remember(self, sku: str, currency: str, amount: Decimal) -> None:
        payload = json.dumps({"amount": str(amount), "currency": currency})
        self._client.set(self._key(sku, currency), payload, ex=self._ttl_s)

    def forget_product(self, sku: str) -> int:
        keys = list(self._client.scan_iter(match=f"{self._namespace}:{sku}:*", count=500))
        return self._client.delete(*keys) if keys else 0

    def _key(self, sku: str, currency: str) -> str:
        return f"{self._namespace}:{sku}:{currency}"
