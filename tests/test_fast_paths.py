"""Rules' fast paths give what the plain formulation they replaced gives (docs/performance.md)."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kalint.rules import ka1_comment_inside_word
from kalint.text.source import SourceFile

_GLUED = re.compile(r"[^\s][#!]")


@pytest.mark.parametrize("seed", range(20))
def test_comment_glued_check_matches_the_regular_expression(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["#", "!", " ", "\t", "\n", "a", "\u00a0", "\u2003", "é", "\x1c"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert ka1_comment_inside_word._glued(text) is bool(_GLUED.search(text)), repr(text)


@given(st.text(alphabet="ab \t\r\n\u00e9", max_size=40), st.sampled_from(["\n", "\r"]))
def test_line_starts_are_the_offsets_after_each_line_break(text: str, line_break: str) -> None:
    """SourceFile.line_starts sums line lengths in C; the plain formulation searches for
    each break in turn."""
    expected = [0] + [at + 1 for at, char in enumerate(text) if char == line_break]
    assert list(SourceFile("k.conf", text, line_break=line_break).line_starts()) == expected
