"""S311 on a sampling decision (issue 21, third reading: sentry-sdk's
``determine_profile_session_sampling_decision``): a secret word in a name ("session") makes a
random value a secret only when the name does not also say the value is a chance (sampling,
jitter, a shuffle, a backoff before a retry). The same body under a secret name stays reported."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

DECIDE = "import random\n\ndef {name}(sample_rate):\n    return random.random() < float(sample_rate)\n"


@pytest.mark.parametrize("name", [
    "determine_profile_session_sampling_decision",
    "auth_retry_jitter",
    "session_backoff",
    "shuffle_token_order",
])
def test_a_name_that_says_chance_is_not_a_secret(name: str) -> None:
    reported, kept = reported_and_kept(DECIDE.format(name=name), "S311")
    assert reported == ["S311"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("name", ["determine_profile_session_decision", "new_session_id", "make_token"])
def test_the_same_body_under_a_secret_name_is_reported(name: str) -> None:
    reported, kept = reported_and_kept(DECIDE.format(name=name), "S311")
    assert reported == kept == ["S311"]


def test_a_secret_assigned_beside_a_sampling_function_is_reported() -> None:
    """The chance word must be in the name the value feeds, not anywhere around it."""
    text = ("import random\n\ndef sampling_setup(user):\n"
            "    user.session_key = ''.join(random.choice('abcdef') for _ in range(32))\n")
    reported, kept = reported_and_kept(text, "S311")
    assert reported == kept == ["S311"]


def test_a_keyword_that_says_sample_is_not_a_secret() -> None:
    text = "import random\n\ndef start(new):\n    return new(session_sampled=random.random() < 0.1)\n"
    reported, kept = reported_and_kept(text, "S311")
    assert reported == ["S311"]
    assert kept == []


SIZED_BY_RANDOM = ("import os\nimport random\n\n\ndef hmac_key(lo, hi):\n"
                   "    key = os.urandom(random.randint(lo, hi))\n    return key\n")


def test_random_that_only_sizes_secure_bytes_is_not_a_secret() -> None:
    # Issue 21, thirteenth reading: localstack's HMAC key material is `os.urandom` of a random
    # length; the key bytes are secure, only their number is not.
    reported, kept = reported_and_kept(SIZED_BY_RANDOM, "S311")
    assert reported == ["S311"] and kept == []
    # The twin: the key bytes themselves from `random` stay reported.
    twin = SIZED_BY_RANDOM.replace("os.urandom(random.randint(lo, hi))", "random.randbytes(random.randint(lo, hi))")
    reported, kept = reported_and_kept(twin, "S311")
    assert "S311" in kept


def test_the_key_a_random_value_is_stored_under_names_it() -> None:
    # Issue 21, fourteenth reading: impacket's `negSession['ClientGuid'] = random...`: the key says
    # identifier; the dict's name (a session) is not what the value is.
    text = "import random\n\n\ndef negotiate(negSession):\n    negSession['ClientGuid'] = random.randbytes(16)\n"
    reported, kept = reported_and_kept(text, "S311")
    assert reported == ["S311"] and kept == []
    for twin in (text.replace("'ClientGuid'", "'SessionKey'"), text.replace("negSession['ClientGuid']", "negSession[i]")):
        reported, kept = reported_and_kept(twin, "S311")
        assert kept == ["S311"], twin
