"""Adapters: the database, the customer service, FX rates, payments and the cache."""
