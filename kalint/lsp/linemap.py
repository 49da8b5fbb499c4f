"""Positions in a document's current text, answered from an analysis of an older text.

While a lint runs, hover, completion and go to definition answer from the last analysis
instead of waiting for it (a full lint of 10k lines takes hundreds of milliseconds; an
answer must take a few). Between that analysis's text and the editor's, the edits made
since differ in one region of lines (typing changes one place; edits in several places
make one region from the first to the last): the lines above it are the same, the lines
below it have moved by the difference in length. A cursor is mapped into the old text, and
a location the analysis gives is mapped back, or dropped when it lies in the region.
"""

from __future__ import annotations

from dataclasses import dataclass

from kalint.text.lines import common_ends


@dataclass(frozen=True, slots=True)
class LineMap:
    """Old lines [start, old_end) became new lines [start, new_end); the rest is the same."""

    start: int
    old_end: int
    new_end: int

    @classmethod
    def between(cls, old: str, new: str) -> LineMap:
        a, b = old.split("\n"), new.split("\n")
        start, tail = common_ends(a, b)
        return cls(start, len(a) - tail, len(b) - tail)

    def to_old(self, line: int, character: int) -> tuple[int, int]:
        """An LSP position of the new text in the old one. In the changed region: the same
        place when the region kept its number of lines (typing within lines), else the
        start of the region (its enclosing block is still the one the analysis knows)."""
        if line < self.start:
            return line, character
        if line >= self.new_end:
            return line - self.new_end + self.old_end, character
        if self.new_end - self.start == self.old_end - self.start:
            return line, character
        return self.start, 0

    def to_new(self, line: int) -> int | None:
        """An old line's number in the new text; None if it was edited since."""
        if line < self.start:
            return line
        if line >= self.old_end:
            return line - self.old_end + self.new_end
        return None
