"""The default human output, in the manner of rustc and ruff.

    master.conf:38:7: KA201 [error] `maintenance_mode` is not a defined vrrp_script ...
       |
    38 |       maintenance_mode
       |       ^^^^^^^^^^^^^^^^
       = help: rename the entry to `check_test_mode`
       = note: master.conf:20:1: `vrrp_script check_test_mode` is defined here

Output is built as styled segments; rich renders them only when colour is on, so a
piped run never imports rich.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import IO, TextIO, cast

from kalint.diagnostic import Diagnostic, Severity
from kalint.report import Report, display_width, printable
from kalint.text.source import SourceFile

Segment = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Segment]

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
_TAB = "    "
#: Characters of a long source line shown on each side of a span, and at most marked.
_CONTEXT = 80
_MAX_MARKED = 160
_ELLIPSIS = "..."


def _expand(text: str) -> str:
    return printable(text.replace("\t", _TAB))


def _snippet(source: SourceFile, diag: Diagnostic, style: str) -> list[Line]:
    span = diag.span
    if span.line > source.line_count:
        return []
    line_start, line_end = source.line_bounds(span.line)
    length = line_end - line_start
    start = min(span.column - 1, length)
    end = span.end_column - 1 if span.end_line == span.line else length
    end = min(max(end, start), length, start + _MAX_MARKED)
    # A long line is shown as a window around the span, so many findings on one
    # 5 MB line cost the window each, not the whole line each.
    first = max(0, start - _CONTEXT)
    last = min(length, max(end, start + 1) + _CONTEXT)
    head = _ELLIPSIS if first else ""
    tail = _ELLIPSIS if last < length else ""
    text = source.text
    raw = head + text[line_start + first : line_start + last] + tail
    number = str(span.line)
    gutter = " " * len(number)
    before = head + _expand(text[line_start + first : line_start + start])
    marked = _expand(text[line_start + start : line_start + end])
    caret_width = max(1, display_width(marked))
    return [
        [(f"{gutter} |", "blue")],
        [(f"{number} | ", "blue"), (_expand(raw), "")],
        [(f"{gutter} | ", "blue"), (" " * display_width(before), ""), ("^" * caret_width, style)],
    ]


def diagnostic_lines(diag: Diagnostic, sources: dict[str, SourceFile], show_source: bool) -> list[Line]:
    severity = diag.severity or Severity.ERROR
    style = _SEVERITY_STYLE[severity]
    span = diag.span
    header: Line = [
        (f"{printable(span.path)}:{span.line}:{span.column}: ", "bold"),
        (diag.code, style),
        *([(" [*]", "cyan")] if diag.fix is not None and diag.fix.safe else []),
        (f" [{severity}] ", style),
        (printable(diag.message), ""),
    ]
    if diag.config_id:
        header.append((f" (config id: {printable(diag.config_id)})", "dim"))
    lines = [header]
    source = sources.get(span.path)
    gutter = " " * len(str(span.line))
    if show_source and source is not None:
        lines.extend(_snippet(source, diag, style))
    if diag.help:
        lines.append([(f"{gutter} = ", "blue"), ("help", "bold"), (f": {printable(diag.help)}", "")])
    for related in diag.related:
        where = f"{printable(related.span.path)}:{related.span.line}:{related.span.column}"
        lines.append([(f"{gutter} = ", "blue"), ("note", "bold"), (f": {where}: {printable(related.message)}", "")])
    return lines


def summary_line(diagnostics: list[Diagnostic], errors: list[tuple[str, str]]) -> Line:
    if not diagnostics:
        return [("No problems found." if not errors else "No problems found in the files that could be read.", "bold green")]
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        f"{counts[s]} {s}" + ("s" if counts[s] != 1 and s is not Severity.INFO else "")
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    total = len(diagnostics)
    line: Line = [(f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}).", "bold")]
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.safe)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and not d.fix.safe)
    risky = "with `--fix --unsafe-fixes`, which change what keepalived does (review `--diff --unsafe-fixes` first)"
    if safe:
        line.append((f"\n[*] {safe} fixable with `--fix`" + (f"; {unsafe} more {risky}" if unsafe else ""), "cyan"))
    elif unsafe:
        line.append((f"\n{unsafe} fixable {risky}", "dim"))
    return line


def render_lines(
    diagnostics: list[Diagnostic],
    errors: list[tuple[str, str]],
    sources: dict[str, SourceFile],
    show_source: bool = True,
    concise: bool = False,
    quiet: bool = False,
) -> Iterable[Line]:
    for diag in diagnostics:
        if concise:
            yield diagnostic_lines(diag, sources, False)[0]
            continue
        yield from diagnostic_lines(diag, sources, show_source)
        yield []
    if not quiet:
        yield summary_line(diagnostics, errors)


def write(lines: Iterable[Line], write_text: Callable[[str], object], color: bool) -> None:
    """Plain text, or rich-rendered when colour is on."""
    if not color:
        for line in lines:
            write_text("".join(text for text, _ in line) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    class _Sink:
        def write(self, text: str) -> int:
            write_text(text)
            return len(text)

        def flush(self) -> None:
            pass

    console = Console(file=cast(IO[str], _Sink()), force_terminal=True, highlight=False, soft_wrap=True, width=10_000)
    for line in lines:
        text = Text()
        for segment, style in line:
            text.append(segment, style=style or None)
        console.print(text)


class TextReporter:
    """``--format text`` (source lines, help, summary) and ``concise`` (one line each)."""

    def __init__(self, show_source: bool, concise: bool, quiet: bool, color: bool) -> None:
        self.show_source, self.concise, self.quiet, self.color = show_source, concise, quiet, color

    def write(self, report: Report, stream: TextIO) -> None:
        lines = render_lines(report.diagnostics, report.errors, report.sources,
                             show_source=self.show_source, concise=self.concise, quiet=self.quiet)
        write(lines, stream.write, self.color)
