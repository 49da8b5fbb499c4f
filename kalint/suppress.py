"""Inline suppressions, read straight from the text of every file of a run.

    state MASTER          ! kalint: disable=KA301,KA302   (this line)
    ! kalint: disable-next-line=KA201                      (the line below)
    # kalint: disable-file=KA202                           (the whole file)

``!`` and ``#`` both start a comment in keepalived; codes may be rule codes or rule
names. A suppression that silences nothing is reported as KA901 (like ruff's RUF100),
with a safe fix that removes it; codes kalint does not know are reported the same way.
Codes that are not selected for the file are never called unused (``--select KA2``
must not flag every other suppression).

Files are scanned only when they contain ``kalint:``, so configs without suppressions
cost one substring search.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kalint.diagnostic import Diagnostic, Edit, Fix
from kalint.records import dataclass, field
from kalint.rules.ka9_kalint import UnusedSuppression
from kalint.text.expand import source_span
from kalint.text.source import SourceFile

UNUSED_CODE = UnusedSuppression.code
_DIRECTIVE = re.compile(
    r"[!#][ \t]*kalint:[ \t]*(disable-next-line|disable-file|disable)[ \t]*=[ \t]*"
    r"([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*)"
)
_CODE = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(slots=True)
class Suppression:
    """One `kalint: disable...` comment and what it silenced."""

    source: SourceFile
    #: The line it silences; 0 for ``disable-file``.
    line: int
    #: (code as written, start offset, end offset) of each code.
    codes: list[tuple[str, int, int]]
    #: Offsets of the comment marker and of the end of its line.
    start: int
    line_end: int
    #: Nothing but blanks before the marker on its line.
    own_line: bool
    used: set[str] = field(default_factory=set)


def scan(source: SourceFile) -> list[Suppression]:
    text = source.text
    if "kalint:" not in text:
        return []
    found = []
    for m in _DIRECTIVE.finditer(text):
        line, column = source.position(m.start())
        line_start = m.start() - column + 1
        line_end = text.find(source.line_break, m.start())
        line_end = len(text) if line_end == -1 else line_end
        if text[line_end - 1 : line_end] == "\r":  # CRLF: keep the CR with the line end
            line_end -= 1
        kind = m.group(1)
        target = 0 if kind == "disable-file" else line + 1 if kind == "disable-next-line" else line
        codes = [(c.group(), m.start(2) + c.start(), m.start(2) + c.end()) for c in _CODE.finditer(m.group(2))]
        own_line = not text[line_start : m.start()].strip()
        found.append(Suppression(source, target, codes, m.start(), line_end, own_line))
    return found


def apply(
    diagnostics: list[Diagnostic],
    sources: Iterable[SourceFile],
    enabled: Callable[[str, str], bool],
    names: dict[str, str],
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(diagnostics no suppression silences, KA901 findings for suppressions left unused).

    ``names`` maps rule names to codes; ``enabled(code, path)`` says whether a code is
    selected in a file.
    """
    by_file: dict[str, list[Suppression]] = {}
    for source in sources:
        found = scan(source)
        if found:
            by_file[source.path] = found
    if not by_file:
        return diagnostics, []
    codes_known = set(names.values())
    kept = []
    for diag in diagnostics:
        silenced = False
        for suppression in by_file.get(diag.span.path, ()):
            if suppression.line not in (0, diag.span.line):
                continue
            for written, _, _ in suppression.codes:
                if names.get(written, written.upper()) == diag.code:
                    suppression.used.add(written)
                    silenced = True
        if not silenced:
            kept.append(diag)
    unused = [
        report
        for path, suppressions in by_file.items()
        for suppression in suppressions
        if (report := _unused(suppression, path, enabled, names, codes_known)) is not None
    ]
    return kept, unused


def _unused(
    suppression: Suppression,
    path: str,
    enabled: Callable[[str, str], bool],
    names: dict[str, str],
    codes_known: set[str],
) -> Diagnostic | None:
    unknown, idle = [], []
    for written, start, end in suppression.codes:
        code = names.get(written, written.upper())
        if code not in codes_known:
            unknown.append((written, start, end))
        elif written not in suppression.used and code != UNUSED_CODE and enabled(code, path):
            idle.append((written, start, end))
    stale = sorted(unknown + idle, key=lambda c: c[1])
    if not stale:
        return None
    parts = []
    if idle:
        where = "in this file" if suppression.line == 0 else f"on line {suppression.line}"
        parts.append(f"no {_listing(idle)} finding {where} to silence")
    if unknown:
        parts.append(f"{_listing(unknown)} {'is' if len(unknown) == 1 else 'are'} not a kalint rule")
    source = suppression.source
    return UnusedSuppression.finding(
        source_span(source, stale[0][1], stale[-1][2]),
        f"unused suppression: {'; '.join(parts)}",
        fix=_removal(suppression, {start for _, start, _ in stale}),
    )


def _listing(codes: list[tuple[str, int, int]]) -> str:
    return ", ".join(f"`{written}`" for written, _, _ in codes)


def _removal(suppression: Suppression, stale: set[int]) -> Fix:
    """Drop the stale codes, the whole comment when none is left, the whole line when the
    comment was all there was on it."""
    source, text = suppression.source, suppression.source.text
    remaining = [written for written, start, _ in suppression.codes if start not in stale]
    if remaining:
        first, last = suppression.codes[0][1], suppression.codes[-1][2]
        edit = Edit(source_span(source, first, last), ",".join(remaining))
        return Fix("remove the codes that silence nothing", (edit,))
    if suppression.own_line:
        line_start = text.rfind(source.line_break, 0, suppression.start) + 1
        end = min(suppression.line_end + len(source.line_break), len(text))
        edit = Edit(source_span(source, line_start, end), "")
    else:
        start = suppression.start
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        edit = Edit(source_span(source, start, suppression.line_end), "")
    return Fix("remove the unused suppression", (edit,))
