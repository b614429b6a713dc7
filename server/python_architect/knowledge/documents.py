"""The architecture documents of ``.ai/`` (decisions overview, project context, coding standards).

They carry no rules; hover and chat quote their sections. A missing file is simply absent.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .markdown import decode_text, first_heading, split_sections
from .model import Document
from .reading import read_inside
from .yaml_header import find_header

log = logging.getLogger("python_architect")

DOCUMENT_FILES = ("architecture-decisions.md", "project-context.md", "coding-standards.md")


def parse_document(path: Path, text: str) -> Document:
    """One document from its text: title from the first H1 (else the file name), and sections.

    A YAML frontmatter block, if any, is skipped so section lines still point into the file.
    """
    lines = text.split("\n")
    header = find_header(lines)
    body_start = header.body_index if header is not None else 0
    body = "\n".join(lines[body_start:])
    heading = first_heading(body, 1)
    title = heading.title if heading and heading.title else path.stem.replace("-", " ").capitalize()
    return Document(
        name=path.stem,
        path=path,
        title=title,
        sections=split_sections(body, body_start + 1),
        text=body,
    )


def load_documents(knowledge_dir: Path, root: Path) -> dict[str, Document]:
    """The documents present in ``knowledge_dir``, keyed by file stem (``project-context``).

    One that resolves outside ``root``, is over the size bound or is not a regular file is
    skipped with a log line (``reading``)."""
    documents: dict[str, Document] = {}
    for file_name in DOCUMENT_FILES:
        path = knowledge_dir / file_name
        try:
            data = read_inside(path, root, "document")
        except FileNotFoundError:
            continue
        except OSError as error:
            log.warning("skipped document %s: %s", path, error)
            continue
        if data is None:
            continue
        document = parse_document(path, decode_text(data))
        documents[document.name] = document
    return documents
