"""``tach.toml`` read as Tach users write it: every key we read, each as a twin of cases (one the
code keeps, one it breaks) judged through ``Project.check_paths`` as the editor and CLI judge them.

The expected results are what the real ``tach check`` (tach 0.35.3, in a scratch venv, not a
dependency) printed for the same files: each ``[FAIL]``/``[WARN] path:line`` line is one
(path, line, code) below (undeclared / cannot_depend_on -> ARC101, layer -> ARC102, interface ->
ARC104, deprecated -> ARC106); a "Module configuration error" Tach stops on is an ARC006 error on
the line of tach.toml that causes it. Keys we do not read are ARC006 warnings naming them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from python_architect.engine import Project
from trees import write_tree

SRC = {
    "src/shop/__init__.py": "",
    "src/shop/core/__init__.py": "class Service: ...\n",
    "src/shop/core/api.py": "def run(): ...\n",
    "src/shop/core/internal.py": "X = 1\n",
    "src/shop/ui/__init__.py": "",
    "src/shop/db/__init__.py": "",
    "src/shop/db/models.py": "",
    "src/shop/settings.py": "DEBUG = False\n",
}
MODULES = """
[[modules]]
path = "shop.ui"
depends_on = ["shop.core"]

[[modules]]
path = "shop.core"
depends_on = []

