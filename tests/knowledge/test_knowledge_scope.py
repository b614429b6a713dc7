"""Where ADRs and their rules apply (gitignore-style globs relative to the workspace root)."""

from __future__ import annotations

from pathlib import Path

from python_architect.knowledge.model import Adr, AppliesTo, RuleSpec
from python_architect.knowledge.scope import (
    adr_applies_to,
    compiled_spec,
    glob_matches_any,
    relative_posix,
    rule_applies_to,
    rule_scope,
)

ROOT = Path("/work/project")


def adr(paths=(), exclude=()):
    return Adr(
        id="ADR-001",
        title="T",
        path=ROOT / ".ai/adrs/0001-t.md",
        applies_to=AppliesTo(tuple(paths), tuple(exclude)),
    )


def rule(**options):
    return RuleSpec(id="r", kind="forbidden-import", adr_id="ADR-001", options=options)


def test_no_paths_means_everywhere():
    assert adr_applies_to(adr(), ROOT / "anything/at/all.py", ROOT)
    assert rule_applies_to(adr(), rule(modules=["x"]), ROOT / "a.py", ROOT)


def test_adr_paths_and_exclude():
    scoped = adr(paths=["app/domain/**"], exclude=["app/domain/legacy/**"])
    assert adr_applies_to(scoped, ROOT / "app/domain/orders.py", ROOT)
    assert adr_applies_to(scoped, ROOT / "app/domain/sub/deep.py", ROOT)
    assert not adr_applies_to(scoped, ROOT / "app/api/routes.py", ROOT)
    assert not adr_applies_to(scoped, ROOT / "app/domain/legacy/old.py", ROOT)


def test_directory_globs_without_stars_cover_their_contents():
    assert adr_applies_to(adr(paths=["app/domain"]), ROOT / "app/domain/x.py", ROOT)
    assert not adr_applies_to(adr(paths=["app/domain"]), ROOT / "app/domainx.py", ROOT)


def test_rule_paths_override_the_adr_scope_key_by_key():
    scoped = adr(paths=["app/domain/**"], exclude=["app/domain/legacy/**"])
    own_paths = rule(modules=["x"], paths=["app/api/**"])
    assert rule_applies_to(scoped, own_paths, ROOT / "app/api/routes.py", ROOT)
    assert not rule_applies_to(scoped, own_paths, ROOT / "app/domain/orders.py", ROOT)
    # The ADR's exclude still applies when the rule does not set its own.
    assert rule_scope(scoped, own_paths) == (("app/api/**",), ("app/domain/legacy/**",))
    own_exclude = rule(modules=["x"], exclude=["app/domain/orders.py"])
    assert not rule_applies_to(scoped, own_exclude, ROOT / "app/domain/orders.py", ROOT)
    assert rule_applies_to(scoped, own_exclude, ROOT / "app/domain/legacy/old.py", ROOT)


def test_inherited_scope_when_the_rule_has_none():
    scoped = adr(paths=["app/domain/**"])
    assert rule_applies_to(scoped, rule(modules=["x"]), ROOT / "app/domain/a.py", ROOT)
    assert not rule_applies_to(scoped, rule(modules=["x"]), ROOT / "app/api/a.py", ROOT)


def test_relative_paths_and_paths_outside_the_root():
    scoped = adr(paths=["app/**"])
    assert adr_applies_to(scoped, Path("app/x.py"), ROOT)
    assert relative_posix(Path("/elsewhere/app/x.py"), ROOT) is None
    assert not adr_applies_to(scoped, Path("/elsewhere/app/x.py"), ROOT)
    assert adr_applies_to(adr(), Path("/elsewhere/app/x.py"), ROOT)


def test_symlinked_root_is_resolved(tmp_path):
    real = tmp_path / "real"
    (real / "app").mkdir(parents=True)
    (real / "app" / "x.py").write_text("")
    link = tmp_path / "link"
    link.symlink_to(real)
    assert relative_posix(real / "app" / "x.py", link) == "app/x.py"


def test_compiled_specs_are_cached():
    first = compiled_spec(("app/**", "lib/**"))
    assert compiled_spec(("app/**", "lib/**")) is first


def test_glob_matches_any():
    files = [ROOT / "app/domain/orders.py", ROOT / "requirements-dev.txt"]
    assert glob_matches_any("app/domain/**", files, ROOT)
    assert glob_matches_any("requirements*.txt", files, ROOT)
    assert not glob_matches_any("src/**", files, ROOT)
    assert glob_matches_any("*.py", ["a/b/c.py"])
    assert not glob_matches_any("*.py", [])


def test_leading_dot_slash_in_globs_is_tolerated():
    scoped = adr(paths=["./app/domain/**"])
    assert adr_applies_to(scoped, ROOT / "app/domain/orders.py", ROOT)
    assert not adr_applies_to(scoped, ROOT / "app/api/routes.py", ROOT)
