"""The pricing domain: products, quotes and discount rules. Plain Python, no frameworks (ADR-011)."""
