"""What ``tach.toml`` holds that we do not read, or that would check nothing, is an ARC006 on its
line naming the key (never silence), and a hostile tach.toml (wrong types, a backtracking regex,
roots outside the workspace) is a clear message, never a crash or a hang. Also: which files a
``source_roots``/``src`` pair indexes, ``TYPE_CHECKING`` imports, and the ADR a finding cites."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_architect.engine import Project
from python_architect.knowledge.tach_config import load_tach_config
from trees import write_tree

SRC = {
    "src/shop/__init__.py": "",
    "src/shop/core/__init__.py": "",
    "src/shop/core/api.py": "",
    "src/shop/ui/__init__.py": "",
    "src/shop/ui/views.py": "from shop.core import api\n",
}
MODULES = """source_roots = ["src"]

[[modules]]
path = "shop.ui"
depends_on = ["shop.core"]

[[modules]]
path = "shop.core"
depends_on = []
"""


def _check(root: Path) -> list[tuple[str, int, str, str, str]]:
    result = Project.load(root).check_paths(ruff=False, jobs=1)
    return sorted((f.path.relative_to(root).as_posix(), f.line, f.code, f.severity.value, f.message)
                  for f in result.findings if f.code.startswith("ARC"))


@pytest.mark.parametrize(("key", "table", "line_text"), [
    ("include_string_imports", None, "include_string_imports = true"),
    ("plugins", "[plugins.django]", 'settings_module = "x"'),
    ("rules.require_ignore_directive_reasons", "[rules]", 'require_ignore_directive_reasons = "error"'),
])
def test_a_key_we_do_not_read_is_a_warning_naming_it(tmp_path: Path, key: str, table: str | None, line_text: str) -> None:
    # A top-level key goes before the [[modules]] array, a table after it.
    text = f"{line_text}\n{MODULES}" if table is None else f"{MODULES}\n{table}\n{line_text}\n"
    write_tree(tmp_path, {"tach.toml": text, **SRC})
    found = _check(tmp_path)
    where = table if key == "plugins" else line_text
    assert [(path, line, code, severity) for path, line, code, severity, _ in found] == [
        ("tach.toml", text.splitlines().index(where) + 1, "ARC006", "warning")]
    assert f"`{key}` is not read" in found[0][4]


def test_the_same_keys_switched_off_say_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": "include_string_imports = false\nexact = false\n" + MODULES, **SRC})
    assert _check(tmp_path) == []


def test_a_glob_module_definition_is_a_warning_and_concrete_modules_still_work(tmp_path: Path) -> None:
    text = MODULES + '\n[[modules]]\npath = "shop.plugins.**"\ndepends_on = []\n'
    write_tree(tmp_path, {"tach.toml": text, **SRC, "src/shop/core/api.py": "from shop.ui import views\n"})
    found = _check(tmp_path)
    assert [(path, line, code) for path, line, code, *_ in found] == [
        ("src/shop/core/api.py", 1, "ARC101"), ("tach.toml", text.splitlines().index('path = "shop.plugins.**"') + 1, "ARC006")]
    assert "glob module definitions are not read" in found[1][4]


def test_a_module_that_names_nothing_is_a_warning(tmp_path: Path) -> None:
    text = MODULES + '\n[[modules]]\npath = "shop.payments"\ndepends_on = []\n'
    write_tree(tmp_path, {"tach.toml": text, **SRC})
    found = _check(tmp_path)
    assert [(path, line, code) for path, line, code, *_ in found] == [
        ("tach.toml", text.splitlines().index('path = "shop.payments"') + 1, "ARC006")]
    assert "`shop.payments` names no module" in found[0][4]


def test_source_roots_are_the_workspace_roots_unless_src_says_otherwise(tmp_path: Path) -> None:
    # Without [tool.python-architect] src, tach.toml's source_roots name the modules (app.*, not
    # backend.app.*), so its rules bite; with a `src` that disagrees, ours wins and a warning says so.
    files = {"tach.toml": 'source_roots = ["backend"]\n[[modules]]\npath = "app.web"\ndepends_on = []\n'
                          '[[modules]]\npath = "app.store"\ndepends_on = []\n',
             "backend/app/__init__.py": "", "backend/app/web.py": "from app import store\n", "backend/app/store.py": ""}
    write_tree(tmp_path, files)
    assert [(path, line, code) for path, line, code, *_ in _check(tmp_path)] == [("backend/app/web.py", 1, "ARC101")]
    (tmp_path / "pyproject.toml").write_text('[tool.python-architect]\nsrc = ["."]\n', encoding="utf-8")
    found = _check(tmp_path)
    assert {(path, code, severity) for path, _, code, severity, _ in found} == {("tach.toml", "ARC006", "warning")}
    messages = [message for *_, message in found]
    assert "source_roots `backend` are not this workspace's source roots" in messages[0]
    assert all("names no module" in message for message in messages[1:]) and len(messages) == 3


def test_visibility_and_forbidden_root_are_errors_naming_the_key(tmp_path: Path) -> None:
    text = ('root_module = "forbid"\n' + MODULES.replace('depends_on = ["shop.core"]', 'depends_on = ["shop.core", "<root>"]')
            + 'visibility = ["shop.api"]\n')
    write_tree(tmp_path, {"tach.toml": text, **SRC})
    messages = {(line, severity, message) for path, line, code, severity, message in _check(tmp_path) if code == "ARC006"}
    ui_line = text.splitlines().index('path = "shop.ui"') + 1
    assert {(line, severity) for line, severity, _ in messages} == {(ui_line, "error")}
    joined = " ".join(message for *_, message in messages)
    assert "visibility" in joined and 'root_module = "forbid"' in joined


def test_type_checking_imports_follow_ignore_type_checking_imports(tmp_path: Path) -> None:
    views = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.ui import views\n"
    write_tree(tmp_path, {"tach.toml": MODULES, **SRC, "src/shop/core/api.py": views})
    assert _check(tmp_path) == []
    (tmp_path / "tach.toml").write_text("ignore_type_checking_imports = false\n" + MODULES, encoding="utf-8")
    assert [(path, line, code) for path, line, code, *_ in _check(tmp_path)] == [("src/shop/core/api.py", 3, "ARC101")]


def test_a_backtracking_interface_regex_is_skipped_with_a_warning_not_run(tmp_path: Path) -> None:
    # (a+)+$ against a long name of a's backtracks for hours in Python's re (Rust's regex, Tach's,
    # does not): it must never run. The check finishes and says which pattern it skipped.
    long_name = "a" * 40 + "_"
    text = MODULES + '\n[[interfaces]]\nexpose = ["(a+)+$", "api"]\nfrom = ["shop.core"]\n'
    write_tree(tmp_path, {"tach.toml": text, **SRC, f"src/shop/core/{long_name}.py": "",
                          "src/shop/ui/views.py": f"from shop.core import api, {long_name}\n"})
    found = _check(tmp_path)
    assert [(path, line, code) for path, line, code, *_ in found] == [
        ("src/shop/ui/views.py", 1, "ARC104"), ("tach.toml", text.splitlines().index("[[interfaces]]") + 1, "ARC006")]
    assert "`(a+)+$` is skipped" in found[1][4]


@pytest.mark.parametrize("text", [
    'modules = "shop"\nlayers = 5\ninterfaces = [1]\nexclude = 3\nsource_roots = [1]\n',
    ('[[modules]]\npath = 7\n[[modules]]\npath = "shop.ui"\ndepends_on = 3\ncannot_depend_on = [{x = 1}]\nlayer = []\n'
     '[[interfaces]]\nexpose = "api"\nfrom = 4\n'),
    'root_module = "sometimes"\n[rules]\nlocal_imports = 9\n',
])
def test_wrong_types_are_ignored_or_named_never_a_crash(tmp_path: Path, text: str) -> None:
    write_tree(tmp_path, {"tach.toml": text, **SRC})
    found = _check(tmp_path)
    assert all(path == "tach.toml" and code == "ARC006" for path, _, code, *_ in found), found
    if "sometimes" in text:
        assert any("root_module `sometimes`" in f[4] for f in found)


def test_a_tach_toml_that_does_not_parse_is_a_warning_on_its_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": MODULES + "\n[[modules]\npath = \n", **SRC})
    config = load_tach_config(tmp_path)
    assert config is not None and not config.modules
    found = _check(tmp_path)
    assert [(path, code) for path, _, code, *_ in found] == [("tach.toml", "ARC006")]
    assert "does not parse" in found[0][4] and found[0][1] > 1


def test_source_roots_outside_the_workspace_are_not_indexed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_tree(outside, {"lib/__init__.py": "", "lib/secret.py": "import os\n"})
    root = tmp_path / "ws"
    write_tree(root, {"tach.toml": 'source_roots = ["../outside", "src"]\n' + MODULES.split("\n", 1)[1], **SRC})
    project = Project.load(root)
    files = project.files()
    assert files and not any("outside" in path.parts for path in files)
    found = _check(root)
    assert [(path, code, severity) for path, _, code, severity, _ in found] == [("tach.toml", "ARC006", "warning")]
    assert "source_roots `../outside`, `src` are not this workspace's source roots" in found[0][4]


def test_an_adr_naming_the_tach_contract_is_cited(tmp_path: Path) -> None:
    adr = ("---\nid: ADR-007\ntitle: UI depends on core only\nstatus: accepted\ndate: 2024-01-01\n---\n"
           "The UI may use the core and nothing else: `tach:shop.ui` in tach.toml enforces it.\n")
    write_tree(tmp_path, {"tach.toml": MODULES + '\n[[modules]]\npath = "shop.db"\ndepends_on = []\n', **SRC,
                          "src/shop/db/__init__.py": "", "src/shop/ui/views.py": "from shop import db\n",
                          ".ai/adrs/0007-ui.md": adr})
    result = Project.load(tmp_path).check_paths(ruff=False, jobs=1)
    [finding] = [f for f in result.findings if f.code == "ARC101"]
    assert finding.adrs == ("ADR-007",)


def test_a_tach_domain_file_is_a_warning_not_silence(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tach.toml": MODULES, **SRC, "src/shop/core/tach.domain.toml": '[root]\ndepends_on = []\n'})
    found = _check(tmp_path)
    assert [(path, line, code, severity) for path, line, code, severity, _ in found] == [
        ("src/shop/core/tach.domain.toml", 1, "ARC006", "warning")]


def test_thousands_of_modules_in_a_cycle_are_judged_without_recursion_or_quadratic_lookups(tmp_path: Path) -> None:
    count = 3000
    modules = "".join(f'[[modules]]\npath = "shop.m{i}"\ndepends_on = ["shop.m{(i + 1) % count}"]\n' for i in range(count))
    text = 'source_roots = ["src"]\nforbid_circular_dependencies = true\n' + modules
    write_tree(tmp_path, {"tach.toml": text, "src/shop/__init__.py": "", "src/shop/m0.py": "",
                          "src/shop/m1.py": "from shop import m0\n"})
    config = load_tach_config(tmp_path)
    assert config is not None and config.modules["shop.m2999"].line == 2 + 3 * 2999 + 2
    found = _check(tmp_path)
    cycle = [f for f in found if "forbid_circular_dependencies" in f[4]]
    assert len(cycle) == count and all(f[3] == "error" for f in cycle)
    assert ("src/shop/m1.py", 1, "ARC101") in {(path, line, code) for path, line, code, *_ in found}


def test_a_paths_array_over_several_lines_gives_each_module_its_own_line(tmp_path: Path) -> None:
    text = 'source_roots = ["src"]\n[[modules]]\npaths = [\n    "shop.ui",\n    "shop.core",\n]\ndepends_on = []\n'
    write_tree(tmp_path, {"tach.toml": text, **SRC})
    config = load_tach_config(tmp_path)
    assert config is not None
    assert {name: module.line for name, module in config.modules.items()} == {"shop.ui": 4, "shop.core": 5}
    assert [(path, line, code) for path, line, code, *_ in _check(tmp_path)] == [("src/shop/ui/views.py", 1, "ARC101")]
