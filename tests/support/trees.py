"""``write_tree``: small on-disk workspaces written from ``{relative path: text or bytes}`` dicts.

Shared by every test folder (``tests/support`` is on pytest's ``pythonpath``).
"""

from __future__ import annotations

from pathlib import Path


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Creates ``files`` under ``root`` (parents included) and returns ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def layers_adr(package: str) -> str:
    """An accepted ADR-005 with one ``layers`` rule over ``package``'s api, services and domain
    (top to bottom), for trees that exercise ARC102 and the layered graph."""
    return f"""---
id: ADR-005
title: Layered architecture
status: accepted
date: 2024-02-20
tags: [layering]
rules:
  - id: layers
    kind: layers
    layers: [{package}.api, {package}.services, {package}.domain]
---
# ADR-005: Layered architecture

## Decision

A lower layer never imports a higher one, not even through a helper.
"""
