"""The expansion's fast path: text keepalived would read unchanged passes as it is."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kalint.syntax.span import Span
from kalint.text.expand import _has_line_longer, expand
from kalint.text.source import SourceFile, load


def _expansion(text: str):
    return expand(SourceFile("k.conf", text))


def test_plain_config_takes_the_fast_path() -> None:
    text = "global_defs {\n    router_id a\n}\n"
    expansion = _expansion(text)
    assert expansion.origins is None and expansion.text == text


@pytest.mark.parametrize("marker", ["@id x", "$X=1", "~SEQ(i,1,2)", "include x.conf", "a\x00b", "\ufeffa"])
def test_directives_take_the_slow_path(marker: str) -> None:
    assert _expansion(f"global_defs {{\n{marker}\n}}\n").origins is not None


@pytest.mark.parametrize(
    ("line", "cut"),
    [("#" + "a" * 1022, False), ("#" + "a" * 1023, True), ("#" + "\u00e9" * 511, False), ("#" + "\u00e9" * 600, True)],
)
def test_lines_are_measured_in_bytes(line: str, cut: bool) -> None:
    """keepalived's buffer holds 1023 bytes: 600 two-byte characters are cut, too."""
    expansion = _expansion(f"{line}\nglobal_defs {{\n}}\n")
    codes = [d.code for d in expansion.problems.items]
    assert ("KA011" in codes) is cut


@settings(deadline=None)
@given(st.lists(st.text(alphabet="ab é", max_size=5), min_size=1, max_size=5), st.sampled_from(["\n", "\r"]),
       st.lists(st.integers(-1, 7), min_size=4, max_size=4))
def test_spans_on_the_fast_path_are_the_offset_paths(lines: list[str], brk: str, numbers: list[int]) -> None:
    """Without expansion a span is the node's lines and columns shifted by one where both
    ends lie inside their lines; anything else takes the offsets, and both agree."""
    text = brk.join(lines)
    expansion = expand(load("k.conf", text.encode()))
    assume(expansion.origins is None)
    line, column, end_line, end_column = numbers
    assume(line >= 1 and end_line >= 1)
    src, start = expansion.locate(line, column)
    _, end = expansion.locate(end_line, end_column)
    first, last = src.position(start), src.position(end)
    if last < first:  # (the offset path never ends a span before it starts: one character)
        last = (first[0], first[1] + 1)
    assert expansion.span(line, column, end_line, end_column) == Span("k.conf", *first, *last)


@given(st.text(alphabet="ab\n\r", max_size=60), st.integers(0, 12))
def test_a_long_line_is_found_by_skipping(text: str, limit: int) -> None:
    """The skip through the text finds exactly the lines (split at LF) longer than the limit."""
    assert _has_line_longer(text, limit) == any(len(line) > limit for line in text.split("\n"))


@pytest.mark.parametrize("at", ["start", "middle", "end"])
def test_a_long_line_anywhere_takes_the_slow_path(at: str) -> None:
    short = "router_id a\n" * 300
    long_line = "#" + "a" * 1023
    text = {"start": long_line + "\n" + short, "middle": short + long_line + "\n" + short, "end": short + long_line}[at]
    assert _expansion(f"global_defs {{\n{text}\n}}\n").origins is not None
