"""Public quote endpoints. FastAPI lives here and only here (ADR-011)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, HTTPException

from pricing_service.api.schemas import QuoteRequest, QuoteResponse
from pricing_service.domain.models import UnknownProduct
from pricing_service.services.quote_service import QuoteService, build_quote_service

router = APIRouter(prefix="/v1")
logger = logging.getLogger(__name__)


@router.post("/quotes", response_model=QuoteResponse)
async def create_quote(
    request: QuoteRequest,
    service: QuoteService = Depends(build_quote_service),
) -> QuoteResponse:
    try:
        quote = await service.quote(request.customer_id, request.skus, request.currency)
    except UnknownProduct as exc:
        logger.info("quote rejected: %s", exc)
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    return QuoteResponse.from_domain(quote)


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
