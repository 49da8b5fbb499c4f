"""Rules' fast paths give what the plain formulation they replaced gives (docs/performance.md)."""

from __future__ import annotations

import random
import re

import pytest

from kalint.rules import ka1_comment_inside_word

_GLUED = re.compile(r"[^\s][#!]")


@pytest.mark.parametrize("seed", range(20))
def test_comment_glued_check_matches_the_regular_expression(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["#", "!", " ", "\t", "\n", "a", "\u00a0", "\u2003", "é", "\x1c"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert ka1_comment_inside_word._glued(text) is bool(_GLUED.search(text)), repr(text)
