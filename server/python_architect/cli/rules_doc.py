"""The rules reference, generated from the check registry: ``docs/rules.md`` and
``python-architect check --explain CODE`` read the same entries, so they cannot drift apart.

``python -m python_architect.cli.rules_doc [FILE]`` writes the markdown (default
``docs/rules.md`` of this repository); ``--check`` exits 1 when the file is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..analysis.registry import CheckInfo, all_checks, lookup

SCOPE_TEXT = {
    "module": "runs on each Python file",
    "workspace": "runs over the whole workspace",
    "dependencies": "runs on requirements*.txt and pyproject.toml",
    "adr": "runs on the ADR files",
    "engine": "reported by the engine itself",
    "ruff": "computed by ruff, mapped to a principle",
}
DEFAULT_OUTPUT = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def _enabled_text(info: CheckInfo) -> str:
    if info.scope == "ruff":
        return "on by default (`ruff = false` turns the ruff families off)"
    if info.default_enabled:
        return "on by default"
    return "driven by ADR rules (runs where an ADR asks for it)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _options_text(info: CheckInfo) -> str:
    if not info.default_options:
        return ""
    return ", ".join(f"`{key}` (default `{value!r}`)" for key, value in info.default_options.items())


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
        f"Scope: {SCOPE_TEXT.get(info.scope, info.scope)}; {_enabled_text(info)}",
    ]
    options = _options_text(info)
    if options:
        lines.append(f"Options: {options.replace('`', '')}")
    lines += ["", "Why:", f"  {info.rationale}"]
    if info.instead:
        lines += ["", "Instead:", f"  {info.instead}"]
    lines += ["", f"Docs: {info.docs_url}"]
    return "\n".join(lines) + "\n"


def _section(info: CheckInfo) -> list[str]:
    lines = [
        f"### {info.code}",
        "",
        f"**{info.title}** · principle `{info.principle}` · severity `{info.severity.value}` · "
        f"{SCOPE_TEXT.get(info.scope, info.scope)}; {_enabled_text(info)}",
        "",
        info.rationale,
    ]
    if info.instead:
        lines += ["", f"*Instead:* {info.instead}"]
    options = _options_text(info)
    if options:
        lines += ["", f"*Options:* {options}"]
    return lines + [""]


def render_rules_markdown() -> str:
    """The whole ``docs/rules.md``: a summary table, then one section per code."""
    checks = all_checks()
    own = [info for info in checks if info.scope != "ruff"]
    ruff = [info for info in checks if info.scope == "ruff"]
    lines = [
        "# Rules",
        "",
        "<!-- Generated from the check registry by `python -m python_architect.cli.rules_doc`; "
        "do not edit by hand. -->",
        "",
        "Every finding carries one of these codes. `python-architect check --explain CODE` prints the "
        "same text in the terminal. Severities are defaults: an ADR rule's `severity` overrides them, "
        "and rules of proposed ADRs report at most `info`.",
        "",
        "| Code | Title | Principle | Severity |",
        "| --- | --- | --- | --- |",
    ]
    for info in checks:
        link = f"[{info.code}](#{info.code.lower()})"
        lines.append(f"| {link} | {_cell(info.title)} | {info.principle} | {info.severity.value} |")
    lines += ["", "## The architect's own checks", ""]
    for info in own:
        lines += _section(info)
    lines += [
        "## Rules taken from ruff",
        "",
        "These run through ruff (on the file's decoded text, `--isolated`, with exactly this "
        "selection) and are reported under the principle shown. `# noqa: CODE` keeps working for "
        "them, as does `# architect: ignore[CODE]`.",
        "",
    ]
    for info in ruff:
        lines += _section(info)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m python_architect.cli.rules_doc", description=__doc__)
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT, help="markdown file to write")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the registry")
    args = parser.parse_args(argv)
    wanted = render_rules_markdown()
    if args.check:
        try:
            current = args.output.read_text(encoding="utf-8")
        except OSError:
            current = ""
        if current != wanted:
            print(f"{args.output} is out of date; run python -m python_architect.cli.rules_doc", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(wanted, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
