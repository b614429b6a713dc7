"""``check`` on small workspaces: exit codes, select/ignore, .gitignore, bad input, root
detection, suppression, --no-ruff, --explain and configuration errors."""

from __future__ import annotations

import io
import subprocess
import sys

from cli_support import EXAMPLE, run_cli, run_cli_process
from doc_links import line_at_link
from python_architect.cli import check_command

SECRET_LINE = 'STRIPE_KEY = "sk_live_' + "q8Zr2LmT4vXk9PwB7nYc3HdJ" + '"\n'
# S113 (an HTTP call without a timeout) is a core check, reported with no ADR; ``print`` (T201) is
# a judgment check these workspaces do not adopt.
NO_TIMEOUT = "import requests\n\n\ndef charge(url):\n    return requests.get(url)\n"
NOISY = {
    "src/app/__init__.py": "",
    "src/app/billing.py": '"""Billing."""\n' + SECRET_LINE + NO_TIMEOUT,
}


def codes(result) -> list[str]:
    return [finding["code"] for finding in result.json()["findings"]]


def test_exit_zero_when_clean_one_with_findings_and_exit_zero_flag(workspace):
    root = workspace(NOISY)
    # The exit status of a real interpreter (the rest of the CLI tests run main() in-process).
    dirty = run_cli_process("check", "--format", "json", cwd=root)
    assert dirty.returncode == 1 and sorted(codes(dirty)) == ["ARC701", "S113"]
    assert run_cli_process("check", "--exit-zero", cwd=root).returncode == 0
    (root / "src/app/billing.py").write_text('"""Billing."""\nimport os\n\nSTRIPE_KEY = os.environ["STRIPE_KEY"]\n', encoding="utf-8")
    clean = run_cli("check", cwd=root)
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.startswith("All checks passed")


def test_select_and_ignore_take_codes_and_prefixes(workspace):
    root = workspace(NOISY)
    assert codes(run_cli("check", "--format", "json", "--select", "arc7", cwd=root)) == ["ARC701"]
    assert codes(run_cli("check", "--format", "json", "--ignore", "ARC701", cwd=root)) == ["S113"]
    both = run_cli("check", "--format", "json", "--select", "ARC,S", "--ignore", "ARC", cwd=root)
    assert codes(both) == ["S113"]  # ignore wins over select
    nothing = run_cli("check", "--select", "ARC1", cwd=root)
    assert nothing.returncode == 0
    unknown = run_cli("check", "--select", "ZZZ9", cwd=root)
    assert unknown.returncode == 0 and "`ZZZ9` matches no known check" in unknown.stderr


def test_usage_errors_exit_2(workspace):
    root = workspace(NOISY)
    for args, expected in [
        (("--select", "ARC-101"), "is not a rule code or prefix"),
        (("missing.py",), "missing.py: no such file or directory"),
        (("--jobs", "0"), "--jobs must be at least 1"),
        (("--explain", "ARC999"), "unknown rule code `ARC999`"),
        (("--root", "nowhere"), "not a directory"),
    ]:
        result = run_cli("check", *args, cwd=root)
        assert result.returncode == 2, args
        assert expected in result.stderr, (args, result.stderr)
        assert result.stdout == ""
    outside = run_cli("check", "--root", root / "src", root / "pyproject.toml", cwd=root)
    assert outside.returncode == 2 and "outside the workspace root" in outside.stderr


def test_configuration_errors_exit_2_with_path_and_line(workspace):
    root = workspace(NOISY)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "app"\n\n[tool.python-architect]\nsrc = ["src"]\nrulez = true\n', encoding="utf-8")
    result = run_cli("check", cwd=root)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("pyproject.toml:")
    assert "unknown key `rulez`" in result.stderr
    (root / "pyproject.toml").write_text('[tool.python-architect\nsrc = ["src"]\n', encoding="utf-8")
    broken = run_cli("check", cwd=root)
    assert broken.returncode == 2 and "pyproject.toml:1: pyproject.toml does not parse" in broken.stderr


def test_gitignored_files_are_not_checked(workspace):
    root = workspace({**NOISY, ".gitignore": "generated/\n*.tmp.py\n",
                      "generated/client.py": NO_TIMEOUT, "src/app/scratch.tmp.py": NO_TIMEOUT})
    paths = {f["path"] for f in run_cli("check", "--format", "json", cwd=root).json()["findings"]}
    assert paths == {"src/app/billing.py"}


