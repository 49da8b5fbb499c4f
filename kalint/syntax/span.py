"""Source positions: 1-based lines and columns, columns in code points, end exclusive."""

from __future__ import annotations

from kalint.records import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Where something is: a file, a start and an end (exclusive)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
