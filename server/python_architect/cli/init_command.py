"""``python-architect init``: start a repository's architecture knowledge in one command.

Writes, from the templates in ``cli/templates/`` (package data): ``.ai/adrs/template.md``,
``0001-record-architecture-decisions.md`` and a first real decision chosen from ``DECISIONS``;
skeletons of the three ``.ai/*.md`` documents; ``.claude/agents/python-architect.md`` (a persona
that uses the MCP tools); and the ``[tool.python-architect]`` table, appended to an existing
``pyproject.toml`` only when the result still parses. An existing file is never overwritten: it
is reported as kept. Nothing is written through a link out of the root (``root_paths``): a
``.ai``, ``.claude`` or ``pyproject.toml`` that resolves elsewhere is left alone, with a note.
Questions are asked only on a terminal; every answer has a flag.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from ..root_paths import contained

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DECISIONS: dict[str, tuple[str, str]] = {
    "framework-isolation": ("Keep web and ORM frameworks out of the domain", "decision-framework-isolation.md"),
    "layers": ("Layers with dependencies pointing inward", "decision-layers.md"),
    "pinned-dependencies": ("Pin every runtime dependency exactly", "decision-pinned-dependencies.md"),
    "async-io": ("Async I/O on the request path", "decision-async-io.md"),
}
DEFAULT_DECISION = "pinned-dependencies"
"""Without a terminal or ``--decision``: the one decision that needs no package name."""
DOCUMENTS = ("architecture-decisions.md", "project-context.md", "coding-standards.md")
PACKAGE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="create .ai/adrs, the architecture documents, an agent persona and the configuration",
        description="Start a repository's ADRs and architect configuration. Never overwrites a file.",
    )
    parser.add_argument("directory", nargs="?", default=".", help="the repository root (default: .)")
    parser.add_argument("--decision", choices=[*DECISIONS, "none"],
                        help=f"the first decision to record (default on a terminal: ask; else {DEFAULT_DECISION})")
    parser.add_argument("--package", metavar="NAME",
                        help="the top-level package, for the layers and framework-isolation decisions "
                        "(default: the only package under src/ or the root)")
    parser.add_argument("--no-agent", action="store_true", help="do not write .claude/agents/python-architect.md")
    parser.add_argument("--no-pyproject", action="store_true", help="do not add [tool.python-architect]")
    parser.add_argument("--no-input", action="store_true", help="never ask, even on a terminal")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.directory).expanduser()
    if root.exists() and not root.is_dir():
        print(f"python-architect init: {root} is not a directory", file=sys.stderr)
        return 2
    interactive = not args.no_input and sys.stdin.isatty() and sys.stdout.isatty()
    decision, package = args.decision, args.package
    if package is not None and not PACKAGE_NAME.fullmatch(package):
        print(f"python-architect init: --package must be a Python identifier, got {package!r}", file=sys.stderr)
        return 2
    if interactive:
        decision, package = ask(root, decision, package, input, print)
    decision = decision or DEFAULT_DECISION
    try:
        report = initialise(root, decision=decision, package=package, agent=not args.no_agent,
                            pyproject=not args.no_pyproject)
    except OSError as exc:
        print(f"python-architect init: {exc}", file=sys.stderr)
        return 2
    for path in report.created:
        print(f"created  {path}")
    for path in report.kept:
        print(f"kept     {path} (exists)")
    for note in report.notes:
        print(f"note     {note}")
    print("Next: fill in .ai/project-context.md, then run `python-architect check`; "
          "for coding agents: `claude mcp add python-architect -- python-architect mcp`.")
    return 0


def ask(root: Path, decision: str | None, package: str | None, read: Callable[[str], str],
        say: Callable[..., None]) -> tuple[str, str | None]:
    """The terminal dialogue: the first decision from the menu, then the package if it needs one."""
    if decision is None:
        names = list(DECISIONS)
        say("Which decision should the first ADR record?")
        for number, name in enumerate(names, 1):
            say(f"  {number}. {DECISIONS[name][0]} ({name})")
        say(f"  {len(names) + 1}. none for now")
        while decision is None:
            answer = read(f"Choose 1-{len(names) + 1} [{names.index(DEFAULT_DECISION) + 1}]: ").strip()
            if not answer:
                decision = DEFAULT_DECISION
            elif answer.isdigit() and 1 <= int(answer) <= len(names) + 1:
                decision = names[int(answer) - 1] if int(answer) <= len(names) else "none"
            elif answer in DECISIONS or answer == "none":
                decision = answer
            else:
                say(f"Please answer with a number from 1 to {len(names) + 1}.")
    if package is None and decision in ("layers", "framework-isolation"):
        guess = detect_package(root)
        while package is None:
            answer = read(f"Top-level package{f' [{guess}]' if guess else ''}: ").strip() or (guess or "")
            if PACKAGE_NAME.fullmatch(answer):
                package = answer
            else:
                say("Please give a Python identifier (the folder name of the package).")
    return decision, package


def detect_package(root: Path) -> str | None:
    """The only package (a folder with ``__init__.py``) under ``src/``, else under the root."""
    for base in (root / "src", root):
        try:
            found = sorted(p.name for p in base.iterdir()
                           if p.is_dir() and (p / "__init__.py").is_file() and PACKAGE_NAME.fullmatch(p.name)
                           and p.name not in ("tests", "test", "docs"))
        except OSError:
            continue
        if len(found) == 1:
            return found[0]
    return None


def _packages_in(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir()
                      if p.is_dir() and (p / "__init__.py").is_file() and PACKAGE_NAME.fullmatch(p.name)
                      and p.name not in ("tests", "test", "docs", "migrations"))
    except OSError:
        return []


_TEMPLATE_LAYERS = ("api", "services", "adapters", "domain")


def _real_layers(root: Path, package: str, text: str, report: Report) -> str:
    """The layers ADR names modules the workspace has: when ``package`` or the template's
    ``api``/``services``/``adapters``/``domain`` do not exist, it proposes the real packages instead
    (the top-level packages, or the package's own subpackages) and says so; never a rule that
    silently checks nothing."""
    template_lines = "".join(f"      - {package}.{layer}\n" for layer in _TEMPLATE_LAYERS)
    folder = next((base / package for base in (root / "src", root) if (base / package).is_dir()), None)
    if folder is None:
        real = _packages_in(root / "src") or _packages_in(root)
        if not real:
            report.notes.append(f"package `{package}` is not in the workspace and no package was found: "
                                "the layers ADR names modules that do not exist yet; edit it")
            return text
        report.notes.append(f"package `{package}` is not in the workspace; the layers ADR proposes its real "
                            f"top-level packages instead ({', '.join(real)}): put them in order, top first")
        return text.replace(template_lines, "".join(f"      - {name}\n" for name in real))
    present = [layer for layer in _TEMPLATE_LAYERS if (folder / layer).is_dir() or (folder / f"{layer}.py").is_file()]
    if len(present) == len(_TEMPLATE_LAYERS):
        return text
    real = _packages_in(folder)
    if not real:
        report.notes.append(f"`{package}` has no api/services/adapters/domain packages: edit the layers ADR")
        return text
    missing = [layer for layer in _TEMPLATE_LAYERS if layer not in present]
    report.notes.append(f"`{package}` has no {', '.join(missing)}: the layers ADR proposes its real subpackages "
                        f"({', '.join(real)}): put them in order, top first")
    return text.replace(template_lines, "".join(f"      - {package}.{name}\n" for name in real))


def _template(name: str) -> str:
    return resources.files("python_architect.cli").joinpath("templates", name).read_text(encoding="utf-8")


def initialise(root: Path, *, decision: str, package: str | None = None, agent: bool = True,
               pyproject: bool = True, today: str | None = None) -> Report:
    """Creates what is missing under ``root``; returns what was created and kept (relative paths)."""
    report = Report()
    root.mkdir(parents=True, exist_ok=True)
    adrs = root / ".ai" / "adrs"
    if not _inside(root, adrs, report):
        return report
    adrs.mkdir(parents=True, exist_ok=True)
    today = today or datetime.date.today().isoformat()
    has_src = (root / "src").is_dir()
    package = package or detect_package(root)
    if decision in ("layers", "framework-isolation") and package is None:
        package = "app"
        report.notes.append("no --package given and none found: the first ADR names `app`; edit it")
    values = {"date": today, "package": package or "app",
              "domain_glob": f"{'src/' if has_src else ''}{package or 'app'}/domain/**"}

    _write(root, adrs / "template.md", _template("adr-template.md"), report)
    wanted = [("record-architecture-decisions", "0001-record-architecture-decisions.md")]
    if decision != "none":
        title, template = DECISIONS[decision]
        wanted.append((_slug(title), template))
    for slug, template in wanted:
        existing = sorted(adrs.glob(f"[0-9]*-{slug}.md"))
        if existing:
            report.kept.append(_relative(existing[0], root))
            continue
        number = _next_number(adrs)
        text = Template(_template(template)).safe_substitute(values, number=f"{number:03d}", plain_number=number)
        if template == "decision-layers.md":
            text = _real_layers(root, package or "app", text, report)
        _write(root, adrs / f"{number:04d}-{slug}.md", text, report)

    for document in DOCUMENTS:
        _write(root, root / ".ai" / document, _template(document), report)
    if agent:
        agents = root / ".claude" / "agents"
        if _inside(root, agents, report):
            agents.mkdir(parents=True, exist_ok=True)
            _write(root, agents / "python-architect.md", _template("python-architect-agent.md"), report)
    if pyproject:
        _add_table(root, '"src"' if has_src else '"."', report)
    return report


def _slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))


def _next_number(folder: Path) -> int:
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := re.match(r"(\d+)-", p.name))]
    return max(numbers, default=0) + 1


def _inside(root: Path, path: Path, report: Report) -> bool:
    """Whether ``path`` resolves inside ``root``; if not, a note says it is left alone."""
    if contained(path, root) is not None:
        return True
    report.notes.append(f"{_relative(path, root)} resolves outside {root}: left alone")
    return False


def _write(root: Path, path: Path, text: str, report: Report) -> None:
    if not _inside(root, path, report):
        return
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        report.kept.append(_relative(path, root))
        return
    report.created.append(_relative(path, root))


def _add_table(root: Path, src: str, report: Report) -> None:
    """Appends ``[tool.python-architect]`` to pyproject.toml (created when missing), only when the
    file has no such table yet and the result parses; a broken file is left alone."""
    path = root / "pyproject.toml"
    table = Template(_template("pyproject-table.toml")).safe_substitute(src=src)
    if not _inside(root, path, report):
        return
    if not path.exists():
        _write(root, path, table.lstrip("\n"), report)
        return
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        current = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        report.notes.append(f"pyproject.toml does not parse ({exc}); [tool.python-architect] not added")
        return
    if "python-architect" in current.get("tool", {}):
        report.kept.append("pyproject.toml [tool.python-architect]")
        return
    newline = "\r\n" if "\r\n" in text else "\n"
    addition = ("" if text.endswith(("\n", "\r")) or not text else newline) + table.replace("\n", newline)
    try:
        tomllib.loads(text + addition)
    except tomllib.TOMLDecodeError as exc:  # e.g. a dotted `tool.python-architect.x = ...` key
        report.notes.append(f"[tool.python-architect] would not parse appended to pyproject.toml ({exc}); add it by hand")
        return
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(addition)
    report.created.append("pyproject.toml [tool.python-architect]")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
