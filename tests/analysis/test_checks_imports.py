"""ARC101 (forbidden imports, with patterns, <third-party>, allow, scope and the unused-import fix)
and ARC102 (layers, both directions)."""

from __future__ import annotations

from analysis_harness import (
    adr_with_rules,
    apply_edits,
    lines_of,
    make_context,
    run_check,
)
from python_architect.findings import Span

NO_REQUESTS = adr_with_rules({"id": "no-http", "kind": "forbidden-import", "modules": ["requests", "django.*"]})


def test_arc101_fires_on_named_module_submodule_and_package_pattern():
    findings = run_check(
        "ARC101",
        """
        import requests.adapters
        from django.db import models
        import django
        import json
        from app.domain import prices
        """,
        adrs=(NO_REQUESTS,),
    )
    assert lines_of(findings) == [2, 3, 4]
    assert all(f.rule is not None and f.rule.id == "no-http" for f in findings)
    assert findings[0].message == "`app.services.orders` must not import `requests.adapters` (rule `no-http`)"


def test_arc101_quiet_without_rules_and_on_lookalike_names():
    source = "import requests_toolbelt\nimport djangorestframework\n"
    assert not run_check("ARC101", source, adrs=(NO_REQUESTS,))
    assert not run_check("ARC101", "import requests\n")


def test_arc101_third_party_means_neither_stdlib_nor_first_party_and_allow_exempts():
    adr = adr_with_rules(
        {"id": "pure-domain", "kind": "forbidden-import", "modules": ["<third-party>"], "allow": ["pydantic", "attrs.*"],
         "message": "The domain stays free of third-party libraries"}
    )
    findings = run_check(
        "ARC101",
        """
        import os, sqlalchemy
        from collections import defaultdict
        from app.core import clock
        from . import sibling
        import pydantic
        from attrs import define
        import httpx
        """,
        adrs=(adr,),
    )
    assert lines_of(findings) == [2, 8]
    assert findings[0].span == Span(2, 12, 2, 22)
    assert findings[0].message == "The domain stays free of third-party libraries"


def test_arc101_from_import_of_a_forbidden_submodule():
    adr = adr_with_rules({"kind": "forbidden-import", "modules": ["app.api"]})
    findings = run_check("ARC101", "from app import api, domain\n", adrs=(adr,))
    assert lines_of(findings) == [1] and findings[0].data["imported"] == "app.api"
    assert not run_check("ARC101", "from app import api_client\n", adrs=(adr,))


def test_arc101_rule_paths_and_exclude_scope_the_rule():
    rule = {"kind": "forbidden-import", "modules": ["requests"], "paths": ["src/app/domain/**"],
            "exclude": ["src/app/domain/adapters/**"]}
    adr = adr_with_rules(rule)
    source = "import requests\n"
    assert run_check("ARC101", source, module="app.domain.pricing", adrs=(adr,))
    assert not run_check("ARC101", source, module="app.services.orders", adrs=(adr,))
    assert not run_check("ARC101", source, module="app.domain.adapters.http", adrs=(adr,))


def test_arc101_adr_applies_to_is_the_default_scope_and_rule_paths_override_it():
    scoped = adr_with_rules({"kind": "forbidden-import", "modules": ["requests"]}, paths=("src/app/domain/**",))
    assert run_check("ARC101", "import requests\n", module="app.domain.x", adrs=(scoped,))
    assert not run_check("ARC101", "import requests\n", module="app.api.x", adrs=(scoped,))
    overridden = adr_with_rules(
        {"kind": "forbidden-import", "modules": ["requests"], "paths": ["src/app/api/**"]}, paths=("src/app/domain/**",)
    )
    assert run_check("ARC101", "import requests\n", module="app.api.x", adrs=(overridden,))


def test_arc101_rejected_adr_rules_do_not_apply():
    adr = adr_with_rules({"kind": "forbidden-import", "modules": ["requests"]}, status="rejected")
    assert not run_check("ARC101", "import requests\n", adrs=(adr,))


