"""Reporters: the only code that formats output for people or machines.

Every output format is a :class:`Reporter`: ``reporter(options)`` picks one, and the CLI
only calls ``write(report, stream)``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import TYPE_CHECKING, Protocol, TextIO

from kalint.records import dataclass

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


def workspace_relative(path: str) -> str:
    """``path`` relative to the working directory (a CI checkout's root) when inside it:
    CI systems match report paths against repository paths."""
    if not os.path.isabs(path):
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


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
    #: Every loaded rule, for formats that describe or link them (SARIF, JSON, GitLab).
    rules: tuple[type[Rule], ...] = ()


def reporter(options: ReportOptions) -> Reporter:
    """The reporter for ``options.output_format`` (each imported only when chosen)."""
    fmt = options.output_format
    if options.statistics and fmt in ("text", "concise"):
        from kalint.report.statistics import StatisticsReporter

        return StatisticsReporter()
    if fmt == "json":
        from kalint.report.json_format import JsonReporter

        return JsonReporter(options.rules)
    if fmt == "sarif":
        from kalint.report.sarif import SarifReporter

        return SarifReporter(options.rules)
    if fmt == "gitlab":
        from kalint.report.gitlab import GitlabReporter

        return GitlabReporter(options.rules)
    if fmt == "junit":
        from kalint.report.junit import JunitReporter

        return JunitReporter()
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


def write_file(chosen: Reporter, report: Report, path: str, force: bool = False) -> None:
    """``--output FILE``: the whole report through kalint.writer, atomically, and never
    through a symbolic link: neither FILE nor a directory of a relative path to it may be
    one (a repository under review can commit ``kalint.sarif`` or ``reports/`` as a link to
    any file the CI user can write). Raises kalint.writer.WriteRefused or OSError."""
    import io

    from kalint.writer import WriteRefused, symlinked_directory, write_atomic

    linked = symlinked_directory(path)
    if linked is not None:
        raise WriteRefused(f"{path}: `{linked}` is a symbolic link; not writing through it")
    buffer = io.StringIO()
    chosen.write(report, buffer)
    write_atomic(path, buffer.getvalue().encode("utf-8", "replace"), force=force)
