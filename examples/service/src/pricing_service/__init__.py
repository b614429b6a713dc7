"""Pricing service: quotes prices for the web shop and the partner API.

Layers, top to bottom (ADR-008): ``api`` -> ``services`` -> ``adapters`` -> ``domain``.
"""

__version__ = "2.4.0"
