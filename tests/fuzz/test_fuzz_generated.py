"""A short, deterministic property-based run: generated Python programs (hypothesmith) and
arbitrary text through analysis of unsaved text, hover and code actions; generated frontmatter
and frontmatter with anchors, aliases and merge keys (alias bombs among them) through ADR parsing
and loading. No exception may escape and the core may log no error. The long run is
``benchmarks/fuzz.py --minutes N``, which also runs hypothesmith's libcst-built syntax trees
(too slow to generate for the suite)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesmith
import yaml
from fuzz_support import adr_documents, aliased_adr_documents, expanded_header_size
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_architect.config import ProjectConfig
from python_architect.knowledge.adr_parser import parse_adr
from python_architect.knowledge.loader import load_knowledge
from python_architect.knowledge.yaml_header import NODE_BUDGET

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


GOOD_ADR = "---\nid: ADR-001\ntags: [layering]\napplies-to:\n  keywords: [repository]\n---\n# Good\n"


@settings(SHORT, max_examples=60)
@given(document=aliased_adr_documents())
def test_adrs_with_anchors_aliases_and_merge_keys(fuzzer, document):
    """Bounded work whatever the aliases: a header that expands past the node budget is refused
    (ARC001) exactly when an independent count says it does, nothing escapes or is logged as an
    error, and the other ADRs of the workspace still load."""
    header = document.split("---\n")[1]
    try:
        expected_refusal = expanded_header_size(header) > NODE_BUDGET
    except yaml.YAMLError:
        expected_refusal = False  # does not even compose: an ordinary ARC001
    fuzzer.adr(document)
    assert not fuzzer.crashes.found, fuzzer.crashes.summary()
    _, problems = parse_adr(Path("0099-fuzzed.md"), document)
    refused = [p for p in problems if p.code == "ARC001" and f"past {NODE_BUDGET:,} values" in p.message]
    assert bool(refused) == expected_refusal, (document, [p.message for p in problems])
    with tempfile.TemporaryDirectory() as folder:
        adrs = Path(folder) / ".ai" / "adrs"
        adrs.mkdir(parents=True)
        (adrs / "0001-good.md").write_text(GOOD_ADR)
        (adrs / "0099-fuzzed.md").write_text(document)
        kb = load_knowledge(Path(folder), ProjectConfig())
        assert kb.get("ADR-001") is not None and kb.get("ADR-001").tags == ("layering",)
        assert not [p for p in kb.problems if p.path.name == "0001-good.md"]
