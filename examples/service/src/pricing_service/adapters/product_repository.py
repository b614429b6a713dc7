"""Product reads for quoting (ADR-012): one query per request, never one per product."""

from __future__ import annotations

import os
from decimal import Decimal

from sqlalchemy import Numeric, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from pricing_service.domain.models import Product


class Base(DeclarativeBase):
    pass


class ProductRow(Base):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))
    list_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    def to_domain(self) -> Product:
        return Product(sku=self.sku, name=self.name, category=self.category, list_price=self.list_price)


def open_session() -> Session:
    engine = create_engine(os.environ["PRICING_DATABASE_URL"], pool_size=10, pool_pre_ping=True)
    return Session(engine)


class ProductRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get_many(self, skus: list[str]) -> list[Product]:
        """All products with these SKUs, in one round trip."""
        statement = select(ProductRow).where(ProductRow.sku.in_(skus))
        return [row.to_domain() for row in self._session.scalars(statement)]

    def by_category(self, category: str, limit: int = 100) -> list[Product]:
        statement = select(ProductRow).where(ProductRow.category == category).limit(limit)
        return [row.to_domain() for row in self._session.scalars(statement)]
