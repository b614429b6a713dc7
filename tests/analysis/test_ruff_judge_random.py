"""S311 where the name around a random value is not the value's own (issue 21, twentieth and
twenty-third readings): a lambda handed as ``key=`` (a sort's tie-break), and an assignment whose
target names what a call returned, not the random value handed to that call. Each beside its
twin that stays reported."""

from __future__ import annotations

import pytest
from ruff_twins import reported_and_kept

CASES = [
    # ultralytics' `autodevice.py`: a random tie-break in a sort key.
    ("import random\n\n\ndef pick(gpus):\n    gpus.sort(key=lambda g: (g.load, random.random()))\n    return gpus[0]\n", False),
    ("import random\n\n\ndef pick(gpus):\n    return min(gpus, key=lambda g: (g.load, random.random()))\n", False),
    # yt-dlp's loco extractor: a device id in the headers of the request that returns a token.
    ("import random\n\n\ndef login(fetch):\n    access_token = fetch('/device', headers={\n"
     "        'DEVICE-ID': ''.join(random.choices('0123456789abcdef', k=32)),\n    })\n    return access_token\n", False),
    ("import random\n\n\ndef get_token(fetch):\n    return fetch('/device', params={'device': random.randint(0, 9 ** 9)})\n", False),
    # The twins: a key made by the lambda's caller is no lambda; a value that reaches the target
    # through calls that only respell it (join, hexdigest, f-string) is the target's value; a
    # secret-named key in the dict handed on stays reported whatever the call returns.
    ("import random\n\n\ndef make(keys):\n    keys.append(key=random.random())\n", True),
    ("import random\n\n\ndef webhook():\n    secret_token = ''.join(random.choices('ABCDEF0123456789', k=32))\n"
     "    return secret_token\n", True),
    ("import hashlib\nimport random\n\n\ndef new():\n"
     "    session_key = hashlib.sha256(str(random.random()).encode()).hexdigest()\n    return session_key\n", True),
    ("import random\n\n\ndef new():\n    api_key = f'k-{random.randint(0, 10 ** 12)}'\n    return api_key\n", True),
    ("import random\n\n\ndef login(fetch):\n    return fetch('/login', data={'password': str(random.random())})\n", True),
]


@pytest.mark.parametrize(("text", "stays"), CASES)
def test_a_name_that_belongs_to_something_else_is_not_the_values(text: str, stays: bool) -> None:
    reported, kept = reported_and_kept(text, "S311")
    assert reported == ["S311"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == (["S311"] if stays else [])
