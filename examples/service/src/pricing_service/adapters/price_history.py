"""Price-history export for the finance team's monthly report (legacy, being rewritten)."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session


class PriceHistoryExport:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest_prices(self, skus: list[str]) -> dict[str, str]:
        prices = {}
        for sku in skus:
            row = self.session.execute(
                text("SELECT price FROM price_history WHERE sku = :sku ORDER BY changed_at DESC LIMIT 1"),
                {"sku": sku},
            ).first()
            prices[sku] = str(row.price) if row else ""
        return prices

    def changes_since(self, since: date, market: str) -> str:
        query = f"SELECT sku, price, changed_at FROM price_history WHERE changed_at >= '{since}' AND market = '{market}'"
        out = io.StringIO()
        writer = csv.writer(out)
        for row in self.session.execute(text(query)):
            writer.writerow(row)
        return out.getvalue()
