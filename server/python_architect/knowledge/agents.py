"""Agent definitions from ``.claude/agents/*.md``: frontmatter (name, description, tools, model)
and the persona text below it.

Real files are messy (BOM, CRLF, emoji saved through the wrong code page, no frontmatter at all);
every file yields an agent, falling back to the file name and first paragraph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .markdown import decode_text, first_paragraph
from .model import AgentDefinition
from .yaml_header import find_header


def _tools(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list):
        return tuple(str(t).strip() for t in value if str(t).strip())
    return ()


def parse_agent(path: Path, text: str) -> AgentDefinition:
    """The agent in ``text``; a frontmatter that does not parse is treated as absent."""
    # Imported here: python-frontmatter and PyYAML cost ~60 ms at start-up, and most workspaces
    # have no agent files.
    import frontmatter
    import yaml

    metadata: dict[str, Any] = {}
    persona = text
    try:
        post = frontmatter.loads(text)
        if isinstance(post.metadata, dict):
            metadata, persona = post.metadata, post.content
    except (yaml.YAMLError, ValueError):
        # The header is unreadable; the prose below it is still the persona.
        lines = text.split("\n")
        header = find_header(lines)
        metadata, persona = {}, "\n".join(lines[header.body_index :]) if header else text
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


def load_agents(agents_dir: Path) -> list[AgentDefinition]:
    """Every ``*.md`` agent in ``agents_dir`` (sorted by file name); none when it is missing."""
    try:
        paths = sorted(p for p in agents_dir.glob("*.md") if p.is_file())
    except OSError:
        return []
    agents: list[AgentDefinition] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        agents.append(parse_agent(path, decode_text(data)))
    return agents
