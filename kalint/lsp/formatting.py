"""``textDocument/formatting`` through ``kalint.formatter`` when it exists.

Integration point with the formatter: ``_format_function()`` looks for ``format_text``,
``format_source`` or ``format`` in ``kalint.formatter``, called with the document's text
and returning the formatted text. Without the module the server does not offer formatting.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Callable

from lsprotocol import types as lsp

from kalint.lsp.positions import LineIndex


class CannotFormat(Exception):
    """The formatter refused the text (e.g. it does not parse)."""


@lru_cache(maxsize=1)
def _format_function() -> Callable[[str], str] | None:
    try:
        module = importlib.import_module("kalint.formatter")
    except Exception:
        return None
    for name in ("format_text", "format_source", "format"):
        function = getattr(module, name, None)
        if callable(function):
            return function
    return None


def available() -> bool:
    return _format_function() is not None


def edits(text: str, encoding: str) -> list[lsp.TextEdit]:
    """One edit replacing the whole text, or none when it is already formatted."""
    function = _format_function()
    if function is None:
        return []
    try:
        formatted = function(text)
    except Exception as exc:
        raise CannotFormat(f"kalint format cannot format this file: {exc}") from None
    if not isinstance(formatted, str) or formatted == text:
        return []
    index = LineIndex(text, encoding)
    end = lsp.Position(*index.position(len(text)))
    return [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), end), formatted)]
