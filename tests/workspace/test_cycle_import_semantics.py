"""ARC103 reports an import cycle exactly when importing it can fail: a table of shapes, each
checked against the real interpreter.

For every shape, each module of the tree is imported first in a fresh interpreter
(``python -c "import pkg"``, ``import pkg.sub``, ...); the shape fails when one of those imports
stops on the cycle (the interpreter's "partially initialized module ... circular import"). ARC103
must report the shape exactly when it fails, and the import it says fails (``data["entry"]``)
must be one that does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from real_imports import arc103_findings, assert_arc103_agrees_with_the_interpreter, fails_on_the_cycle
from trees import write_tree
from python_architect.config import ProjectConfig
from python_architect.engine import Project
from python_architect.workspace.files import discover_files
from python_architect.workspace.index import WorkspaceIndex
from python_architect.workspace.roots import SourceRoots

FAILS, IMPORTS = True, False

# (id, files, whether some import order fails). Each false-positive shape sits beside its twin.
SHAPES: list[tuple[str, dict[str, str], bool]] = [
    # 1. A package's __init__ and its own submodule.
    ("from-pkg-import-name-defined-after", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "from pkg import NAME\n",
    }, FAILS),
    ("from-pkg-import-name-defined-before", {
        "pkg/__init__.py": "NAME = 1\nfrom . import sub\n",
        "pkg/sub.py": "from pkg import NAME\n",
    }, IMPORTS),
    ("import-pkg-read-in-function", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "import pkg\n\n\ndef value():\n    return pkg.NAME\n",
    }, IMPORTS),
    ("import-pkg-read-at-module-level", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "import pkg\n\nVALUE = pkg.NAME\n",
    }, FAILS),
    # The import system sets __file__, __name__, __path__, __spec__ before the body runs (streamlit).
    ("import-pkg-read-dunder-at-module-level", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "import os\nimport pkg\n\nHERE = os.path.dirname(pkg.__file__)\nWHO = pkg.__name__\n",
    }, IMPORTS),
    ("from-pkg-import-dunder", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "from pkg import __path__ as ROOTS\n",
    }, IMPORTS),
    ("import-pkg-submodule-read-in-function", {
        "pkg/__init__.py": "from . import flavor\n",
        "pkg/flavor.py": "from pkg import sub\n\nNAME = 1\n",
        "pkg/sub.py": "import pkg.flavor\n\n\ndef value():\n    return pkg.flavor.NAME\n",
    }, IMPORTS),
    ("import-pkg-submodule-read-at-module-level", {
        "pkg/__init__.py": "from . import flavor\n",
        "pkg/flavor.py": "from pkg import sub\n\nNAME = 1\n",
        "pkg/sub.py": "import pkg.flavor\n\nVALUE = pkg.flavor.NAME\n",
    }, FAILS),
    ("import-submodule-as-alias", {
        "pkg/__init__.py": "from . import flavor\n",
        "pkg/flavor.py": "from pkg import sub\n\nNAME = 1\n",
        "pkg/sub.py": "import pkg.flavor as flavor\n\n\ndef value():\n    return flavor.NAME\n",
    }, IMPORTS),
    ("import-submodule-as-alias-read-at-module-level", {
        "pkg/__init__.py": "from . import flavor\n",
        "pkg/flavor.py": "from pkg import sub\n\nNAME = 1\n",
        "pkg/sub.py": "import pkg.flavor as flavor\n\nVALUE = flavor.NAME\n",
    }, FAILS),
    # 2. Edges that exist only for annotations.
    ("annotation-under-future-import", {
        "pkg/__init__.py": "from . import sub\n\n\nclass Model:\n    pass\n",
        "pkg/sub.py": "from __future__ import annotations\n\nimport pkg\n\n\ndef save(model: pkg.Model) -> None:\n    pass\n",
    }, IMPORTS),
    ("annotation-evaluated-at-definition", {
        "pkg/__init__.py": "from . import sub\n\n\nclass Model:\n    pass\n",
        "pkg/sub.py": "import pkg\n\n\ndef save(model: pkg.Model) -> None:\n    pass\n",
    }, FAILS),
    ("string-annotation", {
        "pkg/__init__.py": "from . import sub\n\n\nclass Model:\n    pass\n",
        "pkg/sub.py": "import pkg\n\n\ndef save(model: \"pkg.Model\") -> None:\n    pass\n",
    }, IMPORTS),
    ("from-import-under-type-checking", {
        "pkg/__init__.py": "from . import sub\n\n\nclass Model:\n    pass\n",
        "pkg/sub.py": ("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg import Model\n\n\n"
                       "def save(model: \"Model\") -> None:\n    pass\n"),
    }, IMPORTS),
    ("from-import-used-only-in-annotations", {
        "pkg/__init__.py": "from . import sub\n\n\nclass Model:\n    pass\n",
        "pkg/sub.py": "from __future__ import annotations\n\nfrom pkg import Model\n\n\ndef save(model: Model) -> None:\n    pass\n",
    }, FAILS),
    # 3. Imports inside a function the module calls while it is imported.
    ("function-import-called-at-import-time", {
        "pkg/__init__.py": "def _load_plugins():\n    from . import plugins\n\n\n_load_plugins()\nNAME = 1\n",
        "pkg/plugins.py": "from pkg import NAME\n",
    }, FAILS),
    ("function-import-called-after-the-name", {
        "pkg/__init__.py": "NAME = 1\n\n\ndef _load_plugins():\n    from . import plugins\n\n\n_load_plugins()\n",
        "pkg/plugins.py": "from pkg import NAME\n",
    }, IMPORTS),
    ("function-import-never-called-at-import-time", {
        "pkg/__init__.py": "def load_plugins():\n    from . import plugins\n\n\nNAME = 1\n",
        "pkg/plugins.py": "from pkg import NAME\n",
    }, IMPORTS),
    ("decorator-imports-before-the-class-is-bound", {
        "pkg/__init__.py": "def register(cls):\n    from . import registry\n    return cls\n\n\n@register\nclass Thing:\n    pass\n",
        "pkg/registry.py": "from pkg import Thing\n",
    }, FAILS),
    ("call-at-import-reads-through-a-package-outside-the-cycle", {  # sqlalchemy.orm's __go()
        "app/__init__.py": "",
        "app/util/__init__.py": "from app.util import preloaded\n",
        "app/util/preloaded.py": "def import_prefix(name):\n    return name\n",
        "app/orm/__init__.py": ("from app.orm import mapper\nfrom app import util as _util\n\n\n"
                                "def _go():\n    _util.preloaded.import_prefix('app.orm')\n\n\n_go()\n"),
        "app/orm/mapper.py": "import app.orm\n\n\ndef parent():\n    return app.orm\n",
    }, IMPORTS),
    # Plain modules, and a package run first by an import of its submodule.
    ("two-modules-import-each-others-names", {
        "app/__init__.py": "",
        "app/a.py": "from app.b import g\n\n\ndef f():\n    pass\n",
        "app/b.py": "from app.a import f\n\n\ndef g():\n    pass\n",
    }, FAILS),
    ("two-modules-import-each-other-as-modules", {
        "app/__init__.py": "",
        "app/a.py": "from app import b\n\n\ndef f():\n    return b.g()\n",
        "app/b.py": "from app import a\n\n\ndef g():\n    return a.f\n",
    }, IMPORTS),
    ("one-side-imports-a-name", {
        "app/__init__.py": "",
        "app/a.py": "from app.b import g\n\n\ndef f():\n    pass\n",
        "app/b.py": "from app import a\n\n\ndef g():\n    return a.f()\n",
    }, FAILS),
    ("package-run-first-by-a-submodule-import", {
        "other/__init__.py": "",
        "other/x.py": "from pkg.sub import f\n\ng = 1\n",
        "pkg/__init__.py": "from other.x import g\n",
        "pkg/sub.py": "def f():\n    pass\n",
    }, FAILS),
    ("package-run-first-after-the-name", {
        "other/__init__.py": "",
        "other/x.py": "g = 1\n\nfrom pkg.sub import f\n",
        "pkg/__init__.py": "from other.x import g\n",
        "pkg/sub.py": "def f():\n    pass\n",
    }, IMPORTS),
    # An optional import that falls into the cycle is caught where it is tried (mlflow's CLI adds
    # its MCP subcommand under ``try: ... except ImportError``); the handler must catch what the
    # partial module raises: "cannot import name" is an ImportError, not a ModuleNotFoundError.
    ("optional-import-caught-up-the-chain", {
        "pkg/__init__.py": "try:\n    from pkg.cli import cli\nexcept ImportError:\n    cli = None\nNAME = 1\n",
        "pkg/cli.py": "from pkg.server import run\n\ncli = run\n",
        "pkg/server.py": "from pkg import NAME\n\n\ndef run():\n    return NAME\n",
    }, IMPORTS),
    ("optional-import-handler-catches-only-module-not-found", {
        "pkg/__init__.py": "try:\n    from pkg.cli import cli\nexcept ModuleNotFoundError:\n    cli = None\nNAME = 1\n",
        "pkg/cli.py": "from pkg.server import run\n\ncli = run\n",
        "pkg/server.py": "from pkg import NAME\n\n\ndef run():\n    return NAME\n",
    }, FAILS),
    ("optional-import-suppressed", {
        "pkg/__init__.py": "from contextlib import suppress\n\nwith suppress(ImportError):\n    from . import sub\nNAME = 1\n",
        "pkg/sub.py": "from pkg import NAME\n",
    }, IMPORTS),
    # A module-level read of the partial package raises AttributeError, which ``except ImportError``
    # does not catch.
    ("optional-import-read-raises-attribute-error", {
        "pkg/__init__.py": "try:\n    from . import sub\nexcept ImportError:\n    sub = None\nNAME = 1\n",
        "pkg/sub.py": "import pkg\n\nVALUE = pkg.NAME\n",
    }, FAILS),
    ("optional-import-read-caught-as-attribute-error", {
        "pkg/__init__.py": "try:\n    from . import sub\nexcept (ImportError, AttributeError):\n    sub = None\nNAME = 1\n",
        "pkg/sub.py": "import pkg\n\nVALUE = pkg.NAME\n",
    }, IMPORTS),
    # A project's own type-checking flag (pipenv's ``MYPY_RUNNING``, false at run time) guards the
    # edge back, as ``TYPE_CHECKING`` does; the twin's flag is an ordinary setting, true here.
    ("own-type-checking-flag", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/flags.py": "MYPY_RUNNING = False\nDEBUG = True\n",
        "pkg/sub.py": "from pkg.flags import MYPY_RUNNING\n\nif MYPY_RUNNING:\n    from pkg import NAME\n",
    }, IMPORTS),
    ("ordinary-flag-guards-a-real-edge", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/flags.py": "MYPY_RUNNING = False\nDEBUG = True\n",
        "pkg/sub.py": "from pkg.flags import DEBUG\n\nif DEBUG:\n    from pkg import NAME\n",
    }, FAILS),
    # mautrix (twenty-ninth reading): the package binds its own flag to ``TYPE_CHECKING``
    # (``__optional_imports__ = TYPE_CHECKING``) and modules import it to guard their edges back.
    # The twins: a flag bound to anything else, and an ``if`` that is false only in an ``else``.
    ("package-flag-aliasing-type-checking", {
        "pkg/__init__.py": "from typing import TYPE_CHECKING\n\n__optional_imports__ = TYPE_CHECKING\n"
                           "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "from pkg import __optional_imports__\n\nif __optional_imports__:\n    from pkg import NAME\n",
    }, IMPORTS),
    ("package-flag-aliasing-typing-attribute-in-another-module", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/flags.py": "import typing\n\nCHECKING: bool = typing.TYPE_CHECKING\n",
        "pkg/sub.py": "from pkg.flags import CHECKING\n\nif CHECKING:\n    from pkg import NAME\n",
    }, IMPORTS),
    ("module-flag-aliasing-type-checking", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "from typing import TYPE_CHECKING\n\nSTATIC = TYPE_CHECKING\nif STATIC:\n    from pkg import NAME\n",
    }, IMPORTS),
    ("package-flag-bound-to-a-setting", {
        "pkg/__init__.py": "import os\n\n__optional_imports__ = os.name != 'nt'\nfrom . import sub\nNAME = 1\n",
        "pkg/sub.py": "from pkg import __optional_imports__\n\nif __optional_imports__:\n    from pkg import NAME\n",
    }, FAILS),
    ("package-flag-aliasing-type-checking-else-branch-runs", {
        "pkg/__init__.py": "from typing import TYPE_CHECKING\n\n__optional_imports__ = TYPE_CHECKING\n"
                           "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "from pkg import __optional_imports__\n\nif __optional_imports__:\n    pass\nelse:\n"
                      "    from pkg import NAME\n",
    }, FAILS),
    # Caught in the failing module itself, the classic optional name.
    ("optional-name-caught-in-the-importing-module", {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "try:\n    from pkg import NAME\nexcept ImportError:\n    NAME = None\n",
    }, IMPORTS),
]


@pytest.mark.parametrize(("files", "fails"), [pytest.param(f, x, id=name) for name, f, x in SHAPES])
def test_arc103_reports_the_cycle_exactly_when_an_import_order_fails(tmp_path: Path, files: dict[str, str],
                                                                     fails: bool) -> None:
    assert_arc103_agrees_with_the_interpreter(tmp_path, files, fails)


def test_the_finding_states_the_failing_cycle_its_order_and_its_lines(tmp_path: Path) -> None:
    root = write_tree(tmp_path, dict(SHAPES[0][1]))  # sub imports NAME before __init__ binds it
    (raw,) = arc103_findings(root)
    assert raw.message == "Import cycle: pkg -> pkg.sub -> pkg; `import pkg` first fails on `NAME`"
    assert raw.data["fails"] == ("`import pkg` fails: `pkg.sub` imports `NAME` from `pkg` before `pkg` defines it")
    assert [(r.path.name, r.span.line, r.message) for r in raw.related] == [
        ("__init__.py", 1, "`pkg` imports `pkg.sub`"),
        ("sub.py", 1, "`pkg.sub` imports `pkg`"),
    ]


def test_a_call_at_import_time_and_a_package_run_first_say_so_in_their_rows(tmp_path: Path) -> None:
    shapes = dict((name, files) for name, files, _ in SHAPES)
    called = write_tree(tmp_path / "called", shapes["function-import-called-at-import-time"])
    (raw,) = arc103_findings(called)
    assert (raw.span.line, raw.related[0].message) == (
        2, "`pkg` imports `pkg.plugins` in a function it calls while it is imported")
    first = write_tree(tmp_path / "first", shapes["package-run-first-by-a-submodule-import"])
    (raw,) = arc103_findings(first)
    assert raw.message == "Import cycle: other.x -> pkg -> other.x; `import other.x` first fails on `g`"
    assert raw.related[0].message == "`other.x` imports `pkg.sub`, which runs `pkg` first"


def test_structural_option_reports_every_import_time_cycle(tmp_path: Path) -> None:
    shapes = dict((name, files) for name, files, _ in SHAPES)
    root = write_tree(tmp_path, shapes["two-modules-import-each-other-as-modules"])  # imports cleanly
    assert arc103_findings(root) == []
    for options in ({"structural": True}, {"include-deferred": True}):
        (raw,) = arc103_findings(root, options)
        assert raw.message == "Import cycle: app.a -> app.b -> app.a"


@pytest.mark.parametrize("statement", [
    "with open(__file__) as handle:\n    TEXT = handle.read()\n",
    "async def main():\n    async with lock:\n        pass\n",
    "match NAME:\n    case 1:\n        OTHER = 2\n    case _:\n        pass\n",
    "try:\n    import json\nexcept* ValueError:\n    pass\n",
    "for item in range(2):\n    pass\nelse:\n    DONE = True\n",
    "while False:\n    pass\n",
    "LAMBDA = lambda: pkg.NAME\nCOMPREHENSION = [pkg for pkg in range(2)]\n",
    "class Local:\n    import json\n    VALUE = json.dumps({})\n",
])
def test_any_module_level_statement_is_replayed_without_error(tmp_path: Path, statement: str) -> None:
    # The twin of the first shape with one more statement after the cycle: still reported once.
    root = write_tree(tmp_path, {"pkg/__init__.py": "from . import sub\nNAME = 1\n" + statement,
                                 "pkg/sub.py": "from pkg import NAME\n"})
    assert len(arc103_findings(root)) == 1


def test_the_editor_follows_an_edit_that_only_changes_what_runs_at_import(tmp_path: Path) -> None:
    from python_architect.engine import Project

    root = write_tree(tmp_path, {
        "pkg/__init__.py": "from . import sub\nNAME = 1\n",
        "pkg/sub.py": "import pkg\n\nVALUE = pkg.NAME\n",
    })
    project = Project.load(root)
    assert [f.code for f in project.workspace_findings()] == ["ARC103"]
    # The import lines stay as they were; only the read moves into a function.
    project.analyze(root / "pkg/sub.py", "import pkg\n\n\ndef value():\n    return pkg.NAME\n")
    assert project.workspace_findings() == []
    project.analyze(root / "pkg/sub.py", "import pkg\n\nVALUE = pkg.NAME\n")
    assert [f.code for f in project.workspace_findings()] == ["ARC103"]


def test_a_group_too_large_to_replay_within_the_budget_is_not_reported_unless_structural(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from python_architect.workspace import cycles
    from python_architect.workspace.cycles import failing_cycle_groups

    # A ring of modules importing each other as modules: it imports cleanly in every order.
    ring = {"app/__init__.py": "", **{f"app/m{i}.py": f"from app import m{(i + 1) % 30}\n" for i in range(30)}}
    root = write_tree(tmp_path, ring)
    config = ProjectConfig()
    files = discover_files(root, config)
    index = WorkspaceIndex(SourceRoots.from_config(root, config, files.python))
    index.scan(files.python)
    assert failing_cycle_groups(index) == []  # replayed: 30 orders, none fails
    ((group, failure, links),) = failing_cycle_groups(index, budget=100)  # 30 x 30 runs would be needed
    assert failure is None and links == () and len(group.members) == 30  # returned, without a verdict
    # A cycle nobody showed can fail is not a finding by default (read on dagster, issue 21) ...
    monkeypatch.setattr(cycles, "REPLAY_RUNS", 100)
    monkeypatch.setattr(cycles.failing_cycle_groups, "__defaults__", (100,))
    assert [f.code for f in Project.load(root).workspace_findings()] == []
    # ... while `structural = true` reports every cycle, verified or not.
    (root / "pyproject.toml").write_text('[tool.python-architect.options.ARC103]\nstructural = true\n')
    assert [f.code for f in Project.load(root).workspace_findings()] == ["ARC103"]


def test_small_groups_are_replayed_before_a_large_one_spends_the_budget(tmp_path: Path) -> None:
    from python_architect.workspace.cycles import failing_cycle_groups

    ring = {"app/__init__.py": "", **{f"app/m{i}.py": f"from app import m{(i + 1) % 30}\n" for i in range(30)}}
    failing = {"app/x.py": "from app.y import Y\nX = 1\n", "app/y.py": "from app.x import X\nY = 1\n"}
    root = write_tree(tmp_path, {**ring, **failing})
    config = ProjectConfig()
    files = discover_files(root, config)
    index = WorkspaceIndex(SourceRoots.from_config(root, config, files.python))
    index.scan(files.python)
    verdicts = {len(group.members): failure for group, failure, _ in failing_cycle_groups(index, budget=100)}
    assert verdicts[2] is not None  # the small failing pair was replayed and fails
    assert verdicts[30] is None  # the ring, met afterwards, ran out of budget


def test_a_failing_group_met_on_the_way_does_not_hide_another_groups_failure(tmp_path: Path) -> None:
    tree = {
        "app/__init__.py": "",
        "app/pkg/__init__.py": "from app import r\n",  # runs before p or q, and meets r <-> s first
        "app/r.py": "from app.s import S\nR = 1\n",
        "app/s.py": "from app.r import R\nfrom app.pkg import p\nS = 1\n",
        "app/pkg/p.py": "from app.pkg.q import Q\nP = 1\n",
        "app/pkg/q.py": "from app.pkg.p import P\nQ = 1\n",
    }
    root = write_tree(tmp_path / "both", tree)
    assert sorted(raw.message for raw in arc103_findings(root)) == [
        "Import cycle: app.pkg.p -> app.pkg.q -> app.pkg.p; `import app.pkg.p` first fails on `P`",
        # app.pkg runs r: importing the package is what fails, on the name s reads from r
        "Import cycle: app.r -> app.s -> app.r; 3 modules import each other in all; `import app.pkg` first fails on `app.r.R`"]
    fixed = write_tree(tmp_path / "fixed", {**tree, "app/s.py": "S = 1\n"})
    assert fails_on_the_cycle(fixed, "app.pkg.p")  # the interpreter agrees once r <-> s is gone
    assert [raw.message for raw in arc103_findings(fixed)] == [
        "Import cycle: app.pkg.p -> app.pkg.q -> app.pkg.p; `import app.pkg.p` first fails on `P`"]


def _a_compiled_stdlib_module() -> Path:
    """A real compiled extension module of this interpreter (``array``, ``_bisect``...): copied into
    a package under its own name, ``from pkg import array`` loads it as ``pkg.array``."""
    import importlib.machinery
    import importlib.util

    for name in ("array", "_bisect", "_json", "_csv", "select", "math"):
        spec = importlib.util.find_spec(name)
        if spec and spec.origin and spec.origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
            return Path(spec.origin)
    raise AssertionError("this interpreter has none of the usual stdlib modules as a compiled file")


@pytest.mark.parametrize(("statement", "twin_fails"), [
    ("from pkg import {name}\n", True),
    # Without the compiled file this one is a missing module, not a cycle: no twin.
    ("import pkg.{name}\n\nVALUE = pkg.{name}.__name__\n", False),
])
def test_a_compiled_submodule_of_a_partial_package_imports_cleanly(tmp_path: Path, statement: str,
                                                                   twin_fails: bool) -> None:
    # Third reading (scikit-learn, pymongo): `from sklearn.cluster import _hierarchical_fast` names a
    # compiled `.so` beside the sources; the import system loads it into the partial package, so
    # no order fails. The twin below, without the compiled file, fails and is reported.
    compiled = _a_compiled_stdlib_module()
    name = compiled.name.split(".", 1)[0]
    files = {"pkg/__init__.py": "from . import sub\nNAME = 1\n", "pkg/sub.py": statement.format(name=name)}
    root = write_tree(tmp_path / "with", files)
    (root / "pkg" / compiled.name).write_bytes(compiled.read_bytes())
    assert not any(fails_on_the_cycle(root, module) for module in ("pkg", "pkg.sub"))
    assert arc103_findings(root) == []

    if not twin_fails:
        return
    twin = write_tree(tmp_path / "without", files)
    assert fails_on_the_cycle(twin, "pkg")  # `pkg.<name>` does not exist: the cycle fails
    (raw,) = arc103_findings(twin)
    assert raw.data["entry"] == "pkg"


def test_a_name_the_package_binds_nowhere_is_no_failure_of_the_cycle(tmp_path: Path) -> None:
    """Twenty-second reading (scipy.linalg): ``blas.py`` runs ``from scipy.linalg import _fblas_64``
    only under ``if HAS_ILP64:``, a build option off in this build, and no module of that name is in
    the tree. No order fails; reporting the cycle as failing on `_fblas_64` was wrong. A private
    name the package binds nowhere is taken as a compiled module of another build; the twin, a
    public name bound nowhere, is an import broken in every order and stays reported."""
    assert_arc103_agrees_with_the_interpreter(tmp_path, {
        "pkg/__init__.py": "from ._misc import *\nNAME = 1\n",
        "pkg/_misc.py": "from .blas import get_blas\n",
        "pkg/blas.py": "HAS_ILP64 = False\nif HAS_ILP64:\n    from pkg import _fblas_64\n\n\ndef get_blas():\n    return None\n",
    }, fails=False)
    twin = write_tree(tmp_path / "public", {
        "pkg/__init__.py": "from ._misc import *\nNAME = 1\n",
        "pkg/_misc.py": "from .blas import get_blas\n",
        "pkg/blas.py": "from pkg import fblas\n\n\ndef get_blas():\n    return None\n",
    })
    assert fails_on_the_cycle(twin, "pkg")
    (raw,) = arc103_findings(twin)
    assert raw.message.endswith("first fails on `fblas`")


def test_only_a_compiled_file_of_that_exact_name_counts(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sub.py": ""})
    for entry in ("_speedups.cpython-311-x86_64-linux-gnu.so", "_win.cp311-win_amd64.pyd", "_abi.abi3.so",
                  "_speedups_extra.so.txt", "_other.py"):
        (root / "pkg" / entry).write_text("")
    roots = SourceRoots.from_config(root, ProjectConfig(), [root / "pkg/__init__.py", root / "pkg/sub.py"])
    listings: dict = {}
    assert [name for name in ("pkg._speedups", "pkg._win", "pkg._abi", "pkg._speedups_extra", "pkg._other",
                              "pkg._spee", "_speedups") if roots.is_compiled_module(name, listings)] == [
        "pkg._speedups", "pkg._win", "pkg._abi"]


def test_a_stub_beside_its_module_never_stands_for_what_runs(tmp_path: Path) -> None:
    # Sixth reading (matplotlib's bezier.py/.pyi): the cycle is only in the stub's imports.
    files = {"pkg/__init__.py": "from . import sub\nNAME = 1\n", "pkg/sub.py": "import os\n",
             "pkg/sub.pyi": "from pkg import NAME\n"}
    root = write_tree(tmp_path / "stub", files)
    assert not any(fails_on_the_cycle(root, module) for module in ("pkg", "pkg.sub"))
    assert arc103_findings(root) == []
    # Either scan order: the module's facts stay the .py file's.
    config = ProjectConfig()
    for order in ((root / "pkg/sub.py", root / "pkg/sub.pyi"), (root / "pkg/sub.pyi", root / "pkg/sub.py")):
        index = WorkspaceIndex(SourceRoots.from_config(root, config, [root / "pkg/__init__.py", *order]))
        for path in order:
            index.update(path, path.read_text())
        assert index.path_of("pkg.sub") == root / "pkg/sub.py"
        assert [fact.module for fact in index.lookup_module("pkg.sub").imports] == ["os"]
        index.remove(root / "pkg/sub.pyi")  # the stub going away leaves the module
        assert index.path_of("pkg.sub") == root / "pkg/sub.py"

    # The twin: the same import in the module itself fails, and is reported.
    twin = write_tree(tmp_path / "module", {**files, "pkg/sub.py": "from pkg import NAME\n"})
    assert fails_on_the_cycle(twin, "pkg")
    assert len(arc103_findings(twin)) == 1


def test_a_stub_of_a_compiled_module_runs_nothing_in_the_replay(tmp_path: Path) -> None:
    # Sixth reading (asyncpg's protocol.pyi beside protocol.*.so): the stub's imports are for type
    # checkers; the compiled module's own imports are not ours to read.
    compiled = _a_compiled_stdlib_module()
    name = compiled.name.split(".", 1)[0]
    root = write_tree(tmp_path, {"pkg/__init__.py": f"from . import {name}\nNAME = 1\n",
                                 f"pkg/{name}.pyi": "from pkg import NAME\n"})
    (root / "pkg" / compiled.name).write_bytes(compiled.read_bytes())
    assert not fails_on_the_cycle(root, "pkg")
    assert arc103_findings(root) == []


def test_a_generated_submodule_discovery_leaves_out_still_imports(tmp_path: Path) -> None:
    """Twenty-fourth reading's rerun (pyqtgraph): ``flowchart/Flowchart.py`` runs ``from . import
    FlowchartCtrlTemplate_generic``, a pyuic file discovery now leaves out as generated. The import
    system still finds it, so no order fails; without the file the same import fails and stays."""
    files = {
        "pkg/__init__.py": "from .flowchart import *\n",
        "pkg/flowchart.py": "from . import template_generic\n\n\nclass Flowchart:\n    pass\n",
        "pkg/template_generic.py": "# Generated by a UI compiler. DO NOT EDIT!\nimport pkg\n\nFORM = 1\n",
    }
    assert_arc103_agrees_with_the_interpreter(tmp_path / "generated", files, fails=False)
    missing = write_tree(tmp_path / "missing", {k: v for k, v in files.items() if "generic" not in k})
    assert fails_on_the_cycle(missing, "pkg")
    (raw,) = arc103_findings(missing)
    assert raw.message.endswith("first fails on `template_generic`")
