"""ARC701 split by confidence (issue 21): what is a credential by its form stays ARC701 and is
reported by default; a value judged by the secret name it is bound to, and shapes no vendor owns,
are ARC702, an opt-in check reported once a team adopts ``security`` or names it. Each false-positive shape
of the blind readings is here with its true-positive twin, through the engine as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from trees import write_tree
from python_architect.advisor.redaction import Redactor
from python_architect.analysis import checks_runtime
from python_architect.engine import Project

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"

# Shapes the blind readings found wrong that still look like secrets: judged, so ARC702 only.
JUDGED = {
    # pulumi's wire-protocol sentinel, under a name that holds the secret itself
    "sentinel": '_special_secret = "1b47061264138c4ac30d75fd1eb44270"\n',
    # a public telemetry key under a key's name (analytics clients ship theirs in the package)
    "telemetry key": 'TELEMETRY_API_KEY = "q8Zr2LxP0vN7tYw4Kb6MzR1c"\n',
    # a throwaway container's password in an integration-test harness outside tests/
    "container password in a harness": 'ORACLE_PASSWORD = "Xk9#mP2$vLq-27"\n',
    # an API documentation's example token passed to a call
    "example key passed to a call": 'client = connect(api_key="q8W2eR5tY7uI9oP1aSdF3gH")\n',
    # a site's public browser key a scraper copied from its JavaScript (yt-dlp, gallery-dl): a Google
    # key's form does not tell a browser key from a server key
    "google browser key": "_LOGIN_QUERY = {'key': 'AIza" + "SyCaRPBsDQYVDUWWBXjsTrHESi2r_F3RAdA'}\n",
    # shapes without a vendor
    "json web token": f'TOKEN = "{JWT}"\n',
    "bearer header": 'HEADERS = {"Authorization": "Bearer 9fQx2LmZp7RtV4nB8cKdW3sYhJ6uEa1G"}\n',
    "basic header": 'HEADERS = {"Authorization": "Basic YWRtaW46UzNjdXJlIVBhc3M="}\n',
    "https url with a password": 'REPO = "https://deploy:gh0st-Rider@git.internal/repo.git"\n',
}
# Shapes no check should report at all, adopted or not: the value says it is no credential.
NOT_CREDENTIALS = {
    "constant equal to its name": 'FOO_TOKENS = "foo_tokens"\n',
    "public AD rights GUID in an Enum": 'import enum\n\n\nclass RIGHTS_GUID(enum.Enum):\n'
                                        '    ResetPassword = "00299570-246d-11d0-a768-00aa006e0529"\n',
    "NT hash of the empty password": 'change(user, oldPwdHashNT="31d6cfe0d16ae931b73c59d7e0c089c0")\n',
    "base64 JSON page token": 'page_token = "eyJvZmZzZXQiOjIwLCJsaW1pdCI6MTB9"\n',
    "telemetry write key": 'SEGMENT_WRITE_KEY = "q8Zr2LxP0vN7tYw4Kb6MzR1c"\n',  # not a secret's name
    "docstring example key": 'def sign(key):\n    """Sign it: sign(api_key="q8W2eR5tY7uI9oP1aSdF3gH") returns bytes."""\n',
}


def _private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


# The true-positive twins: certain by form, reported by default.
CERTAIN = {
    "stripe live key": f'STRIPE_KEY = "{STRIPE}"\n',
    "private key block": f'PRIVATE_KEY = """{_private_key()}"""\n',
    "percent-encoded database URL": 'DATABASE_URL = "postgresql+psycopg://app:pa%23ss@db/prod"\n',
    "split vendor key": 'KEY = (\n    "sk_" "live_4eC39HqLy"\n    "jWDarjtT1zdp7dc"\n)\n',
}

SECURITY_ADR = """---
id: ADR-016
title: Secrets come from the environment
status: accepted
tags: [security]
---
# ADR-016: Secrets come from the environment

