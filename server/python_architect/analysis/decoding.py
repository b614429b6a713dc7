"""Source decoding: bytes on disk to the text every check (and ruff, on stdin) sees.

Python files are decoded per PEP 263 (a BOM or a ``# -*- coding: … -*-`` cookie, else UTF-8);
bytes that do not decode are replaced rather than raising, so odd files still get checked.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from pathlib import Path


def decode_source(data: bytes) -> str:
    """Decodes Python source bytes per PEP 263; never raises.

    An unknown cookie encoding or undecodable bytes fall back to UTF-8 with replacement
    characters: the line numbers stay right and the rest of the file is still checked.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        # An unknown or inconsistent cookie: treat the file as UTF-8.
        encoding = "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    if encoding == "utf-8-sig" or data.startswith(codecs.BOM_UTF8):
        data = data.removeprefix(codecs.BOM_UTF8)
        encoding = "utf-8"
    return data.decode(encoding, errors="replace")


def read_source(path: Path) -> str:
    """Reads and decodes a Python file; raises ``OSError`` only when the file cannot be read."""
    return decode_source(Path(path).read_bytes())


def read_text(path: Path) -> str:
    """Reads a non-Python text file (markdown, TOML, requirements) as UTF-8 with replacement."""
    data = Path(path).read_bytes()
    data = data.removeprefix(codecs.BOM_UTF8)
    return data.decode("utf-8", errors="replace")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """The text's lines as Python numbers them (``str.splitlines`` also breaks on form feeds and
    other separators, which would shift every later line)."""
    # ``str.split`` is several times faster than the regex and equal when there is no CR.
    return text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)
