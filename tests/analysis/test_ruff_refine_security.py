"""S506 and S604 judged on the parse (issue 21): each false-positive shape next to its true-positive
twin, on ruff's real output; the loader followed into the project's own modules through the
editor's path and the CLI's batch path; a link out of the package is never read."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from python_architect.analysis import ruff_bridge
from python_architect.analysis.decoding import source_lines
from python_architect.analysis.ruff_refine import post_process
from python_architect.engine import Project
from trees import write_tree

LOAD = "def read(text):\n    return yaml.load(text, Loader={loader})\n"

FACTORY = ("import pathlib\nimport yaml\ntry:\n    from yaml import CSafeLoader\n    Base = CSafeLoader\n"
           "except ImportError:\n    Base = yaml.SafeLoader\n\n\ndef get_yaml_loader(*, limit=100):\n"
           "    class OmegaLoader(Base):\n        def construct_document(self, node):\n            return super().construct_document(node)\n"
           "    loader = OmegaLoader\n"
           "    loader.add_constructor('tag:yaml.org,2002:python/object/apply:pathlib.Path',\n"
           "                           lambda loader, node: pathlib.Path(*loader.construct_sequence(node)))\n"
           "    return loader\n\n\n" + LOAD.format(loader="get_yaml_loader(limit=5)"))
OWN_FILE = ("import os\nimport yaml\n\n\ndef table(name):\n"
            "    with open(os.path.join(os.path.dirname(__file__), name + '.yml')) as stream:\n"
            "        modules = yaml.load(stream, Loader=yaml.FullLoader)\n    return modules\n")
S506_SHAPES = [
    # (what, module text, reported after the refinement?)
    ("yaml.BaseLoader", "import yaml\n" + LOAD.format(loader="yaml.BaseLoader"), False),
    ("CBaseLoader imported by name", "import yaml\nfrom yaml import CBaseLoader\n" + LOAD.format(loader="CBaseLoader"), False),
    ("subclass of SafeLoader", "import yaml\nclass Strict(yaml.SafeLoader):\n    pass\n" + LOAD.format(loader="Strict"), False),
    ("parts plus SafeConstructor",
     "import yaml\nfrom yaml.constructor import SafeConstructor\nfrom yaml.resolver import Resolver\n"
     "from yaml.reader import Reader\nfrom yaml.scanner import Scanner\nfrom yaml.parser import Parser\n"
     "from yaml.composer import Composer\n"
     "class Mine(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):\n    pass\n" + LOAD.format(loader="Mine"),
     False),
    ("every import alternative safe",
     "import yaml\ntry:\n    from yaml import CBaseLoader as Fast\nexcept ImportError:\n    from yaml import BaseLoader as Fast\n"
     + LOAD.format(loader="Fast"), False),
    ("imported inside the function",
     ("def read(text):\n    import yaml\n    try:\n        from yaml import CBaseLoader as BaseLoader\n"
     "    except ImportError:\n        from yaml import BaseLoader\n    return yaml.load(text, Loader=BaseLoader)\n"), False),
    # snakemake's ``parse_config`` (issue 21, seventh reading): the module path after a local import
    ("module path after a local import",
     "def parse(s):\n    import yaml\n    return yaml.load(s, Loader=yaml.loader.BaseLoader)\n", False),
    ("module path in a lambda after a local import",
     "def parse(s):\n    import yaml\n    load = lambda t: yaml.load(t, Loader=yaml.loader.BaseLoader)\n    return load(s)\n", False),
    ("getattr with a safe fallback",
     "import yaml\nFast = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n" + LOAD.format(loader="Fast"), False),
    # The twins: still reported.
    ("unsafe module path after a local import",
     "def parse(s):\n    import yaml\n    return yaml.load(s, Loader=yaml.loader.Loader)\n", True),
    ("a local import and a loader chosen at run time",
     "def parse(s, name):\n    import yaml\n    return yaml.load(s, Loader=getattr(yaml.loader, name))\n", True),
    ("no loader", "import yaml\ndef read(text):\n    return yaml.load(text)\n", True),
    ("yaml.Loader", "import yaml\n" + LOAD.format(loader="yaml.Loader"), True),
    ("UnsafeLoader", "import yaml\n" + LOAD.format(loader="yaml.UnsafeLoader"), True),
    ("FullLoader by name", "import yaml\nfrom yaml import FullLoader\n" + LOAD.format(loader="FullLoader"), True),
    ("subclass of FullLoader", "import yaml\nclass Mine(yaml.FullLoader):\n    pass\n" + LOAD.format(loader="Mine"), True),
    ("safe constructor mixed with an unsafe one",
     "import yaml\nclass Mine(yaml.SafeLoader, yaml.constructor.UnsafeConstructor):\n    pass\n" + LOAD.format(loader="Mine"),
     True),
    ("one import alternative unsafe",
     "import yaml\ntry:\n    from yaml import CBaseLoader as Fast\nexcept ImportError:\n    from yaml import Loader as Fast\n"
     + LOAD.format(loader="Fast"), True),
    ("a name from another distribution", "import yaml\nfrom otherlib import StrictLoader\n" + LOAD.format(loader="StrictLoader"),
     True),
    ("a safe loader given a python/object constructor",
     "import yaml\nclass Mine(yaml.SafeLoader):\n    pass\n"
     "Mine.add_multi_constructor('tag:yaml.org,2002:python/object', yaml.constructor.FullConstructor.construct_python_object)\n"
     + LOAD.format(loader="Mine"), True),
    ("a safe loader given its own harmless constructor",
     "import yaml\nclass Mine(yaml.SafeLoader):\n    pass\n"
     "Mine.add_constructor('!env', lambda loader, node: loader.construct_scalar(node))\n"
     + LOAD.format(loader="Mine"), False),
    ("a class of parts only (constructs with nothing we know)",
     "import yaml\nclass Mine(yaml.reader.Reader):\n    pass\n" + LOAD.format(loader="Mine"), True),
    # omegaconf's ``get_yaml_loader()`` (issue 21, sixteenth reading): a factory called for its
    # loader, a class defined inside it over a safe base, constructors for one named type each.
    ("a called factory returning a local safe class", FACTORY, False),
    ("a called factory whose local class is unsafe", FACTORY.replace("(Base)", "(yaml.FullLoader)"), True),
    ("a called factory adding a generic python/object constructor",
     FACTORY.replace("loader.add_constructor('tag:yaml.org,2002:python/object/apply:pathlib.Path',",
                     "loader.add_multi_constructor('tag:yaml.org,2002:python/object/apply:',"), True),
    ("a called function we cannot see", "import yaml\nfrom otherlib import make\n" + LOAD.format(loader="make()"), True),
    # junos-eznc's op tables (issue 21, sixteenth reading): the package's own file, by `__file__`.
    ("the package's own file", OWN_FILE, False),
    ("a file from the caller", OWN_FILE.replace("os.path.join(os.path.dirname(__file__), name + '.yml')", "name"), True),
    ("the package's own file, or a path given", OWN_FILE.replace(
        "open(os.path.join(", "open(name or os.path.join("), True),
]


def _kept(text: str, code: str, path: Path | None = None, root: Path | None = None) -> tuple[list[str], list[str]]:
    raw = ruff_bridge.run_ruff(text, path or Path("mod.py"), [code])
    kept = post_process(ast.parse(text), source_lines(text), raw, path, root)
    return [f.code for f in raw], [f.code for f in kept]


@pytest.mark.parametrize(("what", "text", "stays"), S506_SHAPES, ids=[s[0] for s in S506_SHAPES])
def test_s506_loader_shapes(what: str, text: str, stays: bool) -> None:
    reported, kept = _kept(text, "S506")
    assert reported == ["S506"]  # ruff does report every one of them
    assert kept == (["S506"] if stays else [])


# A loader built over three modules of the project's own package, as ansible builds its own:
# a factory function -> a class of parser parts + a constructor -> a constructor derived from
# SafeConstructor (or, in the twin, from FullConstructor).
def _package(constructor_base: str) -> dict[str, str]:
    return {
        "pkg/__init__.py": "",
        "pkg/_yaml/__init__.py": "",
        "pkg/_yaml/_constructor.py": f"from yaml.constructor import {constructor_base}\n\n"
                                     f"class _Base({constructor_base}):\n    pass\n\nclass OurConstructor(_Base):\n    pass\n",
        "pkg/_yaml/_loader.py": "from yaml.resolver import Resolver\nfrom yaml.cyaml import CParser\n"
                                "from ._constructor import OurConstructor\n\n"
                                "class OurLoader(CParser, OurConstructor, Resolver):\n    pass\n",
        "pkg/loader.py": "from pkg._yaml import _loader\n\ndef OurLoader(*args, **kwargs):\n"
                         "    return _loader.OurLoader(*args, **kwargs)\n",
        "pkg/cli.py": "import yaml\nfrom pkg.loader import OurLoader\nimport pkg._yaml._loader as impl\n\n"
                      "def read(text):\n    return yaml.load(text, Loader=OurLoader)\n\n"
                      "def read_fast(text):\n    return yaml.load(text, Loader=impl.OurLoader)\n",
    }


@pytest.mark.parametrize(("base", "stays"), [("SafeConstructor", False), ("FullConstructor", True)])
def test_s506_loader_followed_into_the_package(tmp_path: Path, base: str, stays: bool) -> None:
    root = write_tree(tmp_path / "ws", _package(base))
    path = root / "pkg/cli.py"
    reported, kept = _kept(path.read_text(encoding="utf-8"), "S506", path, root)
    assert reported == ["S506", "S506"]
    assert kept == (["S506", "S506"] if stays else [])
    # Without the path and root only the file itself can be read: the imported loader stays reported.
    assert _kept(path.read_text(encoding="utf-8"), "S506")[1] == ["S506", "S506"]


def test_s506_reads_nothing_above_the_workspace_root(tmp_path: Path) -> None:
    """The workspace is one subpackage of a bigger package: the loader's modules lie outside it."""
    files = _package("SafeConstructor")
    files["pkg/app/__init__.py"], files["pkg/app/cli.py"] = "", files.pop("pkg/cli.py")
    outer = write_tree(tmp_path / "outer", files)
    path = outer / "pkg/app/cli.py"
    assert _kept(path.read_text(encoding="utf-8"), "S506", path, outer)[1] == []
    assert _kept(path.read_text(encoding="utf-8"), "S506", path, outer / "pkg/app")[1] == ["S506", "S506"]


