"""Where two versions of a text differ, by whole lines."""

from __future__ import annotations

from collections.abc import Sequence


def common_ends(old: Sequence[str], new: Sequence[str]) -> tuple[int, int]:
    """How many lines ``old`` and ``new`` share at the start, then how many of the
    remaining ones at the end (the two never overlap)."""
    shorter = min(len(old), len(new))
    start = 0
    while start < shorter and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < shorter - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start, tail
