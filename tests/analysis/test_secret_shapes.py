"""ARC701 on the three shapes real code hard-codes credentials in (issue 8: all three were missed)
and on the look-alikes that are not credentials."""

from __future__ import annotations

from analysis_harness import lines_of, run_check
from python_architect.analysis.secrets import find_secrets, redact

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")


def test_dsn_with_a_password_is_a_credential():
    findings = run_check("ARC701", 'DATABASE_URL = "postgresql://user:pass@host/db"\n')
    assert lines_of(findings) == [1]
    assert "database URL with a password" in findings[0].message
    assert "pass@" not in findings[0].message  # the value never travels in the finding


def test_dsn_without_a_password_or_with_a_template_is_not():
    source = """
    A = "postgresql://user@host/db"
    B = "postgresql://{user}:{password}@host/db"
    C = "postgresql://user:${DB_PASSWORD}@host/db"
    D = "redis://:****@cache:6379/0"
    """
    assert run_check("ARC701", source) == []


def test_dsn_in_documentation_prose_is_not_reported():
    source = '''
    def connect(url):
        """Connect, for example to postgresql://scott:tiger@localhost/test as in the tutorial."""
    '''
    assert run_check("ARC701", source) == []


def test_password_assignment_with_a_strong_value_is_a_credential():
    findings = run_check("ARC701", 'DB_PASSWORD = "Tr0ub4dor&3-prod"\n')
    assert lines_of(findings) == [1]
    assert "DB_PASSWORD" in findings[0].message


def test_weak_or_placeholder_password_values_are_not():
    source = """
    DB_PASSWORD = "password"
    ADMIN_PASSWORD = "changeme-please"
    PASSWORD_FIELD = "Tr0ub4dor&3-prod"
    DB_PASSWORD_ENV = "DB_PASSWORD"
    """
    assert run_check("ARC701", source) == []


def test_jwt_and_bearer_tokens_are_credentials():
    source = f"""
    TOKEN = "{JWT}"
    HEADERS = {{"Authorization": "Bearer 9fQx2LmZp7RtV4nB8cKdW3sYhJ6uEa1G"}}
    """
    findings = run_check("ARC701", source)
    assert lines_of(findings) == [2, 3]
    assert "JSON Web Token" in findings[0].message and "bearer token" in findings[1].message


def test_bearer_templates_are_not():
    source = """
    HEADERS = {"Authorization": "Bearer {token}"}
    EXAMPLE = "Bearer <your-token-here-please-replace>"
    """
    assert run_check("ARC701", source) == []


def test_test_payloads_and_regular_expressions_are_not_credentials():
    source = """
    api_key = "key<script>alert(1)</script>"
    qtoken = '(?:"[^"]+"|[A-Za-z0-9_]+?)'
    """
    assert run_check("ARC701", source) == []
    # The twin: a random value under a secret name is still one.
    assert lines_of(run_check("ARC701", 'api_key = "q8Zr2LxP0vN7tYw4Kb6M"\n')) == [1]


def test_in_test_code_only_vendor_format_keys_are_reported():
    fixture = f'DATABASE_URL = "postgresql://user:pass@localhost/test"\nTOKEN = "{JWT}"\n'
    assert run_check("ARC701", fixture, path="tests/test_orders.py") == []
    live = 'KEY = "sk_live_' + "a1B2c3D4e5F6g7H8i9J0k1L2" + '"\n'
    assert lines_of(run_check("ARC701", live, path="tests/test_orders.py")) == [1]


def test_the_chat_redactor_hides_the_new_shapes_too():
    text = f'url = "postgresql://app:S3cr3t-Value@db/prod"\ntoken = "{JWT}"\n'
    kinds = [hit.kind for hit in find_secrets(text)]
    assert kinds == ["database URL with a password", "JSON Web Token"]
    redacted = redact(text)
    assert "S3cr3t-Value" not in redacted and JWT not in redacted


def test_severity_is_error_only_for_the_certain_shapes():
    vendor = run_check("ARC701", 'KEY = "sk_live_' + "a1B2c3D4e5F6g7H8i9J0k1L2" + '"\n')
    dsn = run_check("ARC701", 'URL = "postgresql://app:S3cr3t-Value@db/prod"\n')
    named = run_check("ARC701", 'DB_PASSWORD = "Tr0ub4dor&3-prod"\n')
    jwt = run_check("ARC701", f'TOKEN = "{JWT}"\n')
    assert [f.severity for f in (*vendor, *dsn)] == [None, None]  # the registry default: error
    assert [f.severity.value for f in (*named, *jwt)] == ["warning", "warning"]
