"""ARC103 and a function another module defines, called while a package is imported (issue 21,
tuning on unseen packages: pyinfra's ``__init__`` runs ``from .context import init_base_classes``
then ``init_base_classes()``, whose ``from pyinfra.api import ...`` imports the whole API before
any submodule runs, so the ``api`` <-> ``connectors`` cycle cannot fail in any order).

Each shape is checked against the real interpreter (every module imported first in a fresh one):
the pyinfra shape imports cleanly and is not reported; its twin without the call fails and is
reported; and a call whose imports reach back for a name the package binds later fails and is
reported (a cycle whose one edge is in a function the other module calls at import).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from real_imports import arc103_findings, assert_arc103_agrees_with_the_interpreter
from trees import write_tree

API = {
    "pkg/context.py": "def init_base_classes():\n    from pkg.api import Host\n\n    return Host\n",
    "pkg/api/__init__.py": "from .host import Host\n",
    "pkg/api/host.py": "from pkg.connectors.base import BaseConnector\n\n\nclass Host:\n    connector = BaseConnector\n",
    "pkg/api/exceptions.py": "class ConnectError(Exception):\n    pass\n",
    "pkg/connectors/__init__.py": "",
    "pkg/connectors/base.py": "from pkg.api.exceptions import ConnectError\n\n\nclass BaseConnector:\n"
                              "    error = ConnectError\n",
}

SHAPES = [
    # pyinfra: the package's __init__ calls the imported function, which imports the API first
    ("init-calls-imported-function-that-imports-the-api-first", {
        **API, "pkg/__init__.py": "from .context import init_base_classes\n\ninit_base_classes()\n",
    }, False),
    # the twin: imported but not called, so `import pkg.connectors.base` first fails
    ("init-imports-the-function-without-calling-it", {
        **API, "pkg/__init__.py": "from .context import init_base_classes\n",
    }, True),
    # the call's import reaches back for a name the package binds only after the call
    ("imported-function-called-before-the-name-it-needs", {
        "pkg/__init__.py": "from .boot import setup\n\nsetup()\nNAME = 1\n",
        "pkg/boot.py": "def setup():\n    from pkg.sub import VALUE\n\n    return VALUE\n",
        "pkg/sub.py": "from pkg import NAME\n\nVALUE = NAME\n",
    }, True),
    # its twin: the name is bound before the call
    ("imported-function-called-after-the-name-it-needs", {
        "pkg/__init__.py": "from .boot import setup\n\nNAME = 1\nsetup()\n",
        "pkg/boot.py": "def setup():\n    from pkg.sub import VALUE\n\n    return VALUE\n",
        "pkg/sub.py": "from pkg import NAME\n\nVALUE = NAME\n",
    }, False),
]


@pytest.mark.parametrize(("files", "fails"), [pytest.param(f, x, id=name) for name, f, x in SHAPES])
def test_a_function_imported_and_called_at_import_runs_its_imports_there(tmp_path: Path, files: dict[str, str],
                                                                         fails: bool) -> None:
    assert_arc103_agrees_with_the_interpreter(tmp_path, files, fails)


def test_the_row_says_the_import_runs_in_a_function_called_from_another_module(tmp_path: Path) -> None:
    files = dict(next(files for name, files, _ in SHAPES if name == "imported-function-called-before-the-name-it-needs"))
    (raw,) = arc103_findings(write_tree(tmp_path, files))
    assert raw.message == "Import cycle: pkg -> pkg.sub -> pkg; `import pkg` first fails on `NAME`"
    assert [(r.path.name, r.span.line, r.message) for r in raw.related] == [
        ("__init__.py", 1, "`pkg` calls a function of `pkg.boot` while it is imported, which imports `pkg.sub`"),
        ("sub.py", 1, "`pkg.sub` imports `pkg`"),
    ]
