"""ARC701/ARC702 on the shapes real code hard-codes credentials in (issue 8: DSNs, JWTs, passwords;
issues 21 and 24: percent-encoded DSNs, ``db_pass``/``auth`` names, split and paired keys, webhooks)
and on the look-alikes that are not credentials (the shared table: tests/support/secret_cases.py).
Certain kinds are ARC701; a value judged by its name and shapes without a vendor are ARC702."""

from __future__ import annotations

import pytest
from analysis_harness import lines_of, run_check
from python_architect.analysis.secrets import find_secrets, redact
from python_architect.codes import metadata
from secret_cases import (
    AWS_ID,
    AWS_SECRET,
    CASES,
    LOOK_ALIKES,
    MISSES,
    STRIPE_PREFIX,
    STRIPE_TAIL,
    Case,
)

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")


def credentials(source: str, **kwargs):
    """Both codes' findings: a claim that nothing is a credential must hold for ARC702 too."""
    found = run_check("ARC701", source, **kwargs) + run_check("ARC702", source, **kwargs)
    return sorted(found, key=lambda finding: (finding.span.line, finding.span.column))


def test_dsn_with_a_password_is_a_credential():
    findings = run_check("ARC701", 'DATABASE_URL = "postgresql://user:tiger@host/db"\n')
    assert lines_of(findings) == [1]
    assert "database URL with a password" in findings[0].message
    assert "tiger" not in findings[0].message  # the value never travels in the finding


def test_dsn_without_a_password_or_with_a_template_is_not():
    source = """
    A = "postgresql://user@host/db"
    B = "postgresql://{user}:{password}@host/db"
    C = "postgresql://user:${DB_PASSWORD}@host/db"
    D = "redis://:****@cache:6379/0"
    """
    assert credentials(source) == []


def test_dsn_in_documentation_prose_is_not_reported():
    source = '''
    def connect(url):
        """Connect, for example to postgresql://scott:tiger@localhost/test as in the tutorial."""
    '''
    assert credentials(source) == []


def test_password_assignment_with_a_strong_value_is_a_credential():
    findings = run_check("ARC702", 'DB_PASSWORD = "Tr0ub4dor&3-prod"\n')
    assert lines_of(findings) == [1]
    assert "DB_PASSWORD" in findings[0].message
    assert run_check("ARC701", 'DB_PASSWORD = "Tr0ub4dor&3-prod"\n') == []


def test_weak_or_placeholder_password_values_are_not():
    source = """
    DB_PASSWORD = "password"
    ADMIN_PASSWORD = "changeme-please"
    PASSWORD_FIELD = "Tr0ub4dor&3-prod"
    DB_PASSWORD_ENV = "DB_PASSWORD"
    """
    assert credentials(source) == []


def test_a_marker_that_tags_secrets_is_not_one():
    # Issue 21's eleventh reading: pulumi's wire-format marker for secret values.
    source = """
    _special_secret_sig = "1b47061264138c4ac30d75fd1eb44270"
    SECRET_FINGERPRINT = "9fQx2LmZp7RtV4nB8cKdW3sYhJ6uEa1G"
    """
    assert credentials(source) == []
    # The twins: the same value under a name that holds the secret is reported.
    twin = run_check("ARC702", '_special_secret = "1b47061264138c4ac30d75fd1eb44270"\n'
                               'SECRET_SIGNING_KEY = "9fQx2LmZp7RtV4nB8cKdW3sYhJ6uEa1G"\n')
    assert lines_of(twin) == [1, 2]


def test_jwt_and_bearer_tokens_are_credentials():
    source = f"""
    TOKEN = "{JWT}"
    HEADERS = {{"Authorization": "Bearer 9fQx2LmZp7RtV4nB8cKdW3sYhJ6uEa1G"}}
    """
    findings = run_check("ARC702", source)
    assert lines_of(findings) == [2, 3]
    assert "JSON Web Token" in findings[0].message and "bearer token" in findings[1].message


def test_bearer_templates_are_not():
    source = """
    HEADERS = {"Authorization": "Bearer {token}"}
    EXAMPLE = "Bearer <your-token-here-please-replace>"
    """
    assert credentials(source) == []


def test_test_payloads_and_regular_expressions_are_not_credentials():
    source = """
    api_key = "key<script>alert(1)</script>"
    qtoken = '(?:"[^"]+"|[A-Za-z0-9_]+?)'
    """
    assert credentials(source) == []
    # The twin: a random value under a secret name is still one.
    assert lines_of(run_check("ARC702", 'api_key = "q8Zr2LxP0vN7tYw4Kb6M"\n')) == [1]


def test_in_test_code_only_vendor_format_keys_are_reported():
    fixture = f'DATABASE_URL = "postgresql://user:tiger@localhost/test"\nTOKEN = "{JWT}"\n'
    assert credentials(fixture, path="tests/test_orders.py") == []
    live = 'KEY = "sk_live_' + "a1B2c3D4e5F6g7H8i9J0k1L2" + '"\n'
    assert lines_of(run_check("ARC701", live, path="tests/test_orders.py")) == [1]


def test_the_chat_redactor_hides_the_new_shapes_too():
    text = f'url = "postgresql://app:S3cr3t-Value@db/prod"\ntoken = "{JWT}"\n'
    kinds = [hit.kind for hit in find_secrets(text)]
    assert kinds == ["database URL with a password", "JSON Web Token"]
    redacted = redact(text)
    assert "S3cr3t-Value" not in redacted and JWT not in redacted


