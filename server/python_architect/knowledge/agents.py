"""Agent definitions from ``.claude/agents/*.md``: frontmatter (name, description, tools, model)
and the persona text below it.

Real files are messy (BOM, CRLF, emoji saved through the wrong code page, no frontmatter at all);
every file yields an agent, falling back to the file name and first paragraph.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .markdown import decode_text, first_paragraph
from .model import AgentDefinition
from .reading import read_inside
from .yaml_header import HeaderError, find_header, load_header

log = logging.getLogger("python_architect")


def _tools(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list):
        return tuple(str(t).strip() for t in value if str(t).strip())
    return ()


def parse_agent(path: Path, text: str) -> AgentDefinition:
    """The agent in ``text``; a frontmatter that does not parse (or is over the alias budget of
    ``yaml_header``) is treated as absent, and the prose below it is still the persona."""
    lines = text.split("\n")
    header = find_header(lines)
    metadata: dict[str, Any] = {}
    persona = text
    if header is not None and header.close is not None:
        persona = "\n".join(lines[header.body_index :])
        try:
            loaded = load_header("\n".join(lines[1 : header.close]))
        except HeaderError as error:
            log.warning("agent %s: frontmatter not read (line %d: %s)", path, error.line, error.message)
        else:
            if isinstance(loaded.value, dict):
                metadata = loaded.value
    name = str(metadata.get("name") or "").strip() or path.stem
    description = str(metadata.get("description") or "").strip() or first_paragraph(persona)
    model = metadata.get("model")
    return AgentDefinition(
        name=name,
        description=description,
        path=path,
        tools=_tools(metadata.get("tools")),
        model=str(model).strip() if model else None,
        persona=persona.strip(),
    )


def load_agents(agents_dir: Path, root: Path) -> list[AgentDefinition]:
    """Every ``*.md`` agent in ``agents_dir`` (sorted by file name); none when it is missing.

    One that resolves outside ``root``, is over the size bound or is not a regular file is
    skipped with a log line (``reading``)."""
    try:
        paths = sorted(p for p in agents_dir.glob("*.md") if p.is_file())
    except OSError:
        return []
    agents: list[AgentDefinition] = []
    for path in paths:
        try:
            data = read_inside(path, root, "agent definition")
        except OSError as error:
            log.warning("skipped agent definition %s: %s", path, error)
            continue
        if data is not None:
            agents.append(parse_agent(path, decode_text(data)))
    return agents
