"""Between kalint spans (1-based lines, code-point columns) and LSP positions.

LSP positions are 0-based lines and columns counted in the negotiated encoding's code
units (UTF-16 unless the client asked otherwise), on lines split at ``\\n``, ``\\r\\n``
and ``\\r``. kalint counts lines the way keepalived does (LF only; CR only for a file
without LF), so every conversion goes through a character offset in the text rather
than reusing line numbers. An undecodable byte is one lone surrogate in kalint's text
(``surrogateescape``) and one code unit in every encoding, as the editor's U+FFFD is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kalint.syntax.span import Span
from kalint.text.source import SourceFile

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_BREAK = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str = UTF16) -> int:
    """Length of ``text`` in code units of the position encoding."""
    if text.isascii() or encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def chars_for_units(line: str, count: int, encoding: str = UTF16) -> int:
    """How many characters of ``line`` make up ``count`` code units (clamped)."""
    if line.isascii() or encoding == UTF32:
        return min(max(count, 0), len(line))
    used = 0
    for index, char in enumerate(line):
        if used >= count:
            return index
        used += units(char, encoding)
    return len(line)


@dataclass(slots=True)
class LineIndex:
    """LSP lines of one text: offsets where each line starts, built once (or given:
    ``SourceFile.line_starts()`` of a text whose only line break is LF)."""

    text: str
    encoding: str = UTF16
    starts: Sequence[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.starts:
            self.starts = [0] + [m.end() for m in _BREAK.finditer(self.text)]

    def line(self, index: int) -> str:
        """The text of a 0-based line without its line break."""
        if not 0 <= index < len(self.starts):
            return ""
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index] : end].rstrip("\r\n")

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) in code units of a character offset."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """Character offset of an LSP position (clamped to the text)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + chars_for_units(self.line(line), character, self.encoding)


def text_before(text: str, line: int, character: int, encoding: str = UTF16) -> str:
    """What LSP line ``line`` holds before ``character`` (the context of a completion),
    without indexing every line of a large text when it has only ``\n`` line breaks."""
    if "\r" in text:
        index = LineIndex(text, encoding)
        current = index.line(line)
    else:
        pieces = text.split("\n", line + 1)
        current = pieces[line] if 0 <= line < len(pieces) else ""
    return current[: chars_for_units(current, character, encoding)]


def span_offsets(src: SourceFile, span: Span) -> tuple[int, int]:
    """Character offsets in ``src.text`` of a span's start and end."""
    starts = src.line_starts()
    n = len(src.text)

    def offset(line: int, column: int) -> int:
        if line < 1:
            return 0
        if line > len(starts):
            return n
        return min(starts[line - 1] + column - 1, n)

    start = offset(span.line, span.column)
    return start, max(start, offset(span.end_line, span.end_column))


def cursor(src: SourceFile, index: LineIndex, line: int, character: int) -> tuple[int, int]:
    """kalint's 1-based (line, column) of an LSP position in ``src``.

    ``index`` holds the text the editor shows, which lacks the BOM ``src.text`` may have."""
    bom = 1 if src.text.startswith("\ufeff") else 0
    return src.position(index.offset(line, character) + bom)
