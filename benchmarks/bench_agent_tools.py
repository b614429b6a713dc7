"""The agent's tools on a real codebase: each tool's median latency over repeated calls in one
process (the index already built, as in the language server), and the size of the chat's first
request before and after the tools were offered.

    python benchmarks/bench_agent_tools.py [ROOT]   (default: the installed Django package)

Prints one line per tool (median, p90, calls) and the first request's estimated tokens.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from python_architect.advisor import context as ctx
from python_architect.advisor.persona import choose_persona
from python_architect.advisor.tool_specs import api_tools
from python_architect.advisor.tools import ToolSet
from python_architect.engine import Project

CALLS = 20


def django_root() -> Path:
    import django

    return Path(django.__file__).resolve().parent


def workload(root: Path) -> dict[str, list[dict]]:
    py = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py"))[:CALLS * 7:7]
    return {
        "read_file": [{"path": p, "start_line": 1, "end_line": 120} for p in py[:CALLS]],
        "search_code": [{"pattern": p} for p in (
            r"class \w+Cache", "select_related", r"def get_\w+\(", "cached_property", r"raise \w+Error",
            "QuerySet", r"async def \w+", "transaction.atomic", "import warnings", r"@\w+\.setter")] * 2,
        "find_symbol": [{"name": n} for n in (
            "QuerySet", "Model", "HttpRequest", "BaseCache", "Field", "Template", "Form", "Signal",
            "get_object_or_404", "reverse", "Paginator", "Migration", "Storage", "Q", "F",
            "django.db.models.query", "Router", "Library", "BaseCommand", "AppConfig")],
        "check": [{"paths": [p]} for p in py[:CALLS]],
        "relevant_adrs": [{"question": q} for q in ("Should we cache querysets?", "Where do templates load?")] * (CALLS // 2),
        "list_adrs": [{}] * CALLS,
        "explain_rule": [{"code": c} for c in ("ARC101", "ARC202", "ARC701", "ASYNC210")] * (CALLS // 4),
        "graph": [{"depth": 2, "format": "json"}] * 5,
    }


def main() -> None:
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else django_root()
    started = time.perf_counter()
    project = Project.load(root)
    project.ensure_index()
    print(f"{root}: {len(project.files())} files, index built in {time.perf_counter() - started:.2f} s")
    tools = ToolSet(project)
    for name, calls in workload(root).items():
        times = []
        errors = 0
        for arguments in calls:
            t0 = time.perf_counter()
            try:
                tools.run(name, arguments)
            except ValueError:
                errors += 1
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"  {name:14s} median {statistics.median(times):8.1f} ms  p90 {p90:8.1f} ms  "
              f"({len(times)} calls, {errors} refused)")
    first_request_tokens(project, "Should QuerySet caching move into a separate module?")
    example = Path(__file__).resolve().parents[1] / "examples" / "service"
    first_request_tokens(Project.load(example), "Should QuoteService cache prices, and where?",
                         example / "src/pricing_service/services/quote_service.py")


def first_request_tokens(project: Project, question: str, path: Path | None = None) -> None:
    """The first request's body text (system, user turn; then the tools) by ``estimate_tokens``."""
    text = path.read_text() if path is not None else None
    material = ctx.gather(project, choose_persona(project.kb), question, path=path, text=text, selection=None,
                          findings=[], modules=[])
    context = ctx.fit(material, budget=24000)
    body = json.dumps(context.system) + json.dumps([{"role": "user", "content": context.user_text}])
    before = ctx.estimate_tokens(body)
    after = ctx.estimate_tokens(body + json.dumps(api_tools()))
    print(f"first request on {project.root.name}: ~{before} tokens without tools, ~{after} with the "
          f"{len(api_tools())} tools (+{after - before})")

if __name__ == "__main__":
    main()
