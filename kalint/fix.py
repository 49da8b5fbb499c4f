"""``--fix`` / ``--diff``: apply the edits of Diagnostic.fix to the files they name.

Safe fixes keep what keepalived does (an unused suppression, a repeated identical
statement keepalived ignores); unsafe ones change it and are applied only with
``--unsafe-fixes``. A fix is all-or-nothing: when one of its edits overlaps an edit
already taken, the whole fix waits for the next run. Files with a syntax error (KA001,
KA002, KA003) are never edited, since their structure is not what the edits assumed,
except by the fix that repairs that structure (a missing `}` added at the end).
Writing goes through ``kalint.writer.write_atomic``; a file with nothing to fix is not
touched.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kalint.diagnostic import Diagnostic, Edit
from kalint.records import dataclass, field
from kalint.rules import ka0_reading as reading
from kalint.text.source import SourceFile, encode
from kalint.writer import write_atomic

#: Findings after which a file's structure is uncertain: no fix is applied there.
UNPARSED_CODES = frozenset(r.code for r in (reading.UnbalancedBraces, reading.StrayBrace, reading.UnmatchedQuote))
STDIN_NAME = "<stdin>"


@dataclass(slots=True)
class FileFix:
    """The new text of one file and the findings it repairs."""

    source: SourceFile
    text: str
    fixed: list[Diagnostic] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.source.path

    def diff(self) -> str:
        old = self.source.text.splitlines(keepends=True)
        new = self.text.splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"a/{self.path}", f"b/{self.path}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)

    def write(self, force: bool = False) -> bool:
        """Write the new text, unless the file changed since it was read (see kalint.writer)."""
        return write_atomic(self.path, encode(self.text), original=encode(self.source.text), force=force)


def _offsets(source: SourceFile, edit: Edit) -> tuple[int, int]:
    starts = source.line_starts()

    def offset(line: int, column: int) -> int:
        if line > len(starts):
            return len(source.text)
        return min(starts[line - 1] + column - 1, len(source.text))

    span = edit.span
    return offset(span.line, span.column), offset(span.end_line, span.end_column)


def plan(diagnostics: Iterable[Diagnostic], sources: dict[str, SourceFile], unsafe: bool = False) -> list[FileFix]:
    """The files that change, in path order; files that would not change are left out."""
    blocked = {d.span.path for d in diagnostics if d.code in UNPARSED_CODES}
    taken: dict[str, list[tuple[int, int, str]]] = {}
    owners: dict[str, list[Diagnostic]] = {}
    for diag in sorted(diagnostics, key=Diagnostic.sort_key):
        fix = diag.fix
        if fix is None or not fix.edits or (not fix.safe and not unsafe):
            continue
        planned = []
        for edit in fix.edits:
            source = sources.get(edit.span.path)
            if source is None or (edit.span.path in blocked and not fix.repairs_structure) \
                    or edit.span.path == STDIN_NAME:
                break
            start, end = _offsets(source, edit)
            if any(start < e and s < end or start == s == end == e for s, e, _ in taken.get(edit.span.path, ())):
                break
            planned.append((edit.span.path, start, end, edit.text))
        else:
            for path, start, end, text in planned:
                taken.setdefault(path, []).append((start, end, text))
            for path in {p for p, *_ in planned}:
                owners.setdefault(path, []).append(diag)
    fixes = []
    for path in sorted(taken):
        source = sources[path]
        text = source.text
        for start, end, replacement in sorted(taken[path], reverse=True):
            text = text[:start] + replacement + text[end:]
        if text != source.text:
            fixes.append(FileFix(source, text, owners[path]))
    return fixes
