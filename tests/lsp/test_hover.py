"""Hover over the protocol: findings, imports, constructs and ADR references, each naming the ADR
and quoting its decision; nothing where nothing is relevant. Hover changes nothing, so one server
per profile serves the module (UTF-16 and UTF-8 positions)."""

from __future__ import annotations

from lsp_support import shared_session_fixture
from workspaces import (
    ASYNC_DECISION,
    COMPOSITION_DECISION,
    DOMAIN_DECISION,
    LOGGING_DECISION,
    TIMEOUT_DECISION,
)


shared_client = shared_session_fixture("visual_studio_code", "neovim")


def _first_sentence(text: str) -> str:
    return text.split(". ")[0]


async def test_hover_on_a_finding_explains_what_why_and_instead(shared_client):
    session, shop = shared_client.session, shared_client.session.root
    uri = session.open("src/shop/services/billing.py")
    await session.diagnostics(uri)
    text = await session.hover(uri, "requests.post", offset=3)
    assert text is not None
    assert "**S113**" in text and "ADR-002" in text
    assert "*Timeouts on every outbound call* (accepted" in text
    assert _first_sentence(TIMEOUT_DECISION) in text
    assert "**Instead:**" in text
    adr_uri = (shop / ".ai/adrs/0002-timeouts-on-every-outbound-call.md").resolve().as_uri()
    assert f"({adr_uri}#L" in text


async def test_hover_on_a_forbidden_import_quotes_the_domain_decision(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/domain/orders.py")
    await session.diagnostics(uri)
    text = await session.hover(uri, "import requests", offset=8)
    assert "ARC101" in text and "ADR-001" in text
    assert _first_sentence(DOMAIN_DECISION) in text


async def test_hover_on_an_allowed_import_names_the_adrs_that_govern_it(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/api/routes.py")
    await session.diagnostics(uri)
    text = await session.hover(uri, "import requests", offset=8)
    assert "ADR-001" in text and "forbidden in `src/shop/domain/**`" in text and "allowed in this file" in text
    layered = await session.hover(uri, "from shop.services import billing", offset=8)
    assert "ADR-005" in layered and "layer `shop.services`" in layered and "this file is in `shop.api`, which may use it" in layered


async def test_hover_on_constructs_ranks_the_concerned_adrs(shared_client):
    session = shared_client.session
    routes = session.open("src/shop/api/routes.py")
    billing = session.open("src/shop/services/billing.py")
    await session.diagnostics(routes)
    await session.diagnostics(billing)
    cls = await session.hover(routes, "class PaymentError", offset=8)
    assert "ADR-008" in cls and _first_sentence(COMPOSITION_DECISION) in cls
    query = await session.hover(routes, "cursor.fetchall", offset=9)
    assert "query inside a loop" in query and "ADR-007" in query
    log_call = await session.hover(routes, "logger.info", offset=8)
    assert "ADR-003" in log_call and _first_sentence(LOGGING_DECISION) in log_call
    http = await session.hover(routes, "requests.get", offset=10)
    assert "HTTP call" in http and "ADR-002" in http and _first_sentence(TIMEOUT_DECISION) in http
    assert http.count("\n- ") <= 3
    async_def = await session.hover(billing, "async def fetch_all", offset=2)
    assert "async function" in async_def and "ADR-007" in async_def and _first_sentence(ASYNC_DECISION) in async_def


async def test_hover_on_adr_references_in_docstrings_and_markdown(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/domain/orders.py")
    await session.diagnostics(uri)
    loose = await session.hover(uri, "adr 7", offset=2)
    assert "**ADR-007: Async I/O on the request path**" in loose
    assert "Status: **accepted** · Date: 2025-03-01" in loose
    assert _first_sentence(ASYNC_DECISION) in loose
    superseded_md = session.open(".ai/adrs/0007-async-io-on-the-request-path.md", language="markdown")
    old = await session.hover(superseded_md, "ADR-006", offset=3)
    assert "**ADR-006: Synchronous ORM sessions**" in old and "Superseded by" in old and "ADR-007" in old


async def test_no_hover_where_nothing_is_relevant(shared_client):
    session = shared_client.session
    uri = session.open("src/shop/api/routes.py")
    await session.diagnostics(uri)
    assert await session.hover(uri, "prices = []", offset=1) is None
    assert await session.hover(uri, "def list_prices", offset=6) is None
    unknown = session.uri("src/shop/api/nowhere.py")
    from lsprotocol import types

    result = await shared_client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=unknown), position=types.Position(0, 0))
    )
    assert result is None


async def test_hover_keeps_the_last_good_constructs_through_a_syntax_error(shared_client):
    session = shared_client.session
    routes = session.scratch("src/shop/api/routes.py")
    await session.diagnostics(routes)
    session.replace(routes, "class PaymentError", "class PaymentError(:")  # same lines, broken
    await session.diagnostics(routes)
    # The broken version has no analysis of its own: hover answers from the last good one.
    http = await session.hover(routes, "requests.get", offset=10)
    assert http is not None and "HTTP call" in http and "ADR-002" in http
