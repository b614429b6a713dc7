"""PEP 263 decoding of Python sources: cookies, BOMs, bad bytes and bad cookies never raise."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from python_architect.analysis.decoding import decode_source, read_source, read_text, source_lines


def test_utf8_default() -> None:
    assert decode_source("name = 'naïve'\n".encode()) == "name = 'naïve'\n"


def test_latin1_cookie() -> None:
    data = "# -*- coding: latin-1 -*-\nx = 'café'\n".encode("latin-1")
    assert "café" in decode_source(data)


def test_cookie_on_second_line_after_shebang() -> None:
    data = "#!/usr/bin/env python\n# coding: cp1252\nx = '€'\n".encode("cp1252")
    assert "€" in decode_source(data)


def test_bom_is_stripped() -> None:
    text = decode_source(codecs.BOM_UTF8 + b"x = 1\n")
    assert text == "x = 1\n"


@pytest.mark.parametrize("data", [
    b"# -*- coding: no-such-codec -*-\nx = 1\n",
    b"x = '\xff\xfe'\n",
    codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n",  # BOM and a different cookie disagree
])
def test_bad_input_is_replaced_not_raised(data: bytes) -> None:
    text = decode_source(data)
    assert text.endswith("\n") and "x = " in text


def test_read_helpers(tmp_path: Path) -> None:
    py = tmp_path / "a.py"
    py.write_bytes("# coding: latin-1\ns = 'é'\n".encode("latin-1"))
    assert "é" in read_source(py)
    md = tmp_path / "a.md"
    md.write_bytes(codecs.BOM_UTF8 + "# Title é\n".encode())
    assert read_text(md) == "# Title é\n"
    with pytest.raises(OSError):
        read_source(tmp_path / "missing.py")


def test_source_lines_split_like_python() -> None:
    assert source_lines("a\x0cb\r\nc\rd\n") == ["a\x0cb", "c", "d", ""]
