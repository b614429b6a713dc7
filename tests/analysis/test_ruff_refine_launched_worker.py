"""S301 in a worker program its own package launches with a pickle it wrote (issue 21, third
reading: luigi's ``contrib/lsf_runner.py``, ``sge_runner.py``, ``pyspark_runner.py``): a sibling of
the same package hands the worker's file to another process and pickles the job it loads. Each
shape beside its twin: a worker no sibling launches, a launcher that writes no pickle, a load of
data from a request, a launcher outside the package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ruff_twins import reported_and_kept
from trees import write_tree

RUNNER = ("import pickle\nimport sys\n\n\ndef main(args=sys.argv):\n    with open(args[1], 'rb') as f:\n"
          "        job = pickle.load(f)\n    job.work()\n")
LAUNCHER = ("import os\nimport pickle\nimport subprocess\n\nfrom pkg import runner\n\n\nclass Job:\n"
            "    def submit(self, folder):\n        path = os.path.join(folder, 'job.pickle')\n"
            "        with open(path, 'wb') as f:\n            pickle.dump(self, f)\n"
            "        subprocess.run(['python', {target}, path], check=True)\n")
BY_FILE = LAUNCHER.format(target="runner.__file__")
BY_NAME = LAUNCHER.format(target="os.path.join(os.path.dirname(__file__), 'runner.py')")


def _judge(tmp_path: Path, files: dict[str, str], worker: str = "pkg/runner.py") -> tuple[list[str], list[str]]:
    root = write_tree(tmp_path / "ws", {"pkg/__init__.py": "", **files})
    return reported_and_kept((root / worker).read_text(), "S301", root / worker, root)


def test_a_worker_launched_by_its_file_with_a_pickle_the_launcher_writes(tmp_path: Path) -> None:
    reported, kept = _judge(tmp_path, {"pkg/runner.py": RUNNER, "pkg/launcher.py": BY_FILE})
    assert reported == ["S301"], "ruff must report the shape, or the judge is not what drops it"
    assert kept == []


def test_a_worker_launched_by_its_file_name(tmp_path: Path) -> None:
    reported, kept = _judge(tmp_path, {"pkg/runner.py": RUNNER, "pkg/launcher.py": BY_NAME})
    assert reported == ["S301"]
    assert kept == []


def test_the_file_alone_is_reported() -> None:
    assert reported_and_kept(RUNNER, "S301") == (["S301"], ["S301"])


def test_a_launcher_that_writes_no_pickle(tmp_path: Path) -> None:
    launcher = BY_FILE.replace("pickle.dump(self, f)", "f.write(b'')")
    assert _judge(tmp_path, {"pkg/runner.py": RUNNER, "pkg/launcher.py": launcher}) == (["S301"], ["S301"])


def test_a_sibling_that_only_imports_the_module(tmp_path: Path) -> None:
    launcher = BY_FILE.replace("runner.__file__", "'worker'")
    assert _judge(tmp_path, {"pkg/runner.py": RUNNER, "pkg/launcher.py": launcher}) == (["S301"], ["S301"])


def test_a_module_that_is_no_program(tmp_path: Path) -> None:
    library = "import pickle\n\n\ndef load(path):\n    with open(path, 'rb') as f:\n        return pickle.load(f)\n"
    assert _judge(tmp_path, {"pkg/runner.py": library, "pkg/launcher.py": BY_FILE}) == (["S301"], ["S301"])


def test_a_load_of_data_from_a_request(tmp_path: Path) -> None:
    worker = "import pickle\nimport sys\n\n\ndef main(request=sys.argv):\n    return pickle.loads(request.body)\n"
    assert _judge(tmp_path, {"pkg/runner.py": worker, "pkg/launcher.py": BY_FILE}) == (["S301"], ["S301"])


def test_a_launcher_outside_the_package_directory(tmp_path: Path) -> None:
    found = _judge(tmp_path, {"pkg/runner.py": RUNNER, "pkg/sub/__init__.py": "", "pkg/sub/launcher.py": BY_FILE})
    assert found == (["S301"], ["S301"])


def test_the_cli_batch_path(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "pkg"\n\n[tool.python-architect]\nselect = ["S301"]\n',
        "pkg/__init__.py": "", "pkg/runner.py": RUNNER, "pkg/launcher.py": BY_FILE,
        "other/__init__.py": "", "other/runner.py": RUNNER})
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache"],
        cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)
    assert completed.returncode in (0, 1), completed.stderr
    found = sorted((f["path"], f["code"]) for f in json.loads(completed.stdout)["findings"] if f["code"] == "S301")
    assert found == [("other/runner.py", "S301")]
