"""The persistent cache on its own: hit, miss, corruption, truncation, foreign version, the
round trip of every field, packs of another user, of the wrong shape or not regular files, no
key, a linked CLI folder, concurrent writers, and the CLI folder's ``.gitignore``. The hostile
cases through the real CLI and server are in ``tests/security/test_cache_trust.py``."""

from __future__ import annotations

import logging
import marshal
import multiprocessing
import os
from pathlib import Path

import pytest
from python_architect.analysis.facts import ClassFact, ImportFact, ModuleFacts
from python_architect.findings import Finding, Fix, Related, Severity, Span, TextEdit
from python_architect.workspace import cache as cache_module
from python_architect.workspace import cache_pack
from python_architect.workspace import cache_key
from python_architect.workspace import cache_schema as schema
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
    monkeypatch.setattr(cache_pack, "TOOL_VERSION", "0.0.1 py3.0")
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    monkeypatch.undo()
    cache = CheckCache(tmp_path / "c", tmp_path)
    with caplog.at_level(logging.WARNING, logger=cache_module.__name__):
        assert cache.facts("key-x") == (False, None)
    assert any("written by version '0.0.1 py3.0'" in r.getMessage() for r in caplog.records)


def full_sample() -> tuple[ModuleFacts, list[Finding]]:
    """Every field of every value type away from its default, so a round trip that drops or swaps
    a field shows."""
    facts = ModuleFacts(
        module="app.x",
        imports=(ImportFact(module="app.base", names=("Base", "Other"), span=Span(1, 1, 1, 30), is_from=True,
                            level=1, bound=("Base", "O"), used=False, type_checking=True, deferred=True,
                            statement_span=Span(1, 1, 2, 4), unused=("O",)),
                 ImportFact(module="os", names=(), span=Span(3, 1, 3, 10), statement_span=None),
                 ImportFact(module="sys", names=(), span=Span(4, 1, 4, 11), statement_span=Span(4, 1, 4, 11))),
        classes=(ClassFact(name="Child", span=Span(5, 7, 5, 12), bases=("app.base.Base",), keywords=("metaclass=M",),
                           decorators=("dataclass",), public_methods=("run",), abstract_methods=("go",),
                           is_abstract=True, nested=True, type_checking=True),),
        defines=("Child", "VALUE"),
    )
    finding = Finding(
        code="ARC201", message="m", severity=Severity.HINT, path=Path("/w/app/x.py"), span=Span(5, 7, 5, 12),
        adrs=("ADR-001", "ADR-002"), principle="p", source="ruff", rule_id="r1",
        fix=Fix(title="t", edits=(TextEdit(Span(1, 1, 1, 5), "new"),), safe=False),
        data={"chain": ["a", "b"], "depth": 2, "ratio": 0.5, "nested": {"ok": True, "none": None}},
        related=(Related(Path("/w/app/base.py"), Span(2, 1, 2, 3), "here"),))
    return facts, [finding, sample("app.x")[1][0]]


def test_a_pack_round_trips_every_field(tmp_path: Path) -> None:
    facts, findings = full_sample()
    cache = CheckCache(tmp_path / "c", tmp_path)
    cache.store("key-x", facts, FP, findings, deps=(("app.base", "app/base.py", "k-base"), ("gone", None, None)))
    cache.store("key-broken", None)
    cache.save()
    fresh = CheckCache(tmp_path / "c", tmp_path)
    assert fresh.facts("key-x") == (True, facts)
    assert fresh.facts("key-broken") == (True, None)
    stored = fresh.findings("key-x", FP, lambda dep: True)
    assert stored == findings
    # ``data`` and ``related`` are outside dataclass equality: compared on their own.
    assert [(f.data, f.related) for f in stored] == [(f.data, f.related) for f in findings]
    assert fresh._stored.findings[("key-x", FP)][0] == (("app.base", "app/base.py", "k-base"), ("gone", None, None))


def test_a_pack_is_data_without_pickle(tmp_path: Path) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    [pack] = (tmp_path / "c").glob("*.pack")
    data = pack.read_bytes()
    assert data.startswith(cache_pack.MAGIC) and b"\x80\x04" not in data and b"\x80\x05" not in data
    assert all("pickle" not in Path(module.__file__).read_text() for module in (cache_module, cache_pack))


def test_a_tampered_byte_anywhere_discards_the_pack(tmp_path: Path) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    [pack] = (tmp_path / "c").glob("*.pack")
    data = pack.read_bytes()
    for position in range(len(data)):
        damaged = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]
        with pytest.raises(ValueError):
            cache_pack.decode_pack(damaged)
    assert cache_pack.decode_pack(data).facts["key-x"] == sample("app.x")[0]


def test_a_pack_written_under_another_key_is_discarded(tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(tmp_path / "another-user"))
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(tmp_path / "this-user"))
    cache = CheckCache(tmp_path / "c", tmp_path)
    with caplog.at_level(logging.WARNING, logger=cache_module.__name__):
        assert cache.facts("key-x") == (False, None)
    [line] = [r.getMessage() for r in caplog.records]
    assert "MAC mismatch" in line
    assert not list((tmp_path / "c").glob("*.pack"))


def signed_pack(payload: bytes) -> bytes:
    """A pack with a valid MAC and header around ``payload``: what only this user's runs can write."""
    return cache_key.sign(cache_pack.MAGIC, cache_pack.header() + payload)


