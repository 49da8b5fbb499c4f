"""``textDocument/formatting``: ``kalint format`` on the open document's text.

The formatter refuses text whose layout it cannot prove keepalived reads the same way
(kalint.formatter.FormatRefused); the client then gets an error response naming why,
and the document is left as it is.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from kalint.formatter import FormatRefused, format_text
from kalint.lsp.positions import LineIndex


class CannotFormat(Exception):
    """The formatter refused the text (e.g. it does not parse)."""


def edits(text: str, encoding: str) -> list[lsp.TextEdit]:
    """One edit replacing the whole text, or none when it is already formatted."""
    try:
        formatted = format_text(text)
    except FormatRefused as exc:
        raise CannotFormat(f"kalint format cannot format this file: {exc}") from None
    if formatted == text:
        return []
    index = LineIndex(text, encoding)
    end = lsp.Position(*index.position(len(text)))
    return [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), end), formatted)]
