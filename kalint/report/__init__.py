"""Reporters: the only code that formats output for people or machines.

Every output format is a :class:`Reporter`: ``reporter(options)`` picks one, and the CLI
only calls ``write(report, stream)``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from kalint.diagnostic import Diagnostic
    from kalint.rule import Rule
    from kalint.text.source import SourceFile

_UNPRINTABLE = re.compile(r"[\udc80-\udcff\x00-\x08\x0a-\x1f\x7f]")


def printable(text: str) -> str:
    """Show undecodable bytes and control characters as ``\\xNN`` (one per byte).

    Line ends too: a file name with a newline must not start a line of its own (under
    GitHub Actions a line starting with ``::`` is a workflow command).
    """
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


class Report(Protocol):
    """What a reporter reads of a run (kalint.engine.RunResult)."""

    diagnostics: list[Diagnostic]
    errors: list[tuple[str, str]]
    sources: dict[str, SourceFile]


class Reporter(Protocol):
    """One output format: writes a whole run's report to a text stream."""

    def write(self, report: Report, stream: TextIO) -> None: ...


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How the report should look; the CLI builds it from its flags."""

    output_format: str
    color: bool = False
    show_source: bool = True
    quiet: bool = False
    statistics: bool = False
    #: Every loaded rule, for formats that describe them (SARIF).
    rules: tuple[type[Rule], ...] = ()


def reporter(options: ReportOptions) -> Reporter:
    """The reporter for ``options.output_format`` (each imported only when chosen)."""
    fmt = options.output_format
    if options.statistics and fmt in ("text", "concise"):
        from kalint.report.statistics import StatisticsReporter

        return StatisticsReporter()
    if fmt == "json":
        from kalint.report.json_format import JsonReporter

        return JsonReporter()
    if fmt == "sarif":
        from kalint.report.sarif import SarifReporter

        return SarifReporter(options.rules)
    if fmt == "github":
        from kalint.report.github import GithubReporter

        return GithubReporter()
    from kalint.report.text import TextReporter

    return TextReporter(options.show_source, fmt == "concise", options.quiet, options.color)


def color_wanted(choice: str, output_is_tty: bool) -> bool:
    """``--color always|never|auto``: the flag wins over NO_COLOR and FORCE_COLOR, which win
    over whether the output is a terminal."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return output_is_tty