def _fixed(source: str, adr) -> str:
    from python_architect.catalog import lookup

    ctx = make_context(source, adrs=(adr,), dedent=False)
    findings = list(lookup("ARC101").run(ctx))
    assert len(findings) == 1 and findings[0].fix is not None
    assert findings[0].fix.safe and findings[0].fix.title.startswith("Remove unused import")
    return apply_edits(source, findings[0].fix.edits)


def test_arc101_fix_removes_a_whole_unused_statement():
    source = "import os\nimport requests\n\nprint(os.sep)\n"
    assert _fixed(source, NO_REQUESTS) == "import os\n\nprint(os.sep)\n"


def test_arc101_fix_removes_only_the_forbidden_name():
    adr = adr_with_rules({"kind": "forbidden-import", "modules": ["app.api"]})
    source = "from app import api, domain\n\ndomain.run()\n"
    assert _fixed(source, adr) == "from app import domain\n\ndomain.run()\n"
    several = "import json, requests\nprint(json)\n"
    assert _fixed(several, NO_REQUESTS) == "import json\nprint(json)\n"


def test_arc101_fix_keeps_a_block_valid():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import requests\nx = 1\n"
    fixed = _fixed(source, NO_REQUESTS)
    assert fixed == "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\nx = 1\n"


def test_arc101_no_fix_when_the_import_is_used():
    findings = run_check("ARC101", "import requests\nrequests.get('x')\n", adrs=(NO_REQUESTS,))
    assert len(findings) == 1 and findings[0].fix is None


LAYERS = adr_with_rules({"id": "layers", "kind": "layers", "layers": ["app.api", "app.services", "app.domain"]})


def test_arc102_fires_when_a_lower_layer_imports_a_higher_one():
    findings = run_check(
        "ARC102",
        """
        from app.api.routes import router
        from app import services
        import app.domain.model
        """,
        module="app.domain.pricing",
        adrs=(LAYERS,),
    )
    assert lines_of(findings) == [2, 3]
    assert findings[0].message == (
        "`app.domain.pricing` (layer `app.domain`) imports `app.api.routes` from the higher layer `app.api`"
    )
    assert findings[1].data["imported"] == "app.services"
    assert all(f.rule is not None and f.rule.id == "layers" for f in findings)


def test_arc102_quiet_when_a_higher_layer_imports_a_lower_one():
    assert not run_check(
        "ARC102",
        """
        from app.services.orders import place_order
        from app.domain import pricing
        import app.api.schemas
        import requests
        """,
        module="app.api.routes",
        adrs=(LAYERS,),
    )


def test_arc102_quiet_for_modules_outside_the_layers():
    assert not run_check("ARC102", "import app.api\n", module="app.scripts.seed", adrs=(LAYERS,))


def test_arc101_span_counts_characters_after_unicode():
    findings = run_check("ARC101", 'café = "naïve"; import requests\n', adrs=(NO_REQUESTS,))
    # 'café = "naïve"; ' is 16 characters (18 bytes in UTF-8).
    assert findings[0].span == Span(1, 17, 1, 32)


def test_arc102_ignore_type_checking_option():
    source = """
    from typing import TYPE_CHECKING
    if TYPE_CHECKING:
        from app.api.routes import Router
    """
    assert lines_of(run_check("ARC102", source, module="app.domain.x", adrs=(LAYERS,))) == [4]
    lenient = adr_with_rules(
        {"kind": "layers", "layers": ["app.api", "app.services", "app.domain"], "ignore-type-checking": True}
    )
    assert not run_check("ARC102", source, module="app.domain.x", adrs=(lenient,))


def test_arc102_sibling_prefixes_share_one_layer():
    adr = adr_with_rules({"kind": "layers", "layers": ["app.api", ["app.orders", "app.billing"], "app.domain"]})
    assert not run_check("ARC102", "import app.billing.invoices\n", module="app.orders.place", adrs=(adr,))
    assert lines_of(run_check("ARC102", "import app.api\n", module="app.billing.x", adrs=(adr,))) == [1]
