"""The agent's code-reading tools on strings and small trees: which patterns run as regexes,
hostile patterns searched as literal text, caps, globs, numbered reads and symbol lookups."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from python_architect.advisor import code_tools
from python_architect.advisor.code_tools import CodeToolError, compile_pattern, read_file, search_code
from python_architect.advisor.redaction import Redactor


@pytest.mark.parametrize("pattern", [r"class \w+\(", r"def .*cache.*\(", "QuoteCache", r"import (os|sys)", r"x{2,4}"])
def test_ordinary_patterns_run_as_regexes(pattern):
    _, note = compile_pattern(pattern)
    assert note == ""


@pytest.mark.parametrize("pattern, reason", [
    ("(a+)+$", "repeated group"), ("(a|aa)*b", "repeated group"), (r"(\w+)\1", "back-references"),
    ("(?=a)b", "lookarounds"), ("a*a*a*a*b", "more than 3 unbounded repeats"), ("[unclosed", "not a valid regex"),
])
def test_hostile_or_broken_patterns_are_searched_as_literal_text(pattern, reason):
    match, note = compile_pattern(pattern)
    assert note.startswith("searched as literal text") and reason in note
    assert match(f"before {pattern} after") and not match("a" * 200)


def tree(root: Path, files: dict[str, str]) -> list[Path]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return sorted(p.resolve() for p in root.rglob("*") if p.is_file())


def test_search_caps_globs_and_cancels(tmp_path):
    files = tree(tmp_path, {"a/x.py": "hit\n" * 100, "b/y.txt": "hit\n", "b/z.py": "miss\n"})
    capped = search_code(tmp_path.resolve(), files, "hit", None, Redactor())
    assert len(capped["matches"]) == code_tools.MAX_MATCHES and capped["partial"] == "capped at 80 matches"
    only = search_code(tmp_path.resolve(), files, "hit", "b/*", Redactor())
    assert only["matches"] == ["b/y.txt:1: hit"]
    stop = threading.Event()
    stop.set()
    assert search_code(tmp_path.resolve(), files, "hit", None, Redactor(), cancelled=stop)["partial"] == "cancelled"


def test_read_file_numbers_lines_redacts_and_refuses_directories(tmp_path):
    tree(tmp_path, {"settings.py": 'NAME = "x"\nDB_PASSWORD="hunter2"\n', "pkg/__init__.py": ""})
    redactor = Redactor()
    read = read_file(tmp_path, "settings.py", None, None, redactor)
    assert read["text"] == '    1  NAME = "x"\n    2  DB_PASSWORD="[REDACTED secret assignment]"' and redactor.count == 1
    with pytest.raises(CodeToolError, match="directory"):
        read_file(tmp_path, "pkg", None, None, Redactor())
    with pytest.raises(CodeToolError, match="past the end"):
        read_file(tmp_path, "settings.py", 9, None, Redactor())
    unsaved = read_file(tmp_path, "new.py", 1, 1, Redactor(), texts=lambda p: "print(1)\n" if p.name == "new.py" else None)
    assert unsaved["text"] == "    1  print(1)"


def test_read_file_refuses_devices_and_huge_files(tmp_path):
    (tmp_path / "big.py").write_bytes(b"#" * (code_tools.MAX_FILE_BYTES + 1))
    with pytest.raises(CodeToolError, match="over the"):
        read_file(tmp_path, "big.py", None, None, Redactor())
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    with pytest.raises(CodeToolError, match="outside the workspace root"):
        read_file(tmp_path, "zero.py", None, None, Redactor())


def test_search_skips_files_reached_through_links_out_of_the_root(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    tree(outside, {"leak.py": "LEAK = 1\n"})
    tree(root, {"pkg/inside.py": "LEAK = 2\n"})
    (root / "pkg" / "linked_dir").symlink_to(outside, target_is_directory=True)
    (root / "pkg" / "linked_file.py").symlink_to(outside / "leak.py")
    (root / "pkg" / "alias.py").symlink_to(root / "pkg" / "inside.py")  # a link inside the root is fine
    files = [root / "pkg" / "inside.py", root / "pkg" / "linked_dir" / "leak.py", root / "pkg" / "linked_file.py",
             root / "pkg" / "alias.py"]
    found = search_code(root.resolve(), files, "LEAK", None, Redactor())
    assert found["matches"] == ["pkg/inside.py:1: LEAK = 2", "pkg/inside.py:1: LEAK = 2"]


def test_a_cancelled_check_stops_and_says_so(project):
    from python_architect.advisor.tools import ToolInputError, ToolSet

    stop = threading.Event()
    stop.set()
    with pytest.raises(ToolInputError, match="cancelled"):
        ToolSet(project).run("check", {"paths": ["src"]}, cancelled=stop)
    assert ToolSet(project).run("check", {"paths": ["src"]})["files"] >= 1


def test_a_pattern_that_backtracks_polynomially_is_stopped_by_the_search_budget(tmp_path):
    # `.*a.*a.*b` is allowed (three repeats) yet costs ~0.5 s a line on these lines: the budget is
    # looked at between lines, so the search ends (partial) instead of running for minutes.
    files = tree(tmp_path, {"hostile.py": ("a" * 240 + "\n") * 1000, "later.py": "ab\n"})
    found = search_code(tmp_path.resolve(), files, ".*a.*a.*b", None, Redactor())
    assert found["partial"] == "stopped after 2 s" and found["matches"] == []
