"""Discount rules. New rules implement the ``DiscountRule`` protocol; they do not subclass
another rule (ADR-009)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from pricing_service.domain.models import Product

if TYPE_CHECKING:
    from pricing_service.domain.pricing_rules import PriceBook


class DiscountRule(Protocol):
    def rate(self, product: Product) -> Decimal: ...


class TierDiscount(ABC):
    """A rate that depends on the customer's loyalty tier only."""

    @abstractmethod
    def rate(self, product: Product) -> Decimal: ...


class GoldTierDiscount(TierDiscount):
    def rate(self, product: Product) -> Decimal:
        return Decimal("0.10")


class CategoryDiscount:
    """Composition: wraps a rule and applies it to one product category only."""

    def __init__(self, category: str, inner: DiscountRule) -> None:
        self._category = category
        self._inner = inner

    def rate(self, product: Product) -> Decimal:
        return self._inner.rate(product) if product.category == self._category else Decimal(0)


# The rules below grew by inheritance before ADR-009; each layer overrides a piece of its parent.
class BaseDiscount:
    def __init__(self, percent: int) -> None:
        self.percent = percent

    def applies(self, product: Product) -> bool:
        return True

    def rate(self, product: Product) -> Decimal:
        return Decimal(self.percent) / 100 if self.applies(product) else Decimal(0)


class SeasonalDiscount(BaseDiscount):
    def __init__(self, percent: int, start: date, end: date) -> None:
        super().__init__(percent)
        self.start, self.end = start, end

    def applies(self, product: Product) -> bool:
        return self.start <= date.today() <= self.end


class HolidayDiscount(SeasonalDiscount):
    def applies(self, product: Product) -> bool:
        return super().applies(product) and product.category != "gift-cards"


class BlackFridayDiscount(HolidayDiscount):
    def rate(self, product: Product) -> Decimal:
        return super().rate(product) * 2


def discount_rules_for(tier: str, price_book: PriceBook | None = None) -> list[DiscountRule]:
    rules: list[DiscountRule] = [CategoryDiscount("books", GoldTierDiscount())] if tier == "gold" else []
    today = date.today()
    rules.append(BlackFridayDiscount(15, date(today.year, 11, 24), date(today.year, 11, 30)))
    return rules
