"""The glob matcher (knowledge/globs.py): pathspec's answers on random patterns and paths, in both
of its ways of combining patterns, and bounded time on patterns that make pathspec's regular
expressions backtrack for minutes (issue 24)."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import pathspec
import pytest
from python_architect.knowledge.globs import MAX_PATTERN_LENGTH, GlobSpec, compile_glob


def reference(lines: list[str], gitignore: bool, *, as_git: bool = True) -> pathspec.PathSpec | None:
    """pathspec's spec of ``lines`` (None when pathspec refuses them), with ``as_git`` made to
    agree with git on the one point where ours differs by design: a negated bracket never
    matches ``/`` (for generated brackets only: a "[!]" bracket would be garbled)."""
    try:
        spec = pathspec.GitIgnoreSpec.from_lines(lines) if gitignore else pathspec.PathSpec.from_lines("gitignore", lines)
    except (ValueError, re.error):
        return None
    for pattern in spec.patterns if as_git else ():
        if pattern.regex is not None:
            pattern.regex = re.compile(pattern.regex.pattern.replace("[^", "[^/"))
    return pathspec.GitIgnoreSpec(spec.patterns) if gitignore else pathspec.PathSpec(spec.patterns)


def random_segment(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return "**"
    tokens = ["a", "a", "b", ".", "*", "?", "[ab]", "[!a]", "[a-b]", "\\*", "\\a", "a*", "*b"]
    return "".join(rng.choice(tokens) for _ in range(rng.randint(1, 3)))


def random_pattern(rng: random.Random) -> str:
    segments = [random_segment(rng) for _ in range(rng.randint(1, 6))]
    text = "/".join(segments)
    if rng.random() < 0.2:
        text = "/" + text
    if rng.random() < 0.2:
        text += "/"
    if rng.random() < 0.15:
        text = "!" + text
    return text


def random_path(rng: random.Random) -> str:
    names = ["".join(rng.choice("aab.") for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 7))]
    path = "/".join(names)
    return path + "/" if rng.random() < 0.2 else path


@pytest.mark.parametrize("gitignore", [False, True], ids=["pathspec", "gitignore"])
def test_answers_equal_pathspec_on_random_patterns_and_paths(gitignore: bool) -> None:
    rng = random.Random(20261206)
    compared = 0
    for _ in range(2000):
        lines = [random_pattern(rng) for _ in range(rng.randint(1, 3))]
        expected = reference(lines, gitignore)
        errors: list[str] = []
        ours = GlobSpec.from_lines(lines, gitignore=gitignore, on_error=lambda line, _why, seen=errors: seen.append(line))
        if expected is None:
            assert errors, lines  # pathspec refused a line: ours names it
            continue
        for _ in range(8):
            path = random_path(rng)
            assert ours.match_file(path) == expected.match_file(path), (lines, path)
            compared += 1
    assert compared > 12_000


@pytest.mark.parametrize(
    ("pattern", "paths"),
    [
        ("*.py", ["a.py", "src/a.py", "src/a.pyc", "a.py/b", ".py"]),
        ("/build", ["build", "build/x", "src/build"]),
        ("docs/", ["docs", "docs/a.md", "src/docs/a.md"]),
        ("src/**/test_*.py", ["src/test_a.py", "src/x/y/test_a.py", "test_a.py", "src/x/test_.py"]),
        ("**/migrations/**", ["migrations/1.py", "app/migrations/1.py", "app/migrations"]),
        ("a/**/b/**/c", ["a/b/c", "a/x/b/y/c", "a/b/b/c/c", "a/c/b", "a/b/c/d"]),
        ("*", ["a", "a/b", "a/"]),
        ("*/", ["a", "a/b", "a/"]),
        ("**", ["a", "a/b"]),
        ("**/", ["a", "a/b"]),
        ("[]]x", ["]x", "ax"]),
        ("[!]a]x", ["]x", "bx", "ax"]),
        ("[--z]", ["-", "a", "/"]),
        ("[[:alpha:]]", ["a]", ":]", "b]"]),
        ("[a&&b|c~~d]", ["&", "|", "~", "a", "e"]),
        ("\\#not-a-comment", ["#not-a-comment"]),
        ("trailing\\ ", ["trailing ", "trailing"]),
        ("unclosed[ab", ["unclosed[ab", "unclosedab"]),
    ],
)
def test_hand_picked_patterns_answer_as_pathspec(pattern: str, paths: list[str]) -> None:
    for gitignore in (False, True):
        expected = reference([pattern], gitignore, as_git=False)  # no "/" where it would differ
        ours = GlobSpec.from_lines([pattern], gitignore=gitignore)
        assert expected is not None
        for path in paths:
            assert ours.match_file(path) == expected.match_file(path), (pattern, path, gitignore)


def test_a_negated_bracket_never_matches_the_separator() -> None:
    # pathspec's "[!x]" becomes "[^x]", which matches "/" too; git's fnmatch never does.
    assert pathspec.PathSpec.from_lines("gitignore", ["a[!x]b"]).match_file("a/b")
    assert not GlobSpec.from_lines(["a[!x]b"]).match_file("a/b")
    assert GlobSpec.from_lines(["a[!x]b"]).match_file("ayb")


def test_the_last_matching_pattern_decides_and_gitignore_ranks_file_matches_first() -> None:
    spec = GlobSpec.from_lines(["src/**", "!src/generated/**", "src/generated/keep.py"])
    assert spec.match_file("src/a.py")
    assert not spec.match_file("src/generated/x.py")
    assert spec.match_file("src/generated/keep.py")
    # git re-includes a file under an excluded directory when a later pattern names it.
    git = GlobSpec.from_lines(["!keep.py", "build"], gitignore=True)
    assert git.match_file("build/x.py") and not git.match_file("build/keep.py")


def test_unusable_patterns_are_skipped_and_reported_with_why() -> None:
    errors: list[tuple[str, str]] = []
    spec = GlobSpec.from_lines(
        ["ok.py", "bad\\", "[z-a]", "!", "x" * (MAX_PATTERN_LENGTH + 1)],
        on_error=lambda line, why: errors.append((line[:10], why)),
    )
    assert len(spec) == 1 and spec.match_file("ok.py")
    assert [line for line, _ in errors] == ["bad\\", "[z-a]", "!", "x" * 10]
    assert "backslash" in errors[0][1] and "bad character range" in errors[1][1]
    assert "longer than 1024 characters" in errors[3][1]
    # A .gitignore line git itself ignores (an unclosed bracket) is no error, just no pattern.
    assert compile_glob("x[ab", gitignore=True) is None


ADVERSARIAL = [
    # (pattern, path): minutes or hours with backtracking regular expressions.
    ("*a" * 25 + "*b", "a" * 60 + ".py"),
    ("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b.py", "a" * 200 + ".py"),
    ("**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b", "/".join(["a"] * 80) + "/c"),
    ("**/*a*a*a*a*/**/*a*a*a*a*/**/*a*a*b", "/".join(["a" * 30] * 40)),
    ("[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*c", "a" * 300),
    ("?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*/x", "a" * 200 + "/y"),
]


MATCH_IN_A_CHILD = """
import json, sys
from python_architect.knowledge.globs import GlobSpec
answers = []
for pattern, path in json.load(sys.stdin):
    for gitignore in (False, True):
        spec = GlobSpec.from_lines([pattern], gitignore=gitignore)
        answers.append([spec.match_file(path), spec.match_file(path + "/"), spec.match_file("x/" + path)])
print(json.dumps(answers))
"""


def test_backtracking_patterns_are_answered_at_once() -> None:
    # In a child process so that a regression is a failed test, not a hung run: each of these
    # takes pathspec's regular expressions minutes to hours; the timeout is only a hang guard.
    done = subprocess.run(
        [sys.executable, "-c", MATCH_IN_A_CHILD],
        input=json.dumps(ADVERSARIAL),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert json.loads(done.stdout) == [[False, False, False]] * (2 * len(ADVERSARIAL))


def test_a_backtracking_pattern_still_matches_what_it_should() -> None:
    spec = GlobSpec.from_lines(["*a" * 25 + "*b"])
    assert spec.match_file("a" * 30 + "b") and spec.match_file("x/" + "ab" * 25)
    assert not spec.match_file("a" * 24 + "b")
    deep = GlobSpec.from_lines(["**/a/**/a/**/b"])
    assert deep.match_file("x/a/y/a/z/b") and deep.match_file("a/a/b")
    assert not deep.match_file("a/b/a")
