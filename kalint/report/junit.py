"""``--format junit``: JUnit XML, the test report format every CI system displays.

One ``testsuite`` per linted file and one ``testcase`` per finding (a ``failure`` whose
type is the rule code), so a CI test tab lists each finding under its file; a file with no
finding is one passing test case, and a file kalint could not read is an ``error``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from kalint.diagnostic import Diagnostic
from kalint.report import Report, printable, workspace_relative


def _text(text: str) -> str:
    """Printable (XML 1.0 allows no control characters) and escaped."""
    return xml_escape(printable(text))


def _attr(text: str) -> str:
    return quoteattr(printable(text))


def _case(path: str, diag: Diagnostic) -> str:
    span = diag.span
    where = f"{path}:{span.line}:{span.column}"
    body = f"{where}: {diag.message}" + (f"\nhelp: {diag.help}" if diag.help else "")
    return (f"    <testcase classname={_attr(path)} name={_attr(f'{diag.code} {diag.name} at line {span.line}')} "
            f"file={_attr(path)} line=\"{span.line}\">\n"
            f"      <failure type={_attr(diag.code)} message={_attr(f'[{diag.severity}] {diag.message}')}>"
            f"{_text(body)}</failure>\n    </testcase>\n")


def render(report: Report) -> str:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for path in report.sources:
        by_file[workspace_relative(path)]
    for diag in report.diagnostics:
        by_file[workspace_relative(diag.span.path)].append(diag)
    suites = []
    for path, found in sorted(by_file.items()):
        cases = "".join(_case(path, d) for d in found) or \
            f"    <testcase classname={_attr(path)} name=\"kalint\" file={_attr(path)}/>\n"
        suites.append(f"  <testsuite name={_attr(path)} tests=\"{max(len(found), 1)}\" failures=\"{len(found)}\" "
                      f"errors=\"0\">\n{cases}  </testsuite>\n")
    for path, message in report.errors:
        shown = workspace_relative(path)
        suites.append(f"  <testsuite name={_attr(shown)} tests=\"1\" failures=\"0\" errors=\"1\">\n"
                      f"    <testcase classname={_attr(shown)} name=\"kalint\" file={_attr(shown)}>\n"
                      f"      <error message={_attr(message)}>{_text(message)}</error>\n"
                      f"    </testcase>\n  </testsuite>\n")
    failures = len(report.diagnostics)
    tests = sum(max(len(found), 1) for found in by_file.values()) + len(report.errors)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kalint" tests="{tests}" '
            f'failures="{failures}" errors="{len(report.errors)}">\n{"".join(suites)}</testsuites>\n')


class JunitReporter:
    """``--format junit``."""

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(render(report))
