"""Price books: list prices per market, converted into the quote currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from fastapi import HTTPException

from pricing_service.adapters.fx_rates import convert
from pricing_service.domain.discounts import DiscountRule
from pricing_service.domain.models import Product


@dataclass
class PriceBook:
    market: str
    currency: str
    prices: dict[str, Decimal] = field(default_factory=dict)
    promotions: list[DiscountRule] = field(default_factory=list)

    def price_of(self, product: Product, currency: str) -> Decimal:
        if product.sku not in self.prices:
            raise HTTPException(status_code=404, detail=f"{product.sku} not sold in {self.market}")
        return convert(self.prices[product.sku], self.currency, currency)