def test_s506_does_not_follow_a_link_out_of_the_package(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", _package("SafeConstructor"))
    outside = write_tree(tmp_path / "elsewhere", {"_constructor.py": (root / "pkg/_yaml/_constructor.py").read_text()})
    (root / "pkg/_yaml/_constructor.py").unlink()
    (root / "pkg/_yaml/_constructor.py").symlink_to(outside / "_constructor.py")
    path = root / "pkg/cli.py"
    assert _kept(path.read_text(encoding="utf-8"), "S506", path, root)[1] == ["S506", "S506"]


def _workspace(tmp_path: Path) -> Path:
    # S506 is opt-in (issue 21): the team that names it gets its refinements.
    files = {"pyproject.toml": '[project]\nname = "pkg"\n\n[tool.python-architect]\nselect = ["S506", "S604"]\n',
             **_package("SafeConstructor"),
             "pkg/unsafe.py": "import yaml\n\ndef read(text):\n    return yaml.load(text, Loader=yaml.FullLoader)\n",
             "pkg/settings.py": "DEFAULTS = dict(\n    become=False,\n    shell=True,\n)\n",
             "pkg/runner.py": "def go(conn, cmd):\n    return conn.exec_command(cmd, shell=True)\n"}
    return write_tree(tmp_path / "ws", files)


EXPECTED = [("pkg/runner.py", "S604"), ("pkg/unsafe.py", "S506")]


def test_the_editor_path_follows_the_loader(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    project = Project.load(root, editor=True)
    found = sorted((path, f.code) for path in ("pkg/cli.py", "pkg/unsafe.py", "pkg/settings.py", "pkg/runner.py")
                   for f in project.analyze(root / path).findings if f.code in {"S506", "S604"})
    assert found == EXPECTED


def test_the_cli_batch_path_follows_the_loader(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    completed = subprocess.run([sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache",
                                "--select", "S506,S604"],
                               cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120,
                               stdin=subprocess.DEVNULL)
    found = sorted((f["path"], f["code"]) for f in json.loads(completed.stdout)["findings"]
                   if f["code"] in {"S506", "S604"})
    assert found == EXPECTED, completed.stderr


S604_SHAPES = [
    ("dict", "SETTINGS = dict(\n    user='x',\n    shell=True,\n)\n", False),
    ("update", "def f(opts):\n    opts.update(shell=True)\n", False),
    ("setdefault", "def f(opts):\n    opts.setdefault('x', 1)\n    opts.update(dict(shell=True))\n", False),
    ("a record's constructor", "def f(Options):\n    return Options(name='x', shell=True)\n", False),
    # The twins: the callee can run something, or we know nothing about it.
    ("a runner", "def f(c, cmd):\n    c.run(cmd, shell=True)\n", True),
    ("exec_command", "def f(c, cmd):\n    c.exec_command(cmd, shell=True)\n", True),
    ("a Popen-like class", "def f(Popen, cmd):\n    Popen(cmd, shell=True)\n", True),
    ("partial of a runner", "import functools\ndef f(run):\n    return functools.partial(run, shell=True)\n", True),
    ("an unknown function", "def f(go, cmd):\n    go(cmd, shell=True)\n", True),
]


@pytest.mark.parametrize(("what", "text", "stays"), S604_SHAPES, ids=[s[0] for s in S604_SHAPES])
def test_s604_shapes(what: str, text: str, stays: bool) -> None:
    reported, kept = _kept(text, "S604")
    assert reported == ["S604"]
    assert kept == (["S604"] if stays else [])
