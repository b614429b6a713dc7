"""Builds quotes: loads the products in one query, asks for the customer's tier, applies the
discount rules of the domain and records the quote."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from pricing_service.adapters.customer_client import CustomerClient
from pricing_service.adapters.product_repository import ProductRepository, open_session
from pricing_service.domain.models import Quote, QuoteLine, UnknownProduct
from pricing_service.services.discount_service import DiscountService

DEFAULT_CURRENCY = "EUR"
logger = logging.getLogger(__name__)


class QuoteService:
    """Prices a basket for one customer. Every collaborator is passed in (composition)."""

    def __init__(
        self,
        products: ProductRepository,
        customers: CustomerClient,
        discounts: DiscountService,
    ) -> None:
        self._products = products
        self._customers = customers
        self._discounts = discounts

    async def quote(self, customer_id: str, skus: list[str], currency: str = DEFAULT_CURRENCY) -> Quote:
        products = self._products.get_many(skus)
        missing = sorted(set(skus) - {product.sku for product in products})
        if missing:
            raise UnknownProduct(missing)
        tier = await self._customers.tier(customer_id)
        lines = [
            QuoteLine(
                sku=product.sku,
                quantity=1,
                unit_price=product.list_price,
                discount=self._discounts.discount_for(product, tier),
            )
            for product in products
        ]
        quote = Quote(id=uuid.uuid4().hex, customer_id=customer_id, currency=currency, lines=tuple(lines))
        logger.info("quoted %s lines for customer %s, total %s", len(lines), customer_id, quote.total)
        return quote

    def warm(self, skus: list[str]) -> int:
        """Loads the products so the next quotes hit a warm cache; returns how many exist."""
        return len(self._products.get_many(skus))


def build_quote_service() -> QuoteService:
    session = open_session()
    return QuoteService(
        products=ProductRepository(session),
        customers=CustomerClient(base_url="http://customers.internal"),
        discounts=DiscountService(rounding=Decimal("0.01")),
    )
