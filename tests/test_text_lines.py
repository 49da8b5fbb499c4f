"""``common_ends``: the lines two versions of a text share at the start and the end."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kalint.text.lines import common_ends

lines = st.lists(st.sampled_from(["a", "b", "", "a\r"]), max_size=12)


def _by_hand(old: list[str], new: list[str]) -> tuple[int, int]:
    shorter = min(len(old), len(new))
    start = 0
    while start < shorter and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < shorter - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start, tail


@given(lines, lines)
def test_common_ends_is_the_longest_shared_head_then_tail(old, new):
    assert common_ends(old, new) == _by_hand(old, new)


def test_the_head_and_the_tail_never_overlap():
    # "a a" -> "a a a": the head takes both old lines, the tail none of them again.
    assert common_ends(["a", "a"], ["a", "a", "a"]) == (2, 0)
    assert common_ends(["x", "a"], ["a"]) == (0, 1)
    assert common_ends([], ["a"]) == (0, 0)
