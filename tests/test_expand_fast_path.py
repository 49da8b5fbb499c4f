"""The expansion's fast path: text keepalived would read unchanged passes as it is."""

from __future__ import annotations

import pytest

from kalint.text.expand import expand
from kalint.text.source import SourceFile


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