def test_syntax_error_and_latin1_files_do_not_stop_the_run(workspace):
    root = workspace({
        **NOISY,
        "src/app/broken.py": "def quote(:\n    return 1\n",
        "src/app/legacy.py": b'# -*- coding: latin-1 -*-\nimport requests\nPAGE = requests.get("https://example.org/Pr\xe9sentation")\n',
        "src/app/binary.py": b"\xff\xfe\x00garbage = 1\n",
    })
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stderr
    found = {(f["path"], f["code"], f["line"]) for f in result.json()["findings"]}
    assert ("src/app/broken.py", "ARC900", 1) in found
    assert ("src/app/legacy.py", "S113", 3) in found  # decoded per PEP 263, then checked normally
    assert any(path == "src/app/binary.py" and code == "ARC900" for path, code, _ in found)
    assert ("src/app/billing.py", "ARC701", 2) in found
    assert [f for f in found if f[0] == "src/app/broken.py"] == [("src/app/broken.py", "ARC900", 1)]
    assert "Traceback" not in result.stderr


def test_empty_workspace_is_clean(tmp_path):
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "All checks passed: 0 files checked; ADRs: 0\n"
    assert run_cli("check", "--format", "json", cwd=tmp_path).json() == {"findings": [], "files": 0, "adrs": 0}


def test_paths_narrow_the_run_and_the_root_is_found_from_a_subdirectory(workspace):
    root = workspace({**NOISY, "src/app/report.py": NO_TIMEOUT, "scripts/seed.py": NO_TIMEOUT})
    one = run_cli("check", "--format", "json", "app/report.py", cwd=root / "src")
    assert one.returncode == 1, one.stderr
    assert {(f["path"], f["code"]) for f in one.json()["findings"]} == {("src/app/report.py", "S113")}
    assert one.json()["files"] == 1
    subtree = run_cli("check", "--format", "json", cwd=root / "src" / "app")
    assert {f["path"] for f in subtree.json()["findings"]} == {"src/app/billing.py", "src/app/report.py"}
    whole = run_cli("check", "--format", "json", cwd=root)
    assert {f["path"] for f in whole.json()["findings"]} == {"src/app/billing.py", "src/app/report.py", "scripts/seed.py"}


def test_suppression_comments_by_code_and_by_adr(workspace):
    adr = (
        "---\nid: ADR-016\ntitle: Secrets from the environment\nstatus: accepted\ntags: [security]\n---\n"
        "# ADR-016: Secrets from the environment\n\n## Decision\n\nNo literals.\n"
    )
    root = workspace({
        ".ai/adrs/0016-secrets.md": adr,
        "src/app/__init__.py": "",
        "src/app/a.py": SECRET_LINE.rstrip("\n") + "  # architect: ignore[ARC701] test fixture, not a key\n",
        "src/app/b.py": SECRET_LINE.rstrip("\n") + "  # architect: ignore[ADR-016]\n",
        "src/app/c.py": SECRET_LINE.rstrip("\n") + "  # architect: ignore[T201]\n",
        "src/app/d.py": "import requests\n\nPAGE = requests.get(URL)  # noqa: S113\n",
    })
    found = [(f["path"], f["code"], f["adrs"]) for f in run_cli("check", "--format", "json", cwd=root).json()["findings"]]
    assert found == [("src/app/c.py", "ARC701", ["ADR-016"])]


def test_no_ruff_turns_off_the_ruff_families_only(workspace):
    root = workspace(NOISY)
    result = run_cli("check", "--format", "json", "--no-ruff", cwd=root)
    assert codes(result) == ["ARC701"]


def test_explain_prints_the_registry_entry(cli):
    result = cli("check", "--explain", "arc502", cwd=EXAMPLE)
    assert result.returncode == 0
    assert result.stdout.startswith("ARC502: N+1 query")
    assert "Principle: data-layer" in result.stdout and "Instead:" in result.stdout
    docs = next(line for line in result.stdout.splitlines() if line.startswith("Docs: "))
    assert line_at_link(docs.removeprefix("Docs: ")) == "### ARC502"  # the installed reference, offline


