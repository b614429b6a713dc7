"""S307 on ``eval(self._code, ...)`` where the class only ever stores code it compiled (issue 21,
third reading: pytest's ``_pytest/mark/expression.py``): the judge already drops ``eval`` of a
local ``compile(...)``; it now follows the attribute to its stores in the class, through an
``__init__`` parameter to every construction of the class in the module. Each shape beside its
twin, where some store may hold text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ruff_twins import reported_and_kept
from trees import write_tree

# pytest's shape: the classmethod compiles the tree its parser built and constructs the class.
EXPRESSION = (
    "import ast\n\n\nclass Expression:\n"
    "    def __init__(self, input, code, idents):\n        self.input = input\n        self._code = code\n\n"
    "    @classmethod\n    def compile(cls, input):\n        tree = ast.Expression(ast.Name(input, ast.Load()))\n"
    "        code = compile(tree, filename='<match>', mode='eval')\n        return {construct}(input, {passed})\n\n"
    "    def evaluate(self, matcher):\n        return bool(eval(self._code, {{'__builtins__': {{}}}}, matcher))\n")

COMPILED = {
    "a construction in a classmethod": EXPRESSION.format(construct="Expression", passed="code, set()"),
    "cls() with a keyword": EXPRESSION.format(construct="cls", passed="idents=set(), code=code"),
    "stored straight from compile": (
        "class Rule:\n    def __init__(self, tree):\n        self._code = compile(tree, '<rule>', 'eval')\n\n"
        "    def check(self, ns):\n        return eval(self._code, ns)\n"),
    "stored from a local": (
        "class Rule:\n    def load(self, tree):\n        code = compile(tree, '<rule>', 'eval')\n        self._code = code\n\n"
        "    def check(self, ns):\n        return eval(self._code, ns)\n"),
}

TEXT = {
    "a construction passes text": EXPRESSION.format(construct="Expression", passed="input, set()"),
    "no construction in the module": EXPRESSION.format(construct="tuple", passed="code,"),
    "another store holds text": (
        "class Rule:\n    def __init__(self, tree):\n        self._code = compile(tree, '<rule>', 'eval')\n\n"
        "    def reset(self, text):\n        self._code = text\n\n"
        "    def check(self, ns):\n        return eval(self._code, ns)\n"),
    "a construction at module level passes text": EXPRESSION.format(construct="Expression", passed="code, set()")
        + "\n\nDEFAULT = Expression('x', 'x or y', set())\n",
    "another attribute": (
        "class Rule:\n    def __init__(self, tree, text):\n        self._code = compile(tree, '<rule>', 'eval')\n"
        "        self.text = text\n\n    def check(self, ns):\n        return eval(self.text, ns)\n"),
}


@pytest.mark.parametrize("text", COMPILED.values(), ids=list(COMPILED))
def test_an_attribute_holding_only_compiled_code_is_not_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "S307")
    assert reported == ["S307"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


@pytest.mark.parametrize("text", TEXT.values(), ids=list(TEXT))
def test_an_attribute_that_may_hold_text_is_reported(text: str) -> None:
    reported, kept = reported_and_kept(text, "S307")
    assert reported == kept == ["S307"]


def test_the_cli_batch_path_reads_the_whole_class(tmp_path: Path) -> None:
    """The batch refines on a tree of only the method around the finding; the stores are in
    other methods, so the judge must read the whole module."""
    padding = "".join(f"    def m{i}(self):\n        return {i}\n\n" for i in range(40))
    compiled = COMPILED["a construction in a classmethod"].replace("    def evaluate", padding + "    def evaluate")
    text = TEXT["a construction passes text"].replace("    def evaluate", padding + "    def evaluate")
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n\n[tool.python-architect]\nselect = ["S307"]\n',
        "app/__init__.py": "", "app/compiled.py": compiled, "app/text.py": text})
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache"],
        cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)
    assert completed.returncode in (0, 1), completed.stderr
    found = sorted((f["path"], f["code"]) for f in json.loads(completed.stdout)["findings"] if f["code"] == "S307")
    assert found == [("app/text.py", "S307")]
