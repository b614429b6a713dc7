"""The chat's redactor over the shared table of secret spellings (tests/support/secret_cases.py):
every secret gone from what would be sent, every look-alike sent verbatim; and, through the fake
Messages API, neither a percent-encoded DSN in view nor a password typed into the question
reaches the request."""

from __future__ import annotations

import pytest
from chat_support import collect, make_advisor
from python_architect.advisor.redaction import Redactor
from secret_cases import LOOK_ALIKES, MISSES, Case


def _redact(case: Case) -> tuple[str, Redactor]:
    redactor = Redactor()
    return redactor.redact(case.text, config=case.mode == "config", question=case.mode == "question"), redactor


@pytest.mark.parametrize("case", MISSES, ids=lambda case: case.id)
def test_every_secret_spelling_is_redacted(case: Case):
    out, redactor = _redact(case)
    for secret in case.secrets:
        assert secret not in out, f"{case.shape}: {secret!r} survived in {out!r}"
    for piece in case.kept:
        assert piece in out, f"{case.shape}: {piece!r} lost from {out!r}"
    assert redactor.count >= 1
    # Redacting again finds nothing new: what the first pass left is not taken for a secret.
    again = Redactor()
    assert again.redact(out, config=case.mode == "config", question=case.mode == "question") == out
    assert again.count == 0


@pytest.mark.parametrize("case", LOOK_ALIKES, ids=lambda case: case.id)
def test_look_alikes_are_sent_verbatim(case: Case):
    out, redactor = _redact(case)
    assert out == case.text
    assert redactor.count == 0
    for piece in case.kept:
        assert piece in out


def test_a_url_password_is_masked_and_a_key_keeps_its_name():
    out = Redactor().redact('url = "mysql://app:S3cr3t-Value@db/prod"\npassword: Hunter2 Prod x\n', config=True)
    assert out == 'url = "mysql://app:***@db/prod"\npassword: [REDACTED secret assignment]\n'


def test_code_mode_keeps_yaml_shaped_prose_but_config_mode_does_not():
    text = "password: Hunter2 Prod x\n"
    assert Redactor().redact(text) == text  # in code this is an annotation or a docstring line
    assert "Hunter2" not in Redactor().redact(text, config=True)


def test_listing_lines_are_judged_by_the_file_they_come_from():
    listing = "config/app.yaml:3: password: Hunter2 Prod x\nsrc/app/models.py:9: password: str\n"
    out = Redactor().redact(listing)
    assert "Hunter2" not in out and "src/app/models.py:9: password: str" in out


def test_fenced_code_in_a_question_is_treated_as_code():
    question = "Is this fine?\n```python\nconnect(password=password)\nDB_PASS=hunter2\n```\nmy token: Zx9kLm2Qp"
    out = Redactor().redact(question, question=True)
    assert "connect(password=password)" in out
    assert "hunter2" not in out and "Zx9kLm2Qp" not in out


SETTINGS = '''"""Settings for the shop."""
import os

DATABASE_URL = "postgresql+psycopg://shop:pa%23ss@db.internal/shop"
DB_PASSWORD = "pa#ss-2024"
DEBUG = os.environ.get("DEBUG") == "1"
'''


async def test_neither_a_dsn_in_view_nor_a_typed_password_reaches_the_api(project, workspace, fake_api):
    settings = workspace / "src" / "shop" / "settings.py"
    settings.write_text(SETTINGS)
    advisor = make_advisor(project, fake_api)
    question = "Login fails on staging with DB_PASS=hunter2-staging; is my password: Tr0ub4dor! too weak?"
    _, final = await collect(advisor.ask("c1", question, path=settings))

    [request] = fake_api.message_requests()
    for secret in ("pa%23ss", "pa#ss", "hunter2-staging", "Tr0ub4dor"):
        assert secret not in request.raw, f"{secret!r} reached the API"
    user = request.body["messages"][-1]["content"]
    assert "postgresql+psycopg://shop:***@db.internal/shop" in user  # the URL stays readable
    assert "DB_PASS=[REDACTED" in user and "Login fails on staging" in user
    assert final.redacted >= 3


async def test_a_typed_password_stays_out_of_later_turns_and_the_stored_conversation(project, workspace, fake_api, tmp_path):
    """The question is kept as history (in memory and in the conversation store): what the next
    turn sends, and what is written to disk, are the question-mode redaction too."""
    from python_architect.advisor.conversations import ConversationStore

    for store in (None, ConversationStore(tmp_path / "conversations", project.root)):
        fake_api.requests.clear()
        advisor = make_advisor(project, fake_api)
        advisor.store = store
        await collect(advisor.ask("c2", "Login fails with DB_PASS=hunter2-staging, why?"))
        await collect(advisor.ask("c2", "And what about the retry policy?"))
        first, second = fake_api.message_requests()
        assert "hunter2-staging" not in first.raw and "hunter2-staging" not in second.raw
        assert "DB_PASS=[REDACTED" in second.raw, "the earlier question is in the history, redacted"
    stored = "".join(p.read_text() for p in (tmp_path / "conversations").glob("*.json"))
    assert stored and "hunter2-staging" not in stored
