"""A small on-disk workspace with ADRs of every status, shared by the engine tests."""

from __future__ import annotations

ADR_RESILIENCE = """---
id: ADR-001
title: Every outbound HTTP call is bounded
status: accepted
tags: [resilience]
rules:
  - id: http-timeouts
    kind: ruff
    codes: [S113]
    severity: error
---
# ADR-001: Every outbound HTTP call is bounded

## Decision
All HTTP calls pass an explicit timeout.
"""

ADR_PROPOSED = """---
id: ADR-002
title: Domain stays free of HTTP clients
status: proposed
rules:
  - id: no-http-in-domain
    kind: forbidden-import
    modules: [requests]
    paths: ["src/shop/domain/**"]
    severity: error
---
# ADR-002: Domain stays free of HTTP clients

## Decision
The domain layer does not import HTTP clients.
"""

ADR_REJECTED = """---
id: ADR-003
title: Ban the json module
status: rejected
rules:
  - id: no-json
    kind: forbidden-import
    modules: [json]
---
# ADR-003: Ban the json module

## Decision
Rejected.
"""

ADR_SUPERSEDED = """---
id: ADR-004
title: Ban the os module
status: superseded
superseded-by: [ADR-005]
rules:
  - id: no-os
    kind: forbidden-import
    modules: [os]
---
# ADR-004: Ban the os module

## Decision
Superseded.
"""

ADR_CHECK = """---
id: ADR-005
title: Shallow inheritance
status: accepted
supersedes: [ADR-004]
rules:
  - id: shallow-hierarchies
    kind: check
    check: ARC202
    severity: error
    options:
      max-depth: 1
---
# ADR-005: Shallow inheritance

## Decision
Hierarchies stay one level deep.
"""

DOMAIN = """import json
import os
import requests


def fetch(url):
    return requests.get(url)
"""

HIERARCHY = """class Base:
    def __init__(self):
        self.n = 1


class Middle(Base):
    def more(self):
        return 2


class Leaf(Middle):
    def most(self):
        return 3
"""

FILES = {
    "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["requests>=2"]\n\n[tool.python-architect]\nsrc = ["src"]\n',
    ".ai/adrs/0001-http-timeouts.md": ADR_RESILIENCE,
    ".ai/adrs/0002-domain-http.md": ADR_PROPOSED,
    ".ai/adrs/0003-no-json.md": ADR_REJECTED,
    ".ai/adrs/0004-no-os.md": ADR_SUPERSEDED,
    ".ai/adrs/0005-shallow.md": ADR_CHECK,
    "src/shop/__init__.py": "",
    "src/shop/domain/__init__.py": "",
    "src/shop/domain/orders.py": DOMAIN,
    "src/shop/models.py": HIERARCHY,
}
