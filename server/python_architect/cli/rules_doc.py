"""The rules reference, generated from the check registry: ``docs/rules.md`` and
``python-architect check --explain CODE`` read the same entries, so they cannot drift apart.

``python -m python_architect.cli.rules_doc [FILE]`` writes the markdown (default: this
repository's ``docs/rules.md`` and the copy shipped in the package, ``codes/rules.md``, which
``--explain`` and the editor link to); ``--check`` exits 1 when a file is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..analysis.context import BENCHMARK_DIRS, SILENT_IN_SCRIPTS, SILENT_IN_TESTS
from ..codes import METADATA, CheckInfo
from ..codes import metadata as lookup
from ..codes.docs import RULES_DOC, section_uri
from ..codes.model import CONTEXT_OPTIONS, JUDGMENT, OPT_IN
from ..workspace.vendored import VENDORED_DIRS

SCOPE_TEXT = {
    "module": "runs on each Python file",
    "workspace": "runs over the whole workspace",
    "dependencies": "runs on requirements*.txt and pyproject.toml",
    "adr": "runs on the ADR files",
    "engine": "reported by the engine itself",
    "ruff": "computed by ruff, mapped to a principle",
}
DEFAULT_OUTPUT = Path(__file__).resolve().parents[3] / "docs" / "rules.md"
PACKAGE_COPY = RULES_DOC
"""The copy shipped inside the package: what ``--explain`` and the editor's links point at."""


def all_checks() -> list[CheckInfo]:
    """Every declared code's record, in code order."""
    return sorted(METADATA.values(), key=lambda info: info.code)


TIER_TEXT = {
    "core": "tier `core`: reported by default",
    "judgment": "tier `judgment`: reported once adopted (an accepted ADR tagged with its principle, "
    "a `check`/`ruff` rule naming it, or `select`/`options` in the configuration); otherwise "
    "silent in `check` and a hint in the editor",
    "opt-in": "tier `opt-in`: off unless the team asks for it: its exact code named (`select`/`--select`, "
    "the `ruff` list, an `options` table), an ADR `check`/`ruff` rule naming it, or an accepted ADR tagged "
    "with its principle; `ALL` or a prefix does not turn it on, and the editor shows no hint",
}


