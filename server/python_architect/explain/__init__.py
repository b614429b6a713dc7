"""Explanations for people: hover text, code-action plans and position conversions.

Pure core (no pygls, no lsprotocol): the language server adapts these plans to the protocol.
"""
