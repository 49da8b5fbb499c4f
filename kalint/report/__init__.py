"""Reporters: the only code besides the CLI that formats output for people or machines."""

from __future__ import annotations

import re
import unicodedata

_UNPRINTABLE = re.compile(r"[\udc80-\udcff\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    """Show undecodable bytes and control characters as ``\\xNN`` (one per byte)."""
    if text.isascii() and text.isprintable():
        return text
    return _UNPRINTABLE.sub(lambda m: f"\\x{_byte(m.group())}", text)


def _byte(char: str) -> str:
    code = ord(char)
    return f"{code - 0xDC00 if code >= 0xDC00 else code:02X}"


def display_width(text: str) -> int:
    """Terminal columns of printable text (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)