def test_the_code_carries_the_confidence_and_the_severity():
    vendor = credentials('KEY = "sk_live_' + "a1B2c3D4e5F6g7H8i9J0k1L2" + '"\n')
    dsn = credentials('URL = "postgresql://app:S3cr3t-Value@db/prod"\n')
    named = credentials('DB_PASSWORD = "Tr0ub4dor&3-prod"\n')
    jwt = credentials(f'TOKEN = "{JWT}"\n')
    assert [f.code for f in (*vendor, *dsn)] == ["ARC701", "ARC701"]
    assert [f.code for f in (*named, *jwt)] == ["ARC702", "ARC702"]
    # No per-finding override: each code's declared severity applies (error, warning).
    assert all(f.severity is None for f in (*vendor, *dsn, *named, *jwt))
    assert (metadata("ARC701").severity.value, metadata("ARC702").severity.value) == ("error", "warning")
    assert (metadata("ARC701").tier, metadata("ARC702").tier) == ("core", "opt-in")


# -- the shared table of spellings (tests/support/secret_cases.py) -----------------------------

PYTHON_CASES = [case for case in CASES if case.arc701 is not None]


@pytest.mark.parametrize("case", PYTHON_CASES, ids=lambda case: case.id)
def test_arc701_and_arc702_on_each_spelling_and_look_alike(case: Case):
    certain = run_check("ARC701", case.text, path=case.path, dedent=False)
    judged = run_check("ARC702", case.text, path=case.path, dedent=False)
    assert len(certain) == case.arc701, [f.message for f in certain]
    assert len(judged) == case.arc702, [f.message for f in judged]
    for finding in (*certain, *judged):  # the value never travels in a finding
        assert not any(secret in finding.message or secret in str(finding.data) for secret in case.secrets)


@pytest.mark.parametrize("case", [c for c in MISSES if c.arc701 or c.arc702], ids=lambda case: case.id)
def test_the_scanner_redacts_what_arc701_reports(case: Case):
    redacted = redact(case.text)
    for secret in case.secrets:
        assert secret not in redacted
    for piece in case.kept:
        assert piece in redacted


@pytest.mark.parametrize("case", [c for c in LOOK_ALIKES if c.arc701 is not None], ids=lambda case: case.id)
def test_the_scanner_finds_nothing_in_look_alikes(case: Case):
    assert find_secrets(case.text) == []


def test_split_and_paired_credentials_are_reported_on_their_first_literal():
    findings = run_check("ARC701", f'CREDENTIALS = (\n    "{AWS_ID}",\n    "{AWS_SECRET}",\n)\n', dedent=False)
    assert lines_of(findings) == [2, 3]
    assert [f.data["kind"] for f in findings] == ["AWS access key id", "AWS secret access key"]
    split = run_check("ARC701", f'KEY = (\n    "{STRIPE_PREFIX}"\n    "{STRIPE_TAIL}"\n)\n', dedent=False)
    assert lines_of(split) == [2] and split[0].data["kind"] == "Stripe live secret key"
    assert split[0].severity is None  # a vendor key: an error, whole or split


def test_a_split_prefix_joined_to_a_variable_is_not_a_hard_coded_key():
    assert credentials(f'KEY = "{STRIPE_PREFIX}" + os.environ["STRIPE_SUFFIX"]\n') == []


def test_the_aws_example_keys_from_the_documentation_are_not_reported():
    source = 'ID = "AKIAIOSFODNN7EXAMPLE"\nSECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'
    assert credentials(source) == []


def test_a_page_token_that_decodes_to_json_holding_a_key_is_still_one():
    import base64

    inner = base64.b64encode(f'{{"api_key": "{STRIPE_PREFIX}{STRIPE_TAIL}"}}'.encode()).decode()
    assert lines_of(run_check("ARC702", f'page_token = "{inner}"\n')) == [1]


def test_an_import_path_under_a_password_key_is_not_a_credential():
    """IPython's magics table maps `%pwd` to the class behind it (read on IPython, issue 21); the
    chat's redactor may still hide it (it errs on the safe side), ARC701 does not report it."""
    assert credentials('MAGICS = {"pwd": "IPython.core.magics.osm:OSMagics"}\n') == []
    # The twin: a chosen password under the same key stays a finding.
    assert lines_of(run_check("ARC702", 'LOGIN = {"pwd": "Tr0ub4dor&3-prod"}\n')) == [1]


def test_key_alphabets_and_documented_key_ids_are_not_credentials():
    # Issue 21's thirteenth reading: localstack's base32 alphabet for key ids, and a docstring's
    # example key ids.
    source = '''
    AWS_ACCESS_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


    def account_of(access_key_id):
        """Extract the account id.

        Example:
            "ASIAQAAAAAAAGMKEM7X5" => "000000000000"
        """
    '''
    assert credentials(source) == []
    # The twins: the same value under a key's name (judged: ARC702), and a key id assigned in code
    # (a vendor format: ARC701), are reported.
    twin = credentials('AWS_ACCESS_KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"\n'
                       'ACCESS_KEY_ID = "ASIAQAAAAAAAGMKEM7X5"\n')
    assert [(f.span.line, f.code) for f in twin] == [(1, "ARC702"), (2, "ARC701")]


def test_public_constants_under_password_names_are_not_credentials():
    # Issue 21's fourteenth reading (impacket): a rights GUID (a version-1 UUID) named for the
    # right it grants, and the NT hash of the empty password.
    source = """
    ResetPassword = "00299570-246d-11d0-a768-00aa006e0529"
    oldPwdHashNT = "31d6cfe0d16ae931b73c59d7e0c089c0"
    """
    assert credentials(source) == []
    # The twins: a random (version-4) UUID and another hash under the same names stay reported.
    twin = run_check("ARC702", 'ResetPassword = "9f1c2a7e-5b3d-4c8e-a1f2-7d6e5c4b3a29"\n'
                               'oldPwdHashNT = "8846f7eaee8fb117ad06bdd830b7586c"\n')
    assert lines_of(twin) == [1, 2]
