"""``check`` answered from its run record (``workspace.run_record``): the same bytes and exit code
as the run that made it, for every format, without importing the engine; every kind of change
sends it back to the normal path; a damaged record is replaced; ``--no-cache`` and
``--changed-since`` never touch it; concurrent runs leave a valid one."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import EXAMPLE, CliRun, run_cli, run_cli_process
from python_architect.workspace import cache_key, run_record
from python_architect.workspace.cache import CLI_CACHE_DIR
from python_architect.workspace.fingerprint import PACKAGE_DIR
from trees import layers_adr, write_tree

HIT = "answered from run record"
TREE = {
    "pyproject.toml": '[project]\nname = "app"\n\n[tool.python-architect]\nbaseline = "architect-baseline.json"\n',
    "architect-baseline.json": '{"version": 1, "findings": []}\n',
    ".ai/adrs/0005-layers.md": layers_adr("app"),
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": "VIEWS = []\n",
    "app/services/__init__.py": "",  # every layer the ADR names exists (else ARC005 on the ADR)
    "app/domain/__init__.py": "",
    "app/domain/model.py": "from app.api import views\n",  # ARC102: the domain imports the api
    "app/broken.py": "def broken(:\n",  # ARC900
}


@pytest.fixture
def check(caplog) -> Callable[..., tuple[CliRun, bool]]:
    """Runs ``check ARGS`` in a workspace: (the run, whether the record answered it)."""
    caplog.set_level(logging.DEBUG, logger="python_architect.workspace.run_record")

    def run(root: Path, *args: str) -> tuple[CliRun, bool]:
        caplog.clear()
        result = run_cli("check", *args, cwd=root)
        assert "Traceback" not in result.stderr, result.stderr
        return result, any(HIT in record.getMessage() for record in caplog.records)

    return run


def records(root: Path) -> list[Path]:
    return sorted((root / CLI_CACHE_DIR).glob("run-*.json"))


def same(one: CliRun, other: CliRun) -> bool:
    return (one.returncode, one.stdout, one.stderr) == (other.returncode, other.stdout, other.stderr)


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_the_second_run_prints_the_same_bytes_from_the_record(tmp_path: Path, check, output_format: str) -> None:
    root = tmp_path / "service"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(CLI_CACHE_DIR, "__pycache__"))
    # Something on stderr as well: a link to nothing (skipped) and a baseline entry gone stale.
    os.symlink("missing.py", root / "src" / "dangling.py")
    baseline = {"version": 1, "findings": [{"code": "ARC101", "path": "src/gone.py", "fingerprint": "0" * 16,
                                            "occurrence": 0, "message": "fixed long ago"}]}
    (tmp_path / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    args = ("--format", output_format, "--baseline", str(tmp_path / "baseline.json"))
    first, first_hit = check(root, *args)
    second, second_hit = check(root, *args)
    assert (first_hit, second_hit) == (False, True)
    assert first.returncode == 1 and "skipped (symbolic link to nothing)" in first.stderr
    assert "baseline entry matches no finding" in first.stderr and first.stdout
    assert same(first, second)
    output = tmp_path / "report.out"
    written, hit = check(root, *args, "--output", str(output))
    assert hit and written.stdout == "" and output.read_text(encoding="utf-8") == first.stdout


def test_a_replay_does_not_import_the_engine(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    first = run_cli_process("check", cwd=root)
    completed = subprocess.run([sys.executable, "-X", "importtime", "-m", "python_architect", "check"], cwd=root,
                               capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL,
                               check=False)
    imported = [line for line in completed.stderr.splitlines() if line.startswith("import time:")]
    stderr = "".join(f"{line}\n" for line in completed.stderr.splitlines() if not line.startswith("import time:"))
    assert any("python_architect.workspace.run_record" in line for line in imported)
    assert not any(name in line for line in imported for name in ("python_architect.engine", "python_architect.findings"))
    assert (completed.returncode, completed.stdout, stderr) == (first.returncode, first.stdout, first.stderr)
    assert first.returncode == 1 and "ARC102" in first.stdout and "ARC900" in first.stdout


def _same_size_edit_with_mtime_set_back(root: Path) -> None:
    broken = root / "app" / "broken.py"
    before = broken.stat()
    broken.write_text("def oka(): 1\n", encoding="utf-8")
    os.utime(broken, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert broken.stat().st_size == before.st_size


CHANGES: dict[str, Callable[[Path], object]] = {
    "file edited": lambda root: (root / "app/domain/model.py").write_text("VALUE = 1\n", encoding="utf-8"),
    "same size, mtime set back": _same_size_edit_with_mtime_set_back,
    "new module in a sub-package": lambda root: (root / "app/domain/extra.py").write_text(
        "from app.api import views\n", encoding="utf-8"),
    "file deleted": lambda root: (root / "app/broken.py").unlink(),
    "file renamed": lambda root: (root / "app/broken.py").rename(root / "app/cracked.py"),
    "new .gitignore": lambda root: (root / "app/.gitignore").write_text("broken.py\n", encoding="utf-8"),
    "ADR edited": lambda root: (root / ".ai/adrs/0005-layers.md").write_text(
        layers_adr("app").replace("status: accepted", "status: proposed"), encoding="utf-8"),
    "new ADR": lambda root: (root / ".ai/adrs/0006-more.md").write_text(
        "# ADR-006: Another decision\n\n## Status\nAccepted\n\n## Decision\nNothing to enforce.\n", encoding="utf-8"),
    "pyproject.toml edited": lambda root: (root / "pyproject.toml").write_text(
        TREE["pyproject.toml"] + 'ignore = ["ARC900"]\n', encoding="utf-8"),
    "baseline edited": lambda root: run_cli("baseline", cwd=root),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_sends_the_run_back_to_the_checks(tmp_path: Path, check, change: str) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    before, _ = check(root, "--no-ruff")
    again, hit = check(root, "--no-ruff")
    assert hit and same(before, again)
    CHANGES[change](root)
    after, hit = check(root, "--no-ruff")
    assert not hit
    fresh = run_cli("check", "--no-ruff", "--no-cache", cwd=root)
    assert same(after, fresh), "the normal path's answer"
    assert after.stdout != before.stdout, "the change matters to the report"
    replayed, hit = check(root, "--no-ruff")
    assert hit and same(replayed, after), "and it was recorded in turn"


def test_options_and_paths_have_records_of_their_own(tmp_path: Path, check) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    text, _ = check(root)
    differing = [("--format", "json"), ("--select", "ARC900"), ("--exit-zero",), ("app/domain",)]
    for variant in [*differing, ("--no-ruff",)]:
        result, hit = check(root, *variant)
        assert not hit, variant
        assert variant not in differing or not same(result, text), variant
        assert check(root, *variant)[1], variant
    again, hit = check(root)
    assert hit and same(again, text)
    assert len(records(root)) == 2 + len(differing)


def test_jobs_do_not_change_the_report_and_share_the_record(tmp_path: Path, check) -> None:
    files = {**TREE, **{f"app/many/m{n}.py": f"def f{n}(:\n" for n in range(60)}, "app/many/__init__.py": ""}
    root = write_tree(tmp_path / "ws", files)
    one = run_cli("check", "--no-ruff", "--no-cache", "--jobs", "1", cwd=root)
    two = run_cli("check", "--no-ruff", "--no-cache", "--jobs", "2", cwd=root)
    assert same(one, two) and one.stdout.count("ARC900") == 61
    first, _ = check(root, "--no-ruff", "--jobs", "1")
    second, hit = check(root, "--no-ruff", "--jobs", "2")
    assert hit and same(first, second) and same(first, one)


def test_another_tool_code_is_another_answer(tmp_path: Path) -> None:
    copy = tmp_path / "site" / "python_architect"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    root = write_tree(tmp_path / "ws", TREE)
    env = {**os.environ, "PYTHONPATH": str(copy.parent)}

    def run() -> str:
        completed = subprocess.run([sys.executable, "-m", "python_architect", "check", "--no-ruff"], cwd=root,
                                   env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
                                   stdin=subprocess.DEVNULL, check=False)
        assert completed.returncode == 1, completed.stderr
        return completed.stdout

    first = run()
    assert run() == first and records(root)
    assert "File does not parse" in first
    module = copy / "workspace" / "parse.py"
    text = module.read_text(encoding="utf-8")
    assert "File does not parse" in text
    module.write_text(text.replace("File does not parse", "File does NOT parse"), encoding="utf-8")
    assert "File does NOT parse" in run(), "the edited code ran: nothing came back from the record"


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "foreign"])
def test_a_damaged_record_is_replaced_by_the_normal_path(tmp_path: Path, check, damage: str) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    first, _ = check(root)
    [path] = records(root)
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 3], "corrupt": data.replace(b"ARC900", b"ARC999"),
                      "foreign": b"python-architect-run-record 99\n" + data.split(b"\n", 1)[1]}[damage])
    second, hit = check(root)
    assert not hit and same(first, second)
    third, hit = check(root)
    assert hit and same(first, third), "the normal run wrote a good record again"


def _tamper(path: Path) -> bytes:
    """Makes the record's report say TAMPERED, signed with this user's key: only a run that reads it
    prints it."""
    fields = json.loads(path.read_bytes().split(b"\n", 2)[2])
    fields["report"] = "TAMPERED\n"
    data = cache_key.sign(run_record.MAGIC, json.dumps(fields).encode())
    path.write_bytes(data)
    return data


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=root,
                   check=True, capture_output=True, timeout=60)


def test_no_cache_and_changed_since_neither_read_nor_write_the_record(tmp_path: Path, check) -> None:
    root = write_tree(tmp_path / "ws", {**TREE, ".gitignore": f"{CLI_CACHE_DIR}/\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    first, _ = check(root)
    [path] = records(root)
    data = _tamper(path)
    assert check(root)[0].stdout == "TAMPERED\n", "the record is what a plain run trusts"
    for args in (("--no-cache",), ("--changed-since", "HEAD")):
        result, hit = check(root, *args)
        assert not hit and "TAMPERED" not in result.stdout and result.stdout.startswith(("app/", "All checks")), args
        assert records(root) == [path] and path.read_bytes() == data, args
    assert check(root, "--no-cache")[0].stdout == first.stdout


def test_a_configuration_error_leaves_no_record(tmp_path: Path, check) -> None:
    root = write_tree(tmp_path / "ws", {**TREE, "pyproject.toml": "[tool.python-architect]\nunknown-key = 1\n"})
    result, _ = check(root)
    assert result.returncode == 2 and "unknown key" in result.stderr
    assert records(root) == []
    assert check(root)[0].returncode == 2


def test_two_runs_at_once_leave_one_valid_record(tmp_path: Path, check) -> None:
    root = write_tree(tmp_path / "ws", TREE)
    command = [sys.executable, "-m", "python_architect", "check", "--no-ruff"]
    runs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1] and outputs[0] == outputs[1]
    replayed, hit = check(root, "--no-ruff")
    assert hit and (replayed.stdout, replayed.stderr) == outputs[0]
    assert len(records(root)) == 1
    assert not list((root / CLI_CACHE_DIR).glob(".run-*.tmp")), "no temporary file left behind"


def test_an_unwritable_cache_folder_only_costs_the_record(tmp_path: Path, check) -> None:
    root = write_tree(tmp_path / "ws", {**TREE, CLI_CACHE_DIR: "a file where the folder would go\n"})
    first, _ = check(root, "--no-ruff")
    second, hit = check(root, "--no-ruff")
    assert not hit and first.returncode == second.returncode == 1
    assert first.stdout == second.stdout and "ARC900" in first.stdout
    assert (root / CLI_CACHE_DIR).read_text() == "a file where the folder would go\n"