[[modules]]
path = "shop.db"
depends_on = []
"""
HEAD = 'source_roots = ["src"]\n'

# name -> (tach.toml, extra files, expected (path, line, code) as real `tach check` printed them)
CASES: dict[str, tuple[str, dict[str, str], list[tuple[str, int, str]]]] = {
    # source_roots: module paths are relative to them (`app.*` under backend/).
    "source_roots kept": (
        ('source_roots = ["backend"]\n[[modules]]\npath = "app.web"\ndepends_on = ["app.store"]\n'
         '[[modules]]\npath = "app.store"\ndepends_on = []\n'),
        {"backend/app/__init__.py": "", "backend/app/web.py": "from app import store\n", "backend/app/store.py": ""},
        []),
    "source_roots broken": (
        ('source_roots = ["backend"]\n[[modules]]\npath = "app.web"\ndepends_on = ["app.store"]\n'
         '[[modules]]\npath = "app.store"\ndepends_on = []\n'),
        {"backend/app/__init__.py": "", "backend/app/web.py": "", "backend/app/store.py": "import app.web\n"},
        [("backend/app/store.py", 1, "ARC101")]),
    # exclude: gitignore-style globs from the project root; excluded files are not checked.
    "exclude skips": (
        HEAD + 'exclude = ["src/shop/ui/legacy", "**/tests"]\n' + MODULES,
        {**SRC, "src/shop/ui/legacy/__init__.py": "", "src/shop/ui/legacy/old.py": "from shop.db import models\n",
         "src/shop/ui/tests/test_views.py": "from shop.db import models\n"},
        []),
    "exclude does not skip others": (
        HEAD + 'exclude = ["src/shop/ui/legacy"]\n' + MODULES,
        {**SRC, "src/shop/ui/legacy/__init__.py": "", "src/shop/ui/legacy/old.py": "from shop.db import models\n",
         "src/shop/ui/tests/test_views.py": "from shop.db import models\n"},
        [("src/shop/ui/tests/test_views.py", 1, "ARC101")]),
    # interfaces: only exposed members (regexes, whole match) of the `from` modules.
    "interfaces kept": (
        HEAD + MODULES + '[[interfaces]]\nexpose = ["api.*", "Service"]\nfrom = ["shop.core"]\n',
        {**SRC, "src/shop/ui/views.py": "from shop.core.api import run\nfrom shop.core import Service\nimport shop.core\n"},
        []),
    "interfaces broken": (
        HEAD + MODULES + '[[interfaces]]\nexpose = ["api.*", "Service"]\nfrom = ["shop.core"]\n',
        {**SRC, "src/shop/ui/views.py": "from shop.core.api import run\nfrom shop.core import internal\n"
                                        "from shop.core.internal import X\n"},
        [("src/shop/ui/views.py", 2, "ARC104"), ("src/shop/ui/views.py", 3, "ARC104")]),
    "interfaces without from cover every module": (
        HEAD + MODULES + '[[interfaces]]\nexpose = ["api"]\n',
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\nfrom shop.core import internal\n"},
        [("src/shop/ui/views.py", 2, "ARC104")]),
    "interface visibility": (
        HEAD + MODULES.replace('path = "shop.db"\ndepends_on = []', 'path = "shop.db"\ndepends_on = ["shop.core"]')
        + '[[interfaces]]\nexpose = ["api"]\nfrom = ["shop.core"]\n'
        + '[[interfaces]]\nexpose = ["internal"]\nfrom = ["shop.core"]\nvisibility = ["shop.ui"]\n',
        {**SRC, "src/shop/ui/views.py": "from shop.core import internal, api\n",
         "src/shop/db/models.py": "from shop.core import api\nfrom shop.core import internal\n"},
        [("src/shop/db/models.py", 2, "ARC104")]),
    "interface exclusive": (
        HEAD + MODULES.replace('path = "shop.db"\ndepends_on = []', 'path = "shop.db"\ndepends_on = ["shop.core"]')
        + '[[interfaces]]\nexpose = ["api"]\nfrom = ["shop.core"]\n'
        + '[[interfaces]]\nexpose = ["Service"]\nfrom = ["shop.core"]\nvisibility = ["shop.ui"]\nexclusive = true\n',
        {**SRC, "src/shop/ui/views.py": "from shop.core import Service\nfrom shop.core import api\n",
         "src/shop/db/models.py": "from shop.core import api\n"},
        [("src/shop/ui/views.py", 2, "ARC104")]),
    # layers: a higher layer imports a lower one without declaring it; never the other way.
    "layers kept": (
        HEAD + 'layers = ["ui", "core"]\n' + MODULES.replace('depends_on = ["shop.core"]', 'layer = "ui"\ndepends_on = []')
        .replace('path = "shop.core"\n', 'path = "shop.core"\nlayer = "core"\n'),
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\n"},
        []),
    "layers broken": (
        HEAD + 'layers = ["ui", "core"]\n' + MODULES.replace('depends_on = ["shop.core"]', 'layer = "ui"\ndepends_on = []')
        .replace('path = "shop.core"\n', 'path = "shop.core"\nlayer = "core"\n'),
        {**SRC, "src/shop/ui/views.py": "", "src/shop/core/back.py": "from shop.ui import views\n"},
        [("src/shop/core/back.py", 1, "ARC102")]),
    # <root> and root_module: code in no module is `<root>`; ignored unless root_module says otherwise.
    "root ignored by default": (
        HEAD + MODULES,
        {**SRC, "src/shop/core/conf.py": "from shop import settings\n", "src/script.py": "from shop.db import models\n"},
        []),
    "root allow: undeclared <root>": (
        HEAD + 'root_module = "allow"\n' + MODULES,
        {**SRC, "src/shop/core/conf.py": "from shop import settings\n", "src/script.py": "from shop.db import models\n"},
        [("src/script.py", 1, "ARC101"), ("src/shop/core/conf.py", 1, "ARC101")]),
    "root allow: declared <root>": (
        HEAD + 'root_module = "allow"\n' + MODULES.replace('path = "shop.core"\ndepends_on = []',
                                                         'path = "shop.core"\ndepends_on = ["<root>"]')
        + '\n[[modules]]\npath = "<root>"\ndepends_on = ["shop.db"]\n',
        {**SRC, "src/shop/core/conf.py": "from shop import settings\n", "src/script.py": "from shop.db import models\n"},
        []),
    "root dependenciesonly refuses <root> as a dependency": (
        HEAD + 'root_module = "dependenciesonly"\n' + MODULES.replace('path = "shop.core"\ndepends_on = []',
                                                                    'path = "shop.core"\ndepends_on = ["<root>"]'),
        dict(SRC), [("tach.toml", 9, "ARC006")]),
    # visibility: a depends_on on a module that does not list the declaring module is refused.
    "visibility kept": (
        HEAD + MODULES.replace('path = "shop.core"\ndepends_on = []', 'path = "shop.core"\ndepends_on = []\nvisibility = ["shop.ui"]'),
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\n"},
        []),
    "visibility broken": (
        HEAD + MODULES.replace('path = "shop.core"\ndepends_on = []', 'path = "shop.core"\ndepends_on = []\nvisibility = ["shop.db"]'),
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\n"},
        [("tach.toml", 4, "ARC006")]),
    # unchecked: the module's own imports are not checked.
    "unchecked skips": (
        HEAD + MODULES.replace('path = "shop.ui"\n', 'path = "shop.ui"\nunchecked = true\n'),
        {**SRC, "src/shop/ui/views.py": "from shop.db import models\n"},
        []),
    "checked twin": (
        HEAD + MODULES,
        {**SRC, "src/shop/ui/views.py": "from shop.db import models\n"},
        [("src/shop/ui/views.py", 1, "ARC101")]),
    # cannot_depend_on wins over depends_on.
    "cannot_depend_on absent": (
        HEAD + MODULES.replace('depends_on = ["shop.core"]', 'depends_on = ["shop.core", "shop.db"]'),
        {**SRC, "src/shop/ui/views.py": "from shop.db import models\n"},
        []),
    "cannot_depend_on wins": (
        HEAD + MODULES.replace('depends_on = ["shop.core"]', 'depends_on = ["shop.core", "shop.db"]\ncannot_depend_on = ["shop.db"]'),
        {**SRC, "src/shop/ui/views.py": "from shop.db import models\nfrom shop.core import api\n"},
        [("src/shop/ui/views.py", 1, "ARC101")]),
    # deprecated dependencies and globs in depends_on.
    "deprecated warns, globs allow": (
        HEAD + MODULES.replace('depends_on = ["shop.core"]', 'depends_on = ["shop.*", {path = "shop.db", deprecated = true}]'),
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\n"},
        []),
    "deprecated warns": (
        HEAD + MODULES.replace('depends_on = ["shop.core"]', 'depends_on = ["shop.core", {path = "shop.db", deprecated = true}]'),
        {**SRC, "src/shop/ui/views.py": "from shop.db import models\n"},
        [("src/shop/ui/views.py", 1, "ARC106")]),
    # exact: a declared dependency no import uses; forbid_circular_dependencies: declared cycles.
    "exact kept": (
        HEAD + "exact = true\n" + MODULES,
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\n"},
        []),
    "exact broken": (
        HEAD + "exact = true\n" + MODULES,
        dict(SRC), [("tach.toml", 5, "ARC006")]),
    "circular dependencies allowed by default": (
        HEAD + MODULES.replace('path = "shop.core"\ndepends_on = []', 'path = "shop.core"\ndepends_on = ["shop.ui"]'),
        dict(SRC), []),
    "circular dependencies forbidden": (
        HEAD + "forbid_circular_dependencies = true\n"
        + MODULES.replace('path = "shop.core"\ndepends_on = []', 'path = "shop.core"\ndepends_on = ["shop.ui"]'),
        dict(SRC), [("tach.toml", 5, "ARC006"), ("tach.toml", 9, "ARC006")]),
    # closed layers: nothing reaches across them; rules.local_imports: imports inside functions.
    "closed layer crossed": (
        HEAD + 'layers = ["ui", {name = "mid", closed = true}, "core"]\n'
        + MODULES.replace('depends_on = ["shop.core"]', 'layer = "ui"\ndepends_on = []')
        .replace('path = "shop.core"\n', 'path = "shop.core"\nlayer = "core"\n'),
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\n"},
        [("src/shop/ui/views.py", 1, "ARC102")]),
    "open layer crossed": (
        HEAD + 'layers = ["ui", "mid", "core"]\n'
        + MODULES.replace('depends_on = ["shop.core"]', 'layer = "ui"\ndepends_on = []')
        .replace('path = "shop.core"\n', 'path = "shop.core"\nlayer = "core"\n'),
        {**SRC, "src/shop/ui/views.py": "from shop.core import api\n"},
        []),
    "local imports checked by default": (
        HEAD + MODULES,
        {**SRC, "src/shop/ui/views.py": "def f():\n    from shop.db import models\n"},
        [("src/shop/ui/views.py", 2, "ARC101")]),
    # `# tach-ignore` on the line or alone above it; limited to the names after it when given.
    # (Tach also printed "[WARN] ...views.py:4: Ignore directive is unused": not emulated.)
    "tach-ignore": (
        HEAD + MODULES,
        {**SRC, "src/shop/ui/views.py": "# tach-ignore\nfrom shop.db import models\n"
                                        "from shop.db import models as m  # tach-ignore(legacy) models\n"
                                        "from shop.db import models  # tach-ignore other\n"},
        [("src/shop/ui/views.py", 4, "ARC101")]),
    "local imports off": (
        HEAD + '[rules]\nlocal_imports = "off"\n' + MODULES,
        {**SRC, "src/shop/ui/views.py": "def f():\n    from shop.db import models\n"},
        []),
}


def findings(root: Path) -> list[tuple[str, int, str]]:
    result = Project.load(root).check_paths(ruff=False, jobs=1)
    return sorted((f.path.relative_to(root).as_posix(), f.line, f.code)
                  for f in result.findings if f.code in ("ARC006", "ARC101", "ARC102", "ARC104", "ARC106"))


@pytest.mark.parametrize("name", list(CASES))
def test_tach_toml_is_judged_as_tach_check_judges_it(tmp_path: Path, name: str) -> None:
    text, files, expected = CASES[name]
    write_tree(tmp_path, {"tach.toml": text, **files})
    assert findings(tmp_path) == expected