def _enabled_text(info: CheckInfo) -> str:
    if not info.default_enabled and info.scope != "ruff":
        return "driven by ADR rules (runs where an ADR asks for it)"
    if info.tier == JUDGMENT:
        return TIER_TEXT["judgment"]
    if info.tier == OPT_IN:
        return TIER_TEXT["opt-in"]
    if info.scope == "ruff":
        return TIER_TEXT["core"] + " (`ruff = false` turns the ruff families off)"
    return TIER_TEXT["core"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _options_text(info: CheckInfo) -> str:
    if not info.option_types:
        return ""
    return ", ".join(f"`{key}` ({kind}, default `{info.default_options.get(key)!r}`)"
                     for key, kind in info.option_types.items())


def explain(code: str) -> str | None:
    """Plain-text explanation of one code for the terminal, or None when it is unknown."""
    info = lookup(code.strip().upper())
    if info is None:
        return None
    lines = [
        f"{info.code}: {info.title}",
        "",
        f"Principle: {info.principle}",
        f"Default severity: {info.severity.value}",
        f"Tier: {info.tier}",
        f"Scope: {SCOPE_TEXT.get(info.scope, info.scope)}; {_enabled_text(info)}",
    ]
    options = _options_text(info)
    if options:
        lines.append(f"Options: {options.replace('`', '')}")
    lines += ["", "Why:", f"  {info.rationale}"]
    if info.instead:
        lines += ["", "Instead:", f"  {info.instead}"]
    if info.not_reported:
        lines += ["", "Not reported:", f"  {info.not_reported}"]
    uri = section_uri(info.code)
    if uri is not None:
        lines += ["", f"Docs: {uri}"]
    return "\n".join(lines) + "\n"


def _section(info: CheckInfo) -> list[str]:
    lines = [
        f"### {info.code}",
        "",
        (f"**{info.title}** · principle `{info.principle}` · severity `{info.severity.value}` · "
         f"{SCOPE_TEXT.get(info.scope, info.scope)}; {_enabled_text(info)}"),
        "",
        info.rationale,
    ]
    if info.instead:
        lines += ["", f"*Instead:* {info.instead}"]
    if info.not_reported:
        lines += ["", f"*Not reported:* {info.not_reported}"]
    options = _options_text(info)
    if options:
        lines += ["", f"*Options:* {options}"]
    quiet = _quiet_text(info.code)
    if quiet:
        lines += ["", f"*Silent in:* {quiet}"]
    return [*lines, ""]


def _quiet_text(code: str) -> str:
    places = [name for name, codes in (("test code", SILENT_IN_TESTS), ("command-line entry points", SILENT_IN_SCRIPTS))
              if code in codes]
    return " and ".join(places)


def render_rules_markdown() -> str:
    """The whole ``docs/rules.md``: a summary table, then one section per code."""
    checks = all_checks()
    own = [info for info in checks if info.scope != "ruff"]
    ruff = [info for info in checks if info.scope == "ruff"]
    lines = [
        "# Rules",
        "",
        ("<!-- Generated from the check registry by `python -m python_architect.cli.rules_doc`; "
         "do not edit by hand. -->"),
        "",
        ("Every finding carries one of these codes. `python-architect check --explain CODE` prints the "
         "same text in the terminal. Severities are defaults: an ADR rule's `severity` overrides them, "
         "and rules of proposed ADRs report at most `info`. `error` is kept for findings a reviewer "
         "would block a merge on with high confidence (a live secret, an import an ADR forbids, a "
         "broken ADR or configuration)."),
        "",
        "## Tiers",
        "",
        "- **core**: reported by default. Findings a senior reviewer would almost always agree with.",
        ("- **judgment**: right in some codebases and noise in others (concrete inheritance, hierarchy "
         "depth, shallow wrappers, retry loops, N+1 queries, broad `except`, logging style, `print`, "
         "...). Reported once the team adopts the check: an accepted ADR tagged with its principle "
         "(`tags: [composition]`), a `kind: check` or `kind: ruff` rule naming it, or the "
         "configuration naming it (`select`, the `ruff` list, or an `options` table for the code). "
         "Otherwise `check` is silent and the editor shows at most a hint."),
        ("- **opt-in**: checks that could not be made precise on real code (measured by "
         "`benchmarks/bench_precision.py`: their findings on code nobody tuned them on were mostly "
         "wrong, for reasons the syntax cannot see). Off unless the team asks for it: the exact code "
         "named (`select = [\"S602\"]` / `--select S602`, the `ruff` list, an `options` table for "
         "it), an ADR `kind: check` / `kind: ruff` rule naming it, or an accepted ADR tagged with "
         "its principle. `select = [\"ALL\"]` and a prefix do not turn it on, and the editor shows "
         "no hint. Each one says why below."),
        "",
        "Every check also keeps quiet where its premise does not hold: in test code (`tests/`, `testsuite/`, `testing/`, "
        "modules named for test support such as `testing.py`, `_mocking.py`, `mock.py`, `fakes.py`, `pytester.py`, "
        "`test_*.py`, `*_test.py`, `conftest.py`, and benchmark harnesses under "
        + ", ".join(f"`{name}/`" for name in sorted(BENCHMARK_DIRS))
        + ") and command-line entry points (`__main__.py`, "
        "`if __name__ == \"__main__\":` blocks, console-script targets from `[project.scripts]`, example programs under `examples/`, `example_dags/`, `*_examples/`) "
        "as listed per check below; the options "
        + ", ".join(f"`{key}`" for key in CONTEXT_OPTIONS)
        + " (true or false) of any check change that.",
        "",
        "Vendored third-party code is not checked at all: files under a directory named "
        + ", ".join(f"`{name}`" for name in sorted(VENDORED_DIRS))
        + " are skipped like `.gitignore`d files (said once; `include-vendored = true` in "
        "`[tool.python-architect]` checks them).",
        "",
        ("Generated code is not checked either: protoc/grpc output (`*_pb2.py`, `*_pb2.pyi`, `*_pb2_grpc.py`) and "
         "files whose first ten lines hold a generator's do-not-edit comment (`DO NOT EDIT`, `@generated`, "
         "`will be lost if the code is regenerated`) are skipped and said once (`include-generated = true` checks "
         "them); a Django migration's `Generated by Django` header is no such marker. Backup copies "
         "(`module.bak.py`, `.orig`, `.old`, `.backup`, `.save`, `.copy`, `module~.py`) are not modules and are not "
         "checked unless named as a path."),
        "",
        "| Code | Title | Principle | Severity | Tier |",
        "| --- | --- | --- | --- | --- |",
    ]
    for info in checks:
        link = f"[{info.code}](#{info.code.lower()})"
        lines.append(f"| {link} | {_cell(info.title)} | {info.principle} | {info.severity.value} | {info.tier} |")
    lines += ["", "## The architect's own checks", ""]
    for info in own:
        lines += _section(info)
    lines += [
        "## Rules taken from ruff",
        "",
        ("These run through ruff (on the file's decoded text, `--isolated`, with exactly this "
         "selection) and are reported under the principle shown. `# noqa: CODE` keeps working for "
         "them, as does `# architect: ignore[CODE]`, ruff's `# ruff: ignore[...]` naming the rule by "
         "code or by ruff's name (`error-instead-of-exception` for TRY400), and so does another linter's suppression of "
         "the same check on the finding's line: pylint's name or id (`# pylint: "
         "disable=method-cache-max-size-none` or `W1518` for B019, `eval-used` for S307, "
         "`broad-exception-caught` for BLE001, `logging-fstring-interpolation` for G004, "
         "`dangerous-default-value` for B006, `missing-timeout` for S113; `disable-next=` on the "
         "line above too) and bandit's `# nosec` (bare, or naming the test: `B307` for S307)."),
        "",
    ]
    for info in ruff:
        lines += _section(info)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m python_architect.cli.rules_doc", description=__doc__)
    parser.add_argument("output", nargs="?", type=Path, default=None,
                        help="markdown file to write (default: docs/rules.md and the package's copy)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the registry")
    args = parser.parse_args(argv)
    outputs = [args.output] if args.output is not None else [DEFAULT_OUTPUT, PACKAGE_COPY]
    wanted = render_rules_markdown()
    if args.check:
        stale = [output for output in outputs if _read(output) != wanted]
        for output in stale:
            print(f"{output} is out of date; run python -m python_architect.cli.rules_doc", file=sys.stderr)
        return 1 if stale else 0
    for output in outputs:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(wanted, encoding="utf-8")
        print(f"wrote {output}")
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
