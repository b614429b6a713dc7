"""The secret detector the chat uses for redaction, on Python, .env and JSON-ish text."""

from __future__ import annotations

from python_architect.analysis.secrets import find_secrets, redact, shannon_entropy
from python_architect.findings import Span

ENV_TEXT = """# local settings
API_KEY=8fJ3kLm92PqR7sTu4VwX
DEBUG=true
DATABASE_PASSWORD=changeme
export GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789
SECRET_KEY=${APP_SECRET}
"""


def test_env_style_assignments_and_known_tokens():
    hits = find_secrets(ENV_TEXT)
    assert [(hit.span.line, hit.kind) for hit in hits] == [
        (2, "secret assigned to a secret name"),
        (5, "GitHub token"),
    ]
    assert hits[0].span == Span(2, 9, 2, 29)
    assert ENV_TEXT[hits[0].start:hits[0].end] == hits[0].value == "8fJ3kLm92PqR7sTu4VwX"


def test_repr_of_a_hit_never_shows_the_secret():
    hit = find_secrets('key = "sk_live_51HxYzAbCdEfGhIjKlMnOpQr"')[0]
    assert "sk_live" not in repr(hit) and hit.kind == "Stripe live secret key"


def test_private_key_block_and_json_key():
    body = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi+Z7qCk0Xa9d8Fj2Hs5Lq1\nc2Vw7pR4tY8uI0oP3aSdF6gH9jK2lZ5xC8vB1nM4qW7eR0tY3uI6oP9aS2dF5gH8\n"
    text = (
        '{"client_secret": "Zq8W2eR5tY7uI9oP1aSd"}\n'
        f"-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n"
    )
    kinds = [hit.kind for hit in find_secrets(text)]
    assert kinds == ["secret assigned to a secret name", "private key"]
    redacted = redact(text)
    assert "MIIEpAIBAAKCAQEA" not in redacted and "Zq8W2" not in redacted
    assert "[REDACTED private key]" in redacted and "END RSA PRIVATE KEY" not in redacted


def test_private_key_header_in_documentation_is_not_a_secret():
    doc = "Loads a PEM file that starts with -----BEGIN RSA PRIVATE KEY----- and ends with the END line."
    assert find_secrets(doc) == []
    assert find_secrets("key = 'param:secp384r1.pem'\n") == []


def test_ordinary_text_is_left_alone():
    text = 'PASSWORD_FIELD = "password"\nname = "Ada Lovelace"\nsha = "3f786850e387550fdab836ed7e6dc881de23001b"\n'
    assert find_secrets(text) == []
    assert redact(text) == text


def test_entropy_orders_random_above_words():
    assert shannon_entropy("q8W2eR5tY7uI9oP1aSdF") > 3.5 > shannon_entropy("passwordpassword")