@pytest.mark.parametrize("plain", [
    ({"key-x": ("app.x", (), (), ("a", 1))}, {}),  # a define that is not a str
    ({"key-x": ("app.x", (("m", (), 1, 1, 1, 1, True, "0", (), True, False, False, True, ()),), (), ())}, {}),  # level
    ({"key-x": ("app.x", (("m", (), 1, 1, 1, 1, True, 0, (), True, False, False, True),), (), ())}, {}),  # 13 fields
    ({"key-x": ("app.x", (("m", (), 1, 1, 1, 1, True, 0, (), True, False, False, False, ()),), (), ())}, {}),  # statement
    ({"key-x": ("app.x", (("m", (1,), 1, 1, 1, 1, True, 0, (), True, False, False, True, ()),), (), ())}, {}),  # names
    ({"key-x": None}, {("key-x", FP): ((), ((1,),))}),
    ({"key-x": None}, {("key-x", FP): ((("m", "a.py", None),), ())}),  # half a dependency
    ({"key-x": None}, {"key-x": ((), ())}),
    ({1: None}, {}),
    [{}, {}],
])
def test_a_signed_pack_of_the_wrong_shape_is_discarded(tmp_path: Path, plain) -> None:
    directory = tmp_path / "c"
    directory.mkdir()
    (directory / "odd.pack").write_bytes(signed_pack(marshal.dumps(plain)))
    with pytest.raises(ValueError, match="unexpected"):
        cache_pack.decode_pack((directory / "odd.pack").read_bytes())
    assert CheckCache(directory, tmp_path).facts("key-x") == (False, None)
    assert not (directory / "odd.pack").exists()


def test_code_in_finding_data_is_refused_even_when_signed(tmp_path: Path) -> None:
    facts, findings = sample("app.x")
    plain_finding = list(schema.finding_to_plain(findings[0]))
    plain_finding[10] = {"code": compile("1", "x", "eval")}
    payload = marshal.dumps(({"key-x": schema.facts_to_plain(facts)}, {("key-x", FP): ((), (tuple(plain_finding),))}))
    with pytest.raises(ValueError, match="finding data value"):
        cache_pack.decode_pack(signed_pack(payload))


def test_packs_that_are_not_regular_files_are_skipped_unread(tmp_path: Path, caplog) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    outside = tmp_path / "outside"
    fill(outside, tmp_path, "app.y", "key-y")
    [valid] = outside.glob("*.pack")
    (tmp_path / "c" / "link.pack").symlink_to(valid)
    (tmp_path / "c" / "zero.pack").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "c" / "fifo.pack")
    cache = CheckCache(tmp_path / "c", tmp_path)
    with caplog.at_level(logging.WARNING, logger=cache_module.__name__):
        assert cache.facts("key-x")[0] and not cache.facts("key-y")[0]
    skipped = sorted(r.getMessage() for r in caplog.records)
    assert len(skipped) == 3 and all(line.startswith("skipped cache pack") for line in skipped), skipped
    assert all(os.path.lexists(tmp_path / "c" / name) for name in ("link.pack", "zero.pack", "fifo.pack"))


def test_an_oversized_pack_is_skipped(tmp_path: Path, monkeypatch, caplog) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    monkeypatch.setattr(cache_module, "MAX_PACK_BYTES", 64)
    with caplog.at_level(logging.WARNING, logger=cache_module.__name__):
        assert CheckCache(tmp_path / "c", tmp_path).facts("key-x") == (False, None)
    [line] = [r.getMessage() for r in caplog.records]
    assert "over the 64-byte limit" in line


def test_without_a_key_the_cache_is_neither_read_nor_written(tmp_path: Path, monkeypatch, caplog) -> None:
    fill(tmp_path / "c", tmp_path, "app.x", "key-x")
    before = sorted((tmp_path / "c").iterdir())
    base = tmp_path / "keyless"
    base.mkdir()
    (base / "cache-key").symlink_to("/dev/zero")
    monkeypatch.setenv("PYTHON_ARCHITECT_CACHE_DIR", str(base))
    cache = CheckCache(tmp_path / "c", tmp_path)
    with caplog.at_level(logging.WARNING):
        assert cache.facts("key-x") == (False, None)
        cache.store("key-new", None)
        cache.save()
    assert sorted((tmp_path / "c").iterdir()) == before, "nothing deleted, nothing written"
    assert [r.getMessage() for r in caplog.records if "cache key" in r.getMessage()] != []


def test_a_cli_cache_folder_that_is_a_link_is_refused(tmp_path: Path, caplog) -> None:
    elsewhere = tmp_path / "elsewhere"
    fill(elsewhere, tmp_path, "app.x", "key-x")
    root = tmp_path / "ws"
    root.mkdir()
    (root / CLI_CACHE_DIR).symlink_to(elsewhere)
    before = sorted(elsewhere.iterdir())
    with caplog.at_level(logging.WARNING, logger=cache_module.__name__):
        cache = CheckCache.for_cli(root)
        assert cache.facts("key-x") == (False, None), "a valid pack through the link is not read"
        cache.store("key-new", None)
        cache.save()
        CheckCache.for_cli(root)
    assert sorted(elsewhere.iterdir()) == before
    assert len([r for r in caplog.records if "symbolic link" in r.getMessage()]) == 1, "one line per process"


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
    monkeypatch.delenv("PYTHON_ARCHITECT_CACHE_DIR", raising=False)  # tests/conftest.py sets one
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = CheckCache.for_server(tmp_path / "workspace")
    assert cache.directory.parent == tmp_path / "xdg" / "python-architect"
    assert CheckCache.for_server(tmp_path / "other").directory != cache.directory
