"""The persistent cache on its own: hit, miss, corruption, truncation, foreign version, planted
pickles, concurrent writers, and the CLI folder's ``.gitignore``."""

from __future__ import annotations

import logging
import multiprocessing
import pickle
from pathlib import Path

import pytest
from python_architect.analysis.facts import ClassFact, ImportFact, ModuleFacts
from python_architect.findings import Finding, Severity, Span
from python_architect.workspace import cache as cache_module
from python_architect.workspace.cache import CLI_CACHE_DIR, CheckCache

FP = "fingerprint-1"


def sample(module: str) -> tuple[ModuleFacts, list[Finding]]:
    span = Span(1, 1, 1, 5)
    facts = ModuleFacts(
        module=module,
        imports=(ImportFact(module="app.base", names=("Base",), span=span, is_from=True, bound=("Base",)),),
        classes=(ClassFact(name="Child", span=span, bases=("app.base.Base",)),),
        defines=("Child",),
    )
    finding = Finding(code="ARC201", message="m", severity=Severity.WARNING, path=Path("/w/app/x.py"),
                      span=span, adrs=("ADR-001",), data={"base": "app.base.Base"})
    return facts, [finding]


def fill(directory: Path, root: Path, module: str, key: str) -> None:
    cache = CheckCache(directory, root)
    facts, findings = sample(module)
    cache.store(key, facts, FP, findings, deps=(("app.base", "app/base.py", "k-base"),))
    cache.save()


def never_changed(dep: tuple) -> bool:
    return dep == ("app.base", "app/base.py", "k-base")


def test_hit_returns_what_was_stored_and_miss_on_other_key_or_settings(tmp_path: Path) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    cache = CheckCache(tmp_path / "c", tmp_path)
    found, facts = cache.facts("key-x")
    assert found and facts == sample("app.x")[0]
    assert cache.findings("key-x", FP, never_changed) == sample("app.x")[1]
    assert cache.findings("key-x", "other-settings", never_changed) is None
    assert cache.facts("key-y") == (False, None)
    assert (cache.hits, cache.misses) == (1, 1)


def test_findings_are_stale_when_a_looked_up_module_changed(tmp_path: Path) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    cache = CheckCache(tmp_path / "c", tmp_path)
    assert cache.findings("key-x", FP, lambda dep: False) is None
    assert cache.facts("key-x")[0], "the file's own facts stay valid"


def test_file_key_depends_on_path_bytes_and_source_roots() -> None:
    base = CheckCache.file_key("app/x.py", b"x = 1\n", "src")
    assert base == CheckCache.file_key("app/x.py", b"x = 1\n", "src")
    assert base != CheckCache.file_key("app/x.py", b"x = 2\n", "src")
    assert base != CheckCache.file_key("app/y.py", b"x = 1\n", "src")
    assert base != CheckCache.file_key("app/x.py", b"x = 1\n", "")


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_pack_is_discarded_with_a_log_line(tmp_path: Path, damage: str, caplog) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    [pack] = list((tmp_path / "c").glob("*.pack"))
    data = pack.read_bytes()
    if damage == "truncate":
        pack.write_bytes(data[: len(data) - 20])
    elif damage == "flip":
        pack.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "garbage":
        pack.write_bytes(b"\x00\x01 not a cache at all")
    else:
        pack.write_bytes(b"")
    cache = CheckCache(tmp_path / "c", tmp_path)
    with caplog.at_level(logging.WARNING, logger=cache_module.__name__):
        assert cache.facts("key-x") == (False, None)
    assert any("discarding cache pack" in r.getMessage() for r in caplog.records)
    assert not pack.exists(), "an untrustworthy pack is removed, not kept around"


