"""Small workspaces the end-to-end tests build in ``tmp_path``: a shop service with ADRs that
forbid, layer, pin and tag, code that breaks each of them, and a superseded decision."""

from __future__ import annotations

from pathlib import Path

DOMAIN_DECISION = (
    "The domain package imports no web framework and no HTTP client. "
    "It reaches the outside world only through the ports it defines."
)
TIMEOUT_DECISION = (
    "Every outbound HTTP call passes an explicit timeout of at most ten seconds. "
    "A call without a timeout can hold a worker forever when a partner hangs."
)
LOGGING_DECISION = (
    "Errors inside an except block are logged with logger.exception so the traceback reaches the "
    "log pipeline. Print statements never ship."
)
LAYER_DECISION = "Modules import only from layers below their own: api uses services, services use the domain."
ASYNC_DECISION = "Request handlers are async and never block the event loop. Database access goes through the async session, batched per request."

COMPOSITION_DECISION = "Classes reuse behaviour by holding collaborators, not by inheriting from concrete classes. Only abstract bases and exceptions are inherited from."

ADRS = {
    "0001-keep-the-domain-framework-free.md": f"""---
id: ADR-001
title: Keep the domain framework-free
status: accepted
date: 2025-01-10
tags: [framework-isolation]
rules:
  - id: no-http-in-domain
    kind: forbidden-import
    modules: [requests, httpx, fastapi]
    paths: ["src/shop/domain/**"]
---

# ADR-001: Keep the domain framework-free

## Context

The domain was tangled with HTTP code and could not be tested without a network.

## Decision

{DOMAIN_DECISION}

## Consequences

Adapters live in shop.adapters.
""",
    "0002-timeouts-on-every-outbound-call.md": f"""---
id: ADR-002
title: Timeouts on every outbound call
status: accepted
date: 2025-01-12
tags: [resilience]
rules:
  - id: http-timeouts
    kind: ruff
    codes: [S113]
---

# ADR-002: Timeouts on every outbound call

## Decision

{TIMEOUT_DECISION}
""",
    "0003-log-exceptions-with-tracebacks.md": f"""---
id: ADR-003
title: Log exceptions with their tracebacks
status: accepted
date: 2025-01-15
tags: [observability]
rules:
  - id: log-exceptions
    kind: ruff
    codes: [TRY400, T201]
---

# ADR-003: Log exceptions with their tracebacks

## Decision

{LOGGING_DECISION}
""",
    "0004-pin-runtime-dependencies.md": """---
id: ADR-004
title: Pin runtime dependencies
status: accepted
date: 2025-01-20
tags: [dependencies]
rules:
  - id: exact-pins
    kind: pinned-dependencies
    policy: exact
---

# ADR-004: Pin runtime dependencies

## Decision

Every runtime dependency is pinned with == so every deploy installs what CI tested.
""",
    "0005-layered-architecture.md": f"""---
id: ADR-005
title: Layered architecture
status: accepted
date: 2025-02-01
tags: [layering]
rules:
  - id: layers
    kind: layers
    layers: [shop.api, shop.services, shop.domain]
---

# ADR-005: Layered architecture

## Decision

{LAYER_DECISION}
""",
    "0006-synchronous-orm.md": """---
id: ADR-006
title: Synchronous ORM sessions
status: superseded
date: 2024-06-01
superseded-by: [ADR-007]
---

# ADR-006: Synchronous ORM sessions

## Decision

Use the synchronous ORM session everywhere.
""",
    "0007-async-io-on-the-request-path.md": f"""---
id: ADR-007
title: Async I/O on the request path
status: accepted
date: 2025-03-01
supersedes: [ADR-006]
tags: [async, data-layer]
applies-to:
  keywords: [session, fetch]
---

# ADR-007: Async I/O on the request path

## Decision

{ASYNC_DECISION}
""",
    "0008-composition-over-inheritance.md": f"""---
id: ADR-008
title: Composition over inheritance
status: accepted
date: 2025-03-10
tags: [composition]
---

# ADR-008: Composition over inheritance

## Decision

{COMPOSITION_DECISION}
""",
}

ORDERS = '''"""Orders. The domain follows ADR-001 and adr 7."""
import requests

from shop.services import billing


class Order:
    def total(self) -> int:
        return 1


class SpecialOrder(Order):
    pass
'''

BILLING = '''import logging

import requests

logger = logging.getLogger(__name__)


def charge(order_id):
    try:
        return requests.post("https://pay.example/charge", json={"id": order_id})
    except Exception as exc:
        logger.error("charge failed: %s", exc)
        return None  # not a bare `raise`: logging and re-raising is no TRY400 (issue 8)


async def fetch_all(session, ids):
    rows = []
    for order_id in ids:
        rows.append(await session.execute("select 1", order_id))
    return rows


def report(total, seen=[]):
    seen.append(total)
    return total
'''

ROUTES = '''"""HTTP routes."""
import logging

import requests

from shop.services import billing

logger = logging.getLogger(__name__)


class PaymentError(Exception):
    pass


def list_prices(cursor, skus):
    prices = []
    for sku in skus:
        prices.append(cursor.fetchall())
    logger.info("listed %d prices", len(prices))
    return requests.get("https://prices.example/all", timeout=5), billing
'''

FILES = {
    # B006 is opt-in (issue 21): the options table names it, so the shop keeps its mutable default
    # (a core-like ruff finding no ADR cites, and the ruff fix the editor offers for it).
    "pyproject.toml": ('[project]\nname = "shop"\nversion = "0.1.0"\n\n[tool.python-architect]\nsrc = ["src"]\n\n'
                       '[tool.python-architect.options.B006]\nin-tests = false\n'),
    "requirements.txt": "packaging>=20\n",
    "src/shop/__init__.py": "",
    "src/shop/domain/__init__.py": "",
    "src/shop/domain/orders.py": ORDERS,
    "src/shop/services/__init__.py": "",
    "src/shop/services/billing.py": BILLING,
    "src/shop/api/__init__.py": "",
    "src/shop/api/routes.py": ROUTES,
}


def build_shop(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, text in ADRS.items():
        path = root / ".ai" / "adrs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
