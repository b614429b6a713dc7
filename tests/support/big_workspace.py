"""A generated workspace larger than the example, for the "one count everywhere" checks (issue 23):
3 x 32 modules in three layers and 4 packages, with findings of several kinds: layer violations
(ARC102), import cycles (ARC103), hard-coded secrets (ARC701), ruff's request-without-timeout check (S113)
and hints of an un-adopted judgment check (hint_shape.HINT_CODE).

Used by tests/lsp/test_counts_large_workspace.py and, as a script, by the real-editor e2e:
``python tests/support/big_workspace.py DIR`` writes it under DIR and prints DIR.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: its siblings are importable from here
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from hint_shape import HINT_MODULE
from trees import layers_adr, write_tree

LAYERS = ("api", "services", "domain")  # top to bottom, as ADR-005 orders them
PER_LAYER = 32
HTTP_MODULES = (5, 21)
"""The domain modules that also call ``requests.get`` without a timeout (ruff's S113, one each)."""
RUFF_FINDINGS = len(HTTP_MODULES)
FILES = 4 + len(LAYERS) * PER_LAYER
"""Python files written: the modules and the 4 packages' ``__init__.py``."""


def big_workspace(root: Path) -> Path:
    """Each api module imports a service, each service a domain module; every 8th domain module
    imports the api (ARC102, and a cycle through the layers); s3 and s4 import each other's names before they are bound
    (ARC103); every 10th module has a secret (ARC701), every 9th the hint_shape module (an un-adopted judgment check
    hints at it), and the HTTP_MODULES of the domain a ``requests.get`` without a timeout (S113)."""
    files = {"pyproject.toml": '[project]\nname = "big"\n', ".ai/adrs/0005-layers.md": layers_adr("big"),
             "big/__init__.py": ""}
    for layer in LAYERS:
        files[f"big/{layer}/__init__.py"] = ""
        for i in range(PER_LAYER):
            body = []
            if layer == "api":
                body.append(f"from big.services import s{i}")
            if layer == "services":
                body.append(f"from big.domain import d{i}")
            if layer == "domain" and i % 8 == 0:
                body.append(f"from big.api.a{i} import VALUE_{i}")
            if layer == "services" and i in (3, 4):
                body.append(f"from big.services.s{7 - i} import VALUE_{7 - i}")
            if layer == "domain" and i in HTTP_MODULES:
                body += ["import requests", "", "", "def fetch(url):",
                         "    return requests.get(url)", ""]
            if i % 10 == 1:
                # A vendor-format key (ARC701 by default); a value judged by its name is ARC702, a
                # judgment check this workspace does not adopt. Spelled in two pieces here so the
                # generator's own source holds no key.
                body.append(f'API_KEY = "{"sk_" + "live_"}8fJ3kLm92PqR7sTu4VwXyZ01"')
            if i % 9 == 2:
                body += ["", "", *HINT_MODULE.splitlines()]
            body.append(f"VALUE_{i} = {i}")
            files[f"big/{layer}/{layer[0]}{i}.py"] = "\n".join(body) + "\n"
    return write_tree(root, files)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: big_workspace.py DIR")
    print(big_workspace(Path(sys.argv[1])))