def test_pack_of_another_tool_version_is_discarded(tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(cache_module, "TOOL_VERSION", "0.0.1 py3.0")
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    monkeypatch.undo()
    cache = CheckCache(tmp_path / "c", tmp_path)
    with caplog.at_level(logging.WARNING, logger=cache_module.__name__):
        assert cache.facts("key-x") == (False, None)
    assert any("written by version '0.0.1 py3.0'" in r.getMessage() for r in caplog.records)


class Planted:
    def __reduce__(self):
        return (Path.touch, (Path("/tmp/python-architect-cache-planted"),))


def test_a_planted_pickle_is_not_executed(tmp_path: Path) -> None:
    payload = pickle.dumps(({"key-x": Planted()}, {}))
    marker = Path("/tmp/python-architect-cache-planted")
    marker.unlink(missing_ok=True)
    directory = tmp_path / "c"
    directory.mkdir()
    data = cache_module.header() + cache_module.digest(payload).encode() + b"\n" + payload
    (directory / "planted.pack").write_bytes(data)
    cache = CheckCache(directory, tmp_path)
    assert cache.facts("key-x") == (False, None)
    assert not marker.exists()


def _writer(directory: str, root: str, start: int, barrier) -> None:
    cache = CheckCache(Path(directory), Path(root))
    for number in range(start, start + 50):
        facts, findings = sample(f"app.m{number}")
        cache.store(f"key-{number}", facts, FP, findings)
    barrier.wait()
    cache.save()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_writer, args=(str(tmp_path / "c"), str(tmp_path), start, barrier))
               for start in (0, 50)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    cache = CheckCache(tmp_path / "c", tmp_path)
    assert all(cache.facts(f"key-{n}")[1].module == f"app.m{n}" for n in range(100))


def test_many_packs_are_merged_and_only_the_packs_read_are_removed(tmp_path: Path) -> None:
    directory = tmp_path / "c"
    for number in range(cache_module.MAX_PACKS + 1):
        fill(directory, tmp_path, f"app.m{number}", f"key-{number}")
    merger = CheckCache(directory, tmp_path)
    merger.load()
    fill(directory, tmp_path, "app.late", "key-late")  # written by "another process" meanwhile
    merger.store("key-new", sample("app.new")[0])
    merger.save()  # a run that saw none of the stored files: it keeps them all
    packs = list(directory.glob("*.pack"))
    assert len(packs) == 2, packs
    fresh = CheckCache(directory, tmp_path)
    for key in [f"key-{n}" for n in range(cache_module.MAX_PACKS + 1)] + ["key-new", "key-late"]:
        assert fresh.facts(key)[0], key


def test_a_merge_after_a_whole_run_drops_versions_it_did_not_see(tmp_path: Path) -> None:
    directory = tmp_path / "c"
    for number in range(cache_module.MAX_PACKS + 1):
        fill(directory, tmp_path, f"app.m{number}", f"key-{number}")
    merger = CheckCache(directory, tmp_path)
    seen = [f"key-{n}" for n in range(1, cache_module.MAX_PACKS + 1)]  # key-0: an old version
    assert all(merger.facts(key)[0] for key in seen)
    assert merger.findings("key-1", FP, never_changed) is not None
    merger.store("key-0-edited", sample("app.m0")[0])
    merger.save()
    fresh = CheckCache(directory, tmp_path)
    assert not fresh.facts("key-0")[0]
    assert all(fresh.facts(key)[0] for key in [*seen, "key-0-edited"])
    assert fresh.findings("key-1", FP, never_changed) is not None


def test_nothing_is_written_when_everything_was_a_hit(tmp_path: Path) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    before = {p.name for p in (tmp_path / "c").glob("*.pack")}
    cache = CheckCache(tmp_path / "c", tmp_path)
    assert cache.findings("key-x", FP, never_changed)
    cache.save()
    assert {p.name for p in (tmp_path / "c").glob("*.pack")} == before


def test_cli_cache_folder_ignores_itself_for_git(tmp_path: Path) -> None:
    cache = CheckCache.for_cli(tmp_path)
    cache.store("k", None)
    cache.save()
    assert (tmp_path / CLI_CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"


def test_server_cache_lives_under_xdg_cache_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = CheckCache.for_server(tmp_path / "workspace")
    assert cache.directory.parent == tmp_path / "xdg" / "python-architect"
    assert CheckCache.for_server(tmp_path / "other").directory != cache.directory
