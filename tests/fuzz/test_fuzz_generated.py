"""A short, deterministic property-based run: generated Python programs (hypothesmith) and
arbitrary text through analysis of unsaved text, hover and code actions; generated frontmatter
through ADR parsing. No exception may escape and the core may log no error. The long run is
``benchmarks/fuzz.py --minutes N``, which also runs hypothesmith's libcst-built syntax trees
(too slow to generate for the suite)."""

from __future__ import annotations

import hypothesmith
from fuzz_support import adr_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SHORT = settings(
    max_examples=25,
    derandomize=True,  # the same cases every run: a failure here is reproducible
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@settings(SHORT, max_examples=15)  # the grammar-driven generator is the slow one
@given(source=hypothesmith.from_grammar())
def test_generated_programs(fuzzer, source):
    fuzzer.python(source)
    assert not fuzzer.crashes.found, fuzzer.crashes.summary()


@SHORT
@given(source=st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text(fuzzer, source):
    fuzzer.python(source)
    assert not fuzzer.crashes.found, fuzzer.crashes.summary()


@SHORT
@given(document=adr_documents())
def test_adrs_with_random_frontmatter(fuzzer, document):
    fuzzer.adr(document)
    assert not fuzzer.crashes.found, fuzzer.crashes.summary()
