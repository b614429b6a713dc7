"""The text of a new ADR recorded by an assistant: YAML frontmatter and Nygard's sections.

The frontmatter is written with ``yaml.safe_dump`` so any title (quotes, colons, ``#``) stays one
valid string; the body is the client's markdown, kept as given.
"""

from __future__ import annotations

import re
import unicodedata

import yaml


def slug(title: str, max_length: int = 60) -> str:
    """``Use Redis: for caching!`` -> ``use-redis-for-caching`` (ASCII, never empty)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    text = "-".join(words)[:max_length].rstrip("-")
    return text or "decision"


def render_adr(number: int, title: str, status: str, date: str, tags: list[str], context: str,
               decision: str, consequences: str) -> str:
    header: dict[str, object] = {"id": f"ADR-{number:03d}", "title": title, "status": status, "date": date}
    if tags:
        header["tags"] = list(tags)
    frontmatter = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=1000).strip()
    sections = [
        f"# {number}. {title}",
        f"## Status\n\n{status.capitalize()}",
        f"## Context\n\n{context.strip()}",
        f"## Decision\n\n{decision.strip()}",
        f"## Consequences\n\n{consequences.strip()}",
    ]
    return f"---\n{frontmatter}\n---\n\n" + "\n\n".join(sections) + "\n"
