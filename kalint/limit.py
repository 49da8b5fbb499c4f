"""At most :data:`MAX_PER_RULE` findings of one rule in one file; the rest in one summary.

200 KB of `{` is 400,000 brace findings, hundreds of megabytes of report that nobody reads
and a CI log that truncates. The first findings of each rule in each file are shown; one
KA019 finding after them says how many more there are. The reading stages already stop
building findings past the limit (``Collector.omitted``), and those are counted here too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from kalint.diagnostic import MAX_PER_RULE, Diagnostic
from kalint.rules import ka0_reading as reading

#: (code, path) -> findings not built or not shown
Omitted = Mapping[tuple[str, str], int]


def cap(diagnostics: list[Diagnostic], omitted: Omitted, limit: int = MAX_PER_RULE) -> list[Diagnostic]:
    """``diagnostics`` (sorted) with each (rule, file) cut to ``limit`` and a summary added."""
    counts = Counter((d.code, d.span.path) for d in diagnostics)
    if not omitted and all(n <= limit for n in counts.values()):
        return diagnostics
    shown: Counter[tuple[str, str]] = Counter()
    kept: list[Diagnostic] = []
    last: dict[tuple[str, str], Diagnostic] = {}
    for diag in diagnostics:
        key = (diag.code, diag.span.path)
        if shown[key] < limit:
            shown[key] += 1
            kept.append(diag)
        last[key] = diag
    for key, seen in counts.items():
        more = seen - shown[key] + omitted.get(key, 0)
        if more > 0:
            kept.append(_summary(last[key], more, limit))
    return sorted(kept, key=Diagnostic.sort_key)


def _summary(example: Diagnostic, more: int, limit: int) -> Diagnostic:
    """KA019 on the last finding of the rule that was built, with its severity."""
    return reading.TooManyFindings.finding(
        example.span,
        f"and {more:,} more {example.code} in this file, not shown: kalint shows the first {limit:,} "
        "findings of each rule in each file",
        severity=example.severity,
    ).with_(name=reading.TooManyFindings.name)
