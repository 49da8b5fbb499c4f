"""``--format github``: GitHub Actions workflow commands, shown on the pull request.

GitHub shows at most 10 annotations of each type (error, warning, notice) per step;
the findings beyond that are printed as plain ``path:line:col`` lines, so nothing is
lost from the log, and a one-line summary ends the output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from kalint.diagnostic import Diagnostic, Severity
from kalint.report import Report, printable, workspace_relative

ANNOTATIONS_PER_TYPE = 10
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diag: Diagnostic) -> str:
    span = diag.span
    command = COMMANDS[diag.severity or Severity.ERROR]
    props = (
        f"file={_property(workspace_relative(span.path))},line={span.line},col={span.column},"
        f"endLine={span.end_line},endColumn={span.end_column},title={_property(diag.code)}"
    )
    message = diag.message + (f" (help: {diag.help})" if diag.help else "")
    return f"::{command} {props}::{_data(message)}"


def plain(diag: Diagnostic) -> str:
    """A finding past GitHub's annotation limit, escaped like the annotations: no line end
    and no ``:`` from the file name, so the line can never be a workflow command."""
    span = diag.span
    return (f"{_property(workspace_relative(span.path))}:{span.line}:{span.column}: {diag.code} [{diag.severity}] "
            f"{_data(diag.message)}")


def render_lines(diagnostics: list[Diagnostic], errors: list[tuple[str, str]]) -> Iterable[str]:
    shown: Counter[str] = Counter()
    overflow = 0
    for path, message in errors:
        shown["error"] += 1
        yield f"::error file={_property(workspace_relative(path))},title=kalint::{_data(message)}"
    for diag in diagnostics:
        command = COMMANDS[diag.severity or Severity.ERROR]
        if shown[command] < ANNOTATIONS_PER_TYPE:
            shown[command] += 1
            yield annotation(diag)
        else:
            overflow += 1
            yield plain(diag)
    counts = Counter(d.severity for d in diagnostics)
    parts = [f"{counts[s]} {s}" + ("s" if counts[s] != 1 and s is not Severity.INFO else "")
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    summary = f"kalint: {len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''}"
    summary += f" ({', '.join(parts)})" if parts else ""
    if errors:
        summary += f", {len(errors)} file{'s' if len(errors) != 1 else ''} not read"
    if overflow:
        summary += f"; {overflow} printed as plain lines (GitHub shows {ANNOTATIONS_PER_TYPE} annotations per type)"
    yield summary


def render(diagnostics: list[Diagnostic], errors: list[tuple[str, str]]) -> str:
    return "".join(line + "\n" for line in render_lines(diagnostics, errors))


class GithubReporter:
    """``--format github``: workflow commands that annotate a pull request."""

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(render(report.diagnostics, report.errors))
