"""The one MCP tool that writes: ``record_decision`` (a new ADR file). The read-only tools live
in the core (``advisor.tools.ToolSet``), shared with the chat; this module only adds the write,
under the same lock as every other use of the project (the rule in ``advisor.tools``).
"""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path
from typing import Any

from ..advisor.tool_specs import ToolInputError
from ..advisor.tools import ToolSet

log = logging.getLogger(__name__)

MAX_FIELD = 20_000
RECORD_STATUSES = ("proposed", "accepted")
MAX_TAGS = 20


def record_decision(tools: ToolSet, title: str, context: str, decision: str, consequences: str, status: str,
                    tags: list[str] | None) -> dict[str, Any]:
    """Writes ``<knowledge-dir>/adrs/NNNN-slug.md`` at the next free number; never overwrites."""
    from .adr_writer import render_adr, slug

    title = " ".join((title or "").split())
    if not title or len(title) > 150:
        raise ToolInputError("`title` must be one line of 1 to 150 characters")
    for name, value in (("context", context), ("decision", decision), ("consequences", consequences)):
        if not (value or "").strip():
            raise ToolInputError(f"`{name}` must not be empty")
        if len(value) > MAX_FIELD:
            raise ToolInputError(f"`{name}` is longer than {MAX_FIELD} characters")
    if status not in RECORD_STATUSES:
        raise ToolInputError(f"`status` must be one of {', '.join(RECORD_STATUSES)}")
    if tags is not None and len(tags) > MAX_TAGS:
        raise ToolInputError(f"`tags` has {len(tags)} entries; at most {MAX_TAGS}")
    tags = [t.strip() for t in tags or [] if isinstance(t, str) and t.strip()]
    if any(not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,40}", t) for t in tags):
        raise ToolInputError("`tags` are short words: letters, digits, `-` and `_`")
    with tools.locked() as project:
        folder = tools.inside(str(tools.root / project.config.knowledge_dir / "adrs"), must_exist=False)
        folder.mkdir(parents=True, exist_ok=True)
        number = _next_number(folder, project.kb.adrs)
        today = datetime.date.today().isoformat()
        text = render_adr(number, title, status, today, tags, context, decision, consequences)
        path = folder / f"{number:04d}-{slug(title)}.md"
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)
        tools.knowledge_written()
    log.info("recorded %s at %s", f"ADR-{number:03d}", path)
    return {"id": f"ADR-{number:03d}", "path": tools.relative(path), "status": status}


def _next_number(folder: Path, adrs: Any) -> int:
    used = {int(m.group(1)) for p in folder.glob("*.md") if (m := re.match(r"(\d+)", p.name))}
    used |= {int(m.group(1)) for adr in adrs if (m := re.search(r"(\d+)$", adr.id))}
    return max(used, default=0) + 1