## Decision
No credential in the source.
"""


def _codes(root: Path, files: dict[str, str], extra: dict[str, str] | None = None,
           select: tuple[str, ...] = ()) -> dict[str, list[str]]:
    root = write_tree(root, {**files, **(extra or {})})
    project = Project.load(root)
    if select:
        project = project.selecting(select)
    return {name: [f.code for f in project.analyze(root / name).findings] for name in files}


def _modules(table: dict[str, str]) -> dict[str, str]:
    return {f"app/{name.replace(' ', '_').replace('-', '_')}.py": text for name, text in table.items()}


def test_judged_shapes_are_silent_by_default_and_arc702_once_security_is_adopted(tmp_path: Path) -> None:
    files = _modules(JUDGED)
    assert _codes(tmp_path / "default", files) == {name: [] for name in files}
    adopted = _codes(tmp_path / "adr", files, {".ai/adrs/0016-secrets.md": SECURITY_ADR})
    assert adopted == {name: ["ARC702"] for name in files}
    # Selecting the code adopts it too, and runs its check though ARC701 is not selected.
    assert _codes(tmp_path / "select", files, select=("ARC702",)) == {name: ["ARC702"] for name in files}
    # Opt-in (0 of 20 right when read blind as its own code): ``ALL`` or a prefix does not adopt it.
    assert _codes(tmp_path / "all", files, select=("ALL", "ARC7")) == {name: [] for name in files}


def test_the_certain_twins_are_arc701_by_default_and_never_arc702(tmp_path: Path) -> None:
    files = _modules(CERTAIN)
    assert _codes(tmp_path / "default", files) == {name: ["ARC701"] for name in files}
    adopted = _codes(tmp_path / "adr", files, {".ai/adrs/0016-secrets.md": SECURITY_ADR})
    assert adopted == {name: ["ARC701"] for name in files}


def test_values_that_are_no_credential_are_silent_even_when_adopted(tmp_path: Path) -> None:
    files = _modules(NOT_CREDENTIALS)
    adopted = _codes(tmp_path, files, {".ai/adrs/0016-secrets.md": SECURITY_ADR})
    assert adopted == {name: [] for name in files}


def test_one_file_holding_both_kinds_gets_each_its_code_and_severity(tmp_path: Path) -> None:
    source = f'STRIPE_KEY = "{STRIPE}"\nDB_PASSWORD = "Tr0ub4dor&3-prod"\n'
    root = write_tree(tmp_path, {"app/settings.py": source, ".ai/adrs/0016-secrets.md": SECURITY_ADR})
    findings = Project.load(root).analyze(root / "app/settings.py").findings
    assert [(f.span.line, f.code, f.severity.value) for f in findings] == [(1, "ARC701", "error"),
                                                                          (2, "ARC702", "warning")]


def test_the_two_checks_scan_a_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    scan = checks_runtime._scan

    def counted(ctx):
        calls.append(ctx.path)
        return scan(ctx)

    monkeypatch.setattr(checks_runtime, "_scan", counted)
    source = f'STRIPE_KEY = "{STRIPE}"\nDB_PASSWORD = "Tr0ub4dor&3-prod"\n'
    root = write_tree(tmp_path, {"app/settings.py": source})
    findings = Project.load(root).selecting(("ARC701", "ARC702")).analyze(root / "app/settings.py").findings
    assert [f.code for f in findings] == ["ARC701", "ARC702"]
    assert calls == [root / "app/settings.py"]


def test_a_name_bound_secret_is_still_redacted_before_the_model_sees_it() -> None:
    """The chat's redactor uses the scanner, not the codes: an ARC702 kind nobody adopted is masked."""
    code = "".join(JUDGED[name] for name in ("telemetry key", "container password in a harness", "json web token"))
    out = Redactor().redact(code)
    assert not any(secret in out for secret in ("q8Zr2LxP0vN7tYw4Kb6MzR1c", "Xk9#mP2$vLq-27", JWT))
    assert "TELEMETRY_API_KEY = " in out and "ORACLE_PASSWORD = " in out and "TOKEN = " in out


def test_the_message_names_the_kind_with_its_article(tmp_path: Path) -> None:
    source = 'KEY_ID = "AKIA' + 'IOSFODNN7EXAMPLQ"\nSECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'
    root = write_tree(tmp_path, {"app/aws.py": f'STRIPE_KEY = "{STRIPE}"\n', "app/pair.py": source})
    project = Project.load(root)
    (stripe,) = project.analyze(root / "app/aws.py").findings
    assert stripe.message == "Hard-coded credential: this literal contains a Stripe live secret key"
    (key_id,) = project.analyze(root / "app/pair.py").findings[:1]
    assert key_id.message == "Hard-coded credential: this literal contains an AWS access key id"
