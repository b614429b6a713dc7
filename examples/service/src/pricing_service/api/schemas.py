"""Request and response bodies of the public quote API."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from pricing_service.domain.models import Quote


class QuoteRequest(BaseModel):
    customer_id: str = Field(min_length=1)
    skus: list[str] = Field(min_length=1, max_length=200)
    currency: str = "EUR"


class QuoteLineBody(BaseModel):
    sku: str
    quantity: int
    unit_price: Decimal
    discount: Decimal


class QuoteResponse(BaseModel):
    quote_id: str
    currency: str
    total: Decimal
    lines: list[QuoteLineBody]

    @classmethod
    def from_domain(cls, quote: Quote) -> "QuoteResponse":
        return cls(
            quote_id=quote.id,
            currency=quote.currency,
            total=quote.total,
            lines=[
                QuoteLineBody(
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount=line.discount,
                )
                for line in quote.lines
            ],
        )
