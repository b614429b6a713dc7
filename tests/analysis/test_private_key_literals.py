"""ARC701 on a private key literal (issue 21, seventh reading: twilio's generated
``rest/*/credential.py`` docstrings show ``-----BEGIN RSA PRIVATE KEY-----MIIEpQIBAAKCAQEAuyf...``,
an example cut short, 24 findings all wrong). A key is reported when the literal holds a whole
one: its body decodes to a DER structure as long as its header says, or to an OpenSSH key. The
twins are real keys, made here with ``cryptography``, in every encoding a repository may hold."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from analysis_harness import run_check
from python_architect.advisor.redaction import Redactor
from python_architect.analysis.secret_shapes import complete_private_key

TRUNCATED_DOC = '''
def create(private_key=None):
    """Create the credential.

    :param private_key: [APN only] The URL encoded representation of the private key. For example,
        `-----BEGIN RSA PRIVATE KEY-----MIIEpQIBAAKCAQEAuyf/lNrH9ck8DmNyo3fGgvCI1l9s+cmBY3WIz+cUDqmxiieR.-----END RSA PRIVATE KEY-----`
    """
'''


def _pem(key, encoding=serialization.PrivateFormat.TraditionalOpenSSL) -> str:
    return key.private_bytes(serialization.Encoding.PEM, encoding, serialization.NoEncryption()).decode()


def _keys() -> list[tuple[str, str]]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    return [
        ("rsa pkcs1", _pem(rsa_key)),
        ("rsa pkcs8", _pem(rsa_key, serialization.PrivateFormat.PKCS8)),
        ("ec sec1", _pem(ec_key)),
        ("ed25519 pkcs8", _pem(ed_key, serialization.PrivateFormat.PKCS8)),
        ("ed25519 openssh", _pem(ed_key, serialization.PrivateFormat.OpenSSH)),
    ]


def test_a_truncated_example_key_in_documentation_is_not_reported() -> None:
    assert run_check("ARC701", TRUNCATED_DOC) == []
    assert not complete_private_key(TRUNCATED_DOC)


@pytest.mark.parametrize(("name", "pem"), _keys(), ids=[name for name, _ in _keys()])
def test_a_whole_key_is_reported_in_a_literal_and_as_one_line(name: str, pem: str) -> None:
    assert complete_private_key(pem), name
    block = f'PRIVATE_KEY = """{pem}"""\n'
    escaped = "PRIVATE_KEY = " + repr(pem) + "\n"  # one line with \n escapes, as JSON-ish configs hold it
    for text in (block, escaped):
        findings = run_check("ARC701", text)
        assert [f.code for f in findings] == ["ARC701"], (name, text[:60])
    # cut short, the same key is an example: not reported (a third of the body is kept)
    head, body = pem.split("\n", 1)
    cut = head + "\n" + body[: len(body) // 3]
    assert not complete_private_key(cut)


def test_the_redactor_still_masks_a_truncated_key() -> None:
    # What goes to the model errs the other way: a fragment of a key is still masked.
    assert "MIIEpQIBAAKCAQEAuyf" not in Redactor().redact(TRUNCATED_DOC, config=False, question=False)


@pytest.mark.parametrize("path", ["reviewboard/ssh/tests.py", "tests/test_keys.py", "app/test.py"])
def test_a_whole_key_in_test_code_is_a_throwaway_fixture(path: str) -> None:
    """reviewboard's ``ssh/tests.py`` (thirtieth reading): the key pair a test loads unlocks
    nothing deployed. The twin: the same key in application code is reported."""
    text = f'RSA_KEY = """{_keys()[0][1]}"""\n'
    assert run_check("ARC701", text, path=path) == []
    assert len(run_check("ARC701", text, path="reviewboard/ssh/keys.py")) == 1
