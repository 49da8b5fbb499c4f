"""kalint spans to LSP positions: UTF-16 units, CRLF, CR-only files, BOM, undecodable bytes."""

from __future__ import annotations

import pytest

from kalint.lsp.positions import UTF8, UTF16, UTF32, LineIndex, span_offsets, units
from kalint.syntax.span import Span
from kalint.text.source import load


@pytest.mark.parametrize("encoding, expected", [(UTF16, 4), (UTF8, 7), (UTF32, 3)])
def test_units_per_encoding(encoding, expected):
    assert units("é💥x", encoding) == expected


def test_round_trip_on_non_ascii_line():
    index = LineIndex("ascii\n  é💥 word\n", UTF16)
    offset = "ascii\n".__len__() + len("  é💥 ")
    assert index.position(offset) == (1, 6)
    assert index.offset(1, 6) == offset
    assert index.offset(1, 99) == len("ascii\n  é💥 word")  # clamped to the line


def test_undecodable_byte_is_one_unit_like_the_editors_replacement_character():
    src = load("x.conf", b"state \xff MASTER\n")
    start, _ = span_offsets(src, Span("x.conf", 1, 9, 1, 15))
    assert LineIndex(src.text).position(start) == (0, 8)
    assert LineIndex("state \ufffd MASTER\n").position(8) == (0, 8)


def test_crlf_and_cr_only_lines_follow_the_editor():
    assert LineIndex("a\r\nbb\r\nc").position(len("a\r\nbb\r\n")) == (2, 0)
    src = load("mac.conf", b"one\rtwo three\r")
    assert src.line_break == "\r"
    start, end = span_offsets(src, Span("mac.conf", 2, 5, 2, 10))  # kalint's line 2 is after the CR
    assert LineIndex(src.text).position(start) == (1, 4)
    assert LineIndex(src.text).position(end) == (1, 9)


def test_cursor_in_a_file_with_a_bom():
    from kalint.lsp.positions import cursor

    src = load("bom.conf", b"\xef\xbb\xbfvrrp_script chk {\n}\n")
    index = LineIndex(src.text.removeprefix("\ufeff"))
    assert cursor(src, index, 0, 12) == (1, 14)  # kalint counts the BOM as column 1


@pytest.mark.parametrize("text", ["a\nbé😀cd\nlast", "a\r\nbé😀cd\r\nlast", "a\rbé😀cd\rlast"])
@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_text_before_a_cursor_is_what_the_line_index_gives(text, encoding):
    from kalint.lsp.positions import text_before

    index = LineIndex(text, encoding)
    for line in range(4):
        for character in range(9):
            expected = index.line(line)[: index.offset(line, character) - index.starts[line]] \
                if line < len(index.starts) else ""
            assert text_before(text, line, character, encoding) == expected, (line, character)
