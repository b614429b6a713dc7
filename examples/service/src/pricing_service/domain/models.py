"""Value objects of a quote. Immutable, framework-free, cheap to build in tests."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal


class QuoteStatus(enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    EXPIRED = "expired"


class PricingError(Exception):
    """Base of the errors the domain raises; the API maps them to HTTP statuses."""


class UnknownProduct(PricingError):
    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"unknown product(s): {', '.join(skus)}")
        self.skus = skus


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    list_price: Decimal


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    quantity: int
    unit_price: Decimal
    discount: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.unit_price - self.discount) * self.quantity


@dataclass(frozen=True)
class Quote:
    id: str
    customer_id: str
    currency: str
    lines: tuple[QuoteLine, ...]
    status: QuoteStatus = QuoteStatus.DRAFT

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))
