"""``--statistics``: the number of findings per code instead of the findings."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from kalint.diagnostic import Diagnostic
from kalint.report import Report


def statistics_lines(diagnostics: list[Diagnostic]) -> list[str]:
    """Count, code, name and severity, most frequent first."""
    counts = Counter((d.code, d.name, str(d.severity)) for d in diagnostics)
    width = len(str(max(counts.values(), default=0)))
    return [
        f"{count:>{width}}  {code}  {name:<28} {severity}"
        for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


class StatisticsReporter:
    def write(self, report: Report, stream: TextIO) -> None:
        stream.write("".join(line + "\n" for line in statistics_lines(report.diagnostics)))
