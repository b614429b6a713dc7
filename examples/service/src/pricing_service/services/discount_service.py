"""Chooses the discount for a product and a customer tier, within the budget finance allows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pricing_service.domain.discounts import discount_rules_for
from pricing_service.domain.models import Product
from pricing_service.services.quote_service import DEFAULT_CURRENCY

MAX_DISCOUNT = Decimal("0.30")


class DiscountService:
    def __init__(self, rounding: Decimal) -> None:
        self._rounding = rounding

    def discount_for(self, product: Product, tier: str) -> Decimal:
        """The best discount any rule grants, capped at the budget, in the quote currency."""
        best = Decimal(0)
        for rule in discount_rules_for(tier):
            best = max(best, rule.rate(product))
        rate = min(best, MAX_DISCOUNT)
        return (product.list_price * rate).quantize(self._rounding, rounding=ROUND_HALF_UP)

    def describe(self, tier: str) -> str:
        return f"discounts for {tier} customers, in {DEFAULT_CURRENCY}"