def test_adr_file_problems_are_reported_by_check_and_adrs(workspace):
    root = workspace({
        "src/app/__init__.py": "",
        ".ai/adrs/0001-broken.md": "---\nid: ADR-001\ntitle: [unclosed\n---\n# Broken\n",
        ".ai/adrs/0002-unknown-kind.md": (
            "---\nid: ADR-002\ntitle: Kinds\nsupersedes: [ADR-042]\napplies-to:\n  paths: [\"lib/**\"]\n"
            "rules:\n  - id: r1\n    kind: forbidden-imports\n    modules: [requests]\n---\n# ADR-002: Kinds\n"
        ),
        ".ai/adrs/0003-one.md": "---\nid: ADR-003\ntitle: One\n---\n# One\n",
        ".ai/adrs/0004-two.md": "---\nid: ADR-003\ntitle: Two\n---\n# Two\n",
    })
    checked = run_cli("check", "--format", "json", cwd=root)
    assert checked.returncode == 1
    problems = {(f["path"], f["code"]) for f in checked.json()["findings"]}
    assert {("ARC001", ".ai/adrs/0001-broken.md"), ("ARC002", ".ai/adrs/0002-unknown-kind.md"),
            ("ARC003", ".ai/adrs/0002-unknown-kind.md"), ("ARC005", ".ai/adrs/0002-unknown-kind.md")} <= {
        (code, path) for path, code in problems}
    assert any(code == "ARC004" for _, code in problems)
    listed = run_cli("adrs", "--format", "json", cwd=root)
    assert listed.returncode == 1
    assert {p["code"] for p in listed.json()["problems"]} == {"ARC001", "ARC002", "ARC003", "ARC004", "ARC005"}
    text = run_cli("adrs", cwd=root)
    assert text.returncode == 1
    assert "problem: .ai/adrs/0002-unknown-kind.md:" in text.stdout and "ARC002" in text.stdout


def test_progress_bar_appears_only_for_long_runs_and_is_removed(monkeypatch):
    stream = io.StringIO()
    progress, clear = check_command._progress_printer(stream)
    progress(1, 10)
    clear()
    assert stream.getvalue() == ""  # a short run never draws
    monkeypatch.setattr(check_command, "PROGRESS_AFTER_S", 0.0)
    progress, clear = check_command._progress_printer(stream)
    progress(5, 10)
    progress(10, 10)
    drawn = stream.getvalue()
    assert "Checking" in drawn and "5/10" in drawn and "10/10" in drawn and "100%" in drawn
    clear()
    assert stream.getvalue().rsplit("\r", 1)[-1].strip() == "", "the bar's line is blank once the run ends"


def test_progress_without_tqdm_draws_nothing_and_does_not_fail(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # ``import tqdm`` now raises ImportError
    monkeypatch.setattr(check_command, "PROGRESS_AFTER_S", 0.0)
    stream = io.StringIO()
    progress, clear = check_command._progress_printer(stream)
    progress(5, 10)
    progress(10, 10)
    clear()
    assert stream.getvalue() == ""


def test_progress_is_not_printed_when_stderr_is_not_a_terminal(cli):
    result = cli("check", "--exit-zero", cwd=EXAMPLE)
    assert "Checking" not in result.stderr


def test_check_imports_only_its_own_subcommand_and_nothing_heavy(tmp_path):
    # ``check`` runs on every commit (pre-commit, CI): it must not pay for ``ask``'s network stack,
    # the server's protocol libraries or a process pool it does not use on a small workspace.
    root = tmp_path / "ws"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "core.py").write_text("import os\n\n\ndef home():\n    return os.environ.get('HOME')\n")
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    probe = (
        "import contextlib, io, sys\n"
        "from python_architect.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['check', '--exit-zero'])\n"
        "heavy = ['asyncio', 'ssl', 'anthropic', 'pygls', 'lsprotocol', 'mcp', 'concurrent.futures', 'tqdm',\n"
        "         'python_architect.cli.ask_command', 'python_architect.cli.mcp_command']\n"
        "print(code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120,
                               check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["0", "[]"], completed.stdout
    every = subprocess.run([sys.executable, "-m", "python_architect", "--help"], capture_output=True, text=True,
                           timeout=120, check=False)
    assert every.returncode == 0 and all(name in every.stdout for name in ("check", "ask", "graph", "baseline"))
