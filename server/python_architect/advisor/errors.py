"""What the chat says when the Anthropic API cannot answer: one short sentence per failure.

The SDK raises typed exceptions (after its own retries with backoff on 429/5xx); people see a
line they can act on, never a stack trace. Nothing here repeats the API key or the prompt.
"""

from __future__ import annotations


class NoApiKeyError(Exception):
    """Raised before any request when no API key is configured."""


NO_KEY = (
    "No Anthropic API key: set ANTHROPIC_API_KEY to get full answers from the architect "
    "(answered offline from the ADRs instead)."
)
INVALID_KEY = "The Anthropic API rejected the API key (401). Check ANTHROPIC_API_KEY."
RATE_LIMITED = "Rate limited by the Anthropic API (429), even after retrying with backoff. Try again in a minute."
OVERLOADED = "Claude is overloaded right now (529). Try again in a moment."
NETWORK_DOWN = "Cannot reach the Anthropic API: the network looks down or the address is wrong."
CONTEXT_TOO_LONG = (
    "The question's context is too long for the model: select less code, or lower "
    "the chat's max context tokens setting."
)
SERVER_ERROR = "The Anthropic API had an internal error ({status}). Try again shortly."


def timed_out(timeout_s: float | None) -> str:
    after = f" after {timeout_s:g} s" if timeout_s else ""
    return f"The Anthropic API did not answer{after} (timeout). Try again, or raise the chat timeout setting."


def user_message(error: BaseException, *, timeout_s: float | None = None, model: str | None = None) -> str:
    """A short, actionable sentence for ``error`` (an SDK exception or ``NoApiKeyError``)."""
    if isinstance(error, NoApiKeyError):
        return NO_KEY
    # Imported here: the SDK takes seconds to import, and offline answers never need it.
    import anthropic

    # APITimeoutError subclasses APIConnectionError: test it first.
    if isinstance(error, anthropic.APITimeoutError):
        return timed_out(timeout_s)
    if isinstance(error, anthropic.APIConnectionError):
        return NETWORK_DOWN
    if isinstance(error, anthropic.AuthenticationError):
        return INVALID_KEY
    if isinstance(error, anthropic.PermissionDeniedError):
        return "The API key is not allowed to use this model or feature (403)."
    if isinstance(error, anthropic.NotFoundError):
        name = f" '{model}'" if model else ""
        return f"The model{name} was not found (404): check the chat model setting."
    if isinstance(error, anthropic.RateLimitError):
        return RATE_LIMITED
    if isinstance(error, anthropic.APIStatusError) and error.status_code == 529:
        return OVERLOADED
    if isinstance(error, anthropic.APIStatusError) and getattr(error, "type", None) == "overloaded_error":
        return OVERLOADED
    if isinstance(error, anthropic.APIStatusError) and error.status_code in (400, 413):
        detail = (getattr(error, "api_message", None) or str(error) or "").strip()
        if "too long" in detail.lower() or error.status_code == 413:
            return CONTEXT_TOO_LONG
        return f"The Anthropic API rejected the request ({error.status_code}): {_short(detail)}"
    if isinstance(error, anthropic.APIStatusError) and error.status_code >= 500:
        return SERVER_ERROR.format(status=error.status_code)
    if isinstance(error, anthropic.APIStatusError):
        return f"The Anthropic API answered with an error ({error.status_code})."
    # The stream itself can carry an ``error`` event after a 200 (overload mid-answer).
    if isinstance(error, anthropic.APIError):
        detail = str(getattr(error, "message", "") or error)
        if "overloaded" in detail.lower():
            return OVERLOADED
        return f"The answer stream broke off: {_short(detail)}"
    return f"The architect chat failed unexpectedly ({type(error).__name__})."


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
