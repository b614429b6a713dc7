"""The run record (``workspace.run_record`` and ``run_recorder``) on its own: what it stores, when
it answers, the racy rule both ways, damaged records, pruning, the key, discovery's report of
what it read, and the module's light imports. The CLI's use is in ``tests/cli/test_check_run_record.py``."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from python_architect.config import ProjectConfig
from python_architect.workspace import cache_key, run_record, run_recorder
from python_architect.workspace.cache import CLI_CACHE_DIR
from python_architect.workspace.files import discover_files
from python_architect.workspace.ignore_rules import observing_discovery
from python_architect.workspace.fingerprint import digest
from trees import write_tree

TREE = {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "", "app/core.py": "VALUE = 1\n"}
LATER_NS = 10_000_000_000
"""A run said to start this much after now: every file just written is old to it (not racy)."""


def record(root: Path, *, key: str = "k" * 32, started_ns: int | None = None,
           stderr: tuple[str, ...] = ("warning: one\n",), code: int = 1) -> run_recorder.Recorder:
    """A record of a "run" that read the whole tree under ``root`` (its cache folder aside)."""
    recorder = run_recorder.Recorder(root, key, started_ns=started_ns)
    recorder.add_tree(root)
    recorder.save("app/core.py:1:1: ARC000 something\n", stderr, code)
    return recorder


def stored(root: Path, key: str = "k" * 32) -> dict:
    data = run_record.record_path(root, key).read_bytes()
    return json.loads(data.split(b"\n", 2)[2])


def restore(root: Path, fields: dict, key: str = "k" * 32) -> None:
    """Writes ``fields`` back as a well-formed record signed with this user's key: a record that
    is trusted, to show what the fast path compares."""
    payload = json.dumps(fields).encode()
    run_record.record_path(root, key).write_bytes(cache_key.sign(run_record.MAGIC, payload))


def test_replay_gives_back_what_was_saved_while_nothing_changed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    record(root, code=1)
    replay = run_record.replay(root, "k" * 32)
    assert replay is not None
    assert (replay.report, replay.stderr, replay.code) == ("app/core.py:1:1: ARC000 something\n", ("warning: one\n",), 1)
    assert run_record.replay(root, "x" * 32) is None, "another invocation has no record"


@pytest.mark.parametrize("change", ["edit", "delete", "create", "rename", "mkdir", "create-absent"])
def test_every_kind_of_change_is_seen(tmp_path: Path, change: str) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    recorder = run_recorder.Recorder(root, "k" * 32)
    recorder.add_tree(root)
    recorder.add_file(root / "app" / "later.py")  # absent when recorded: a state too
    recorder.save("report\n", (), 0)
    assert run_record.replay(root, "k" * 32) is not None
    core = root / "app" / "core.py"
    if change == "edit":
        core.write_text("VALUE = 22\n")
    elif change == "delete":
        core.unlink()
    elif change == "create":
        (root / "app" / "new.py").write_text("")
    elif change == "rename":
        core.rename(root / "app" / "other.py")
    elif change == "mkdir":
        (root / "app" / "sub").mkdir()
    else:
        (root / "app" / "later.py").write_text("")
    assert run_record.replay(root, "k" * 32) is None


@pytest.mark.parametrize("started_later", [False, True], ids=["racy", "old"])
def test_same_size_edit_with_the_mtime_set_back_is_caught(tmp_path: Path, started_later: bool) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    core = root / "app" / "core.py"
    before = core.stat()
    record(root, started_ns=time.time_ns() + LATER_NS if started_later else None)
    core.write_text("VALUE = 2\n")  # same size
    os.utime(core, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert core.stat().st_size == before.st_size and core.stat().st_mtime_ns == before.st_mtime_ns
    # Racy: the stored digest differs. Old: the ctime moved (it cannot be set back).
    assert run_record.replay(root, "k" * 32) is None


def test_racy_file_is_compared_by_content_and_an_old_one_by_stat_only(tmp_path: Path, monkeypatch) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    record(root)  # everything was just written: racy
    fields = stored(root)
    position = (fields["inside"] + fields["outside"]).index(os.path.join("app", "core.py"))
    racy = dict(fields["racy"])
    assert racy[position] == digest(b"VALUE = 1\n")
    assert run_record.replay(root, "k" * 32) is not None
    # The same stats with other bytes behind them (an edit inside one timestamp tick): a miss.
    fields["racy"] = [[p, digest(b"VALUE = 2\n") if p == position else c] for p, c in fields["racy"]]
    restore(root, fields)
    assert run_record.replay(root, "k" * 32) is None

    record(root, started_ns=time.time_ns() + LATER_NS)  # the same files, old to this run
    assert stored(root)["racy"] == []
    read: list[str] = []
    monkeypatch.setattr(run_record, "content_digest", lambda path: read.append(path))
    assert run_record.replay(root, "k" * 32) is not None
    assert read == [], "an old file is trusted by its stat: its bytes are not read"


def test_racy_directory_is_compared_by_its_listing(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    record(root)
    fields = stored(root)
    paths = fields["inside"] + fields["outside"]
    position = paths.index("app")
    assert dict(fields["racy"])[position] == ["__init__.py", "core.py"]
    fields["racy"] = [[p, ["__init__.py"] if p == position else c] for p, c in fields["racy"]]
    restore(root, fields)
    assert run_record.replay(root, "k" * 32) is None, "a name created within the same tick is seen"


@pytest.mark.parametrize("damage", ["truncated", "checksum", "foreign", "garbage", "shape", "empty"])
def test_a_damaged_record_is_ignored_with_a_log_line(tmp_path: Path, caplog, damage: str) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    record(root)
    path = run_record.record_path(root, "k" * 32)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "checksum":
        path.write_bytes(data.replace(b'"code":1', b'"code":0'))
    elif damage == "foreign":
        path.write_bytes(data.replace(run_record.MAGIC, b"python-architect-run-record 0\n"))
    elif damage == "garbage":
        path.write_bytes(cache_key.sign(run_record.MAGIC, b"\xff not json"))
    elif damage == "shape":
        fields = stored(root)
        fields["racy"] = [["not a position", 1]]
        restore(root, fields)
    else:
        path.write_bytes(b"")
    with caplog.at_level(logging.INFO, logger="python_architect.workspace.run_record"):
        assert run_record.replay(root, "k" * 32) is None
    [line] = [r.getMessage() for r in caplog.records if "ignoring run record" in r.getMessage()]
    # Damage the MAC covers is refused by it; a signed record of the wrong content by its parser.
    reason = {"truncated": "MAC mismatch", "checksum": "MAC mismatch", "foreign": "not a file of this format",
              "garbage": "unreadable payload", "shape": "list indices", "empty": "not a file of this format"}
    assert reason[damage] in line, line
    assert all(r.levelno < logging.WARNING for r in caplog.records), "not on stderr by default"


def test_at_most_max_records_are_kept_and_the_newest_survive(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    keys = [f"{n:02d}" * 16 for n in range(run_record.MAX_RECORDS + 3)]
    for number, key in enumerate(keys):
        record(root, key=key)
        moment = 1_000_000_000 * (1_700_000_000 + number)
        os.utime(run_record.record_path(root, key), ns=(moment, moment))  # strictly increasing ages
    kept = sorted(p.name for p in (root / CLI_CACHE_DIR).glob("run-*.json"))
    assert kept == sorted(run_record.record_path(root, k).name for k in keys[-run_record.MAX_RECORDS:])


def test_the_record_lives_in_the_check_cache_folder() -> None:
    assert run_record.CACHE_DIR == CLI_CACHE_DIR


def test_a_run_that_logged_a_warning_leaves_no_record(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    recorder = run_recorder.Recorder(root, "k" * 32)
    recorder.add_tree(root)
    with recorder.watching_warnings():
        logging.getLogger("python_architect.workspace.cache").warning("discarding a pack")
    recorder.save("report\n", (), 0)
    assert recorder.warnings == 1
    assert not run_record.record_path(root, "k" * 32).exists()


def test_the_warning_watch_still_shows_warnings_when_nothing_else_would(tmp_path: Path) -> None:
    # Its own process: no handler configured anywhere, as in a real ``check``.
    probe = ("import logging, sys\nfrom python_architect.workspace.run_recorder import Recorder\n"
             "recorder = Recorder(sys.argv[1], 'k' * 32)\n"
             "with recorder.watching_warnings():\n"
             "    logging.getLogger('python_architect.workspace.cache').warning('shown as before')\n"
             "    logging.getLogger('python_architect.workspace.cache').info('not shown')\n"
             "print(recorder.warnings)\n")
    completed = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True,
                               check=True, timeout=60)
    assert completed.stderr == "shown as before\n" and completed.stdout == "1\n"


def test_the_key_follows_every_option_that_changes_output(tmp_path: Path, monkeypatch) -> None:
    base = {"root": tmp_path, "paths": [], "select": (), "ignore": (), "output_format": "text",
            "exit_zero": False, "ruff": True, "baseline": None}
    key = run_record.invocation_key(**base)
    assert run_record.invocation_key(**base) == key
    variants = [{"output_format": "json"}, {"select": ("ARC1",)}, {"ignore": ("ARC1",)},
                {"paths": [tmp_path / "app"]}, {"exit_zero": True}, {"ruff": False},
                {"baseline": tmp_path / "b.json"}, {"root": tmp_path / "other"}]
    keys = {run_record.invocation_key(**{**base, **variant}) for variant in variants}
    assert len(keys) == len(variants) and key not in keys
    monkeypatch.setenv("PATH", "/nowhere")
    assert run_record.invocation_key(**base) != key
    on_other_path = run_record.invocation_key(**base)
    monkeypatch.setenv("PYTHON_ARCHITECT_RUFF", "/opt/ruff")
    assert run_record.invocation_key(**base) not in {key, on_other_path}


def test_discovery_reports_what_it_read_with_the_stat_taken_before(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {
        ".gitignore": "generated/\n", "app/core.py": "", "app/sub/.gitignore": "x.py\n",
        "generated/out.py": "", ".venv/lib/site.py": ""})
    assert discover_files(root, ProjectConfig()).python  # outside the context: nothing recorded
    with observing_discovery() as listing:
        discover_files(root, ProjectConfig())
    listed = {Path(d).relative_to(root).as_posix(): (status, names) for d, status, names in listing.directories}
    assert set(listed) == {".", "app", "app/sub"}, "ignored and always-skipped folders are not listed"
    assert listed["app"][1] == ("core.py", "sub")
    assert listed["app"][0].st_mtime_ns == (root / "app").stat().st_mtime_ns
    ignore_files = {Path(p).relative_to(root).as_posix(): status for p, status in listing.ignore_files}
    assert ignore_files[".git/info/exclude"] is None, "an absent ignore file is recorded as absent"
    assert ignore_files[".gitignore"].st_size == len("generated/\n")
    assert "app/sub/.gitignore" in ignore_files


def test_the_module_imports_nothing_heavy() -> None:
    probe = ("import sys\nimport python_architect.workspace.run_record\n"
             "print(sorted(m for m in sys.modules if m.startswith('python_architect') or m in "
             "('logging', 'dataclasses', 'inspect', 'pickle')))\n")
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert completed.stdout.strip() == str(sorted(["python_architect", "python_architect.root_paths",
                                                     "python_architect.workspace",
                                                     "python_architect.workspace.cache_key",
                                                     "python_architect.workspace.fingerprint",
                                                     "python_architect.workspace.run_record"]))


def test_racy_entries_verified_once_old_are_settled_into_stat_only(tmp_path: Path, monkeypatch) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    record(root)  # just written: racy
    assert stored(root)["racy"]
    assert run_record.replay(root, "k" * 32) is not None
    assert stored(root)["racy"], "still racy now: kept"
    # A check starting later: every file is old then, verified by content once and settled.
    assert run_record.replay(root, "k" * 32, now_ns=time.time_ns() + LATER_NS) is not None
    assert stored(root)["racy"] == []
    read: list[str] = []
    monkeypatch.setattr(run_record, "content_digest", lambda path: read.append(path))
    assert run_record.replay(root, "k" * 32) is not None and read == []
    (root / "app" / "core.py").write_text("VALUE = 3\n")
    assert run_record.replay(root, "k" * 32) is None, "settled entries still compare their stat"


def test_a_record_is_read_only_as_a_regular_file_in_a_real_folder(tmp_path: Path, caplog) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    record(root)
    path = run_record.record_path(root, "k" * 32)
    assert run_record.replay(root, "k" * 32, now_ns=time.time_ns() + LATER_NS) is not None
    # A valid record reached through a link (a repository could point it anywhere): not read.
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    with caplog.at_level(logging.INFO, logger="python_architect.workspace.run_record"):
        assert run_record.replay(root, "k" * 32) is None
    assert any("symbolic link" in r.getMessage() for r in caplog.records)
    path.unlink()
    os.mkfifo(path)  # would block a plain open() until a writer came
    assert run_record.replay(root, "k" * 32) is None


def test_a_linked_cache_folder_is_neither_read_nor_written(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    record(root)
    (root / CLI_CACHE_DIR).rename(tmp_path / "elsewhere")
    (root / CLI_CACHE_DIR).symlink_to(tmp_path / "elsewhere")
    before = sorted(p.name for p in (tmp_path / "elsewhere").iterdir())
    assert run_record.cache_dir_refusal(root) == "a symbolic link"
    assert run_record.replay(root, "k" * 32) is None, "its valid record is not replayed through the link"
    recorder = record(root, key="j" * 32)
    assert not recorder.usable
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == before, "nothing written through it"
